"""Fixtures shared by the guides tests."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def english_catalog(settings):
    """The English messages compiled from the committed .po files (``make test`` does the
    same first). Changing LOCALE_PATHS makes Django drop the catalogues it has cached."""
    call_command("compile_translations", stdout=StringIO())
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
