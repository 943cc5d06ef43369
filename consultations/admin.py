"""Admin for consultation requests: triage, assignment, notes, CSV export, email retries, history."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.timesince import timesince
from simple_history.admin import SimpleHistoryAdmin

from staff.exports import csv_download

from .models import ConsultationRequest, Status
from .services import retry_unsent_emails

VISITOR_FIELDS = [
    "name", "email", "phone", "contact_method", "contact_time", "concerns_display", "seeing_clinician",
    "heard_about", "message", "is_adult", "consented_at", "created_at",
]  # fmt: skip
CSV_COLUMNS = [
    ("id", "pk"), ("received", "created_at"), ("status", "get_status_display"), ("name", "name"),
    ("email", "email"), ("phone", "phone"), ("contact by", "get_contact_method_display"),
    ("contact time", "get_contact_time_display"), ("help with", "get_concerns_display"),
    ("seeing a clinician", "get_seeing_clinician_display"), ("heard about us", "get_heard_about_display"),
    ("message", "message"), ("assigned to", "assigned_to"), ("notes", "notes"),
]  # fmt: skip


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
class ConsultationRequestAdmin(SimpleHistoryAdmin):
    actions = [*(status_action(status) for status in Status if status != Status.NEW), "export_csv", "retry_emails"]
    date_hierarchy = "created_at"
    list_display = ["__str__", "name", "status", "age", "assigned_to", "contact_method", "emails_sent"]
    list_filter = ["status", "assigned_to", "contact_method", "seeing_clinician"]
    list_select_related = ["assigned_to"]
    ordering = ["-created_at"]
    readonly_fields = [*VISITOR_FIELDS, "status_changed_at", "staff_notified_at", "confirmation_sent_at", "email_error"]
    search_fields = ["name", "email", "phone", "=id"]
    fieldsets = [
        ("Follow-up", {"fields": ["status", "assigned_to", "notes", "status_changed_at"]}),
        ("What the visitor sent", {"fields": VISITOR_FIELDS}),
        ("Emails", {"fields": ["staff_notified_at", "confirmation_sent_at", "email_error"]}),
    ]

    @admin.display(description="Received", ordering="created_at")
    def age(self, consultation):
        return f"{timesince(consultation.created_at, timezone.now()).split(',')[0]} ago"

    @admin.display(description="Would like help with")
    def concerns_display(self, consultation):
        return consultation.get_concerns_display()

    @admin.display(boolean=True, description="Emails sent")
    def emails_sent(self, consultation):
        return not consultation.emails_pending

    def has_add_permission(self, request):
        return False  # requests come from visitors only

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Export selected to CSV", permissions=["export"])
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
