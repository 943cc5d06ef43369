"""Admin for consultation requests: triage, assignment, notes, CSV export, email retries, history.

Every list, view, change, export and history view is recorded in the access log (accesslog), by
id and reference only.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException, country_code_for_region

from accesslog.admin import AccessLoggedAdmin, logged_as
from accesslog.models import Action
from practice.models import tel_href
from staff.exports import csv_download
from staff.history import HistoryAdmin

from .models import REFERENCE_PREFIX, ConsultationRequest, ContactMethod, Status, WhoFor
from .services import retry_unsent_emails

REQUEST_FIELDS = ["reference", "created_at", "who_for", "fast"]
VISITOR_FIELDS = [
    "name", "email", "phone_link", "contact_method", "contact_time", "concerns_display", "seeing_clinician",
    "heard_about", "message", "is_adult", "consented_at",
]  # fmt: skip
CSV_COLUMNS = [
    ("id", "pk"), ("reference", "reference"), ("received", "created_at"), ("status", "get_status_display"),
    ("who for", "get_who_for_display"), ("sent very fast", "sent_very_fast"), ("name", "name"),
    ("email", "email"), ("phone", "phone"), ("contact by", "get_contact_method_display"),
    ("contact time", "get_contact_time_display"), ("help with", "get_concerns_display"),
    ("seeing a clinician", "get_seeing_clinician_display"), ("heard about us", "get_heard_about_display"),
    ("message", "message"), ("assigned to", "assigned_to"), ("notes", "notes"),
]  # fmt: skip


# "KC-7Q4M", "kc7q4m", "7Q4M": what staff may type for a reference the visitor read out.
REFERENCE_SEARCH = re.compile(rf"^(?:{REFERENCE_PREFIX.rstrip('-')})?[-\s]*([A-Z0-9]{{4}})$", re.IGNORECASE)


def reference_searched(term: str) -> str | None:
    match = REFERENCE_SEARCH.match(term.strip())
    return REFERENCE_PREFIX + match.group(1).upper() if match else None


def phone_searched(term: str) -> str | None:
    """A number as staff read it off their phone, e.g. "(202) 555-0123", in the stored E.164 form."""
    if sum(character.isdigit() for character in term) < 7:
        return None
    try:
        number = PhoneNumber.from_string(term)
    except NumberParseException:
        return None
    return number.as_e164 if number.is_valid() else None


def phone_text(phone) -> str:
    """National format for the clinic's own country ("(202) 555-0123"), international otherwise."""
    if not getattr(phone, "country_code", None):
        return str(phone)
    if phone.country_code == country_code_for_region(settings.PHONENUMBER_DEFAULT_REGION):
        return phone.as_national
    return phone.as_international


def tel_link(phone):
    if not phone:
        return None
    href = tel_href(phone.as_e164 if getattr(phone, "country_code", None) else str(phone))
    return format_html('<a href="{}" class="request-phone">{}</a>', href, phone_text(phone))


class ConsultationRequestAdminForm(forms.ModelForm):
    class Meta:
        model = ConsultationRequest
        fields = ["status", "assigned_to", "notes"]
        labels = {"created_at": "Received"}
        help_texts = {  # for read-only fields, shown under them as admin does for a field's help_text
            "fast": ConsultationRequest._meta.get_field("sent_very_fast").help_text,
            "who_for": "For someone else: the visitor was told that the clinic needs to speak with the "
            "person themselves.",
        }


def status_action(status: Status):
    def action(modeladmin, request, queryset):
        changed = 0
        for consultation in queryset:
            if consultation.status != status:
                consultation.set_status(status)
                consultation.save()  # one by one, so history records who changed each
                changed += 1
        modeladmin.message_user(request, f"Marked {changed} request(s) as {status.label.lower()}.", messages.SUCCESS)

    action.__name__ = f"mark_{status.value}"
    action.short_description = f"Mark selected as {status.label.lower()}"
    action.allowed_permissions = ("change",)
    return action


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(AccessLoggedAdmin, HistoryAdmin):
    access_label_field = "reference"  # the access log names requests by reference, never by name
    form = ConsultationRequestAdminForm
    actions = [*(status_action(status) for status in Status if status != Status.NEW), "export_csv", "retry_emails"]
    date_hierarchy = "created_at"
    empty_value_display = "—"
    # Short headers and merged columns (status with assignee; unsent emails as a flag): the list fits
    # 1280 px between admin's navigation and the filters without scrolling.
    list_display = ["ref", "age", "name", "contact", "status_and_assignee", "flags"]
    list_display_links = ["ref"]
    list_filter = ["status", "assigned_to", "contact_method", "sent_very_fast", "who_for", "seeing_clinician"]
    list_select_related = ["assigned_to"]
    ordering = ["-created_at"]
    readonly_fields = [
        *REQUEST_FIELDS, *VISITOR_FIELDS, "status_changed_at", "staff_notified_at", "confirmation_sent_at",
        "email_error",
    ]  # fmt: skip
    search_fields = ["reference", "name", "email", "phone", "=id"]
    # Counts beside each filter would answer "did this person ask, and what for?" for a search that
    # shows no rows; the list's own rows are what the access log records.
    show_facets = admin.ShowFacets.NEVER
    search_help_text = "A reference (KC-7Q4M or just 7Q4M), a name, an email address or a phone number."
    fieldsets = [
        ("Request", {"fields": REQUEST_FIELDS}),
        ("Follow-up", {"fields": ["status", "assigned_to", "notes", "status_changed_at"]}),
        ("What the visitor sent", {"fields": VISITOR_FIELDS}),
        ("Emails", {"fields": ["staff_notified_at", "confirmation_sent_at", "email_error"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def revert_disabled(self, request, obj=None):
        """No reverting a request to an old version: a version holds neither when its emails were
        sent nor its form's one-time number, so a revert would send emails again and let the same
        form be saved twice. Staff change the follow-up fields on the request itself."""
        return True

    @admin.display(description="Ref.", ordering="reference")
    def ref(self, consultation):
        return consultation.reference

    @admin.display(description="Contact")
    def contact(self, consultation):
        """The preferred way, and the detail it needs: the phone number as a link, or the address."""
        if consultation.contact_method == ContactMethod.EMAIL:
            detail = consultation.email or "—"
        else:
            detail = tel_link(consultation.phone) or "—"
        return format_html(
            '{}<br><span class="request-contact">{}</span>', consultation.get_contact_method_display(), detail
        )

    @admin.display(description="Status", ordering="status")
    def status_and_assignee(self, consultation):
        assignee = consultation.assigned_to.get_username() if consultation.assigned_to else "Unassigned"
        return format_html(
            '{}<br><span class="request-assignee">{}</span>', consultation.get_status_display(), assignee
        )

    @admin.display(description="Flags", empty_value="")
    def flags(self, consultation):
        flags = []
        if consultation.who_for == WhoFor.SOMEONE_ELSE:
            flags.append(("request-flag", "For someone else"))
        if consultation.sent_very_fast:
            flags.append(("request-flag request-flag-warning", "Sent very fast"))
        if consultation.emails_pending:
            flags.append(("request-flag request-flag-warning", "Emails not sent"))
        return format_html_join(" ", '<span class="{}">{}</span>', flags)

    @admin.display(description="Sent very fast")
    def fast(self, consultation):
        if consultation.sent_very_fast:
            return format_html('<strong class="request-flag request-flag-warning">{}</strong>', "Yes: check it")
        return "No"

    @admin.display(description="Phone")
    def phone_link(self, consultation):
        return tel_link(consultation.phone) or self.get_empty_value_display()

    @admin.display(description="Age", ordering="created_at")
    def age(self, consultation):
        return f"{timesince(consultation.created_at, timezone.now()).split(',')[0]} ago"

    @admin.display(description="Would like help with")
    def concerns_display(self, consultation):
        return consultation.get_concerns_display()

    def has_add_permission(self, request):
        return False  # requests come from visitors only

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = f"{obj.reference} (request #{obj.pk})"  # the reference visitors quote
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_search_results(self, request, queryset, search_term):
        """Also find a reference typed without its dash or prefix, and a phone number as written."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if reference := reference_searched(search_term):
            results |= queryset.filter(reference=reference)
        if phone := phone_searched(search_term):
            results |= queryset.filter(phone=phone)
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Export selected to CSV", permissions=["export"])
    @logged_as(Action.EXPORTED)
    def export_csv(self, request, queryset):
        def row(consultation):
            values = (getattr(consultation, attribute) for _, attribute in CSV_COLUMNS)
            return [value() if callable(value) else value for value in values]

        rows = (row(consultation) for consultation in queryset.select_related("assigned_to"))
        return csv_download("consultation-requests", [header for header, _ in CSV_COLUMNS], rows)

    def has_export_permission(self, request):
        return request.user.has_perm("consultations.export_consultationrequest")

    @admin.action(description="Retry unsent emails for selected", permissions=["change"])
    def retry_emails(self, request, queryset):
        count = retry_unsent_emails(queryset)
        self.message_user(request, f"Queued emails again for {count} request(s).", messages.SUCCESS)
