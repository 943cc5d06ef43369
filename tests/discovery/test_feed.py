"""/feed/: the Atom feed of published articles, parsed as a feed reader would."""

import datetime as dt
import html
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article, Kind, Status
from practice.models import ClinicDetails
from tests.discovery.conftest import SITE
from tests.factories import make_article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(client) -> ET.Element:
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed: ET.Element) -> dict[str, ET.Element]:
    """{entry link: entry}."""
    found = {}
    for entry in feed.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link").get("href")
        assert link not in found
        found[link] = entry
    return found


def atom_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_the_feed_holds_exactly_the_published_listed_articles(client):
    guides = [make_article(published_at=timezone.now() - dt.timedelta(days=days)) for days in (1, 5, 3)]
    make_article(kind=Kind.CRISIS)  # listed, so in the feed
    make_article(kind=Kind.PAGE)  # about us: served, never listed
    make_article(status=Status.DRAFT)
    make_article(published_at=timezone.now() + dt.timedelta(hours=1))  # scheduled
    expected = Article.objects.published().listed()
    assert len(expected) == 4 and not [a for a in guides if a not in expected]

    feed = entries(read_feed(client))
    assert sorted(feed) == sorted(SITE + article.get_absolute_url() for article in expected)
    newest_first = [atom_time(entry.findtext(f"{ATOM}published")) for entry in feed.values()]
    assert newest_first == sorted(newest_first, reverse=True)


def test_the_feed_holds_the_newest_articles_only(client, monkeypatch):
    monkeypatch.setattr("discovery.feeds.FEED_ENTRIES", 2)
    articles = [make_article(published_at=timezone.now() - dt.timedelta(days=days)) for days in (3, 1, 2)]
    feed = entries(read_feed(client))
    assert list(feed) == [SITE + articles[1].get_absolute_url(), SITE + articles[2].get_absolute_url()]


def test_each_entry_has_its_title_summary_times_and_the_clinic_as_author(client):
    article = make_article(title="Between sessions", summary="Gentle ways to care for yourself.")
    entry = entries(read_feed(client))[f"{SITE}{article.get_absolute_url()}"]
    assert entry.findtext(f"{ATOM}title") == "Between sessions"
    assert entry.findtext(f"{ATOM}id") == f"{SITE}/articles/{article.slug}/"
    summary = entry.find(f"{ATOM}summary")
    assert html.unescape(summary.text) == "Gentle ways to care for yourself."
    assert atom_time(entry.findtext(f"{ATOM}published")) == article.published_at
    assert atom_time(entry.findtext(f"{ATOM}updated")) == article.updated_at
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == ClinicDetails.load().name
    assert entry.findtext(f"{ATOM}author/{ATOM}uri") == f"{SITE}/"


def test_a_summary_stays_plain_text_in_a_feed_reader(client):
    """Atom marks the summary as HTML: a "<" in it must not become markup in a reader."""
    make_article(summary="Doses < 1 mg/kg & <b>not</b> bold.")
    entry = next(iter(entries(read_feed(client)).values()))
    assert entry.find(f"{ATOM}summary").get("type") == "html"
    assert html.unescape(entry.findtext(f"{ATOM}summary")) == "Doses < 1 mg/kg & <b>not</b> bold."


def test_the_feed_names_the_clinic_and_its_own_public_address(client):
    make_article()
    feed = read_feed(client)
    name = ClinicDetails.load().name
    assert feed.findtext(f"{ATOM}title") == f"{name}: articles"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == name
    assert feed.findtext(f"{ATOM}id") == f"{SITE}/feed/"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"alternate": f"{SITE}/articles/", "self": f"{SITE}/feed/"}


def test_an_empty_site_has_a_valid_empty_feed(client):
    assert entries(read_feed(client)) == {}


def test_the_feed_runs_one_query_however_many_articles(client, django_assert_num_queries, warm_site_state):
    for _ in range(4):
        make_article()
    with django_assert_num_queries(1):
        response = client.get("/feed/")
    assert response.content.count(b"<entry>") == 4


def test_the_feed_is_cached_and_a_save_refreshes_it(
    wsgi_client, django_assert_num_queries, warm_site_state, django_capture_on_commit_callbacks
):
    article = make_article(title="Old title")
    first = wsgi_client.get("/feed/")
    assert "Old title" in first.text() and "public" in first["Cache-Control"]
    with django_assert_num_queries(0):
        assert wsgi_client.get("/feed/").content == first.content
    article.title = "New title"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert "New title" in wsgi_client.get("/feed/").text()
