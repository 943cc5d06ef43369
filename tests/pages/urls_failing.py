"""The site's URLconf plus one view that fails, to render the 500 page."""

from django.urls import path

from clinic_site.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
