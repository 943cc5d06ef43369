from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    path("site.webmanifest", views.web_manifest, name="web_manifest"),
]
