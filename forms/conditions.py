"""Conditional fields and steps: "show this only when that answer has this value".

A condition is ``{"field": key, "operator": "eq" | "ne" | "in", "value": text}``. The
server decides (this module); ``static/forms/js/conditions.js`` only mirrors the decision
in the browser through the ``data-condition-*`` attributes, so the form works without
JavaScript. Answers of hidden fields are neither required nor stored.
"""

from datetime import date
from decimal import Decimal

from .constants import ConditionOperator

TRUE_VALUES = ("co", "true", "on", "1")


def answer_as_values(value):
    """An answer as a list of comparable strings.

    Choice answers are their stored values; a single checkbox is ``co``/``khong`` (and
    also matches ``true``); several checkboxes give several values; empty gives ``[]``.
    """
    if value is None or value == "" or value == [] or value == {}:
        return []
    if isinstance(value, bool):
        return ["co", "true"] if value else ["khong", "false"]
    if isinstance(value, list | tuple | set):
        return [str(item) for item in value]
    if isinstance(value, date):
        return [value.isoformat()]
    if isinstance(value, Decimal):
        return [format(value.normalize(), "f")]
    if isinstance(value, dict):
        return [str(value.get("value") or value.get("province") or "")]
    return [str(value).strip()]


def expected_values(condition):
    raw = condition.get("value") or ""
    if condition.get("operator") == ConditionOperator.IN:
        return [part.strip() for part in raw.split(",") if part.strip()]
    return [raw.strip()]


def condition_met(condition, answers):
    """True when there is no condition or `answers` (``{key: value}``) satisfy it.

    An answer that is absent (not given, or its field is itself hidden) equals nothing:
    ``eq`` and ``in`` are false, ``ne`` is true.
    """
    if not condition or not condition.get("field"):
        return True
    given = answer_as_values(answers.get(condition["field"]))
    wanted = expected_values(condition)
    operator = condition.get("operator") or ConditionOperator.EQUALS
    matches = any(value in wanted for value in given)
    if operator == ConditionOperator.NOT_EQUALS:
        return not matches
    return matches


def visible_steps(steps, answers):
    """The steps whose condition holds for `answers` (in order)."""
    return [step for step in steps if condition_met(step.condition, answers)]


def data_attributes(condition):
    """``data-condition-*`` attributes for conditions.js (rendered by the field component)."""
    if not condition:
        return {}
    return {
        "data-condition-field": condition["field"],
        "data-condition-operator": condition.get("operator") or ConditionOperator.EQUALS,
        "data-condition-value": condition.get("value") or "",
    }
