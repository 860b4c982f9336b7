from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from cms.api import api
from forms.api import router as forms_router
from forms.review.api import router as dossiers_router
from guides.api import router as guides_qr_router

# One NinjaAPI, one OpenAPI document: the guides app's endpoints join Wagtail's API v3
# here (cms, which owns `api`, must not import guides), before `api.urls` is read.
api.add_router("/qr-codes/", guides_qr_router)
api.add_router("/forms/", forms_router)
api.add_router("/dossiers/", dossiers_router)

urlpatterns = [
    path("healthz", cms_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", api.urls),
    path("", include("guides.urls")),
    # Public reference data (provinces and wards) for the address field's script.
    path("du-lieu/", include("forms.urls_data")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Vietnamese is served without a prefix, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("cms.urls")),
    path("", include("forms.urls")),
    path("", include("forms.review.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
