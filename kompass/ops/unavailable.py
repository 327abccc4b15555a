"""503 instead of 500 while the database cannot be reached (config/urls.py handler500).

When PgBouncer or PostgreSQL restarts, a request that needs a new database connection (or whose pooled
connection was cut) fails with django.db.OperationalError/InterfaceError. That is not a bug in the page but a
short outage: the visitor gets 503 Service Unavailable with Retry-After, a German page (English second) or, for
the API, a JSON body; load balancers and clients retry. Every other uncaught exception stays a 500.

The handler runs inside Django's exception handling (sys.exc_info() is the exception) and touches neither the
database nor the session: it renders without the request context."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5
API_PREFIXES = ("/api/", "/data/api/")


def _connection_lost() -> bool:
    """A database connection is gone (never opened, closed or marked broken by the driver)."""
    for alias in connections:
        conn = connections[alias]
        raw = conn.connection
        if raw is None and conn.errors_occurred:
            return True
        if raw is not None and (getattr(raw, "closed", False) or getattr(raw, "broken", False)):
            return True
    return False


def _raised_while_connecting(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name in ("ensure_connection", "connect", "get_new_connection"):
            return True
        tb = tb.tb_next
    return False


def database_unreachable(exc: BaseException | None) -> bool:
    """True for an error that means "no database right now", not for a failing query (a constraint, a
    timeout, a deadlock stay 500: they are not fixed by retrying later)."""
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        return _raised_while_connecting(exc) or _connection_lost()
    return False


def unavailable_response(request) -> HttpResponse:
    path = getattr(request, "path", "") or ""
    if path.startswith(API_PREFIXES):
        response = JsonResponse({"detail": "Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es "
                                           "in einigen Sekunden erneut.",
                                 "detail_en": "The service is temporarily unavailable. Please retry shortly.",
                                 "code": "database_unavailable"}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503,
                                content_type="text/html; charset=utf-8")
        response["Content-Language"] = "de"
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # never into the page or edge cache
    return response


def server_error(request):
    """handler500: 503 + Retry-After while the database is unreachable, else the 500 page."""
    if database_unreachable(sys.exc_info()[1]):
        return unavailable_response(request)
    return HttpResponse(render_to_string("500.html"), status=500, content_type="text/html; charset=utf-8")
