"""Degrading instead of failing, with the real settings pointed at closed ports (subprocesses)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOSED_PORT = 1  # nothing listens on port 1
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "clinic_site.settings",
    "DJANGO_SECRET_KEY": "degradation-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}

SCRIPT = """
import json, os, django
from urllib.parse import urlencode
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
results = {}
if os.environ.get("MIGRATE"):
    call_command("migrate", verbosity=0)
    call_command("sync_content", verbosity=0)
client = Client()
for path in ("/", "/articles/", "/articles/what-to-expect/", "/consultation/", "/healthz/"):
    response = client.get(path)
    results[path] = [response.status_code, response.content.decode()[:20000]]
if os.environ.get("MIGRATE"):
    from consultations.forms import sign_start_time
    from consultations.models import ConsultationRequest
    data = {"who_for": "self", "name": "Degraded Visitor", "email": "d@example.com", "phone": "(202) 555-0123",
            "contact_method": "phone", "contact_time": "any", "concerns": ["depression"],
            "seeing_clinician": "no", "is_adult": "on", "consent": "on", "started": sign_start_time()}
    form = "application/x-www-form-urlencoded"
    response = client.post("/consultation/", urlencode(data, doseq=True), content_type=form)
    results["post"] = [response.status_code, ConsultationRequest.objects.count()]
    response = client.post("/newsletter/signup/", "email=n%40example.com", content_type=form)
    results["signup"] = [response.status_code, 0]
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Production settings serve hashed static files, so collect them once for these runs."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, **PRODUCTION, "DJANGO_STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    return root


def run(env: dict) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    base = {
        **PRODUCTION,
        "CLINIC_FORM_MIN_SECONDS": "0",
        "CLINIC_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, **base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_redis_unreachable_pages_serve_and_forms_save(tmp_path, static_root):
    results = run({
        "DJANGO_STATIC_ROOT": str(static_root),
        "REDIS_URL": f"redis://127.0.0.1:{CLOSED_PORT}/0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MIGRATE": "1",
    })  # fmt: skip
    for path in ("/", "/articles/", "/articles/what-to-expect/", "/consultation/"):
        assert results[path][0] == 200, path
    assert "What to expect" in results["/articles/what-to-expect/"][1]
    assert results["post"] == [302, 1]
    assert results["signup"][0] == 200
    status, body = results["/healthz/"]
    assert status == 200 and json.loads(body) == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_with_the_database_unreachable_visitors_get_a_designed_503(static_root):
    results = run({
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/clinic",
    })  # fmt: skip
    for path in ("/", "/articles/", "/articles/what-to-expect/"):
        status, body = results[path]
        assert status == 503, path
        assert "Sorry, this site is not available right now" in body
        assert 'href="tel:988"' in body
        assert "Traceback" not in body and "OperationalError" not in body
    status, body = results["/healthz/"]
    assert status == 503 and json.loads(body)["database"] == "unavailable"
