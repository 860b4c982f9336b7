"""Public URLs of the cms app that are not Wagtail pages (language-prefixed)."""

from django.urls import path

from . import views

urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
]
