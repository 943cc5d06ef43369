"""The consultation form's error state on screen, at 320, 390 and 1280 px: in every question the legend (or
label), then the hint, then the error message, then the inputs; never a message beside an option; the red
bar on the whole question; question legends the size of labels. Measured from the boxes the browser drew."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS = ["who_for", "contact_method", "contact_time", "concerns", "seeing_clinician"]
TEXT_INPUTS = ["name"]
SINGLE_CHECKBOXES = ["is_adult", "consent"]
SLACK = 0.5  # px: boxes that touch may differ by rounding


def box(locator: Locator) -> dict:
    found = locator.bounding_box()
    assert found, locator
    return {**found, "bottom": found["y"] + found["height"], "right": found["x"] + found["width"]}


def above(upper: Locator, lower: Locator) -> bool:
    return box(upper)["bottom"] <= box(lower)["y"] + SLACK


@pytest.fixture
def errors_page(page: Page, live_server):
    """The form sent empty (every required question has an error), or with only "Phone call" chosen."""

    def open_at(viewport: dict, *, phone_call: bool = False) -> Page:
        page.set_viewport_size(viewport)
        page.goto(live_server.url + "/consultation/")
        send(page, phone_call=phone_call)
        return page

    return open_at


def send(page: Page, *, phone_call: bool) -> None:
    if phone_call:
        page.get_by_label("Phone call").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#error-summary")).to_be_focused()


def assert_in_order(page: Page, name: str) -> None:
    """Question, hint, error, then the inputs; every option below the error; the bar on the question only."""
    group = page.locator(f"#div_id_{name}")
    question = group.locator("legend, label.form-label").first
    error = page.locator(f"#id_{name}_error")
    inputs = group.locator("input, select, textarea")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Error:", use_inner_text=False)  # read out, not shown
    hint = page.locator(f"#id_{name}_helptext")
    if hint.count():
        assert above(question, hint) and above(hint, error), name
    else:
        assert above(question, error), name
    assert above(error, inputs.first), name
    # Nothing beside the message: every option (box and label) is wholly below it.
    for option in group.locator(".form-check").all():
        assert above(error, option), (name, option.inner_text())
    # The bar is on the question, not on each option.
    assert group.evaluate("el => getComputedStyle(el).borderLeftWidth") == "5px"
    assert group.evaluate("el => getComputedStyle(el).borderLeftStyle") == "solid"
    for option in group.locator(".form-check").all():
        assert option.evaluate("el => getComputedStyle(el).borderLeftWidth") == "0px"


@pytest.mark.parametrize("viewport", [PHONE, {"width": 390, "height": 844}, DESKTOP], ids=["320", "390", "1280"])
def test_each_question_reads_question_hint_error_then_inputs(errors_page, viewport, assert_accessible):
    page = errors_page(viewport)

    for name in GROUPS + TEXT_INPUTS:
        assert_in_order(page, name)

    for name in SINGLE_CHECKBOXES:
        group = page.locator(f"#div_id_{name}")
        error, checkbox = page.locator(f"#id_{name}_error"), page.locator(f"#id_{name}")
        label = group.locator(f"label[for=id_{name}]")
        assert above(error, checkbox) and above(error, label), name
        # The label beside its box, not below it.
        assert box(label)["x"] >= box(checkbox)["right"], name
        assert box(label)["y"] < box(checkbox)["bottom"], name
        assert group.evaluate("el => getComputedStyle(el).borderLeftWidth") == "5px"

    # "Choose all that apply" before the boxes.
    assert above(page.locator("#id_concerns_helptext"), page.locator("#id_concerns_0"))
    # Radio and checkbox questions are the size of the other questions' labels.
    label_size = page.locator("label[for=id_name]").evaluate("el => getComputedStyle(el).fontSize")
    for name in GROUPS:
        legend = page.locator(f"#div_id_{name} legend")
        assert legend.evaluate("el => getComputedStyle(el).fontSize") == label_size, name
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    # A phone call chosen: the phone number's label, hint, error, input.
    send(page, phone_call=True)
    assert_in_order(page, "phone")
    expect(page.locator("label[for=id_email]")).to_have_text("Email address (optional)")


def test_the_error_summary_links_to_the_first_input_of_each_question(errors_page):
    page = errors_page(PHONE, phone_call=True)
    summary = page.locator("#error-summary")
    summary.get_by_role("link", name="Choose who the consultation is for.").click()
    expect(page.locator("#id_who_for_0")).to_be_focused()
    summary.get_by_role("link", name="Enter a phone number so we can call or text you.").click()
    expect(page.locator("#id_phone")).to_be_focused()
    summary.get_by_role("link", name="Choose at least one thing you would like help with.").click()
    expect(page.locator("#id_concerns_0")).to_be_focused()


def test_the_empty_form_is_accessible_and_its_hints_sit_above_the_inputs(page: Page, live_server, assert_accessible):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/consultation/")
    assert above(page.locator("#id_who_for_helptext"), page.locator("#id_who_for_0"))
    assert above(page.locator("#id_phone_helptext"), page.locator("#id_phone"))
    expect(page.locator(".form-group-error")).to_have_count(0)
    assert_accessible(page)
