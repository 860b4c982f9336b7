"""The headless API: Wagtail's v3 API (django-ninja) with the portal's own routers added,
so that one OpenAPI document describes the whole surface."""

from wagtail.api.v3.urls import api

__all__ = ["api"]
