"""Public tracking of dossiers (language-prefixed, included in site_config/urls.py before Wagtail's)."""

from django.urls import path

from . import views_tracking as views

app_name = "review_tracking"

urlpatterns = [
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/lien-ket/<str:token>/", views.signed_link, name="signed_link"),
    path("tra-cuu/ho-so/<str:code>/", views.detail, name="detail"),
    path("tra-cuu/ho-so/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("tra-cuu/ho-so/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("tra-cuu/ho-so/<str:code>/danh-gia/", views.rate, name="rate"),
    path("tra-cuu/ho-so/<str:code>/ket-qua/", views.result, name="result"),
]
