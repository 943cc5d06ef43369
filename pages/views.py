"""Home, privacy notice, web app manifest, health check and the CSRF failure page."""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from articles.models import Article
from practice.models import ClinicDetails
from web.client_ip import client_ip
from web.page_cache import cache_public_page

FEATURED_COUNT = 4
# The browser chrome colour: the same as <meta name="theme-color"> in base.html (tests check).
THEME_COLOR = "#005a52"


@method_decorator(cache_public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured"] = Article.objects.featured()[:FEATURED_COUNT]
        return context


@method_decorator(cache_public_page, name="dispatch")
class PrivacyView(TemplateView):
    template_name = "pages/privacy.html"
    extra_context = {"retention_days": settings.CLINIC_RETENTION_DAYS}


@cache_public_page
@require_http_methods(["GET", "HEAD"])
def web_manifest(request):
    """The web app manifest (linked from base.html), named after the clinic as staff set it: the page
    cache forgets it when ClinicDetails is saved. Icons: scripts/make_icons.py."""
    name = ClinicDetails.load().name
    manifest = {
        "name": name,
        "short_name": name,
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "theme_color": THEME_COLOR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ]
        + [{"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    """For load balancers: 200 while the database answers. The cache is reported, not required,
    and only to the machine itself or a caller with the token: the public learns nothing more."""
    database = database_ok()
    if not may_see_health_details(request):
        return JsonResponse({"status": "ok" if database else "fail"}, status=200 if database else 503)
    checks = {"database": database, "cache": cache_ok()}
    status = "ok" if all(checks.values()) else ("degraded" if database else "fail")
    body = {"status": status, **{name: "ok" if ok else "unavailable" for name, ok in checks.items()}}
    return JsonResponse(body, status=200 if database else 503)


def may_see_health_details(request) -> bool:
    token = settings.CLINIC_HEALTHZ_TOKEN
    if token and constant_time_compare(request.headers.get("X-Health-Token", ""), token):
        return True
    # From this machine, and not relayed by a proxy on it (a proxy's requests come from loopback too).
    address = client_ip(request)
    return bool(address) and ipaddress.ip_address(address).is_loopback and "X-Forwarded-For" not in request.headers


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:
        return False


def csrf_failure(request, reason=""):
    """A kind page instead of Django's technical one; the reason is not shown to visitors."""
    return render(request, "403_csrf.html", status=403)
