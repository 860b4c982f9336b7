"""QR images made in-process with segno: no image service, no network.

Every QR encodes the absolute public URL ``{PORTAL_PUBLIC_BASE_URL}/q/<code>``, so the
printed code keeps working when an editor changes its target.
"""

import io

import segno
from django.conf import settings
from django.urls import reverse
from PIL import Image

# Medium error correction survives a folded or slightly dirty poster and keeps the
# symbol small; a 4-module quiet zone is what the QR standard asks for.
ERROR_CORRECTION = "m"
QUIET_ZONE = 4

# /q/<code>.png?size=N: N is the width and height of the image in pixels.
PNG_DEFAULT_SIZE = 512
PNG_MIN_SIZE = 64
PNG_MAX_SIZE = 2048


def public_base_url():
    """The scheme and host printed in QR codes, without a trailing slash.

    ``PORTAL_PUBLIC_BASE_URL`` (defaults to ``WAGTAILADMIN_BASE_URL``); if it is empty,
    the root URL of the default Wagtail site.
    """
    base = getattr(settings, "PORTAL_PUBLIC_BASE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not base:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        base = site.root_url if site else ""
    return base.rstrip("/")


def public_url(code):
    """``https://example.gov.vn/q/ABC2345``: what the QR symbol for `code` says."""
    return public_base_url() + reverse("guides:qr_redirect", kwargs={"code": code})


def make_symbol(code):
    return make_url_symbol(public_url(code))


def make_url_symbol(url):
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def svg_bytes(code, *, title="", scale=8):
    """A standalone SVG document (UTF-8) of the QR symbol for `code`."""
    buffer = io.BytesIO()
    make_symbol(code).save(
        buffer,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        xmldecl=False,
        title=title or None,
        desc=public_url(code),
        svgclass="qr-code",
        lineclass=None,
        encoding="utf-8",
    )
    return buffer.getvalue()


def svg_data_uri(code, *, scale=8):
    """The symbol as a ``data:`` URI, for ``<img>`` in HTML and in WeasyPrint PDFs."""
    return url_svg_data_uri(public_url(code), scale=scale)


def url_svg_data_uri(url, *, scale=8):
    """A symbol of any URL as a ``data:`` URI (a leaflet of a guide that has no code yet)."""
    return make_url_symbol(url).svg_data_uri(scale=scale, border=QUIET_ZONE, xmldecl=False)


def png_bytes(code, size=PNG_DEFAULT_SIZE):
    """A `size` × `size` PNG: whole pixels per module, centred on white.

    The modules are drawn at the largest whole scale that fits, so the symbol stays
    sharp; the rest of the square widens the quiet zone.
    """
    if not PNG_MIN_SIZE <= size <= PNG_MAX_SIZE:
        raise ValueError(f"size must be between {PNG_MIN_SIZE} and {PNG_MAX_SIZE}")
    symbol = make_symbol(code)
    width = symbol.symbol_size(scale=1, border=QUIET_ZONE)[0]
    scale = max(1, size // width)
    drawn = io.BytesIO()
    symbol.save(drawn, kind="png", scale=scale, border=QUIET_ZONE)
    drawn.seek(0)
    with Image.open(drawn) as image:
        symbol_image = image.convert("L")
    canvas = Image.new("L", (size, size), 255)
    offset = (size - symbol_image.width) // 2
    canvas.paste(symbol_image, (offset, offset))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()
