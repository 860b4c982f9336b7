"""QR codes that link printed leaflets and posters to guides."""

__all__ = []
