"""`{% load participation %}{% unread_notifications as n %}` – for a nav badge in base.html (one COUNT query,
only for logged-in people who want on-site notifications)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.notify_in_app):
        return 0
    return user.notifications.filter(read_at=None).count()
