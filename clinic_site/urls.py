"""The site's URLs: one include per app."""

import os

from django.contrib import admin
from django.urls import include, path

# Error pages that never read the request, so they cannot fail on a request that could not be read.
handler400 = "web.error_pages.bad_request"
handler500 = "web.error_pages.server_error"

urlpatterns = [
    path("", include("pages.urls")),
    path("articles/", include("articles.urls")),
    path("consultation/", include("consultations.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("", include("practice.urls")),
    path("search/", include("search.urls")),
    path("pre-check/", include("precheck.urls")),
    path("", include("discovery.urls")),  # /sitemap.xml, /robots.txt, /feed/
    path(os.environ.get("DJANGO_ADMIN_URL", "admin/"), admin.site.urls),
]
