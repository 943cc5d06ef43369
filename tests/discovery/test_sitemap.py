"""/sitemap.xml and /robots.txt: what search engines are offered, on the public address, cached."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import clear_url_caches, get_resolver, reverse
from django.utils import timezone

from articles.models import Kind, Status
from practice.models import Location
from tests.discovery.conftest import SITE
from tests.factories import make_article, make_clinician, placeholder_reviewer

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
STATIC_PAGES = ["/", "/articles/", "/privacy/", "/team/", "/costs/", "/visit/", "/consultation/", "/newsletter/"]


def sitemap(client) -> dict[str, str | None]:
    """{URL: lastmod or None}, parsed as XML."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    found = {}
    for url in root.findall("s:url", NS):
        location = url.findtext("s:loc", namespaces=NS)
        assert location not in found, f"{location} listed twice"
        found[location] = url.findtext("s:lastmod", namespaces=NS)
    return found


def stamp(moment: dt.datetime) -> str:
    """W3C datetime, as the sitemap protocol allows: the clinic's time zone, to the second."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def test_published_articles_and_public_pages_are_listed_and_nothing_else(client):
    published = make_article()
    site_page = make_article(kind=Kind.PAGE)
    draft = make_article(status=Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + dt.timedelta(hours=1))
    clinician = make_clinician()
    gone = make_clinician(is_active=False)
    placeholder_reviewer()  # the fresh install's stand-in: a page about nobody is not offered

    urls = sitemap(client)
    expected = STATIC_PAGES + [published.get_absolute_url(), site_page.get_absolute_url(), clinician.get_absolute_url()]
    assert sorted(urls) == sorted(SITE + path for path in expected)
    for absent in (draft, scheduled, gone):
        assert SITE + absent.get_absolute_url() not in urls
    assert not [url for url in urls if "/pre-check/" in url or "/search/" in url]
    assert f"{SITE}/team/medical-reviewer/" not in urls


def test_the_private_pre_check_and_search_results_are_never_listed(client):
    """Issue 15: the pre-check is private (and noindex), and search results are not pages to find."""
    make_article(title="Before you call", slug="pre-check")  # an article may share a word; that is all
    urls = sitemap(client)
    assert f"{SITE}/articles/pre-check/" in urls
    for path in ["/pre-check/", "/search/", *namespace_paths("precheck"), *namespace_paths("search")]:
        assert SITE + path not in urls, path
    assert not [url for url in urls if url.startswith((f"{SITE}/pre-check/", f"{SITE}/search/"))]


def namespace_paths(namespace: str) -> list[str]:
    """Every URL of an app's namespace that takes no argument, whatever its engineers named them."""
    _, resolver = get_resolver().namespace_dict[namespace]
    return [
        reverse(f"{namespace}:{pattern.name}")
        for pattern in resolver.url_patterns
        if getattr(pattern, "name", None) and not pattern.pattern.regex.groups
    ]


def test_each_location_is_listed_only_when_there_are_several(client):
    only = Location.objects.get()
    assert SITE + only.get_absolute_url() not in sitemap(client)  # with one, /visit/ is its page
    Location.objects.create(name="Northside", slug="northside", street_address="2 Elm St", locality="Peoria, IL 61602")
    urls = sitemap(client)
    assert SITE + only.get_absolute_url() in urls and f"{SITE}/visit/northside/" in urls


def test_lastmod_is_the_last_change_where_one_is_stored(client):
    now = timezone.now()
    edited = make_article(published_at=now - dt.timedelta(days=40))
    type(edited).objects.filter(pk=edited.pk).update(updated_at=now - dt.timedelta(days=3))
    # Scheduled long ago and saved before it appeared: it changed for visitors when it was published.
    appeared = make_article()
    type(appeared).objects.filter(pk=appeared.pk).update(
        updated_at=now - dt.timedelta(days=20), published_at=now - dt.timedelta(days=10)
    )
    newest_listed = now - dt.timedelta(days=2)
    latest = make_article()
    type(latest).objects.filter(pk=latest.pk).update(updated_at=newest_listed, published_at=newest_listed)
    site_page = make_article(kind=Kind.PAGE)  # a site page edited today: not among the listed articles

    urls = sitemap(client)
    assert urls[SITE + edited.get_absolute_url()] == stamp(now - dt.timedelta(days=3))
    assert urls[SITE + appeared.get_absolute_url()] == stamp(now - dt.timedelta(days=10))
    assert urls[SITE + site_page.get_absolute_url()] == stamp(site_page.updated_at)
    assert urls[f"{SITE}/"] == urls[f"{SITE}/articles/"] == stamp(newest_listed)
    for path in ("/privacy/", "/team/", "/costs/", "/visit/", "/consultation/", "/newsletter/"):
        assert urls[SITE + path] is None, path  # no stored time of change: none made up


def test_every_address_is_on_the_public_https_address(client, settings):
    settings.CLINIC_SITE_URL = "https://www.clinic.example.org"
    make_article(), make_clinician()
    urls = sitemap(client)
    assert urls and all(url.startswith("https://www.clinic.example.org/") for url in urls)


def test_the_sitemap_runs_four_queries_however_many_articles(client, django_assert_num_queries, warm_site_state):
    for _ in range(3):
        make_article(), make_clinician()
    Location.objects.create(name="Northside", slug="northside", street_address="2 Elm St", locality="Peoria, IL 61602")
    with django_assert_num_queries(4):  # newest listed article, clinicians, locations, articles
        response = client.get("/sitemap.xml")
    assert response.content.count(b"<url>") == len(STATIC_PAGES) + 3 + 3 + 2


def test_the_sitemap_and_robots_are_cached_and_a_save_refreshes_the_sitemap(
    wsgi_client, django_assert_num_queries, warm_site_state, django_capture_on_commit_callbacks
):
    make_article()
    for path in ("/sitemap.xml", "/robots.txt"):
        first = wsgi_client.get(path)
        assert first.status_code == 200 and "public" in first["Cache-Control"]
        with django_assert_num_queries(0):
            assert wsgi_client.get(path).content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        added = make_article()
    assert SITE + added.get_absolute_url() in wsgi_client.get("/sitemap.xml").text()
    with django_capture_on_commit_callbacks(execute=True):
        joined = make_clinician()  # the clinic's facts are watched by the page cache too
    assert SITE + joined.get_absolute_url() in wsgi_client.get("/sitemap.xml").text()


def test_a_scheduled_article_joins_the_cached_sitemap_on_time(wsgi_client, local_memory_cache):
    publish_at = timezone.now() + dt.timedelta(hours=2)
    scheduled = make_article(published_at=publish_at)
    make_article()
    url = SITE + scheduled.get_absolute_url()
    assert url not in wsgi_client.get("/sitemap.xml").text()  # cached now
    with time_machine.travel(publish_at - dt.timedelta(seconds=5)):
        assert url not in wsgi_client.get("/sitemap.xml").text()
    with time_machine.travel(publish_at + dt.timedelta(seconds=2)):
        assert url in wsgi_client.get("/sitemap.xml").text()


# robots.txt -------------------------------------------------------------------------------------


def test_robots_lets_crawlers_in_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow:" in lines  # nothing disallowed: noindex pages say so themselves
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_robots_never_names_the_staff_sign_in_even_when_it_is_moved(client, settings):
    settings.ROOT_URLCONF = "tests.discovery.urls_moved_admin"
    clear_url_caches()
    try:
        assert reverse("admin:index") == "/back-office-7f3a/"  # the admin really is there
        assert client.get("/back-office-7f3a/").status_code == 302  # to its sign-in page
        body = client.get("/robots.txt").content.decode()
        assert "back-office" not in body and "admin" not in body.lower()
        assert f"Sitemap: {SITE}/sitemap.xml" in body
    finally:
        clear_url_caches()
