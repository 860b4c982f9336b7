"""Demo seed: the default notification templates, again after a test database was emptied.

Production gets them from migration 0002; ``seed_demo`` calls this so that a database
flushed by a transactional test (or a hand-reset dev database) has them too.
"""

from importlib import import_module

from .models import NotificationTemplate


def ensure_default_templates():
    defaults = import_module("forms.notifications.migrations.0002_default_templates")
    created = 0
    for row in defaults._rows():
        _template, was_created = NotificationTemplate.objects.get_or_create(
            event=row["event"], channel=row["channel"], language=row["language"], defaults=row
        )
        created += was_created
    return created


def seed(report, context):
    if ensure_default_templates():
        report.made("mẫu thông báo mặc định")
    return context
