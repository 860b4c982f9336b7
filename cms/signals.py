"""Signal wiring for the cms app: refresh cached pages when content changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .caching import bump_generation
from .models import Menu, MenuItem, SiteSettings


def connect():
    page_published.connect(bump_generation, dispatch_uid="cms_cache_page_published")
    page_unpublished.connect(bump_generation, dispatch_uid="cms_cache_page_unpublished")
    for model in (SiteSettings, Menu, MenuItem):
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"cms_cache_save_{model.__name__}")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"cms_cache_delete_{model.__name__}")
