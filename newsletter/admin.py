"""Admin for the newsletter: subscribers (with CSV export) and issues (preview, test, send, progress)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from staff.exports import csv_download
from staff.history import HistoryAdmin

from .emails import issue_message
from .models import Issue, IssueStatus, Subscriber, SubscriberStatus
from .services import start_sending

# The policy of the email's HTML in the preview's frame. Emails carry inline styles (email clients
# need them), which the site's policy forbids; a srcdoc frame would inherit that policy and show the
# email unstyled. So the frame loads the email from its own address, with a policy of its own: its
# inline styles and nothing else (no script, no request anywhere), sandboxed even if opened alone,
# framed only by admin's pages.
EMAIL_PREVIEW_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.SELF],
    "sandbox": True,
}


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    actions = ["export_confirmed_csv"]
    date_hierarchy = "created_at"
    list_display = ["email", "first_name", "status", "consented_at", "confirmed_at", "source_page"]
    list_filter = ["status"]
    ordering = ["-created_at"]
    readonly_fields = ["email", "consented_at", "confirmed_at", "unsubscribed_at", "source_page", "created_at"]
    search_fields = ["email", "first_name"]
    fields = [
        "email",
        "first_name",
        "status",
        "source_page",
        "consented_at",
        "confirmed_at",
        "unsubscribed_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # every address on the list asked to be there, through the double opt-in

    def has_export_permission(self, request):
        return request.user.has_perm("newsletter.export_subscriber")

    @admin.action(description="Export selected confirmed subscribers to CSV", permissions=["export"])
    def export_confirmed_csv(self, request, queryset):
        header = ["email", "first name", "consented at", "confirmed at", "source page"]
        rows = (
            [s.email, s.first_name, s.consented_at, s.confirmed_at, s.source_page]
            for s in queryset.filter(status=SubscriberStatus.CONFIRMED)
        )
        return csv_download("subscribers", header, rows)


@admin.register(Issue)
class IssueAdmin(HistoryAdmin):
    change_form_template = "admin/newsletter/issue/change_form.html"
    filter_horizontal = ["featured_articles"]
    list_display = ["subject", "status", "progress_display", "created_at", "sent_at"]
    list_filter = ["status"]
    ordering = ["-created_at"]
    readonly_fields = ["status", "progress_display", "send_started_at", "sent_at", "created_by"]
    search_fields = ["subject", "body"]
    fields = ["subject", "body", "featured_articles", *readonly_fields]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Progress (sent / failed / remaining)")
    def progress_display(self, issue):
        if not issue.pk:
            return "-"
        counts = issue.progress()
        return f"{counts['sent']} sent / {counts['failed']} failed / {counts['pending'] + counts['sending']} remaining"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="newsletter_issue_preview"),
            path(
                "<int:pk>/preview/email/",
                wrap(xframe_options_sameorigin(csp_override(EMAIL_PREVIEW_CSP)(self.preview_email_view))),
                name="newsletter_issue_preview_email",
            ),
            path("<int:pk>/send-test/", wrap(require_POST(self.send_test_view)), name="newsletter_issue_send_test"),
            path("<int:pk>/send/", wrap(self.send_view), name="newsletter_issue_send"),
            *super().get_urls(),
        ]

    def get_issue(self, request, pk, *, change=False) -> Issue:
        issue = get_object_or_404(Issue, pk=pk)
        allowed = self.has_change_permission(request, issue) if change else self.has_view_permission(request, issue)
        if not allowed:
            raise PermissionDenied
        return issue

    def preview_view(self, request, pk):
        issue = self.get_issue(request, pk)
        message = issue_message(issue, None, to=request.user.email or "you@example.com")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": issue,
            "title": f"Preview: {issue.subject}",
            "message": message,
            "headers": sorted(message.extra_headers.items()),
        }
        return TemplateResponse(request, "admin/newsletter/issue/preview.html", context)

    def preview_email_view(self, request, pk):
        """The HTML part of the preview, exactly as sent, for the preview page's sandboxed frame."""
        issue = self.get_issue(request, pk)
        html = issue_message(issue, None, to=request.user.email or "you@example.com").alternatives[0].content
        return HttpResponse(html, content_type="text/html; charset=utf-8")

    def send_test_view(self, request, pk):
        issue = self.get_issue(request, pk, change=True)
        if not request.user.email:
            self.message_user(request, "Add an email address to your staff account to receive tests.", messages.ERROR)
        else:
            try:
                issue_message(issue, None, to=request.user.email).send()
            except OSError as error:
                self.message_user(request, f"The test could not be sent ({type(error).__name__}).", messages.ERROR)
            else:
                self.message_user(request, f"Test sent to {request.user.email}.", messages.SUCCESS)
        return redirect("admin:newsletter_issue_change", issue.pk)

    def send_view(self, request, pk):
        issue = self.get_issue(request, pk, change=True)
        if request.method == "POST":
            count = start_sending(issue)
            self.message_user(
                request, f"Sending to {count} confirmed subscriber(s) in the background.", messages.SUCCESS
            )
            return redirect("admin:newsletter_issue_change", issue.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": issue,
            "title": f"Send “{issue.subject}”?",
            "confirmed_count": Subscriber.objects.confirmed().count(),
            "resuming": issue.status != IssueStatus.DRAFT,
        }
        return TemplateResponse(request, "admin/newsletter/issue/send_confirm.html", context)
