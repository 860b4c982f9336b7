"""Public URLs of the guides app that are not Wagtail pages.

Outside the language prefix: a printed QR code must work whatever language the
visitor reads, and a leaflet is printed in its guide's own language.
"""

from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    # The image routes come first: `<str:code>` would also match "ABC2345.svg".
    path("q/<str:code>.svg", views.qr_svg, name="qr_svg"),
    path("q/<str:code>.png", views.qr_png, name="qr_png"),
    path("q/<str:code>", views.qr_redirect, name="qr_redirect"),
    path("in/huong-dan/<int:page_id>/", views.guide_leaflet, name="guide_leaflet"),
    path("in/huong-dan/<int:page_id>.pdf", views.guide_leaflet_pdf, name="guide_leaflet_pdf"),
]
