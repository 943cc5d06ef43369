"""The clinic's own details (name, phone, address, hours), editable in admin."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ClinicAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the site that asks for two-factor sign-in (clinic/admin_site.py)."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "clinic.admin_site.ClinicAdminSite"


class ClinicConfig(AppConfig):
    default = True
    name = "clinic"
    verbose_name = "Clinic details"

    def ready(self):
        from .caching import watch

        watch(self.get_model("ClinicDetails"))  # every footer shows them
