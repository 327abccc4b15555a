from django import template

from kompass.monitoring.charts import status_symbol
from kompass.monitoring.labels import (
    COMPONENT_LABELS,
    METHOD_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
    TREND_SYMBOLS,
    VALUE_LABELS,
)
from kompass.monitoring.reasons import reason_text as _reason_text

register = template.Library()


@register.filter
def status_label(status):
    return STATUS_LABELS.get(status or "", status)


@register.filter
def status_icon(status):
    return status_symbol(status or "")


@register.filter
def method_label(method):
    return METHOD_LABELS.get(method or "", method)


@register.filter
def trend_label(trend):
    return TREND_LABELS.get(trend or 0, "")


@register.filter
def trend_icon(trend):
    return TREND_SYMBOLS.get(trend or 0, "")


@register.filter
def component_label(key):
    return COMPONENT_LABELS.get(key, key.replace("_", " "))


@register.filter
def number(value):
    """Numbers for people in the active language: up to 4 significant digits, no trailing zeros ("1,247");
    None as a dash."""
    from django.utils.translation import gettext

    from kompass.core import formats

    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return formats.number(value)
    return formats.number(value) if value is None or value == "" else value


@register.filter
def component_value(value):
    """A status component for people: numbers in the active language, status codes as their labels."""
    if isinstance(value, dict):
        return "; ".join(f"{STATUS_LABELS.get(k, COMPONENT_LABELS.get(k, k))}: {component_value(v)}"
                         for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(component_value(v)) for v in value)
    if isinstance(value, str) and value:
        return VALUE_LABELS.get(value) or _reason_text(value)
    return number(value)


@register.filter
def reason_text(reason):
    """Why a status is not computable, in the reader's language (monitoring.reasons)."""
    return _reason_text(reason)


@register.filter
def is_scalar(value):
    return not isinstance(value, dict | list | tuple)


@register.simple_tag
def status_badge(status):
    from django.utils.html import format_html

    status = status or ""
    return format_html('<span class="kern-badge kern-badge--small mon-status mon-{}">'
                       '<span aria-hidden="true">{}</span> {}</span>', status or "none", status_symbol(status),
                       STATUS_LABELS.get(status, status))


@register.simple_tag
def monitoring_chain(measure):
    """The measure's impact chain for the measure page (a fixed number of queries)."""
    from kompass.monitoring.selectors import measure_chain

    return measure_chain(measure)


@register.simple_tag(takes_context=True)
def can_monitor(context, measure):
    request = context.get("request")
    return bool(request and request.user.has_perm("monitoring.change_monitoring", measure))


@register.simple_tag
def status_explanation(indicator):
    """The indicator's status in plain language (monitoring.explain)."""
    from kompass.monitoring.explain import status_explanation as explain

    return explain(getattr(indicator, "computed", None), getattr(indicator, "unit", "") or "")


@register.simple_tag
def indicator_explained(indicator):
    """The indicator's status as a short line and full sentences (monitoring.explain.Explanation)."""
    from kompass.monitoring.explain import indicator_explanation

    return indicator_explanation(getattr(indicator, "computed", None), getattr(indicator, "unit", "") or "")


@register.simple_tag
def rollup_explained(row, kind):
    """A stored roll-up (GoalStatus, MeasureStatus, AggregateStatus or None) in plain words; `kind` says what
    was rolled up: "goal" (indicators), "measure" (goals), "strategy"/"action_field"/"value" (measures)."""
    from kompass.monitoring.explain import rollup_explanation

    return rollup_explanation(getattr(row, "rollup", None), kind)


@register.filter
def dated(value, precision="day"):
    """A target or baseline date with the precision it was entered with: "2027", "Dezember 2027" or
    "31.12.2027" (monitoring.dated, ADR 0081)."""
    from kompass.monitoring.dated import format_dated

    return format_dated(value, precision or "day")
