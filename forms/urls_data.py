"""URLs of the public reference data, meant to be included under ``/du-lieu/``:

    path("du-lieu/", include("forms.urls_data")),

The ``forms_data`` namespace comes with the module, so ``reverse("forms_data:wards", …)``
works wherever it is included. Outside ``i18n_patterns``: the data has no language.
"""

from django.urls import path

from . import views_public_data

app_name = "forms_data"

urlpatterns = [
    path("tinh-thanh.json", views_public_data.provinces_json, name="provinces"),
    path("tinh-thanh/<str:province_code>/xa-phuong.json", views_public_data.wards_json, name="wards"),
]
