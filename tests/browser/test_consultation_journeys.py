"""Two journeys through the consultation form: a form filled in at once (as browser autofill does) is saved,
flagged for staff and thanked with its reference; a request for someone the visitor cares about is explained,
saved and answered with what happens next for them."""

import re

import pytest
from playwright.sync_api import Page, expect

from consultations.models import ConsultationRequest
from tests.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def fill_in(page: Page, *, who: str, method: str = "Text message", email: str = "") -> None:
    form = page.locator("#consultation-form")
    form.get_by_label(who, exact=True).check()
    form.get_by_label("Your name").fill("Alex Morgan")
    form.get_by_label(method).check()
    form.get_by_label("Phone number").fill("(202) 555-0147")
    if email:
        form.get_by_label("Email address").fill(email)
    form.get_by_label("Any time").check()
    form.get_by_label("Depression", exact=True).check()
    form.get_by_label("Prefer not to say").check()
    form.get_by_label("I am 18 or older").check()
    form.get_by_label("I agree that the clinic may contact me").check()


def test_a_form_sent_at_once_is_saved_flagged_and_thanked_with_its_reference(
    page: Page, live_server, settings, mailoutbox, assert_accessible, assert_no_foreign_requests
):
    settings.CLINIC_FORM_MIN_SECONDS = 3600  # every post is "too fast": none may be turned away for it
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/consultation/")
    fill_in(page, who="Me", email="alex@example.com")
    page.get_by_role("button", name="Send request").click()

    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/consultation/thanks/") + r"[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")
    expect(page.get_by_text("check your answers")).to_have_count(0)
    consultation = ConsultationRequest.objects.get()
    assert consultation.sent_very_fast and consultation.name == "Alex Morgan"
    shown = page.locator(".panel-reference strong")
    expect(shown).to_have_text(consultation.reference)
    expect(page.get_by_role("main")).not_to_contain_text("Alex")
    # The confirmation gives the same reference.
    confirmation = next(message for message in mailoutbox if message.to == ["alex@example.com"])
    assert f"Your reference is {consultation.reference}" in confirmation.body
    assert_accessible(page)

    # Reloading the page (or coming back to it) shows the same reference: it is in the address.
    page.reload()
    expect(shown).to_have_text(consultation.reference)
    assert [cookie["name"] for cookie in page.context.cookies()] == ["csrftoken"]  # the form's: none for the thanks
    assert_no_foreign_requests()


def test_someone_asking_for_a_person_they_care_about(
    page: Page, live_server, settings, content, mailoutbox, assert_accessible, assert_no_foreign_requests
):
    settings.CLINIC_FORM_MIN_SECONDS = 0
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/consultation/")

    # The first question explains, before anything is chosen and without JavaScript, what asking for
    # someone else means, and links the guide for family and friends.
    question = page.locator("#div_id_who_for")
    expect(question.get_by_role("group", name="Who is the consultation for?")).to_be_visible()
    hint = page.locator("#id_who_for_helptext")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("we will need to speak with them themselves")
    guide = hint.get_by_role("link", name="guide for family and friends")
    expect(guide).to_have_attribute("href", "/articles/for-family-and-friends/")

    fill_in(page, who="Someone I care about", method="Phone call")  # no email address: none is needed
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")

    consultation = ConsultationRequest.objects.get()
    assert consultation.who_for == "someone_else" and consultation.email == ""
    expect(page.locator(".panel-reference strong")).to_have_text(consultation.reference)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Thank you for looking out for someone you care about.")
    expect(main).to_contain_text("We need to speak with the person themselves before anything is arranged")
    expect(main).not_to_contain_text("They will ask a few questions about your health")
    assert [message.to for message in mailoutbox] == [["staff@example.com"]]  # no address, no confirmation
    assert_accessible(page)

    # The guide it points to is there.
    main.get_by_role("link", name="Read our guide for family and friends").click()
    expect(page).to_have_url(live_server.url + "/articles/for-family-and-friends/")
    assert_no_foreign_requests()
