from django.urls import path

from . import views

app_name = "newsletter"
urlpatterns = [
    path("", views.newsletter, name="newsletter"),
    path("signup/", views.signup, name="signup"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
