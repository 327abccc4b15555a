from django import template
from django.urls import translate_url
from django.utils.translation import get_language

from kompass.core.i18n import localized

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """The text of `field` in the active language, falling back to German."""
    return localized(obj, field) if obj is not None else ""


@register.filter
def ls(obj, field: str) -> str:
    """The Leichte Sprache variant of `field`, falling back to German."""
    return localized(obj, field, variant="ls") if obj is not None else ""


@register.simple_tag(takes_context=True)
def switch_language_url(context, lang: str) -> str:
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), lang)


@register.simple_tag
def current_language() -> str:
    return (get_language() or "de")[:2]
