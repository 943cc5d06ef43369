"""The page cache (web/page_cache.py), through the site's WSGI stack as gunicorn calls it:
stored pages, invalidated by staff saves, on time for scheduled articles, compressed, conditional GET."""

import datetime as dt

import brotli
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article

pytestmark = pytest.mark.django_db
BR = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_public_pages_are_stored_and_a_hit_costs_no_query(wsgi_client, django_assert_num_queries, warm_site_state):
    article = make_article()
    for url in ("/", "/articles/", article.get_absolute_url(), "/privacy/", "/newsletter/"):
        rendered = wsgi_client.get(url)
        assert "public" in rendered["Cache-Control"] and "max-age=60" in rendered["Cache-Control"], url
        assert "ETag" in rendered.headers and "Last-Modified" in rendered.headers, url
        with django_assert_num_queries(0):
            hit = wsgi_client.get(url)
        assert hit.status_code == 200 and hit.content == rendered.content, url
        assert "X-Page-Cache-Store" not in hit.headers and "X-Page-Cache-Store" not in rendered.headers


def test_a_hit_skips_django_entirely(wsgi_client, monkeypatch):
    article = make_article()
    wsgi_client.get(article.get_absolute_url())
    monkeypatch.setattr(wsgi_client.application, "application", None)  # nothing below the page cache
    assert wsgi_client.get(article.get_absolute_url()).status_code == 200


def test_query_strings_share_the_page_and_never_fill_the_cache(wsgi_client):
    from django.core.cache import cache

    article = make_article()
    first = wsgi_client.get(article.get_absolute_url() + "?utm_source=a")
    second = wsgi_client.get(article.get_absolute_url() + "?utm_source=b")
    assert first.content == second.content and first["ETag"] == second["ETag"]
    url = article.get_absolute_url()
    assert all(cache.get(f"page:{encoding}:{url}") for encoding in ("br", "gzip", "identity"))
    assert cache.get(f"page:identity:{url}?utm_source=a") is None


def test_form_and_staff_pages_are_never_cached(client, staff_client):
    assert "no-store" in client.get(reverse("consultations:request"))["Cache-Control"]
    draft = make_article(status="draft")
    assert "no-store" in staff_client.get(draft.get_absolute_url())["Cache-Control"]


def test_a_staff_save_shows_on_the_public_page_at_once(wsgi_client, django_capture_on_commit_callbacks):
    article = make_article(title="Old title")
    assert "Old title" in wsgi_client.get(article.get_absolute_url()).text()
    assert "Old title" in wsgi_client.get("/articles/").text()
    assert "Old title" in wsgi_client.get(article.get_absolute_url()).text()  # served from the cache
    article.title = "New title"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert "New title" in wsgi_client.get(article.get_absolute_url()).text()
    assert "New title" in wsgi_client.get("/articles/").text()


def test_a_reference_edit_alone_invalidates_too(wsgi_client, django_capture_on_commit_callbacks):
    article = make_article()
    assert "A corrected source" not in wsgi_client.get(article.get_absolute_url()).text()
    reference = article.references.first()
    reference.title = "A corrected source"
    with django_capture_on_commit_callbacks(execute=True):
        reference.save()  # the article itself is not saved
    assert "A corrected source" in wsgi_client.get(article.get_absolute_url()).text()


def test_a_change_to_the_clinic_details_reaches_every_cached_footer(wsgi_client, django_capture_on_commit_callbacks):
    from practice.models import ClinicDetails

    assert "(555) 010-0199" in wsgi_client.get("/").text()
    details = ClinicDetails.load()
    details.phone = "(555) 777-1234"
    with django_capture_on_commit_callbacks(execute=True):
        details.save()
    assert "(555) 777-1234" in wsgi_client.get("/").text()


def test_an_unpublished_article_leaves_the_cached_pages(wsgi_client, django_capture_on_commit_callbacks):
    article = make_article(title="Going away")
    assert "Going away" in wsgi_client.get("/articles/").text()
    assert wsgi_client.get(article.get_absolute_url()).status_code == 200
    article.status = "draft"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert "Going away" not in wsgi_client.get("/articles/").text()
    assert wsgi_client.get(article.get_absolute_url()).status_code == 404


@pytest.fixture
def local_memory_cache(settings):
    """Redis keeps its own clock, which time-machine cannot move: tests of expiry use a fresh
    local-memory cache (same expiry logic), empty whatever earlier tests stored."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "expiry"}}
    from django.core.cache import cache

    cache.clear()


def test_a_scheduled_article_appears_on_time_despite_the_cache(wsgi_client, local_memory_cache):
    # The page version expires when the next article is due.
    publish_at = timezone.now() + dt.timedelta(hours=2)
    make_article(title="Coming later", published_at=publish_at)
    make_article(title="Already here")
    assert "Coming later" not in wsgi_client.get("/articles/").text()  # cached now
    with time_machine.travel(publish_at - dt.timedelta(seconds=5)):
        assert "Coming later" not in wsgi_client.get("/articles/").text()
    with time_machine.travel(publish_at + dt.timedelta(seconds=2)):
        assert "Coming later" in wsgi_client.get("/articles/").text()


@pytest.mark.parametrize("accept", ["", "gzip", "br"])
def test_conditional_get_answers_304_for_each_encoding(wsgi_client, accept):
    article = make_article()
    url = article.get_absolute_url()
    wsgi_client.get(url, HTTP_ACCEPT_ENCODING=accept)
    first = wsgi_client.get(url, HTTP_ACCEPT_ENCODING=accept)  # from the cache
    again = wsgi_client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content and again["ETag"] == first["ETag"]
    assert "Content-Length" not in again.headers and "Cache-Control" in again.headers
    weak = wsgi_client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_NONE_MATCH=f'W/{first["ETag"]}, "x"')
    assert weak.status_code == 304
    since = wsgi_client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert wsgi_client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_each_encoding_has_its_own_etag_and_the_same_page(wsgi_client):
    article = make_article()
    url = article.get_absolute_url()
    wsgi_client.get(url)
    answers = {accept: wsgi_client.get(url, HTTP_ACCEPT_ENCODING=accept) for accept in ("", "gzip", "br, gzip")}
    assert answers[""].headers.get("Content-Encoding") is None
    assert answers["gzip"]["Content-Encoding"] == "gzip" and answers["br, gzip"]["Content-Encoding"] == "br"
    assert len({answer["ETag"] for answer in answers.values()}) == 3
    assert {answer.text() for answer in answers.values()} == {answers[""].content.decode()}
    for answer in answers.values():
        assert answer["Vary"] == "Accept-Encoding" and int(answer["Content-Length"]) == len(answer.content)
    assert len(answers["br, gzip"].content) < len(answers[""].content) / 2


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("br;q=0, gzip", "gzip"), ("*", "br"), ("identity", None), ("gzip;q=0, br;q=0", None), ("BR", "br")],
)
def test_the_encoding_follows_accept_encoding(wsgi_client, accept, expected):
    article = make_article()
    for _ in range(2):  # rendered, then from the cache
        response = wsgi_client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING=accept)
        assert response.headers.get("Content-Encoding") == expected


def test_a_head_request_gets_the_headers_only(wsgi_client):
    article = make_article()
    full = wsgi_client.get(article.get_absolute_url(), **BR)
    head = wsgi_client.head(article.get_absolute_url(), **BR)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == full["Content-Length"] and head["ETag"] == full["ETag"]


def test_a_cached_page_never_carries_a_staff_message(staff_client, wsgi_client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    article = make_article()
    # A staff member saved something in admin and follows "view on site" with a message pending.
    request_storage = CookieStorage(type("Req", (), {"COOKIES": {}})())
    request_storage.add(constants.SUCCESS, "The article was changed successfully.")
    response = type(
        "Resp",
        (),
        {
            "cookies": {},
            "set_cookie": lambda self, *a, **k: self.cookies.update({a[0]: a[1]}),
            "delete_cookie": lambda *a, **k: None,
        },
    )()
    request_storage.update(response)
    cookie = f"messages={response.cookies['messages']}"
    with_message = wsgi_client.get(article.get_absolute_url(), HTTP_COOKIE=cookie)
    assert "changed successfully" in with_message.text()
    assert "changed successfully" not in wsgi_client.get(article.get_absolute_url()).text()
    assert "changed successfully" not in wsgi_client.get(article.get_absolute_url()).text()


def test_a_page_rendered_while_a_save_commits_is_not_served_after_it(
    wsgi_client, monkeypatch, django_capture_on_commit_callbacks, warm_site_state
):
    """The interleaving, step by step: the view reads the article, a staff save commits, the view
    finishes rendering the old text. That page must not outlive the save."""
    from articles import views
    from articles.models import Article

    article = make_article(title="Old title")
    render_rest = views.related_articles

    def staff_save_then_render_the_rest(current):
        fresh = Article.objects.get(pk=article.pk)
        fresh.title = "New title"
        with django_capture_on_commit_callbacks(execute=True):
            fresh.save()
        return render_rest(current)

    monkeypatch.setattr(views, "related_articles", staff_save_then_render_the_rest)
    assert "Old title" in wsgi_client.get(article.get_absolute_url()).text()  # read before the save
    monkeypatch.setattr(views, "related_articles", render_rest)
    assert "New title" in wsgi_client.get(article.get_absolute_url()).text()


class Unreachable:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_an_unpublish_saved_while_the_cache_was_down_takes_effect_once_it_is_back(
    wsgi_client, local_memory_cache, monkeypatch, django_capture_on_commit_callbacks
):
    from web import page_cache as caching

    article = make_article(title="Going away")
    assert "Going away" in wsgi_client.get("/articles/").text()  # cached
    with monkeypatch.context() as outage:
        outage.setattr(caching, "cache", Unreachable())
        article.status = "draft"
        with django_capture_on_commit_callbacks(execute=True):
            article.save()
    later = timezone.now() + dt.timedelta(seconds=caching.VERSION_CHECK_SECONDS + 1)
    with time_machine.travel(later):
        assert "Going away" not in wsgi_client.get("/articles/").text()
        assert wsgi_client.get(article.get_absolute_url()).status_code == 404


def test_with_the_cache_down_pages_are_rendered_compressed_and_unmarked(wsgi_client, monkeypatch):
    from web import page_cache as caching

    article = make_article(title="Still readable")
    monkeypatch.setattr(caching, "cache", Unreachable())
    response = wsgi_client.get(article.get_absolute_url(), **BR)
    assert response.status_code == 200 and "Still readable" in response.text()
    assert response["Content-Encoding"] == "br" and "X-Page-Cache-Store" not in response.headers
    assert response["ETag"].startswith('W/"')  # the same page as the plain one, not the same bytes


def test_a_cached_page_answers_only_the_sites_own_hosts(wsgi_client):
    article = make_article()
    assert wsgi_client.get(article.get_absolute_url()).status_code == 200  # now cached
    assert wsgi_client.get(article.get_absolute_url(), HTTP_HOST="evil.example").status_code == 400


def test_cached_and_rendered_pages_carry_the_same_headers(wsgi_client):
    article = make_article()
    rendered = wsgi_client.get(article.get_absolute_url(), secure=True, **BR)
    cached = wsgi_client.get(article.get_absolute_url(), secure=True, **BR)
    assert "X-Frame-Options" in rendered.headers and "Content-Security-Policy" in rendered.headers
    assert "Strict-Transport-Security" in rendered.headers or not rendered.headers.get("X-Forwarded-Proto")
    assert set(cached.headers) == set(rendered.headers)
    for name in set(rendered.headers) - {"X-Request-ID"}:
        assert cached[name] == rendered[name], name
    assert cached["X-Request-ID"] != rendered["X-Request-ID"]


def test_a_hit_is_logged_like_a_rendered_page(wsgi_client, caplog):
    import logging

    article = make_article()
    wsgi_client.get(article.get_absolute_url())
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="clinic.access"):
        hit = wsgi_client.get(article.get_absolute_url() + "?private=yes", HTTP_X_REQUEST_ID="req-12345678")
    (record,) = [r for r in caplog.records if r.name == "clinic.access"]
    assert hit["X-Request-ID"] == "req-12345678"
    message = record.getMessage()
    assert "request_id=req-12345678" in message and f"path={article.get_absolute_url()} " in message
    assert "status=200" in message and "private" not in message


def test_personal_and_form_pages_are_never_stored(wsgi_client, staff_client):
    from django.core.cache import cache

    consultation = reverse("consultations:request")
    first = wsgi_client.get(consultation, **BR)
    assert first["Content-Encoding"] == "br"  # compressed, though never stored (Django masks its CSRF token)
    assert "csrfmiddlewaretoken" in first.text()
    assert cache.get(f"page:br:{consultation}") is None
    assert "no-store" in first["Cache-Control"]


def test_staff_pages_are_not_compressed(wsgi_client, staff_client):
    session = staff_client.cookies["sessionid"].value
    response = wsgi_client.get(reverse("admin:index"), HTTP_COOKIE=f"sessionid={session}", **BR)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_rendered_html_is_compressed(wsgi_client):
    response = wsgi_client.get("/this-page-does-not-exist/", **BR)
    assert response.status_code == 404 and response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert brotli.decompress(response.content).decode().startswith("<!doctype html>")


def test_static_files_carry_the_security_headers(client, settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/img/favicon.svg")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff" and "Permissions-Policy" in response


def test_a_save_in_another_worker_shows_here_within_worker_seconds(wsgi_client, local_memory_cache):
    from articles.models import Article
    from web import page_cache

    article = make_article(title="Old title")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "Old title" in wsgi_client.get(article.get_absolute_url()).text()  # kept by this worker too
        # Another worker's save: the database and the cache change, this worker's copies are not told.
        Article.objects.filter(pk=article.pk).update(title="New title")
        page_cache.PageVersion.objects.update(counter=page_cache.F("counter") + 1)
        page_cache.refresh_version(replace=True)
        assert "Old title" in wsgi_client.get(article.get_absolute_url()).text()
        clock.shift(page_cache.WORKER_SECONDS)
        assert "New title" in wsgi_client.get(article.get_absolute_url()).text()


def test_a_hit_within_worker_seconds_needs_no_round_trip(wsgi_client, monkeypatch):
    from web import page_cache

    article = make_article()
    wsgi_client.get(article.get_absolute_url())
    monkeypatch.setattr(page_cache, "cache", Unreachable())
    hit = wsgi_client.get(article.get_absolute_url())
    assert hit.status_code == 200 and "X-Page-Cache-Store" not in hit.headers
