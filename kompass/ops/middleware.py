"""The outermost middleware: request id, request log line and request metrics."""

from __future__ import annotations

import logging
import time

from django.conf import settings

from kompass.ops import requestid
from kompass.ops.metrics import LATENCY, REQUESTS

access_log = logging.getLogger("kompass.request")


def _view_name(request, response) -> str:
    if response.get("X-Kompass-Cache") == "hit":
        return "page_cache_hit"  # answered before URL resolution
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"  # bounded: one label per URL pattern, never the raw path


class OpsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = requestid.new_or_given(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = requestid.bind(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - start
            view = _view_name(request, response)
            REQUESTS.labels(request.method if request.method in _METHODS else "other", view,
                            str(response.status_code)).inc()
            LATENCY.labels(view).observe(elapsed)
            response["X-Request-ID"] = request_id
            if settings.KOMPASS_REQUEST_LOG:
                access_log.info("request", extra={
                    "method": request.method, "path": request.path[:500], "view": view,
                    "status": response.status_code, "duration_ms": round(elapsed * 1000, 1),
                    "cache": response.get("X-Kompass-Cache", ""), "request_id": request_id,
                })
            return response
        finally:
            requestid.unbind(token)


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
