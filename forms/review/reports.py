"""Managers' statistics, aggregated in SQL: satisfaction and timeliness per procedure."""

from django.db.models import Count, Q

from forms.permissions import dossiers_visible_to

from .models import DossierRating, Satisfaction, Timeliness


def _percent(part, total):
    return round(100 * part / total, 1) if total else None


def satisfaction_by_procedure(user):
    """``[{"procedure", "total", "very", "satisfied", "not_satisfied", "satisfied_percent"}]``."""
    rows = (
        DossierRating.objects.filter(dossier__in=dossiers_visible_to(user))
        .values("dossier__procedure__title")
        .annotate(
            total=Count("pk"),
            very=Count("pk", filter=Q(satisfaction=Satisfaction.VERY_SATISFIED)),
            satisfied=Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
            not_satisfied=Count("pk", filter=Q(satisfaction=Satisfaction.NOT_SATISFIED)),
        )
        .order_by("dossier__procedure__title")
    )
    return [
        {
            "procedure": row["dossier__procedure__title"] or "—",
            "total": row["total"],
            "very": row["very"],
            "satisfied": row["satisfied"],
            "not_satisfied": row["not_satisfied"],
            "satisfied_percent": _percent(row["very"] + row["satisfied"], row["total"]),
        }
        for row in rows
    ]


def timeliness_by_procedure(user):
    """``[{"procedure", "total", "early", "on_time", "late", "on_time_percent"}]`` of finished dossiers."""
    rows = (
        dossiers_visible_to(user)
        .exclude(timeliness="")
        .values("procedure__title")
        .annotate(
            total=Count("pk"),
            early=Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
        )
        .order_by("procedure__title")
    )
    return [
        {
            "procedure": row["procedure__title"] or "—",
            "total": row["total"],
            "early": row["early"],
            "on_time": row["on_time"],
            "late": row["late"],
            "on_time_percent": _percent(row["early"] + row["on_time"], row["total"]),
        }
        for row in rows
    ]
