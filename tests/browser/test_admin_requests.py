"""Staff find a request by the reference the visitor quotes, call them from the page, and a
superuser then sees that access in the access log."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accesslog.models import AccessEntry, Action
from tests.browser.conftest import sign_in_to_admin
from tests.conftest import DESKTOP
from tests.factories import enroll_totp, make_consultation, make_staff

pytestmark = pytest.mark.browser

LONG_NAMES = [
    "Maria Alejandra Montenegro-Villalobos de la Fuente",
    "Christopher Jonathan Worthington-Smythe III",
    "Anh Nguyen",
    "Oluwaseun Adebayo-Okonkwo",
]


def realistic_requests():
    """A busy fortnight: long names and addresses, every way of contact, both flags."""
    now = timezone.now()
    for number in range(24):
        method = ["phone", "text", "email"][number % 3]
        make_consultation(
            name=LONG_NAMES[number % len(LONG_NAMES)],
            email=f"someone.with.a.rather.long.address{number}@example-university-hospital.org",
            phone="" if method == "email" else "+447700900123" if number == 4 else f"+1202555{number:04d}",
            contact_method=method,
            who_for="someone_else" if number % 4 == 0 else "self",
            sent_very_fast=number % 5 == 0,
            status=["new", "contacted", "scheduled"][number % 3],
            assigned_to=make_staff(username=f"nurse.practitioner.{number}") if number % 2 else None,
            created_at=now - dt.timedelta(hours=13 * number + 1),
            staff_notified_at=None if number % 7 == 3 else now,
            confirmation_sent_at=None if number % 7 == 3 else now,
        )
    return make_consultation(
        name="Jordan Lee", reference="KC-7Q4M", phone="+15550100199", created_at=now - dt.timedelta(days=20)
    )


def test_staff_find_a_request_by_reference_and_a_superuser_sees_the_access(
    page: Page, browser: Browser, live_server, assert_no_foreign_requests, assert_accessible
):
    wanted = realistic_requests()
    triage = make_staff(
        username="triage",
        superuser=False,
        permissions=["consultations.view_consultationrequest", "consultations.change_consultationrequest"],
    )
    page.set_viewport_size(DESKTOP)
    sign_in_to_admin(page, live_server, triage.username, enroll_totp(triage))

    # The list fits 1280 px beside admin's navigation and the filters: neither the page nor the
    # table scrolls sideways.
    page.goto(live_server.url + "/admin/consultations/consultationrequest/")
    expect(page.get_by_role("columnheader", name="Ref.")).to_be_visible()
    expect(page.locator("#nav-sidebar")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.evaluate("(el => el.scrollWidth <= el.clientWidth)(document.querySelector('#changelist .results'))")
    assert_accessible(page)

    # The visitor reads out their reference without its prefix.
    page.get_by_role("textbox", name="Search", exact=True).fill("7q4m")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.get_by_role("link", name="KC-7Q4M").click()
    expect(page.get_by_role("heading", name=f"Request #{wanted.pk}")).to_be_visible()
    call = page.get_by_role("link", name="(555) 010-0199")
    expect(call).to_have_attribute("href", "tel:+15550100199")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(page)
    assert_no_foreign_requests()

    # The access log has it: the list, the search and the opened request, by reference.
    actions = [(entry.username, entry.action, entry.labels) for entry in AccessEntry.objects.order_by("pk")]
    assert actions[-2:] == [("triage", Action.LISTED, ["KC-7Q4M"]), ("triage", Action.VIEWED, ["KC-7Q4M"])]

    admin_context = browser.new_context(viewport=DESKTOP)
    try:
        admin_page = admin_context.new_page()
        superuser = make_staff(username="chief", superuser=True)
        sign_in_to_admin(admin_page, live_server, superuser.username, enroll_totp(superuser))
        admin_page.get_by_role("link", name="Access log entries").first.click()
        admin_page.get_by_role("textbox", name="Search", exact=True).fill("KC-7Q4M")
        admin_page.get_by_role("button", name="Search").click()
        rows = admin_page.locator("#result_list tbody tr")
        expect(rows.filter(has_text="Opened")).to_have_count(1)
        expect(rows.filter(has_text="Opened")).to_contain_text("triage")
        expect(rows.filter(has_text="Opened")).to_contain_text(f"KC-7Q4M (#{wanted.pk})")
        expect(rows.filter(has_text="Listed")).to_have_count(2)
        assert admin_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        expect(admin_page.get_by_role("link", name="Add access log entry")).to_have_count(0)
        assert_accessible(admin_page)
    finally:
        admin_context.close()
