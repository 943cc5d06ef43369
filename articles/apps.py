"""Articles: Markdown sources rendered once to sanitised HTML, listed by topic."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
