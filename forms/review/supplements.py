"""What a supplement request asked for and what the citizen changed: old vs new, side by side."""

from .answers import display_value, input_fields


def supplement_diffs(dossier):
    """``[{"request", "rows": [{"label", "old", "new", "changed"}]}]``, newest request first."""
    fields = {field["key"]: field for _step, field in input_fields(dossier.form_version)}
    result = []
    for request in dossier.supplement_requests.all():
        rows = []
        for key in request.items:
            field = fields.get(key, {"key": key, "label": key})
            old = display_value(field, request.previous_answers.get(key)) if request.fulfilled_at else None
            new = display_value(field, request.new_answers.get(key)) if request.fulfilled_at else None
            rows.append(
                {
                    "key": key,
                    "label": field.get("label", key),
                    "old": old,
                    "new": new,
                    "changed": bool(request.fulfilled_at) and old != new,
                }
            )
        result.append({"request": request, "rows": rows})
    return result
