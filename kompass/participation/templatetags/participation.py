"""Template tags of participation: `{% unread_notifications as n %}` for a nav badge in base.html (one COUNT query,
only for logged-in people who want on-site notifications) and `{% idempotency_field %}` for forms that create."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.notify_in_app):
        return 0
    return user.notifications.filter(read_at=None).count()


@register.simple_tag
def idempotency_field():
    """`{% idempotency_field %}` inside a form that creates something: a hidden field with a fresh key, so that
    sending the same form twice (double click, reload, back and resend) publishes once (ADR 0045)."""
    from django.utils.html import format_html

    from kompass.participation.idempotency import KEY_FIELD, new_key

    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, new_key())
