import pytest


@pytest.fixture(autouse=True)
def _form_settings(settings):
    settings.CLINIC_FORM_MIN_SECONDS = 0  # tests post at once; test_views covers the minimum
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
