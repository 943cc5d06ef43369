"""The site's URLs: one include per app."""

import os

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("articles/", include("articles.urls")),
    path("consultation/", include("consultations.urls")),
    path("newsletter/", include("newsletter.urls")),
    path(os.environ.get("DJANGO_ADMIN_URL", "admin/"), admin.site.urls),
]
