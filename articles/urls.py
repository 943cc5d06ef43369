from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("page/<int:page>/", views.ArticleListView.as_view(), name="list_page"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
