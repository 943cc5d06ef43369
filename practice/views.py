"""The clinic's own pages: its team, and each clinician with the articles they reviewed."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from web.page_cache import cache_public_page

from .models import Clinician


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def team(request):
    return render(request, "practice/team.html", {"clinicians": Clinician.objects.active()})


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def clinician(request, slug):
    person = get_object_or_404(Clinician.objects.active(), slug=slug)
    # Through the reverse relation, so this app needs no import of the articles app.
    reviewed = person.reviewed_articles.published().only("title", "slug").order_by("title")
    return render(request, "practice/clinician.html", {"clinician": person, "reviewed": reviewed})


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def costs(request):
    return render(request, "practice/costs.html", {})


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def visit(request):
    return render(request, "practice/visit.html", {})
