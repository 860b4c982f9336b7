"""Demo content of the review workflow, run by ``seed_demo`` after forms.demo. Idempotent.

* the holiday calendar 2025–2027 (also loaded by migration 0002; tests that empty the
  database get it back here);
* the managers' group "Lãnh đạo đơn vị" (admin access; sees every dossier of its agency)
  and a ``manager`` user of PA08;
* due dates (working days) for the demo dossiers already received.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from cms.models import Agency, AgencyMembership
from forms.models import Dossier

from .calendar import due_date_for, local_day
from .holidays import ensure_holidays
from .permissions import MANAGERS_GROUP

MANAGER_USERNAME = "manager"
MANAGER_AGENCY_SHORT_NAME = "PA08"


def ensure_managers(report, context):
    group, created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    if created:
        report.made(f"nhóm {MANAGERS_GROUP}")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    # Managers keep the holiday calendar up to date (Settings → Lịch nghỉ lễ).
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="review", codename__in=["add_holiday", "change_holiday", "delete_holiday"]
        )
    )
    agency = Agency.objects.filter(short_name=MANAGER_AGENCY_SHORT_NAME).order_by("pk").first()
    user_model = get_user_model()
    user = user_model.objects.filter(username=MANAGER_USERNAME).first()
    shown_password = None
    if user is None:
        role = f"Lãnh đạo {MANAGER_AGENCY_SHORT_NAME}"
        user = user_model(username=MANAGER_USERNAME, email=f"{MANAGER_USERNAME}@example.gov.vn", first_name=role)
        shown_password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        user.set_password(shown_password)
        user.save()
        report.made(f"người dùng {MANAGER_USERNAME}")
    user.groups.add(group)
    if agency is not None:
        AgencyMembership.objects.get_or_create(agency=agency, user=user)
    logins = context.setdefault("logins", [])
    if not any(login[0] == MANAGER_USERNAME for login in logins):
        logins.append((MANAGER_USERNAME, f"Lãnh đạo đơn vị {MANAGER_AGENCY_SHORT_NAME}", shown_password))
    return user


def ensure_due_dates(report):
    """Demo dossiers were moved by forms.services.change_status: give the received ones a due date."""
    dossiers = Dossier.objects.filter(received_at__isnull=False, due_date__isnull=True).select_related("procedure")
    updated = 0
    for dossier in dossiers:
        days = getattr(dossier.procedure, "processing_days", None)
        due = due_date_for(local_day(dossier.received_at), days)
        Dossier.objects.filter(pk=dossier.pk).update(processing_days=days, due_date=due)
        if due is not None:
            updated += 1
    if updated:
        report.made(f"hạn xử lý của {updated} hồ sơ mẫu")


def seed(report, context):
    if ensure_holidays():
        report.made("lịch nghỉ lễ 2025–2027")
    ensure_managers(report, context)
    ensure_due_dates(report)
    return context
