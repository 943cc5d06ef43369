"""A person on a 320 px phone does the pre-check with the keyboard alone, with JavaScript off and on: a first
try with answers missing, then each outcome in turn through "Change my answers", the crisis one last. axe
checks the questions, the error state and every outcome; both runs reach the same outcomes, set no cookie,
put no answer in a URL and ask nothing of another host."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

OUTCOME = "#outcome-title"


@pytest.fixture(params=[False, True], ids=["javascript-off", "javascript-on"])
def javascript(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, javascript):
    return {**browser_context_args, "java_script_enabled": javascript, "viewport": PHONE}


def tab_until(page: Page, condition: str, what: str, limit: int = 60) -> None:
    """Press Tab until `condition` (JavaScript, about document.activeElement as `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean({condition}))(document.activeElement)"):
            return
    pytest.fail(f"{limit} presses of Tab never reached {what}")


def choose(page: Page, name: str, index: int) -> None:
    """Tab into a radio group (one stop), then pick with Space or the arrow keys, as keyboard users do."""
    tab_until(page, f"el.name === '{name}'", f"the {name} question")
    at = int(page.evaluate("document.activeElement.id").rsplit("_", 1)[1])
    if at == index:
        page.keyboard.press("Space")
    for _ in range(abs(index - at)):
        page.keyboard.press("ArrowDown" if index > at else "ArrowUp")  # moves and picks
    expect(page.locator(f"#id_{name}_{index}")).to_be_checked()
    expect(page.locator(f"#id_{name}_{index}")).to_be_focused()


def toggle(page: Page, name: str, index: int) -> None:
    """Each checkbox is its own stop: Tab to it, Space to tick or untick."""
    tab_until(page, f"el.id === 'id_{name}_{index}'", f"box {index} of {name}")
    page.keyboard.press("Space")


def send(page: Page) -> None:
    tab_until(page, "el.id === 'submit-id-submit'", "the See my result button")
    page.keyboard.press("Enter")


def from_the_top(page: Page) -> None:
    """Skip link, then into the main content, as the page's first stops."""
    page.locator("body").focus()
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def change_answers(page: Page) -> None:
    from_the_top(page)
    tab_until(page, "el.name === 'change'", "Change my answers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Could ketamine treatment be right for me?")
    from_the_top(page)


@pytest.fixture
def check_accessible(javascript, browser, assert_accessible):
    """axe on the page as this browser shows it. axe is a script, and never finishes where scripts are off;
    so a page served with JavaScript off is checked as served: its HTML, at its own address (so our CSS
    loads as it did), in a second phone-sized context where axe can run."""

    def check(page: Page) -> None:
        if javascript:
            assert_accessible(page)
            return
        served = page.content()  # nothing ran to change it
        context = browser.new_context(viewport=PHONE)
        try:
            context.route(page.url, lambda route: route.fulfill(status=200, content_type="text/html", body=served))
            copy = context.new_page()
            copy.goto(page.url)
            assert copy.locator("main").inner_text() == page.locator("main").inner_text()  # the same page
            assert_accessible(copy)
        finally:
            context.close()

    return check


def assert_fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_pre_check_with_the_keyboard_alone_on_a_phone(
    page: Page, live_server, javascript, requested_urls, check_accessible, assert_no_foreign_requests
):
    page.goto(live_server.url + "/pre-check/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Could ketamine treatment be right for me?")
    expect(page.locator("meta[name=robots]")).to_have_attribute("content", "noindex")
    assert_fits_the_phone(page)
    check_accessible(page)  # the questions

    # A first try: two answers, then straight to the button.
    from_the_top(page)
    choose(page, "age", 0)  # 18 or older
    choose(page, "depression", 0)  # diagnosed
    send(page)
    expect(page).to_have_title("Error: Could ketamine treatment be right for me? \u00b7 Riverside Ketamine Clinic")
    summary = page.locator("#error-summary")
    expect(summary.get_by_role("link")).to_have_count(7)
    if javascript:
        expect(summary).to_be_focused()  # forms.js; without it the person starts at the top, as on any page
    else:
        expect(summary).not_to_be_focused()  # and so no script ran
    expect(page.locator("#id_age_0")).to_be_checked()  # what was answered is kept
    assert_fits_the_phone(page)
    check_accessible(page)  # the error state

    # The first problem's link takes the focus to its question; answer the rest from there.
    if not javascript:
        from_the_top(page)
    tab_until(page, "el.closest('#error-summary') && el.tagName === 'A'", "the first error link")
    page.keyboard.press("Enter")
    expect(page.locator("#id_antidepressants_0")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # two or more
    expect(page.locator("#id_antidepressants_2")).to_be_checked()
    choose(page, "suicidal_thoughts", 1)  # no
    toggle(page, "conditions", 7)  # none of these
    choose(page, "substance_use", 1)  # no
    choose(page, "pregnancy", 2)  # no
    choose(page, "ride_home", 0)  # yes
    choose(page, "care", 0)  # yes
    send(page)
    expect(page.locator(OUTCOME)).to_have_text("It may be worth talking to us")
    expect(page.get_by_role("link", name="Request a consultation").last).to_have_attribute("href", "/consultation/")
    expect(page.locator(".urgent-card")).to_have_count(0)
    assert_fits_the_phone(page)
    check_accessible(page)

    # Printed, the page keeps the outcome and the answers, without the buttons, forms or menus.
    page.emulate_media(media="print")
    expect(page.locator(".outcome")).to_be_visible()
    expect(page.locator(".precheck-answers")).to_be_visible()
    for hidden in (".precheck-keep", ".footer-signup", ".nav-menu", ".crisis-bar", ".outcome .button"):
        expect(page.locator(hidden)).to_be_hidden()
    page.emulate_media(media="screen")

    # Talk to your own doctor first: one antidepressant, and unsure about a health problem.
    change_answers(page)
    choose(page, "antidepressants", 1)
    toggle(page, "conditions", 6)  # not sure
    toggle(page, "conditions", 7)  # and "none of these" off again
    send(page)
    expect(page.locator(OUTCOME)).to_have_text("Talk to your own doctor first")
    expect(page.locator(".outcome .reasons")).to_contain_text("You answered: One.")
    check_accessible(page)

    # Not something we can offer: pregnant.
    change_answers(page)
    choose(page, "pregnancy", 0)
    send(page)
    expect(page.locator(OUTCOME)).to_have_text("This is not something we can offer you")
    expect(page.locator(".outcome")).to_contain_text("ECT")
    check_accessible(page)

    # Thoughts of suicide: the ways to get help first, on the first screen, whatever else was answered.
    change_answers(page)
    choose(page, "suicidal_thoughts", 0)
    send(page)
    card = page.get_by_role("region", name="Urgent: Get help now")
    expect(card).to_be_visible()
    call = card.get_by_role("link", name="Call 988", exact=True)
    expect(call).to_have_attribute("href", "tel:988")
    box = call.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"], box
    expect(card.get_by_role("link", name="Text HOME to 741741")).to_have_attribute("href", "sms:741741?body=HOME")
    expect(page.locator(OUTCOME)).to_have_text("This is not something we can offer you")  # still pregnant
    assert page.evaluate(
        "document.querySelector('.urgent-card').compareDocumentPosition(document.querySelector('h1'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert_fits_the_phone(page)
    check_accessible(page)

    # Nothing kept, nothing carried in an address.
    assert page.context.cookies() == []
    assert not [url for url in requested_urls if "?" in url and "/static/" not in url], requested_urls
    assert_no_foreign_requests()


DESKTOP_ANSWERS = {
    "It may be worth talking to us": {},
    "Talk to your own doctor first": {"Do you have depression?": "I'm not sure"},
    "This is not something we can offer you": {"How old are you?": "Under 18"},
}


@pytest.mark.parametrize("outcome", DESKTOP_ANSWERS)
def test_each_outcome_is_accessible_on_a_desktop_with_a_mouse(browser, live_server, outcome, assert_accessible):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/pre-check/")
        form = page.locator("#precheck-form")
        answers = {
            "How old are you?": "18 or older",
            "Do you have depression?": "Yes, a doctor or therapist has told me I have depression",
            "How many antidepressant medicines have you tried?": "Two or more",
            "Are you having thoughts of suicide or of harming yourself right now?": "No",
            "Do any of these apply to you?": "None of these",
            "Do you have a problem with alcohol or drugs right now?": "No",
            "Are you pregnant or breastfeeding, or could you be pregnant?": "No, or this does not apply to me",
            "After each treatment, could someone take you home?": "Yes",
            "Are you seeing a doctor or therapist for your mental health now?": "Yes",
            **DESKTOP_ANSWERS[outcome],
        }
        for question, answer in answers.items():
            form.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
        form.get_by_role("button", name="See my result").click()
        expect(page.locator(OUTCOME)).to_have_text(outcome)
        assert_accessible(page)
    finally:
        context.close()
