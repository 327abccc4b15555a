"""A decorator for expensive anonymous responses (PDFs): cached until the data changes, renders rate-limited.

    @expensive_response("pdf", version=latest_event_id)
    def factsheet_pdf(request, slug): ...

The response is cached in the default cache under the view, its arguments, the language and `version(request,
**kwargs)` — a stamp that changes when the underlying data changes — so a changed object is never served stale.
Only renders (cache misses) count against the per-client limit of `action` (kompass.core.ratelimit); over the
limit the answer is 429 with Retry-After, never a queue of PDF renders."""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from kompass.core.clientip import client_ip
from kompass.core.ratelimit import RateLimited, check_ip


def expensive_response(action: str, *, version, timeout: int = 24 * 3600):
    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            stamp = version(request, *args, **kwargs)
            raw = f"{view.__module__}.{view.__qualname__}|{args}|{sorted(kwargs.items())}|" \
                  f"{translation.get_language()}|{stamp}"
            key = "expensive:" + hashlib.sha256(raw.encode()).hexdigest()
            cached = cache.get(key)
            if cached is not None:
                body, content_type, disposition = cached
                response = HttpResponse(body, content_type=content_type)
                if disposition:
                    response["Content-Disposition"] = disposition
                response["X-Kompass-Cache"] = "hit"
                return response
            try:
                check_ip(action, client_ip(request))
            except RateLimited as exc:
                response = HttpResponse(_("Too many documents were requested from your address. Please try "
                                          "again in a few minutes."), status=429,
                                        content_type="text/plain; charset=utf-8")
                response["Retry-After"] = str(exc.retry_after)
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not getattr(response, "streaming", False):
                cache.set(key, (response.content, response["Content-Type"],
                                response.get("Content-Disposition", "")), timeout)
                response["X-Kompass-Cache"] = "miss"
            return response

        return wrapper

    return decorate
