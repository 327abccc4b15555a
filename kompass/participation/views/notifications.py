"""Notifications and the signed unsubscribe link of the digest email."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kompass.participation import services
from kompass.participation.models import Notification


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        return redirect("participation:notifications")
    items = Notification.objects.filter(user=request.user)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    unread = items.filter(read_at=None).count()
    return render(request, "participation/notifications.html", {"page": page, "unread": unread})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        user = services.unsubscribe(token=token)
        if user is None:
            return render(request, "participation/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "participation/unsubscribe.html", {"done": True})
    return render(request, "participation/unsubscribe.html", {"token": token})
