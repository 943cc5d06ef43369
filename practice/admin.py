"""Admin for the clinic's details: a single form, no list, no deleting."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import ClinicDetails


@admin.register(ClinicDetails)
class ClinicDetailsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Shown to patients", {"fields": ["name", "phone", "street_address", "locality", "hours"]}),
        ("For staff", {"fields": ["notification_email"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        ClinicDetails.objects.get_or_create(pk=1)  # a fresh install starts with the defaults
        return redirect(reverse("admin:practice_clinicdetails_change", args=[1]))
