from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value, digits: int = 2) -> str:
    """0.1234 -> "12,34 %" in German ("12.34 %" in English); None -> "–"."""
    if value is None or value == "":
        return "–"
    return f"{number_format(100 * float(value), int(digits))} %"
