"""A request id for every request: taken from the proxy's `X-Request-ID` when it looks like one, else generated.

It is kept in a context variable so that every log record written while the request runs carries it
(`RequestIdFilter`), and it is returned to the client in the `X-Request-ID` response header."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

_current: contextvars.ContextVar[str] = contextvars.ContextVar("kompass_request_id", default="")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


def current() -> str:
    return _current.get()


def new_or_given(header: str | None) -> str:
    """The proxy's id if it is a plausible token (no spaces, control characters or huge values), else a new one."""
    if header and _VALID.match(header):
        return header
    return uuid.uuid4().hex


def bind(request_id: str):
    return _current.set(request_id)


def unbind(token) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record ("" outside a request, e.g. in the task worker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _current.get()
        return True
