"""The clinic's own pages: its team, and each clinician with the articles they reviewed."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from web.page_cache import cache_public_page

from .models import Clinician, CostSection, Location, PriceItem


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def team(request):
    return render(request, "practice/team.html", {"clinicians": Clinician.objects.active()})


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def clinician(request, slug):
    person = get_object_or_404(Clinician.objects.active(), slug=slug)
    # Through the reverse relation, so this app needs no import of the articles app.
    reviewed = person.reviewed_articles.published().listed().only("title", "slug").order_by("title")
    return render(request, "practice/clinician.html", {"clinician": person, "reviewed": reviewed})


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def costs(request):
    items = PriceItem.objects.filter(is_active=True)
    return render(request, "practice/costs.html", {"price_items": items, "sections": CostSection.objects.all()})


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def visit(request):
    """One location: all about it on this page. Several: a list, each with its own page."""
    locations = list(Location.objects.active().with_hours())
    if len(locations) == 1:
        return render(request, "practice/location.html", {"location": locations[0], "only_location": True})
    return render(request, "practice/visit.html", {"locations": locations})


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def location(request, slug):
    place = get_object_or_404(Location.objects.active().with_hours(), slug=slug)
    return render(request, "practice/location.html", {"location": place, "only_location": False})
