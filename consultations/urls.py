from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.request_consultation, name="request"),
    path("thanks/", views.thanks, name="thanks"),
]
