"""Articles: Markdown sources rendered once to sanitised HTML, listed by topic."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        # Cached public pages show articles and their references (see clinic/caching.py).
        from clinic.caching import invalidate_pages_when_saved

        invalidate_pages_when_saved(self.get_model("Article"), self.get_model("Reference"))
