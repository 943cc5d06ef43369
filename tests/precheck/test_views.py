"""The pre-check page: questions on GET, the result straight to the POST, never cached, no cookie, kept out of
search engines; the crisis card first whenever someone says they are thinking of suicide now."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.loading import parse_file, write_article
from articles.models import Article
from precheck.questions import QUESTIONS
from tests.precheck.conftest import OUTCOME_POSTS, URL, WORTH_POST, main_html

pytestmark = pytest.mark.django_db

OUTCOME_TITLES = {
    "worth-talking": "It may be worth talking to us",
    "doctor-first": "Talk to your own doctor first",
    "not-offered": "This is not something we can offer you",
}
CRISIS_HREFS = ["tel:988", "sms:988", "sms:741741?body=HOME", "tel:911"]


def assert_private_headers(response) -> None:
    """No cookie, kept out of search engines (header and meta tag)."""
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
    assert response["X-Robots-Tag"] == "noindex"
    assertContains(response, '<meta name="robots" content="noindex">', html=True)


def assert_never_stored(response) -> None:
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "private"} <= control, response["Cache-Control"]
    assert "public" not in control


def checked(response, name: str) -> list[str]:
    """The values of the boxes ticked for a question, as the page shows them."""
    return re.findall(
        rf'<input type="(?:radio|checkbox)" name="{name}" value="([^"]+)"[^>]*\bchecked\b', main_html(response)
    )


def urgent_card_comes_first(response) -> None:
    html = main_html(response)
    assert html.count('<section class="urgent-card"') == 1
    card_at = html.index('<section class="urgent-card"')
    # Nothing before it in the main content: no heading, no text, no form.
    before = re.sub(r"<[^>]+>", "", html[:card_at])
    assert before.strip() == "", before
    card = html[card_at : html.index("</section>", card_at)]
    assert re.findall(r'class="urgent-button[^"]*" href="([^"]+)"', card) == CRISIS_HREFS
    assert "You told us you are having thoughts of suicide" in card


# The questions ------------------------------------------------------------------------------------


def test_questions_page_asks_every_question_as_a_fieldset_with_a_legend(client):
    response = client.get(URL)
    assert response.status_code == 200
    assertTemplateUsed(response, "precheck/questions.html")
    html = main_html(response)
    assert html.count("<fieldset") == len(QUESTIONS) == 9
    for question in QUESTIONS:
        assert f"<legend>{question.label}</legend>" in html.replace("&#x27;", "'"), question.name
    assertContains(response, "Only a clinician can decide if ketamine is safe and right for you.")
    assertContains(response, "Private: we keep nothing.")
    assertContains(response, "This check is not for emergencies.")
    assertContains(response, '<form  action="/pre-check/" id="precheck-form" novalidate="" method="post" >')


def test_rather_not_say_and_not_sure_are_offered_where_they_are_honest(client):
    html = main_html(client.get(URL)).replace("&#x27;", "'")
    for name in ("suicidal_thoughts", "substance_use"):
        assert re.search(rf'name="{name}" value="rather-not-say"', html), name
    for name in ("depression", "antidepressants", "substance_use", "conditions"):
        assert re.search(rf'name="{name}" value="not-sure"', html), name


def test_questions_page_sets_no_cookie_has_no_csrf_token_and_is_not_indexed(client):
    response = client.get(URL)
    assert_private_headers(response)
    assertNotContains(response, "csrfmiddlewaretoken")
    assert 'name="website"' not in main_html(response)  # nothing is kept, so no honeypot


def test_questions_page_is_the_same_for_everyone_and_may_be_cached_with_its_noindex(wsgi_client):
    first = wsgi_client.get(URL)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    again = wsgi_client.get(URL)  # from the page cache, with every header the view set
    assert again["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in again.text()
    assert "Set-Cookie" not in again.headers


def test_answers_in_a_query_string_are_ignored(client):
    response = client.get(URL, {**WORTH_POST, "suicidal_thoughts": "yes"})
    assertTemplateUsed(response, "precheck/questions.html")
    assertNotContains(response, 'class="urgent-card"')
    assert not any(checked(response, question.name) for question in QUESTIONS)


def test_only_get_head_and_post(client):
    assert client.head(URL).status_code == 200
    assert client.put(URL).status_code == 405


# The result -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["worth-talking", "doctor-first", "not-offered"])
def test_result_is_answered_straight_to_the_post_never_stored_and_not_indexed(client, outcome):
    response = client.post(URL, OUTCOME_POSTS[outcome])
    assert response.status_code == 200  # no redirect: the answers never travel in a URL
    assertTemplateUsed(response, "precheck/result.html")
    assert_private_headers(response)
    assert_never_stored(response)
    assertContains(response, f'<h2 id="outcome-title">{OUTCOME_TITLES[outcome]}</h2>', html=True)
    assertContains(response, f'class="outcome outcome-{outcome}"')
    assertContains(response, "Only a clinician can decide.")
    assertContains(
        response, "This is not a diagnosis" if outcome != "not-offered" else "Only a clinician can say for sure"
    )
    assertNotContains(response, 'class="urgent-card"')
    assertNotContains(response, "csrfmiddlewaretoken")
    for word in ("cure", "FDA-approved", "guarantee"):
        assertNotContains(response, word)


def test_worth_talking_links_to_the_consultation_form_carrying_nothing(post_answers):
    response = post_answers()
    html = main_html(response)
    assert '<a class="button" href="/consultation/">Request a consultation</a>' in html
    assert not re.search(r'href="/consultation/\?', html), "answers must not be carried over"
    assert "Nothing from this page goes with the form." in html


def test_doctor_first_says_why_in_the_persons_own_answers(post_answers):
    html = main_html(post_answers(antidepressants="one", conditions=["blood-pressure"]))
    reasons = html.split("Why: your answers", 1)[1].split("What to do next", 1)[0]
    assert "You answered: <strong>One</strong>" in reasons
    assert "You answered: <strong>High blood pressure that is not under control</strong>" in reasons
    assert "it is not given while blood pressure is not under control" in reasons
    assert "Take this page to your own doctor or therapist." in html


def test_not_offered_lists_other_options(post_answers):
    html = main_html(post_answers(conditions=["psychosis"]))
    assert "You answered: <strong>Psychosis, at any time: losing touch with what is real</strong>" in html
    for option in ("ECT", "TMS", "Talk therapy", "Other medicines", "Your own doctor is a good next step"):
        assert option in html, option
    assert 'href="/articles/is-ketamine-right-for-me/#if-ketamine-is-not-right-for-you"' in html


def test_the_other_options_link_finds_its_section_in_the_article(client):
    article = Article()
    write_article(article, parse_file(Path(settings.BASE_DIR) / "content" / "is-ketamine-right-for-me.md"))
    assertContains(client.get(article.get_absolute_url()), 'id="if-ketamine-is-not-right-for-you"')


def test_result_lists_every_answer_for_printing_and_can_be_changed_without_a_url(post_answers):
    html = main_html(post_answers(conditions=["not-sure", "blood-pressure"])).replace("&#x27;", "'")
    answers = html.split('id="answers-title"', 1)[1]
    for question in QUESTIONS:
        assert f"<dt>{question.label}</dt>" in answers, question.name
    # Both boxes, in the order they are offered.
    assert "<dd>High blood pressure that is not under control; I'm not sure about one of these</dd>" in answers
    assert "use your browser's Print option" in html
    change = re.search(r'<form method="post" action="/pre-check/" class="precheck-change">(.*?)</form>', html, re.S)
    assert change, "no form to change the answers"
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', change[1])
    assert hidden == [
        ("age", "adult"), ("depression", "diagnosed"), ("antidepressants", "two-or-more"),
        ("suicidal_thoughts", "no"), ("conditions", "blood-pressure"), ("conditions", "not-sure"),
        ("substance_use", "no"), ("pregnancy", "no"), ("ride_home", "yes"), ("care", "yes"),
    ]  # fmt: skip


def test_change_my_answers_shows_the_questions_as_answered(post_answers):
    response = post_answers(change="1", antidepressants="one")
    assertTemplateUsed(response, "precheck/questions.html")
    assertNotContains(response, "There is a problem")
    assert checked(response, "antidepressants") == ["one"]
    assert checked(response, "conditions") == ["none"]
    assert_never_stored(response)
    assert_private_headers(response)


# Missing answers --------------------------------------------------------------------------------------


def test_missing_answers_come_back_with_the_error_summary_keeping_what_was_answered(client):
    response = client.post(URL, {"age": "adult", "conditions": ["psychosis"]})
    assert response.status_code == 200
    assertTemplateUsed(response, "precheck/questions.html")
    assertContains(response, "<title>Error: Could ketamine treatment be right for me?")
    assertContains(response, 'id="error-summary"')
    summary = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)[0]
    links = re.findall(r'<a href="#([^"]+)">', summary)
    missing = [q.name for q in QUESTIONS if q.name not in ("age", "conditions")]
    assert links == [f"id_{name}_0" for name in missing]
    assert checked(response, "age") == ["adult"]
    assert checked(response, "conditions") == ["psychosis"]
    assert checked(response, "care") == []
    assert_private_headers(response)
    assert_never_stored(response)


def test_none_of_these_cannot_go_with_a_condition(post_answers):
    response = post_answers(conditions=["none", "aneurysm"])
    assertTemplateUsed(response, "precheck/questions.html")
    assertContains(response, "You chose \u201cNone of these\u201d and something else as well. Choose again.")


def test_an_answer_not_offered_is_refused(post_answers):
    response = post_answers(age="17")
    assertTemplateUsed(response, "precheck/questions.html")
    assertContains(response, '<a href="#id_age_0">Choose your age group.</a>', html=True)


# Crisis first -----------------------------------------------------------------------------------------


def test_thoughts_of_suicide_put_the_urgent_card_before_everything_else(post_answers):
    response = post_answers(suicidal_thoughts="yes")
    urgent_card_comes_first(response)
    html = main_html(response)
    assert html.index('class="urgent-card"') < html.index("<h1>") < html.index('id="outcome-title"')


@hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    changes=st.fixed_dictionaries(
        {},
        optional={
            question.name: (
                st.lists(st.sampled_from([v for v in question.choices.values if v != "none"]), min_size=1, unique=True)
                if question.multiple
                else st.sampled_from(question.choices.values)
            )
            for question in QUESTIONS
            if question.name != "suicidal_thoughts"
        },
    ),
    leave_out=st.sets(st.sampled_from([q.name for q in QUESTIONS if q.name != "suicidal_thoughts"])),
)
def test_the_crisis_card_comes_first_whatever_the_other_answers_even_missing_ones(client, changes, leave_out):
    data = {**WORTH_POST, **changes, "suicidal_thoughts": "yes"}
    response = client.post(URL, {name: value for name, value in data.items() if name not in leave_out})
    urgent_card_comes_first(response)
    assert_never_stored(response)
    if leave_out:  # the error summary is there, but focus must not jump past the card (forms.js)
        assertContains(response, "There is a problem")
        assertNotContains(response, 'id="error-summary"')


def test_no_urgent_card_for_rather_not_say_but_988_is_named(post_answers):
    response = post_answers(suicidal_thoughts="rather-not-say")
    assertNotContains(response, 'class="urgent-card"')
    assertContains(response, "If you ever have these thoughts, call or text 988, day or night.")


# Links and the one urgent card ------------------------------------------------------------------------


def test_home_page_and_the_consultation_form_link_to_the_pre_check(client):
    for url in (reverse("pages:home"), reverse("consultations:request")):
        assertContains(client.get(url), f'<a href="{URL}">', msg_prefix=url)


def test_the_eligibility_article_links_to_the_pre_check():
    text = (Path(settings.BASE_DIR) / "content" / "is-ketamine-right-for-me.md").read_text()
    assert "[private pre-check](/pre-check/)" in text


def test_the_urgent_card_has_one_copy():
    templates = Path(settings.BASE_DIR) / "templates"
    with_buttons = sorted(
        str(path.relative_to(templates)) for path in templates.rglob("*.html") if "urgent-button" in path.read_text()
    )
    assert with_buttons == ["includes/urgent_card.html"]


def test_queries_for_a_result(client, warm_site_state, django_assert_num_queries):
    client.get(URL)  # the footer's locations are read once and kept, as on every page
    with django_assert_num_queries(0):
        client.post(URL, WORTH_POST)


# Not for search engines -----------------------------------------------------------------------------


def test_the_pre_check_is_not_in_the_sitemap_and_claims_no_canonical_address(client, post_answers):
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assertContains(sitemap, "/consultation/</loc>")  # the real sitemap, listing the pages around it
    assertNotContains(sitemap, "/pre-check/")
    for response in (client.get(URL), post_answers()):
        assertNotContains(response, 'rel="canonical"')


# Another site's post --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_another_site_cannot_show_a_result_or_the_crisis_card_on_our_address(client, headers):
    # A page elsewhere could post made-up answers ("thoughts of suicide: yes") to someone who answered nothing.
    response = client.post(URL, OUTCOME_POSTS["crisis"], **headers)
    assert response.status_code == 200
    assertTemplateUsed(response, "precheck/questions.html")
    html = main_html(response)
    assert "urgent-card" not in html and "There is a problem" not in html and " checked" not in html


@pytest.mark.parametrize(
    "headers",
    [
        {},  # an old browser: neither header
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "https://testserver"},  # HTTPS ended at a proxy: the host is what counts
    ],
)
def test_our_own_form_gets_its_result(client, headers):
    response = client.post(URL, OUTCOME_POSTS["crisis"], **headers)
    assertTemplateUsed(response, "precheck/result.html")
    assert "urgent-card" in main_html(response)


def test_a_young_person_is_pointed_to_adults_they_trust_and_their_doctor_not_to_ect(post_answers):
    young = main_html(post_answers(age="under-18"))
    assert "You answered: <strong>Under 18</strong>" in young
    assert "This is not something we can offer you" in young and "a parent or another adult you trust" in young
    assert "ECT" not in young and "TMS" not in young
    adult = main_html(post_answers(pregnancy="yes"))
    assert "ECT" in adult and "a parent or another adult" not in adult


@pytest.mark.parametrize("outcome", OUTCOME_POSTS)
def test_every_outcome_asks_for_a_list_of_medicines(client, outcome):
    assertContains(client.post(URL, OUTCOME_POSTS[outcome]), "bring a list of every medicine and supplement you take")
