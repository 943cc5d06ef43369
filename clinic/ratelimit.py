"""Per-client limits for public forms, counted in the cache (django-ratelimit).

If the cache is unreachable, let the request through: a patient must never be turned away by our
infrastructure, and every form has other defences (honeypot, minimum time, double opt-in).
"""

import logging

from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)


def over_limit(request, *, group: str, rate: str, key="ip") -> bool:
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    except Exception:
        logger.warning("Rate-limit cache unreachable; request allowed (group=%s)", group)
        return False
