"""A visitor requests a consultation (with a mouse, and with the keyboard alone); staff then follow it up.

Each journey runs axe on the pages it passes through, so one browser page serves every check.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from consultations.models import ConsultationRequest
from tests.browser.conftest import sign_in_to_admin
from tests.conftest import DESKTOP, PHONE
from tests.factories import enroll_totp, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _form_settings(settings):
    settings.CLINIC_FORM_MIN_SECONDS = 0  # the journeys fill the form faster than a person would
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def thanks_url(live_server) -> re.Pattern:
    """The thank-you page, whose address carries the request's signed reference. The form posts to its own
    address, so a fragment there (#main from the skip link, #id_email from an error link) follows the
    redirect to the thank-you page. Harmless: the page has no such target, or (#main) the target is its
    main content."""
    return re.compile(re.escape(live_server.url + "/consultation/thanks/") + "[^/#]+/(#main|#id_email)?$")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_visitor_requests_a_consultation_and_staff_follow_it_up(
    page: Page, live_server, viewport, mailoutbox, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)

    # Home -> the form, through the call to action in the page (on phones the menu is closed).
    page.goto(live_server.url + "/")
    page.get_by_role("main").get_by_role("link", name="Request a consultation").click()
    expect(page).to_have_url(live_server.url + "/consultation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a consultation")
    assert_accessible(page)  # the empty form

    # The first try: no name, an unfinished email address, and the consent box left empty.
    form = page.locator("#consultation-form")
    form.get_by_label("Me", exact=True).check()
    form.get_by_label("Your name").fill("")
    form.get_by_label("Email address").fill("jordan@")
    form.get_by_label("Phone number").fill("(202) 555-0123")
    form.get_by_label("Phone call").check()
    form.get_by_label("Morning (8 am to noon)").check()
    form.get_by_label("Depression", exact=True).check()
    form.get_by_label("Anxiety", exact=True).check()
    form.get_by_label("Yes", exact=True).check()
    form.get_by_label("I am 18 or older").check()
    form.get_by_role("button", name="Send request").click()

    # The error summary is announced and focused, and lists each problem with a link to its field.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: Request a consultation"))
    links = summary.get_by_role("link")
    expect(links).to_have_text([
        "Enter your name.",
        "Enter an email address like name@example.com.",
        "Tick the box to let us contact you. We cannot reply otherwise.",
    ])  # fmt: skip
    assert [links.nth(i).get_attribute("href") for i in range(3)] == ["#id_name", "#id_email", "#id_consent"]
    expect(form.get_by_label("Phone number")).to_have_value("(202) 555-0123")  # what was right is kept
    assert ConsultationRequest.objects.count() == 0
    assert_accessible(page)  # the form with errors

    # The email error's link takes the visitor (and the focus) to the email input.
    summary.get_by_role("link", name="Enter an email address like name@example.com.").click()
    expect(form.get_by_label("Email address")).to_be_focused()

    # Put everything right and send.
    form.get_by_label("Email address").fill("jordan@example.com")
    form.get_by_label("Your name").fill("Jordan Lee")
    form.get_by_label("I agree that the clinic may contact me").check()
    form.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(thanks_url(live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")
    assert_accessible(page)  # the thank-you page

    consultation = ConsultationRequest.objects.get()
    expect(page.locator(".panel-reference")).to_have_text(f"Your reference is {consultation.reference}")
    assert (consultation.name, consultation.email, str(consultation.phone)) == (
        "Jordan Lee", "jordan@example.com", "+12025550123",
    )  # fmt: skip
    assert (consultation.contact_method, consultation.contact_time) == ("phone", "morning")
    assert (consultation.who_for, consultation.sent_very_fast) == ("self", False)
    assert consultation.concerns == ["depression", "anxiety"]
    assert consultation.is_adult and consultation.consented_at and consultation.status == "new"
    # Staff are told, and the visitor gets a confirmation.
    assert len(mailoutbox) == 2
    assert ["jordan@example.com"] in [message.to for message in mailoutbox]

    # The privacy notice the consent box links to.
    page.goto(live_server.url + "/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    assert_accessible(page)

    # A staff member finds the request in admin, takes it on and records the first contact.
    staff = make_staff(username="nurse")
    sign_in_to_admin(page, live_server, "nurse", enroll_totp(staff))
    page.goto(live_server.url + "/admin/consultations/consultationrequest/")
    row = page.locator("#result_list tbody tr").filter(has_text=consultation.reference)  # what the visitor can quote
    expect(row).to_contain_text("Jordan Lee")
    expect(row).to_contain_text("New")
    row.get_by_role("link", name=consultation.reference).click()
    expect(page).to_have_url(live_server.url + f"/admin/consultations/consultationrequest/{consultation.pk}/change/")
    page.get_by_label("Assigned to").select_option(label="nurse")
    page.get_by_label("Status:", exact=True).select_option(label="Contacted")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page).to_have_url(live_server.url + "/admin/consultations/consultationrequest/")
    expect(row).to_contain_text("Contacted")
    expect(row).to_contain_text("nurse")

    consultation.refresh_from_db()
    assert consultation.status == "contacted" and consultation.assigned_to == staff
    assert consultation.history.first().history_user == staff  # who changed it is on record

    assert_no_foreign_requests()


def test_the_form_can_be_completed_with_the_keyboard_alone(page: Page, live_server, assert_no_foreign_requests):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/consultation/")
    keyboard = page.keyboard

    def tab_to(selector: str):
        keyboard.press("Tab")
        expect(page.locator(selector)).to_be_focused()

    # From the top of the page: the skip link, then into the main content.
    tab_to(".skip-link")
    keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    for _ in range(8):  # past the emergency numbers above the form, and the link in the first question's hint
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_who_for_0":
            break
    expect(page.locator("#id_who_for_0")).to_be_focused()  # a radio group is one stop; Space picks the focused choice
    keyboard.press("Space")

    tab_to("#id_name")
    keyboard.type("Sam Rivera")
    tab_to("#id_contact_method_0")
    keyboard.press("Space")
    tab_to("#id_phone")
    keyboard.type("(202) 555-0188")
    tab_to("#id_email")
    keyboard.type("sam@example.com")
    tab_to("#id_contact_time_0")
    keyboard.press("ArrowDown")  # arrows move through a group and pick as they go
    expect(page.locator("#id_contact_time_1")).to_be_focused()
    expect(page.locator("#id_contact_time_1")).to_be_checked()
    tab_to("#id_concerns_0")  # each checkbox is its own stop
    keyboard.press("Space")
    for index in range(1, 5):
        tab_to(f"#id_concerns_{index}")
    keyboard.press("Space")  # "Something else"
    tab_to("#id_seeing_clinician_0")
    keyboard.press("ArrowDown")
    tab_to("#id_heard_about")  # optional: left as it is
    tab_to("#id_message")
    keyboard.type("Evenings are easier.")
    tab_to("#id_is_adult")
    keyboard.press("Space")
    tab_to("#id_consent")
    keyboard.press("Space")
    tab_to("#id_consent + label a")  # the privacy notice link in the consent box's label
    tab_to("#submit-id-submit")  # the hidden honeypot field is never a stop
    keyboard.press("Enter")

    expect(page).to_have_url(thanks_url(live_server))
    consultation = ConsultationRequest.objects.get()
    assert (consultation.name, consultation.email, str(consultation.phone)) == (
        "Sam Rivera", "sam@example.com", "+12025550188",
    )  # fmt: skip
    assert (consultation.contact_method, consultation.contact_time) == ("phone", "morning")
    assert consultation.concerns == ["depression", "other"]
    assert consultation.seeing_clinician == "no"
    assert consultation.message == "Evenings are easier."
    assert consultation.is_adult and consultation.consented_at

    assert_no_foreign_requests()
