"""Articles: Markdown sources rendered once to sanitised HTML, listed by topic."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        # Cached public pages show articles and their references (see web/page_cache.py).
        from web import page_cache

        Article = self.get_model("Article")
        page_cache.watch(Article, self.get_model("Reference"))
        page_cache.add_schedule(Article.objects.next_publication)  # scheduled articles appear on time
