from django import template

register = template.Library()


@register.filter
def pct(value, digits: int = 2) -> str:
    """0.1234 -> "12.34 %"; None -> "–"."""
    if value is None or value == "":
        return "–"
    return f"{100 * float(value):.{int(digits)}f} %"
