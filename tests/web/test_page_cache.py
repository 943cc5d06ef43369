"""Public pages: cached, invalidated by staff saves, on time for scheduled articles, conditional GET."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_public_pages_are_cacheable_by_everyone(client):
    article = make_article()
    for url in ("/", "/articles/", article.get_absolute_url(), "/privacy/", "/newsletter/"):
        response = client.get(url)
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"], url
        assert response.has_header("ETag") and response.has_header("Last-Modified"), url


def test_form_and_staff_pages_are_never_cached(client, staff_client):
    assert "no-store" in client.get(reverse("consultations:request"))["Cache-Control"]
    draft = make_article(status="draft")
    assert "no-store" in staff_client.get(draft.get_absolute_url())["Cache-Control"]


def test_a_staff_save_shows_on_the_public_page_at_once(client, django_capture_on_commit_callbacks):
    article = make_article(title="Old title")
    assertContains(client.get(article.get_absolute_url()), "Old title")
    assertContains(client.get("/articles/"), "Old title")
    article.title = "New title"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assertContains(client.get(article.get_absolute_url()), "New title")
    assertContains(client.get("/articles/"), "New title")


def test_a_reference_edit_alone_invalidates_too(client, django_capture_on_commit_callbacks):
    article = make_article()
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        article.references.update()  # no signal: must not be relied on
        reference = article.references.first()
        reference.title = "A corrected source"
        reference.save()
    assertContains(client.get(article.get_absolute_url()), "A corrected source")


def test_an_unpublished_article_leaves_the_cached_pages(client, django_capture_on_commit_callbacks):
    article = make_article(title="Going away")
    assertContains(client.get("/articles/"), "Going away")
    article.status = "draft"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assertNotContains(client.get("/articles/"), "Going away")
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.fixture
def local_memory_cache(settings):
    """Redis keeps its own clock, which time-machine cannot move: tests of expiry use a fresh
    local-memory cache (same expiry logic), empty whatever earlier tests stored."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "expiry"}}
    from django.core.cache import cache

    cache.clear()


def test_a_scheduled_article_appears_on_time_despite_the_cache(client, local_memory_cache):
    # The page version expires when the next article is due.
    publish_at = timezone.now() + dt.timedelta(hours=2)
    make_article(title="Coming later", published_at=publish_at)
    make_article(title="Already here")
    assertNotContains(client.get("/articles/"), "Coming later")  # cached now
    with time_machine.travel(publish_at - dt.timedelta(seconds=5)):
        assertNotContains(client.get("/articles/"), "Coming later")
    with time_machine.travel(publish_at + dt.timedelta(seconds=2)):
        assertContains(client.get("/articles/"), "Coming later")


def test_conditional_get_answers_304(client):
    article = make_article()
    first = client.get(article.get_absolute_url())
    again = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and not again.content
    since = client.get(article.get_absolute_url(), headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(article.get_absolute_url(), headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_cached_page_never_carries_a_staff_message(staff_client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import Client

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
    staff_client.cookies["messages"] = response.cookies["messages"]
    assertContains(staff_client.get(article.get_absolute_url()), "changed successfully")
    assertNotContains(Client().get(article.get_absolute_url()), "changed successfully")


def test_a_page_rendered_while_a_save_commits_is_not_served_after_it(
    client, monkeypatch, django_capture_on_commit_callbacks, warm_site_state
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
    assertContains(client.get(article.get_absolute_url()), "Old title")  # read before the save
    monkeypatch.setattr(views, "related_articles", render_rest)
    assertContains(client.get(article.get_absolute_url()), "New title")


class Unreachable:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_an_unpublish_saved_while_the_cache_was_down_takes_effect_once_it_is_back(
    client, local_memory_cache, monkeypatch, django_capture_on_commit_callbacks
):
    from web import page_cache as caching

    article = make_article(title="Going away")
    assertContains(client.get("/articles/"), "Going away")  # cached
    with monkeypatch.context() as outage:
        outage.setattr(caching, "cache", Unreachable())
        article.status = "draft"
        with django_capture_on_commit_callbacks(execute=True):
            article.save()
    later = timezone.now() + dt.timedelta(seconds=caching.VERSION_CHECK_SECONDS + 1)
    with time_machine.travel(later):
        assertNotContains(client.get("/articles/"), "Going away")
        assert client.get(article.get_absolute_url()).status_code == 404


def test_a_cached_page_answers_only_the_sites_own_hosts(client):
    article = make_article()
    assert client.get(article.get_absolute_url()).status_code == 200  # now cached
    assert client.get(article.get_absolute_url(), HTTP_HOST="evil.example").status_code == 400


def test_cached_and_rendered_pages_carry_the_same_headers(client):
    article = make_article()
    rendered = client.get(article.get_absolute_url(), secure=True)
    cached = client.get(article.get_absolute_url(), secure=True)
    assert "X-Frame-Options" in rendered and "Content-Security-Policy" in rendered
    ignored = {"X-Request-ID"}
    assert set(cached.headers) - ignored == set(rendered.headers) - ignored
    for name in set(rendered.headers) - ignored - {"Last-Modified", "Date"}:
        assert cached[name] == rendered[name], name


def test_static_files_carry_the_security_headers(client, settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/img/favicon.svg")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff" and "Permissions-Policy" in response
