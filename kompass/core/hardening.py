"""Input hardening shared by every page and the API: no server error for any input.

`InputSanityMiddleware` answers 400 with a message when a query parameter, a posted form field or a JSON body
carries a NUL byte (PostgreSQL cannot store one and the database drivers raise instead of returning no rows).
`bounded_int()` turns a request value into an int within a range, or a default, for the places that parse
numbers themselves (page numbers, offsets, hidden ids): numbers beyond the database's bigint are refused there."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

BIGINT_MAX = 2**63 - 1
MAX_PAGE = 100_000  # page numbers above this are treated as page 1
MAX_OFFSET = 1_000_000  # the largest list offset the API accepts (documented in its OpenAPI schema)
_JSON_NUL = re.compile(rb"(?<!\\)\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def bounded_int(value, default: int | None = None, *, minimum: int = 0, maximum: int = BIGINT_MAX) -> int | None:
    """`value` as an int in [minimum, maximum]; `default` for anything else (text, NUL, 1e99, "")."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        if not text or len(text) > 20 or not re.fullmatch(r"[+-]?\d+", text):
            return default
        number = int(text)
    return number if minimum <= number <= maximum else default


def pk_or_404(value) -> int:
    """A posted or routed id as an int, or Http404 for text, NUL bytes or numbers beyond bigint."""
    number = bounded_int(value, minimum=1)
    if number is None:
        raise Http404
    return number


def _has_nul(query_dict) -> str | None:
    for key, values in query_dict.lists():
        if "\x00" in key:
            return key.replace("\x00", "\\0")
        for value in values:
            if isinstance(value, str) and "\x00" in value:
                return key
    return None


class InputSanityMiddleware:
    """Refuses NUL bytes in the path, the query string, posted form fields and JSON bodies with 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = int(getattr(settings, "KOMPASS_MAX_REQUEST_BYTES", 30 * 1024 * 1024))
        length = bounded_int(request.META.get("CONTENT_LENGTH"), 0)
        if length is None or length > limit:  # refused before Django reads (and spools) the body
            return bad_request(request, "body", _("The upload is larger than %(mb)s MB.") % {"mb": limit // 2**20},
                               status=413)
        field = None
        if "\x00" in request.path:
            field = "path"
        else:
            field = _has_nul(request.GET)
        if field is None and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith(_FORM_TYPES):
                try:
                    field = _has_nul(request.POST)
                except Exception:  # noqa: BLE001 - a malformed body is the view's (Django's) business
                    field = None
            elif "json" in content_type:
                body = request.body
                if b"\x00" in body or _JSON_NUL.search(body):
                    field = "body"
        if field is None:
            return self.get_response(request)
        return bad_request(request, field, _("The value contains a NUL character (\\0), which is not allowed."))


def bad_request(request, field: str, message: str, status: int = 400):
    """A 400 answer naming the field: the API's error schema for /api/, a page with the message elsewhere."""
    if request.path.startswith("/api/"):
        location = "query" if field not in ("body", "path") else field
        return JsonResponse({"detail": [{"param": field, "loc": [location, field], "msg": message}]}, status=status)
    return render(request, "core/bad_request.html", {"field": field, "message": message}, status=status)
