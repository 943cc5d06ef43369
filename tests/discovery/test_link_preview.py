"""Canonical links, link previews (Open Graph, Twitter card), the feed link, and that no URL depends on
the Host header a request carried (pages are cached by path for everyone)."""

import struct

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Kind
from practice.models import ClinicDetails, Location
from tests.discovery.conftest import SITE
from tests.discovery.reading import canonical, og, read_head
from tests.factories import make_article, make_clinician

pytestmark = pytest.mark.django_db
DEFAULT_DESCRIPTION = (
    "Plain, careful information about ketamine treatment for depression, and how to ask the clinic for a consultation."
)


def public_paths() -> list[str]:
    """One page of each kind a visitor can reach and share."""
    article, page = make_article(), make_article(kind=Kind.PAGE)
    faq = make_article(kind=Kind.FAQ, body="### Why?\n\nBecause.\n")
    clinician = make_clinician()
    return [
        "/", "/articles/", article.get_absolute_url(), page.get_absolute_url(), faq.get_absolute_url(), "/privacy/",
        "/team/", clinician.get_absolute_url(), "/costs/", "/visit/", "/consultation/", "/newsletter/",
    ]  # fmt: skip


def test_every_public_page_names_its_own_address_as_canonical(client):
    for path in public_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        assert canonical(response) == [SITE + path], path


def test_the_canonical_address_drops_the_query_string(client):
    article = make_article()
    response = client.get(article.get_absolute_url(), {"utm_source": "chat", "x": "<y>"})
    assert canonical(response) == [f"{SITE}/articles/{article.slug}/"]
    assert og(response)["og:url"] == f"{SITE}/articles/{article.slug}/"


def test_an_article_is_previewed_as_an_article_with_its_times(client):
    article = make_article(title="What to expect", summary="A step-by-step guide.")
    tags = og(client.get(article.get_absolute_url()))
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "What to expect"
    assert tags["og:description"] == "A step-by-step guide."
    assert tags["og:url"] == f"{SITE}/articles/{article.slug}/"
    assert tags["og:site_name"] == ClinicDetails.load().name
    assert tags["article:published_time"] == timezone.localtime(article.published_at).isoformat(timespec="seconds")
    assert tags["article:modified_time"] == timezone.localtime(article.updated_at).isoformat(timespec="seconds")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:image"].startswith(f"{SITE}/static/img/og-default") and tags["og:image"].endswith(".png")
    assert tags["og:image:alt"] == "Ketamine treatment for depression, explained plainly."


def test_the_meta_description_is_the_articles_summary(client):
    article = make_article(summary="One plain sentence.")
    assert read_head(client.get(article.get_absolute_url())).meta["description"] == ["One plain sentence."]


def test_other_pages_are_previewed_as_a_website_with_their_own_title_and_description(client):
    home = og(client.get("/"))
    assert home["og:type"] == "website"
    assert home["og:title"] == "Ketamine treatment for depression, explained"
    assert home["og:description"] == DEFAULT_DESCRIPTION
    assert "article:published_time" not in home

    page = make_article(kind=Kind.PAGE, title="About us", summary="Who we are.")
    about = og(client.get(page.get_absolute_url()))
    assert (about["og:type"], about["og:title"], about["og:description"]) == ("website", "About us", "Who we are.")
    assert "article:published_time" not in about

    clinician = make_clinician(name="Ana Ruiz", credentials="MD", role="Psychiatrist")
    person = og(client.get(clinician.get_absolute_url()))
    assert person["og:title"] == "Ana Ruiz, MD"
    assert person["og:description"] == f"Ana Ruiz, MD, Psychiatrist at {ClinicDetails.load().name}."


def test_titles_are_escaped_once_in_previews(client):
    article = make_article(title='Q&A: "ketamine" <today>', summary="Costs & insurance")
    response = client.get(article.get_absolute_url())
    tags = og(response)
    assert tags["og:title"] == 'Q&A: "ketamine" <today>'  # parsed back exactly: escaped once, not twice
    assert tags["og:description"] == "Costs & insurance"
    assertContains(response, '<meta property="og:title" content="Q&amp;A: &quot;ketamine&quot; &lt;today&gt;">')


def test_the_preview_image_is_ours_and_the_size_previews_want():
    path = finders.find("img/og-default.png")
    assert path, "static/img/og-default.png is missing: run scripts/make_icons.py"
    with open(path, "rb") as image:
        header = image.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1200, 630)
    assert finders.find("img/og-card.svg"), "the card's source artwork"


def test_error_pages_claim_no_address_of_their_own(client):
    for path in ("/no/such/page/", "/articles/no-such-article/", "/visit/nowhere/"):
        response = client.get(path)
        assert response.status_code == 404
        head = read_head(response)
        assert canonical(response) == [], path
        assert head.ld_json == [] and not [key for key in head.meta if key.startswith("og:")], path


def test_the_server_error_page_renders_without_a_request_and_claims_nothing(client):
    from django.template.loader import render_to_string

    head = read_head(render_to_string("500.html"))
    assert [link for link in head.links if link.get("rel") == "canonical"] == []
    assert head.ld_json == [] and not [key for key in head.meta if key.startswith("og:")]
    assert [link["href"] for link in head.links if link.get("type") == "application/atom+xml"] == ["/feed/"]


def test_a_form_sent_back_with_its_errors_claims_nothing(client):
    response = client.post("/newsletter/signup/", {"email": "not an address"})
    assert response.status_code == 200 and 'name="email"' in response.content.decode()
    assert canonical(response) == [] and not og(response)


def test_with_one_location_its_own_address_points_to_the_visit_page(client):
    """/visit/<slug>/ shows what /visit/ shows when there is one location: search engines are told so."""
    location = Location.objects.get()
    assert canonical(client.get(location.get_absolute_url())) == [f"{SITE}/visit/"]
    Location.objects.create(name="Northside", slug="northside", street_address="2 Elm St", locality="Peoria, IL 61602")
    assert canonical(client.get(location.get_absolute_url())) == [f"{SITE}/visit/{location.slug}/"]


def test_every_page_links_the_feed(client):
    for path in ("/", "/articles/", "/no/such/page/"):
        feeds = [link for link in read_head(client.get(path)).links if link.get("type") == "application/atom+xml"]
        assert len(feeds) == 1, path
        assert feeds[0]["rel"] == "alternate" and feeds[0]["href"] == "/feed/"
        assert feeds[0]["title"] == f"Articles from {ClinicDetails.load().name}"


@pytest.mark.parametrize("path_kind", ["pages", "sitemap.xml", "robots.txt", "feed"])
def test_the_host_a_request_carries_changes_no_url(client, settings, path_kind):
    """A forged (or merely different) Host must not reach a page that is cached for everyone."""
    settings.ALLOWED_HOSTS = ["*"]
    paths = public_paths() if path_kind == "pages" else [f"/{path_kind}" if "." in path_kind else "/feed/"]
    for path in paths:
        plain = client.get(path)
        forged = client.get(path, HTTP_HOST="evil.example:8443", HTTP_X_FORWARDED_HOST="evil.example")
        secure = client.get(path, secure=True, HTTP_HOST="other.example")
        assert plain.status_code == forged.status_code == secure.status_code == 200, path
        for response in (forged, secure):
            body = response.content.decode()
            assert "evil.example" not in body and "other.example" not in body and "testserver" not in body, path
            assert SITE in body, path
