from django.urls import path

from . import views

app_name = "discovery"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("feed/", views.feed, name="feed"),
]
