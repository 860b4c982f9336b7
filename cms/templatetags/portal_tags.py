"""Template tags for the site chrome: menus and the language switcher."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from cms.caching import current_generation
from cms.models import Menu

register = template.Library()


@register.inclusion_tag("includes/menu.html")
def menu(location, css_class=""):
    """Render the menu for `location` in the visitor's language (falls back to Vietnamese).

    The links are cached under the page-cache generation, so a menu edit or a
    publish shows at once."""
    language = get_language() or settings.LANGUAGE_CODE
    key = f"menu:{current_generation()}:{location}:{language}"
    items = cache.get(key)
    if items is None:
        items = _menu_links(location)
        cache.set(key, items, 60 * 60)
    return {"items": items, "location": location, "css_class": css_class}


def _menu_links(location):
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = None
    qs = Menu.objects.filter(location=location).prefetch_related("items__page")
    menu_obj = qs.filter(locale=locale).first() if locale is not None else None
    if menu_obj is None:
        menu_obj = qs.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if menu_obj is None:
        return []
    return [
        {"link": item.link, "text": item.text}
        for item in menu_obj.items.all()
        if item.page_id is None or item.page.live
    ]


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language: the translated page when one exists,
    otherwise the same path under the other language prefix, otherwise that language's home."""
    request = context.get("request")
    page = context.get("page")
    current = get_language() or settings.LANGUAGE_CODE
    links = []
    translations = {}
    if isinstance(page, Page):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request=request)
        elif isinstance(page, Page):
            url = _home_url(code, request)
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "is_current": code == current})
    return {"links": links}


def _home_url(code, request):
    """The site's home page in language `code` (the site root's translation)."""
    site = Site.find_for_request(request) if request is not None else None
    locale = Locale.objects.filter(language_code=code).first()
    if site is not None and locale is not None:
        translated = site.root_page.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.get_url(request=request)
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
