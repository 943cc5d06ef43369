"""HTTP plumbing shared by every app: the page cache, middleware, rate limits, the cache client,
error pages and what every public form shares. It imports no capability app."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Web plumbing"
