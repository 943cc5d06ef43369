"""Pages without tables of their own: home and the error pages."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
