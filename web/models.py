"""What the HTTP plumbing keeps in the database: the page cache's version (page_cache.py) and
rate-limit counts for when the cache is unreachable (ratelimit.py)."""

import uuid

from django.db import models


def new_epoch() -> str:
    return uuid.uuid4().hex


class PageVersion(models.Model):
    """The version of every cached public page, kept in the database (see web/page_cache.py).

    Saving anything a public page shows adds one to `counter` in the same transaction, so the
    change and the new version commit together even when the cache cannot be reached. `epoch` is
    new whenever the row is created, so a recreated table never repeats an old version.
    """

    counter = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32, default=new_epoch, editable=False)

    def __str__(self):
        return f"{self.epoch}.{self.counter}"


class RateLimitCount(models.Model):
    """Form posts counted per client and window, used only while the cache is unreachable.

    The key is a keyed hash of the address (or email), never the value itself.
    """

    group = models.CharField(max_length=50)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("group", "key", "window_start", name="web_one_count_per_window")]
        indexes = [models.Index("window_start", name="web_ratelimit_window")]

    def __str__(self):
        return f"{self.group} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
