"""Models of the guides app: procedure guide pages (pages.py) and QR codes (qr.py)."""

from .pages import *  # noqa: F403
from .qr import *  # noqa: F403
