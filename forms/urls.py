"""Citizen receipts and officers' file downloads. Included in i18n_patterns before Wagtail's URLs.

The form pages themselves are Wagtail pages (ApplicationFormPage routes its steps).
"""

from django.urls import path

from . import views

app_name = "portal_forms"

urlpatterns = [
    path("ho-so/bien-nhan/<str:code>/<str:token>/", views.receipt, name="receipt"),
    path("ho-so/bien-nhan/<str:code>/<str:token>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("ho-so/tep/<int:file_id>/", views.download_file, name="download_file"),
]
