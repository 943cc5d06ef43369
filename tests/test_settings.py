"""Settings: safe by default, loud when production configuration is missing, static files complete."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-like-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "clinic.example.org",
}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


# pytest-django turns DEBUG off in this process whatever the settings say: read it from a fresh one.
@pytest.mark.parametrize(
    ("value", "debug"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("false", False),
        ("2", False),
        ("debug", False),
        ("1", True),
        ("TRUE", True),
        (" on ", True),
    ],
)
def test_debug_is_off_unless_django_debug_is_a_true_value(value, debug):
    env = PRODUCTION_ENV if value is None else {**PRODUCTION_ENV, "DJANGO_DEBUG": value}
    script = "from django.conf import settings; print(settings.DEBUG)"
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(debug)]


def test_missing_secret_key_is_a_clear_error_when_debug_is_off():
    result = run_manage("check", env={"DJANGO_ALLOWED_HOSTS": "clinic.example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_missing_allowed_hosts_is_a_clear_error_when_debug_is_off():
    result = run_manage("check", env={"DJANGO_SECRET_KEY": PRODUCTION_ENV["DJANGO_SECRET_KEY"]})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_debug_mode_runs_with_local_defaults():
    result = run_manage("check", env={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_deploy_checks_pass_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_collectstatic_with_the_manifest_storage_finds_every_file(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    names = {path.name for path in (tmp_path / "static").rglob("*")}
    assert "staticfiles.json" in names
    assert any(name.startswith("site.") and name.endswith(".css.br") for name in names)
    assert any(name.startswith("faq.") and name.endswith(".js") for name in names)


def test_admin_url_is_configurable():
    script = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "clinic_site.settings",
            "DJANGO_ADMIN_URL": "staff-door/",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "/staff-door/", result.stderr
