"""Admin registration for the guides app (registration only)."""

from wagtail import hooks

from .viewsets import QRViewSetGroup


@hooks.register("register_admin_viewset")
def register_qr_viewsets():
    """ "Mã QR" menu: the QR codes (with scan statistics) and the printable QR sets."""
    return QRViewSetGroup()
