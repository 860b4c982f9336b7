"""Signal wiring for the guides app: a published guide gets its leaflet's QR code."""

from wagtail.signals import page_published

from .services import ensure_page_qr_code


def give_published_guide_a_qr_code(sender, instance, **kwargs):
    """Made at publication, so the public leaflet only ever reads codes (see guides/README.md)."""
    ensure_page_qr_code(instance)


def connect():
    from .models import GuidePage

    page_published.connect(give_published_guide_a_qr_code, sender=GuidePage, dispatch_uid="guides_publish_qr_code")
