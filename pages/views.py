"""Home page."""

from django.views.generic import TemplateView

from articles.models import Article

FEATURED_COUNT = 4


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured"] = (
            Article.objects.published().cards().filter(is_featured=True)[:FEATURED_COUNT]
        )
        return context
