"""Liveness (/healthz), readiness (/readyz) and metrics (/metrics). Thin: the checks live in health.py."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kompass.ops import health, metrics


@never_cache
@require_GET
def healthz(request):
    """The process answers. Checks nothing else: a restart would not fix a broken database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request):
    result = health.readiness()
    return JsonResponse(result, status=200 if result["status"] != "fail" else 503)


def _metrics_allowed(request) -> bool:
    token = settings.KOMPASS_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


@never_cache
@require_GET
def metrics_view(request):
    if not _metrics_allowed(request):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST

    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)
