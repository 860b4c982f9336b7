"""Procedure guide pages."""

__all__ = []
