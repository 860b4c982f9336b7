from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = _("Hướng dẫn thủ tục")

    def ready(self):
        # Must run before Wagtail's API v3 builds its page schemas (on first import of
        # its routers, i.e. when the URLconf loads): see guides/api.py.
        from .api import register_guide_schema

        register_guide_schema()

        from . import signals

        signals.connect()
