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


def test_a_scheduled_article_appears_on_time_despite_the_cache(client, settings):
    # The page version expires when the next article is due. Redis keeps its own clock, which
    # time-machine cannot move, so this test uses the local-memory cache (same expiry logic).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
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
    from django.test import Client

    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    article = make_article()
    # A staff member saved something in admin and follows "view on site" with a message pending.
    request_storage = CookieStorage(type("Req", (), {"COOKIES": {}})())
    request_storage.add(constants.SUCCESS, "The article was changed successfully.")
    response = type("Resp", (), {"cookies": {}, "set_cookie": lambda self, *a, **k: self.cookies.update({a[0]: a[1]}), "delete_cookie": lambda *a, **k: None})()
    request_storage.update(response)
    staff_client.cookies["messages"] = response.cookies["messages"]
    assertContains(staff_client.get(article.get_absolute_url()), "changed successfully")
    assertNotContains(Client().get(article.get_absolute_url()), "changed successfully")
