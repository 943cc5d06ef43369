import pytest

SITE = "https://clinic.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    """The public address is not the test client's host: every absolute URL must come from it."""
    settings.CLINIC_SITE_URL = SITE


@pytest.fixture
def local_memory_cache(settings):
    """Redis keeps its own clock, which time-machine cannot move: tests of a scheduled article's time
    use a fresh local-memory cache (as tests/web/test_page_cache.py does)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "discovery"}}
    from django.core.cache import cache

    cache.clear()
