"""Compile the project's .po files to .mo with polib, so no gettext install is needed."""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Biên dịch các tệp .po của dự án thành .mo (không cần gettext)."

    def handle(self, *args, **options):
        count = 0
        base = Path(settings.BASE_DIR).resolve()
        # Our own apps keep their messages in <app>/locale; third-party apps ship compiled ones.
        app_dirs = [
            Path(config.path) / "locale"
            for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts
        ]
        for locale_dir in [*settings.LOCALE_PATHS, *app_dirs]:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
        if options["verbosity"] > 1 or count:
            self.stdout.write(f"Đã biên dịch {count} tệp .po.")
