"""The WSGI layers in front of Django, outermost first (clinic_site/wsgi.py uses them).

1. PageCache answers stored public pages without running Django (page_cache.py).
2. CompressedResponses compresses the HTML Django rendered (compression.py).
3. guard_charset takes out a request's non-UTF-8 charset before Django decodes it (middleware.py).
"""

from .compression import CompressedResponses
from .middleware import guard_charset
from .page_cache import PageCache, leaves_compression_to_the_page_cache


def in_front_of_django(django_application):
    inner = CompressedResponses(guard_charset(django_application), skip=leaves_compression_to_the_page_cache)
    return PageCache(inner)
