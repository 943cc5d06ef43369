from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.request_consultation, name="request"),
    path("thanks/", views.thanks, name="thanks"),
    path("thanks/<str:token>/", views.thanks, name="thanks"),  # a signed reference (views.redirect_to_thanks)
]
