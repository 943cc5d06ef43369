"""Admin for the clinic's facts: its details (a single form, no list, no deleting) and its clinicians."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .models import ClinicDetails, Clinician


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


@admin.register(Clinician)
class ClinicianAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "role", "reviews_content", "is_active", "order", "placeholder"]
    list_editable = ["order"]
    list_filter = ["reviews_content", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "role"]
    fields = ["name", "credentials", "slug", "role", "licence_states", "bio", "reviews_content", "order", "is_active"]

    @admin.display(description="still the placeholder?", boolean=True)
    def placeholder(self, clinician):
        return clinician.is_placeholder

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and obj.is_placeholder:
            self.message_user(
                request,
                "This is the placeholder reviewer of a fresh install: replace the name and credentials with a "
                "real clinician's before the site goes live.",
                messages.WARNING,
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
