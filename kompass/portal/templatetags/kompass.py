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


@register.filter(name="num")
def num_filter(value, decimals=None):
    """`{{ x|num }}` or `{{ x|num:1 }}`: a number in the active language's format (see kompass.core.formats)."""
    from kompass.core import formats

    return formats.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value, decimals=1):
    """`{{ 58.8|percent }}` -> "58,8 %" (the value is in percent points)."""
    from kompass.core import formats

    return formats.percent(value, int(decimals))


@register.filter
def share(value, decimals=1):
    """`{{ 0.588|share }}` -> "58,8 %" (the value is a fraction)."""
    from kompass.core import formats

    return formats.share(value, int(decimals))


@register.filter
def money(value):
    """`{{ 120000|money }}` -> "120.000 €"."""
    from kompass.core import formats

    return formats.money(value)


@register.simple_tag
def inline_static(path: str) -> str:
    """The content of a static file, for documents rendered outside the browser (PDF) that cannot fetch it."""
    from django.contrib.staticfiles import finders
    from django.utils.safestring import mark_safe

    found = finders.find(path)
    if not found:
        return ""
    with open(found, encoding="utf-8") as handle:
        return mark_safe(handle.read())  # our own static file, not user input


@register.filter
def kern_widget(bound_field):
    """A form field's widget with KERN classes and aria-describedby pointing at its hint and error."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", None)
    errors = bool(bound_field.errors)
    if input_type in ("checkbox", "radio"):
        kind = "kern-form-check__checkbox" if input_type == "checkbox" else "kern-form-check__radio"
    elif getattr(widget, "allow_multiple_selected", False) or widget.__class__.__name__.endswith("Select"):
        kind = "kern-form-input__select"
    else:
        kind = "kern-form-input__input"
    classes = [kind] + ([f"{kind}--error"] if errors else [])
    existing = widget.attrs.get("class", "")
    attrs = {"class": " ".join([existing, *classes]).strip()}
    described = [part for part, present in ((f"{bound_field.auto_id}-hint", bound_field.help_text),
                                            (f"{bound_field.auto_id}-error", errors)) if present]
    if described and bound_field.auto_id:
        attrs["aria-describedby"] = " ".join(described)
    if errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def kern_kind(bound_field) -> str:
    """How the KERN field template lays a field out: "check", "group" (several boxes/radios), "select" or "input"."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", None)
    if input_type in ("checkbox", "radio"):
        return "group" if getattr(widget, "allow_multiple_selected", False) or input_type == "radio" else "check"
    if getattr(widget, "allow_multiple_selected", False) or widget.__class__.__name__.endswith("Select"):
        return "select"
    return "input"


@register.simple_tag(takes_context=True)
def account_menu(context) -> dict:
    """The menu's facts for the visitor: the "Process overview", "My tasks" and "Moderation" links and the number
    of unread notifications; for an account cached per account state until the next committed write (ADR 0044;
    five queries otherwise). In a shared page (kompass.core.fragments.cached_page) the facts it was rendered for."""
    if context.get("kompass_frame") is not None:
        return context["kompass_frame"]
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"overview": False, "my_tasks": False, "moderate": False, "unread": 0}
    if not user.is_authenticated:
        return {"overview": user.has_perm("lifecycle.view_overview"), "my_tasks": False, "moderate": False,
                "unread": 0}

    def compute() -> dict:
        from kompass.accounts import roles
        from kompass.participation.templatetags.participation import unread_notifications

        roles.forget(user)  # read memberships and permissions after the generation, not before
        return {"overview": user.has_perm("lifecycle.view_overview"),
                "my_tasks": user.has_perm("monitoring.view_my_tasks"),
                "moderate": user.has_perm("participation.moderate"),
                "unread": unread_notifications({"request": request})}

    from kompass.core import fragments

    return fragments.cached_value("portal.account_menu", fragments.account_state(user), compute)


def frame_facts(request) -> dict:
    """What the page frame (base.html) shows that depends on the visitor, for shared pages (ADR 0083): logged in,
    the account menu's facts and the back-office link. Nothing that identifies the account."""
    user = getattr(request, "user", None)
    auth = bool(user is not None and user.is_authenticated)
    return {"auth": auth, "backoffice": bool(auth and (user.is_strategy_office or user.is_superuser)),
            **account_menu({"request": request})}
