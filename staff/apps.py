"""Staff sign-in: Django admin with two-factor sign-in for every staff account, enrolment, and
the CSV downloads staff take from admin."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the site that asks for two-factor sign-in (staff/admin_site.py)."""

    default = False  # named explicitly in INSTALLED_APPS, in place of django.contrib.admin
    default_site = "staff.admin_site.ClinicAdminSite"


class StaffConfig(AppConfig):
    default = True
    name = "staff"
    verbose_name = "Staff sign-in"
