"""What someone searched for stays with them: never logged, stored, cached or sent on."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
SECRET = "zolpidemsecret"  # a word that appears nowhere else, so finding it anywhere is a leak


def cache_keys() -> set[str]:
    """Every key in the cache, whichever backend the lane uses (local memory or Redis)."""
    backend = cache._cache
    if isinstance(backend, dict):  # LocMemCache
        return set(backend)
    return {key.decode() for key in backend.get_client(None).keys("*")}


@pytest.fixture
def articles():
    make_article(slug="sleep", title="Sleep after treatment", body="## Sleep\n\nRest after your infusion.\n")
    make_article(slug="driving", title="Driving home", body="## Driving\n\nDo not drive after your infusion.\n")


def test_the_query_is_in_no_log_record_at_any_level(client, wsgi_client, articles, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    for get in (client.get, wsgi_client.get):
        get(f"{URL}?q=infusion+{SECRET}")
        get(f"{URL}?q={SECRET}&page=2")
        get(f"{URL}?q=%ff{SECRET}%00")
    assert any(record.name == "clinic.access" for record in caplog.records)  # the access log did run
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.__dict__)  # arguments, an attached request, extra fields


def test_the_query_is_stored_nowhere_in_the_cache_or_the_database(client, wsgi_client, articles, warm_site_state):
    client.get(f"{URL}?q=sleep")  # whatever a first search keeps (nothing, it should be)
    wsgi_client.get(f"{URL}?q=sleep")
    before = cache_keys()
    rows_before = Article.objects.count()
    client.get(f"{URL}?q={SECRET}")
    wsgi_client.get(f"{URL}?q=driving+{SECRET}")
    wsgi_client.get(f"{URL}?q=driving")
    after = cache_keys()
    assert after == before
    assert not [key for key in after if SECRET in key or "search" in key]
    assert Article.objects.count() == rows_before  # and no table of ours has a row for it
    from django.apps import apps
    from django.db.models import CharField, TextField

    for model in apps.get_models():
        text_fields = [f.name for f in model._meta.get_fields() if isinstance(f, CharField | TextField)]
        for name in text_fields:
            assert not model._default_manager.filter(**{f"{name}__contains": SECRET}).exists(), model


def test_results_never_come_from_or_go_into_the_page_cache(wsgi_client, articles, warm_site_state):
    sleep = wsgi_client.get(f"{URL}?q=sleep")
    driving = wsgi_client.get(f"{URL}?q=driving")
    sleep_again = wsgi_client.get(f"{URL}?q=sleep")
    assert sleep.status_code == driving.status_code == 200
    assert "Sleep after treatment" in sleep.text() and "Driving home" not in sleep.text()
    assert "Driving home" in driving.text() and "Sleep after treatment" not in driving.text()
    assert "Sleep after treatment" in sleep_again.text()
    assert not [key for key in cache_keys() if "page:" in key and "search" in key]
    assert not [key for key in cache_keys() if key.split(":", 2)[-1].startswith("page:")]
    assert "no-store" in sleep["Cache-Control"]


def test_no_cookie_and_no_referrer_leave_with_the_results(wsgi_client, articles):
    response = wsgi_client.get(f"{URL}?q=sleep")
    assert "Set-Cookie" not in response.headers
    # The browser sends no Referer from the results page, not even to our own article pages.
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"


def test_other_pages_send_referrers_only_to_this_site(settings):
    # Any page's links (an article's references, say) send no Referer to other sites: were a search
    # URL ever the referrer, it would not leave this site.
    assert settings.SECURE_REFERRER_POLICY == "same-origin"


def test_the_query_shows_only_in_the_box_and_the_sentence_about_it(client, articles):
    # Not in the title, a canonical or link-preview address, structured data or any link.
    html = client.get(f"{URL}?q={SECRET}").content.decode()
    assert html.count(SECRET) == 2
    assert f'value="{SECRET}"' in html and f"No articles match “{SECRET}”" in html
    results = client.get(f"{URL}?q=infusion+{SECRET}+or+sleep").content.decode()
    assert results.count(SECRET) == 2
