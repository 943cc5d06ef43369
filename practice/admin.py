"""Admin for the clinic's facts: its details (a single form, no list, no deleting) and its clinicians."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse

from staff.history import HistoryAdmin

from .models import ClinicDetails, Clinician, CostSection, Location, OpeningHours, PriceItem


@admin.register(ClinicDetails)
class ClinicDetailsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Shown to patients", {"fields": ["name", "phone"]}),  # addresses and hours: under Locations
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
class ClinicianAdmin(HistoryAdmin):
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


# The costs page: the price list and the sections staff write. ----------------------------------


@admin.register(PriceItem)
class PriceItemAdmin(HistoryAdmin):
    list_display = ["service", "price", "is_from_price", "typical_sessions", "is_active", "order"]
    list_editable = ["order"]
    list_filter = ["is_active"]
    search_fields = ["service", "included"]
    ordering = ["order", "service"]
    fields = ["service", "price", "is_from_price", "included", "typical_sessions", "order", "is_active"]


@admin.register(CostSection)
class CostSectionAdmin(HistoryAdmin):
    list_display = ["title", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["title", "body"]
    ordering = ["order", "title"]
    fields = ["title", "slug", "body", "order"]
    # Not prepopulated_fields: simple_history's version page reads that attribute, and the slug is read
    # only once saved, so a prepopulated slug there fails (KeyError: 'slug').
    prepopulated_fields = {}

    def get_readonly_fields(self, request, obj=None):
        # Once saved, the slug is the section's address (/costs/#insurance): other pages link to it.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else {"slug": ["title"]}


# Locations and their opening hours: every footer, the visit pages, the consultation form's times. -----


class OpeningHoursForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The formset compares this row with the others, as they are being saved (see OpeningHours.clean).
        self.instance.check_saved_periods = False


class OpeningHoursFormSet(BaseInlineFormSet):
    """Refuses periods of one day that overlap, among all the rows saved together: rows added in this
    form and changed ones included, rows ticked for deleting left out."""

    def clean(self):
        super().clean()
        kept = [
            form for form in self.forms if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for index, form in enumerate(kept):
            clash = next((other for other in kept[:index] if form.instance.overlaps(other.instance)), None)
            if clash is not None:
                form.add_error(None, form.instance.overlap_message(clash.instance))


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    form = OpeningHoursForm
    formset = OpeningHoursFormSet
    fields = ["weekday", "opens", "closes"]
    ordering = ["weekday", "opens"]
    extra = 1
    verbose_name = "opening period"
    verbose_name_plural = "opening hours (a day with no period is shown as closed; a day may have two)"


@admin.register(Location)
class LocationAdmin(HistoryAdmin):
    list_display = ["name", "address", "is_active", "order"]
    list_editable = ["order"]
    list_filter = ["is_active"]
    search_fields = ["name", "street_address", "locality"]
    ordering = ["order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_active", "order"]}),
        ("Address and phone", {"fields": ["street_address", "locality", "phone"]}),
        (
            "Getting here and in",
            {
                "description": "Shown on the location's visit page. Plain sentences are best; Markdown works "
                "for lists (a line starting with '- ') and links.",
                "fields": ["directions", "parking", "public_transport", "accessibility"],
            },
        ),
    ]


@admin.register(OpeningHours)
class OpeningHoursAdmin(HistoryAdmin):
    """Read only: each period's history. Hours are edited on their location's page."""

    list_display = ["__str__", "location"]
    list_filter = ["location", "weekday"]
    list_select_related = ["location"]
    ordering = ["location__order", "location__name", "weekday", "opens"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
