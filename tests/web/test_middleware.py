"""Headers on every public page, the request log, and the health check."""

import json
import logging

import pytest
from django.db import OperationalError

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls(db):
    article = make_article(kind="faq", body="## Group\n\n### Question?\n\nAnswer.\n")
    return [
        "/", "/articles/", article.get_absolute_url(), "/privacy/", "/consultation/", "/consultation/thanks/",
        "/newsletter/", "/newsletter/check-your-email/", "/no-such-page/",
    ]  # fmt: skip


def test_every_public_page_carries_the_security_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url, secure=True)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "http" not in csp and "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"] and "interest-cohort=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), url


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/articles/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz/").status_code == 200  # load balancers may check over HTTP


def test_session_and_csrf_cookies_are_secure_and_http_only(settings, client):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_SECURE and live.CSRF_COOKIE_SECURE and live.SESSION_COOKIE_HTTPONLY
    cookie = client.get("/consultation/", secure=True).cookies["csrftoken"]
    assert cookie["secure"] and cookie["samesite"] == "Lax"


def test_each_request_is_logged_once_with_an_id_and_no_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="clinic.access"):
        response = client.get("/articles/?email=someone@example.com&q=depression")
    (record,) = [r for r in caplog.records if r.name == "clinic.access"]
    line = record.getMessage()
    assert f"request_id={response['X-Request-ID']}" in line
    assert "path=/articles/ " in line and "status=200" in line and "duration_ms=" in line
    assert "someone" not in line and "depression" not in line


def test_a_proxy_request_id_is_kept_when_it_looks_like_one(client):
    assert client.get("/", headers={"X-Request-ID": "abc12345-lb"})["X-Request-ID"] == "abc12345-lb"
    assert client.get("/", headers={"X-Request-ID": "<script>"})["X-Request-ID"] != "<script>"


def test_healthz_reports_database_and_cache_to_this_machine_without_secrets(client):
    response = client.get("/healthz/")  # the test client calls from 127.0.0.1
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Server" not in response and "version" not in response.content.decode().lower()


def test_healthz_tells_the_public_only_up_or_down(client, settings, unreachable_cache):
    settings.CLINIC_HEALTHZ_TOKEN = "lb-secret-token"
    public = client.get("/healthz/", REMOTE_ADDR="203.0.113.9")
    assert public.status_code == 200 and json.loads(public.content) == {"status": "ok"}
    relayed = client.get("/healthz/", HTTP_X_FORWARDED_FOR="203.0.113.9")  # a proxy on this machine
    assert json.loads(relayed.content) == {"status": "ok"}
    wrong = client.get("/healthz/", REMOTE_ADDR="203.0.113.9", HTTP_X_HEALTH_TOKEN="guess")
    assert json.loads(wrong.content) == {"status": "ok"}
    balancer = client.get("/healthz/", REMOTE_ADDR="203.0.113.9", HTTP_X_HEALTH_TOKEN="lb-secret-token")
    assert json.loads(balancer.content) == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_newsletter_tokens_never_reach_the_logs(client, caplog):
    token = "eyJhbGciOiJIUzI1NiJ9.secret-looking-token"
    with caplog.at_level(logging.INFO):
        client.get(f"/newsletter/confirm/{token}/")
        client.get(f"/newsletter/unsubscribe/{token}/")
    lines = [record.getMessage() for record in caplog.records]
    assert any("path=/newsletter/confirm/<token>/" in line for line in lines)
    assert any(line.startswith("Not Found: /newsletter/unsubscribe/<token>/") for line in lines)
    assert not [line for line in lines if token in line]


def test_healthz_fails_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr("pages.views.database_ok", lambda: False)
    response = client.get("/healthz/")
    assert response.status_code == 503 and json.loads(response.content)["status"] == "fail"


def test_a_database_outage_mid_request_gives_the_503_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("articles.views.ArticleListView.get_queryset", broken)
    response = client.get("/articles/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert b"Sorry, this site is not available right now" in response.content
