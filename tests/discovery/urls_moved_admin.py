"""The site's URLs with the staff sign-in moved, as DJANGO_ADMIN_URL moves it (clinic_site/urls.py)."""

from django.contrib import admin
from django.urls import path

from clinic_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns[:-1], path("back-office-7f3a/", admin.site.urls)]
