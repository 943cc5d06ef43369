"""Per-client limits for public forms, counted in the cache (django-ratelimit).

Every form with a limit sends email, so the limits must hold when the cache does not: with the
cache unreachable they are counted in the database instead (RateLimitCount), in fixed windows, by
a keyed hash of the address. If the database cannot count either, the form's own save will fail
and say so; the limit lets the request through rather than turn a patient away.
"""

import hashlib
import hmac
import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from .client_ip import client_ip
from .models import RateLimitCount

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEEP_COUNTS = timedelta(days=1)  # longer than any window in use


def over_limit(request, *, group: str, rate: str, key="ip") -> bool:
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    except Exception:
        logger.warning("Rate-limit cache unreachable; counting in the database (group=%s)", group)
    try:
        value = client_ip(request) if key == "ip" else key(group, request)
        return over_limit_in_database(group, value, rate)
    except Exception:
        logger.exception("Rate limit could not be counted; request allowed (group=%s)", group)
        return False


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/h' -> (10, 3600); '5/15m' -> (5, 900): django-ratelimit's syntax."""
    count, _, period = rate.partition("/")
    return int(count), int(period[:-1] or 1) * UNITS[period[-1]]


def over_limit_in_database(group: str, value: str, rate: str) -> bool:
    limit, seconds = parse_rate(rate)
    now = timezone.now()
    window_start = datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=UTC)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{group}:{value}".encode(), hashlib.sha256).hexdigest()
    counts = RateLimitCount.objects.filter(group=group, key=digest, window_start=window_start)
    with transaction.atomic():
        if not counts.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitCount.objects.create(group=group, key=digest, window_start=window_start, count=1)
            except IntegrityError:  # a parallel request created it first
                counts.update(count=F("count") + 1)
        count = counts.values_list("count", flat=True).get()
    RateLimitCount.objects.filter(window_start__lt=now - KEEP_COUNTS).delete()
    return count > limit
