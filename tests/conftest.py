"""Shared fixtures: the seeded demo site and a logged-in client."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db, django_db_setup):
    """The site as `seed_demo` leaves it (both languages, menus, demo users)."""
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())
    from cms.models import HomePage

    return HomePage.objects.get(locale__language_code="vi")
