"""Admin's preview of an issue: the whole email in a sandboxed frame, styled as sent, under one title."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from newsletter.emails import issue_message
from newsletter.models import Issue
from tests.factories import log_in_verified, make_staff
from tests.newsletter.reading import read

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    # Quotes and ampersands in the subject and body: the old preview's srcdoc ended at the first quote.
    return Issue.objects.create(subject='Spring "update" & news', body='## Sleep\n\nRest helps. It\'s "quoted".')


def preview_url(issue) -> str:
    return reverse("admin:newsletter_issue_preview", args=[issue.pk])


def test_preview_frame_holds_the_whole_email_as_sent(staff_client, issue):
    page = read(staff_client.get(preview_url(issue)))
    (frame,) = page.find_all("iframe")
    assert frame["sandbox"] == ""  # every restriction: no scripts, forms, popups or same-origin access
    assert "srcdoc" not in frame
    email = staff_client.get(frame["src"])
    assert email.status_code == 200 and email["Content-Type"] == "text/html; charset=utf-8"
    sent = issue_message(issue, None, to="staff@example.com").alternatives[0].content
    assert email.content.decode() == sent
    assert len(sent) > 2000 and sent.rstrip().endswith("</html>")
    assert '<p>Rest helps. It\'s "quoted".</p>' in sent  # past the quotes that cut the old srcdoc short


def test_preview_email_has_its_own_policy_styles_only_sandboxed_and_framed_by_admin_only(staff_client, issue):
    email = staff_client.get(reverse("admin:newsletter_issue_preview_email", args=[issue.pk]))
    policy = dict(directive.strip().partition(" ")[::2] for directive in email["Content-Security-Policy"].split(";"))
    assert policy == {
        "default-src": "'none'",
        "style-src": "'unsafe-inline'",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'self'",
        "sandbox": "",
    }
    assert email["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in email["Cache-Control"] and "private" in email["Cache-Control"]
    # The preview page itself keeps the site's strict policy.
    page = staff_client.get(preview_url(issue))
    assert "unsafe-inline" not in page["Content-Security-Policy"] and page["X-Frame-Options"] == "DENY"


def test_preview_has_one_title_and_the_admin_stylesheet(staff_client, issue):
    response = staff_client.get(preview_url(issue))
    page = read(response)
    assert page.h1s == ['Preview: Spring "update" & news']
    assert page.find_all("link", rel="stylesheet", href="/static/css/admin.css")
    assertContains(response, '<li aria-current="page">Preview</li>', html=True)


def test_send_page_has_one_title(staff_client, issue):
    page = read(staff_client.get(reverse("admin:newsletter_issue_send", args=[issue.pk])))
    assert page.h1s == ['Send “Spring "update" & news”?']


def test_preview_email_is_for_staff_who_may_view_issues(client, issue):
    url = reverse("admin:newsletter_issue_preview_email", args=[issue.pk])
    assert client.get(url)["Location"].startswith(reverse("admin:login"))
    log_in_verified(client, make_staff(username="other", superuser=False))
    assert client.get(url).status_code == 403
