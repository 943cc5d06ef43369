"""The crisis page opens with big call and text links and sells nothing; every page's header has the clinic's number."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from pytest_django.asserts import assertContains, assertNotContains

from articles.loading import parse_file, write_article
from articles.models import Article, Kind
from practice.models import ClinicDetails
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CRISIS_FILE = Path(settings.BASE_DIR) / "content" / "crisis-support.md"
# The urgent card's buttons, in the order a person in crisis meets them.
CRISIS_BUTTONS = [
    ("tel:988", "Call 988"),
    ("sms:988", "Text 988"),
    ("sms:741741?body=HOME", "Text HOME to 741741"),
    ("tel:911", "Call 911"),
]


@pytest.fixture
def crisis_page(client):
    """The real crisis page, loaded from content/ as sync_content would."""
    article = Article()
    write_article(article, parse_file(CRISIS_FILE))
    return client.get(article.get_absolute_url())


def urgent_card(response) -> str:
    found = re.search(r'<section class="urgent-card".*?</section>', response.content.decode(), re.DOTALL)
    assert found, "no urgent card"
    return found[0]


def test_the_crisis_file_is_a_crisis_article():
    assert parse_file(CRISIS_FILE).fields["kind"] == Kind.CRISIS == "crisis"


def test_crisis_page_opens_with_the_ways_to_call_or_text_under_the_title(crisis_page):
    html = crisis_page.content.decode()
    card = urgent_card(crisis_page)
    assert html.index("<h1>") < html.index('<section class="urgent-card"') < html.index('class="prose article-body"')
    buttons = re.findall(r'<a class="urgent-button[^"]*" href="([^"]+)">([^<]+)</a>', card)
    assert buttons == CRISIS_BUTTONS
    for text in ("press 2", "Spanish", "Deaf or hard of hearing", "videophone", "ASL Now", "Veterans", "press 1"):
        assert text in card, text
    assert '<a href="https://988lifeline.org/" rel="noopener external">988lifeline.org</a>' in card


def test_crisis_page_has_no_consultation_box_reading_time_or_contents(crisis_page):
    assertNotContains(crisis_page, 'class="cta-panel"')
    assertNotContains(crisis_page, "Wondering if treatment could help you?")
    assertNotContains(crisis_page, "min read")
    assertNotContains(crisis_page, 'id="toc-title"')
    assertNotContains(crisis_page, "On this page")
    assertContains(crisis_page, '<body class="article-page crisis-page">')


def test_crisis_page_keeps_its_body_references_and_review_line(crisis_page):
    assertContains(crisis_page, '<h2 id="ways-to-reach-someone-now">Ways to reach someone now</h2>', html=True)
    assertContains(crisis_page, "Medically reviewed by")
    assertContains(crisis_page, 'id="references-title"')
    assertContains(crisis_page, "https://www.crisistextline.org/")


def test_crisis_page_body_links_every_number_to_call_or_text(crisis_page):
    body = crisis_page.content.decode().split('class="prose article-body"', 1)[1]
    for href, text in [
        ("tel:988", "Call 988"),
        ("sms:988", "text 988"),
        ("sms:741741?body=HOME", "text HOME to 741741"),
        ("tel:911", "call 911"),
        ("tel:988", "dial 988"),
    ]:
        assert f'<a href="{href}">{text}</a>' in body, (href, text)


def test_crisis_page_never_shows_the_old_lifeline_number(crisis_page):
    assert not re.search(r"800\D{0,3}273", crisis_page.content.decode())


def test_a_guide_keeps_its_consultation_box_reading_time_and_contents(client):
    article = make_article(kind=Kind.GUIDE)
    response = client.get(article.get_absolute_url())
    assertContains(response, 'class="cta-panel"')
    assertContains(response, "Request a consultation</a></p>")
    assertContains(response, "min read")
    assertContains(response, 'id="toc-title"')
    assertNotContains(response, "urgent-card")
    assertContains(response, '<body class="article-page">')


def test_a_crisis_article_shows_the_urgent_card_whatever_its_body(client):
    article = make_article(kind=Kind.CRISIS, body="## One\n\nA.\n\n## Two\n\nB.\n\n## Three\n\nC.\n")
    response = client.get(article.get_absolute_url())
    assert re.findall(r'class="urgent-button[^"]*" href="([^"]+)"', urgent_card(response)) == [
        href for href, _ in CRISIS_BUTTONS
    ]
    assertNotContains(response, 'id="toc-title"')
    assertNotContains(response, "min read")


def test_every_page_header_has_the_clinics_number_to_tap(client):
    article = make_article()
    pages = ["/", "/articles/", article.get_absolute_url(), "/consultation/", "/privacy/", "/no-such-page/"]
    for url in pages:
        response = client.get(url)
        header = re.search(r'<header class="site-header">.*?</header>', response.content.decode(), re.DOTALL)
        assert header, url
        assert (
            '<a class="header-call" href="tel:5550100199"><span>Call<span class="header-call-who"> the clinic</span> '
            "(555) 010-0199</span></a>"
        ) in header[0], url


def test_a_new_clinic_number_shows_in_the_header_at_once(client, warm_site_state):
    assertContains(client.get("/articles/"), 'href="tel:5550100199"')
    details = ClinicDetails.load()
    details.phone = "+1 (555) 010-0123"
    details.save()
    response = client.get("/articles/")
    assertContains(response, '<a class="header-call" href="tel:+15550100123">')
    assertContains(response, "+1 (555) 010-0123</span></a>")
    assertNotContains(response, "tel:5550100199")


def test_no_number_no_header_link(client, warm_site_state):
    details = ClinicDetails.load()
    details.phone = ""
    details.save()
    assertNotContains(client.get("/articles/"), "header-call")
