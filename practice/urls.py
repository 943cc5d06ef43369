from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/<slug:slug>/", views.clinician, name="clinician"),
    path("costs/", views.costs, name="costs"),
    path("visit/", views.visit, name="visit"),
    path("visit/<slug:slug>/", views.location, name="location"),
]
