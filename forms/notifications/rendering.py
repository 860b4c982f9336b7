"""Notification templates: Django template syntax on a restricted context, checked when saved.

A template may use only the placeholders in ``PLACEHOLDERS`` (optionally with filters) and
``{% if %}``; any other variable or tag is a validation error when staff save it, so a
message never fails to render at send time.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Node, TextNode, Variable, VariableNode
from django.template.defaulttags import IfNode
from django.utils.translation import gettext as _

from .constants import PLACEHOLDERS

# No loaders and no libraries beyond the built-ins: {% include %} has nothing to read.
_TEXT_ENGINE = Engine(autoescape=False, loaders=[])
_HTML_ENGINE = Engine(autoescape=True, loaders=[])
_ALLOWED_NODES = (TextNode, VariableNode, IfNode)


def _variables(filter_expression):
    names = []
    if isinstance(filter_expression.var, Variable):
        names.append(filter_expression.var.var)
    for _func, args in filter_expression.filters:
        for lookup, arg in args:
            if lookup and isinstance(arg, Variable):
                names.append(arg.var)
    return names


def _used_names(template):
    names = set()
    for node in template.nodelist.get_nodes_by_type(Node):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValidationError(
                _("Chỉ được dùng biến và {%% if %%} trong mẫu (không dùng thẻ %(tag)s).")
                % {"tag": getattr(node, "token", None) and node.token.contents.split()[0] or type(node).__name__}
            )
        if isinstance(node, VariableNode):
            names.update(_variables(node.filter_expression))
        if isinstance(node, IfNode):
            for condition, _nodelist in node.conditions_nodelists:
                names.update(_condition_names(condition))
    return names


def _condition_names(condition):
    if condition is None:
        return []
    names = []
    for attr in ("first", "second"):
        child = getattr(condition, attr, None)
        if child is not None:
            names.extend(_condition_names(child))
    value = getattr(condition, "value", None)
    if value is not None and hasattr(value, "var"):
        names.extend(_variables(value))
    return names


def validate_template_source(source):
    """Raise ``ValidationError`` for broken syntax or a placeholder outside ``PLACEHOLDERS``."""
    if not source:
        return
    try:
        template = _TEXT_ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise ValidationError(_("Mẫu sai cú pháp: %(error)s") % {"error": error}) from error
    unknown = sorted({name.split(".")[0] for name in _used_names(template)} - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Biến không được phép: %(names)s. Chỉ dùng: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(PLACEHOLDERS)}
        )


@lru_cache(maxsize=512)
def _compiled(source, html):
    """The parsed template and the placeholders it uses, parsed once per worker.

    Parsing is most of a render's cost, and every message of an event renders the same few
    sources; the source itself is the key, so an edited template is simply a new entry.
    Rendering a parsed template from several threads is safe (Django keeps render state in
    the context).
    """
    template = (_HTML_ENGINE if html else _TEXT_ENGINE).from_string(source)
    try:
        names = frozenset(name.split(".")[0] for name in _used_names(template)) & frozenset(PLACEHOLDERS)
    except ValidationError:
        # Not checked when it was stored (made in code, not through the admin): every value.
        names = frozenset(PLACEHOLDERS)
    return template, names


def placeholders_in(source, *, html=False):
    """The placeholders ``source`` uses: the only values its context needs."""
    return _compiled(source, html)[1] if source else frozenset()


def render(source, context, *, html=False):
    """Render a validated template source with the restricted context (a missing value is empty)."""
    if not source:
        return ""
    template, _names = _compiled(source, html)
    return template.render(Context({key: context.get(key, "") for key in PLACEHOLDERS}))
