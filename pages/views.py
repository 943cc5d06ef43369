"""Home, privacy notice and the CSRF failure page."""

from django.conf import settings
from django.shortcuts import render
from django.views.generic import TemplateView

from articles.models import Article

FEATURED_COUNT = 4


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured"] = Article.objects.published().cards().filter(is_featured=True)[:FEATURED_COUNT]
        return context


class PrivacyView(TemplateView):
    template_name = "pages/privacy.html"
    extra_context = {"retention_days": settings.CLINIC_RETENTION_DAYS}


def csrf_failure(request, reason=""):
    """A kind page instead of Django's technical one; the reason is not shown to visitors."""
    return render(request, "403_csrf.html", status=403)
