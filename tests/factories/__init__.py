"""Factories for every model (factory_boy / wagtail-factories)."""
