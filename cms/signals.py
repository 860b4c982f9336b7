"""Signal wiring for the cms app: refresh cached pages when content changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from .caching import bump_generation
from .models import Agency, Menu, MenuItem, SiteSettings


def connect():
    page_published.connect(bump_generation, dispatch_uid="cms_cache_page_published")
    page_unpublished.connect(bump_generation, dispatch_uid="cms_cache_page_unpublished")
    # Agencies appear on guide pages (and their codes in dossier codes: forms.compiled keeps
    # form pages for the generation too); a view restriction makes a page private.
    for model in (SiteSettings, Menu, MenuItem, Agency, PageViewRestriction):
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"cms_cache_save_{model.__name__}")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"cms_cache_delete_{model.__name__}")
