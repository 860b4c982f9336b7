"""Admin registration for the cms app (registration only)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .viewsets import MenuViewSet, agency_viewset

register_snippet(MenuViewSet)


@hooks.register("register_admin_viewset")
def register_agency_viewset():
    return agency_viewset
