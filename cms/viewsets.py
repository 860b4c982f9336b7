"""Admin listings for the cms app."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Agency, Menu


class AgencyViewSet(ModelViewSet):
    model = Agency
    icon = "group"
    menu_label = _("Cơ quan")
    menu_order = 800
    add_to_settings_menu = True
    list_display = ["name", "short_name", "code", "phone"]
    search_fields = ["name", "short_name", "code"]
    form_fields = ["name", "name_en", "short_name", "code", "address", "phone", "email"]


class MenuViewSet(SnippetViewSet):
    model = Menu
    icon = "list-ul"
    menu_label = _("Menu")
    menu_order = 810
    add_to_settings_menu = True
    list_display = ["title", "location", "locale"]
    list_filter = ["location", "locale"]


agency_viewset = AgencyViewSet("agencies")
