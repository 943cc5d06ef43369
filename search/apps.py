"""Site search: /search/?q=, full-text on PostgreSQL, FTS5 on SQLite."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
