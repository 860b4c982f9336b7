"""A dossier's answers as they read in the form version the citizen filled in.

Labels, choices and steps come from the frozen ``FormVersion.definition``, so editing the
form later never changes how an old dossier reads. Files are listed from ``DossierFile``
rows (served by the permission-checked ``portal_forms:download_file`` view).
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from forms.models import NON_INPUT_TYPES, FieldType


def display_value(field, value):
    """How one answer reads, from its frozen field definition."""
    if value in (None, "", [], {}):
        return ""
    field_type = field.get("type")
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if field_type == FieldType.VN_DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if field_type == FieldType.PROVINCE:
        from forms.provinces import province_name

        return province_name(value) or str(value)
    if field_type == FieldType.ADDRESS and isinstance(value, dict):
        from forms.provinces import format_address

        return format_address(value)
    choices = {choice["value"]: choice["label"] for choice in field.get("choices") or []}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def input_fields(version):
    """``[(step title, field definition)]`` of every input of a form version, in order."""
    return [
        (step.get("title", ""), field)
        for step in version.definition.get("steps", [])
        for field in step.get("fields", [])
        if field.get("type") not in NON_INPUT_TYPES
    ]


def answer_sections(dossier, files=None, answers=None):
    """``[{"title", "items": [{"key", "label", "value", "files"}]}]`` for the dossier page."""
    answers = dossier.answers if answers is None else answers
    files_by_key = {}
    for dossier_file in files if files is not None else dossier.files.all():
        files_by_key.setdefault(dossier_file.field_key, []).append(
            {
                "name": dossier_file.original_name,
                "size": dossier_file.size,
                "url": reverse("portal_forms:download_file", args=[dossier_file.pk]),
            }
        )
    sections = []
    for step in dossier.form_version.definition.get("steps", []):
        items = []
        for field in step.get("fields", []):
            if field.get("type") in NON_INPUT_TYPES:
                continue
            key = field["key"]
            if key not in answers and key not in files_by_key:
                continue
            is_file = field.get("type") == FieldType.FILE
            items.append(
                {
                    "key": key,
                    "label": field.get("label", key),
                    "value": "" if is_file else display_value(field, answers.get(key)),
                    "files": files_by_key.get(key, []) if is_file else [],
                    "is_file": is_file,
                }
            )
        if items:
            sections.append({"title": step.get("title", ""), "items": items})
    return sections
