"""Idempotency keys of citizens' writes (ADR 0045), the parts without a database: the names, new keys, checking a
key and the fingerprint of a request. The writes are in `services/idempotency.py`.

A form that creates something (an idea, a comment or reply) carries a fresh key in the hidden field
`idempotency_key`, made when the form is rendered; API clients send the header `Idempotency-Key`. The key is
scoped to the account: the same key from the same account answers with what the first request created (the same
redirect and message, the same API status), never a second row; the same key with a different request is refused
(`IdempotencyConflict`). Keys are not secrets: another account's key means nothing for yours."""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KEY_FIELD = "idempotency_key"  # the hidden form field
KEY_HEADER = "Idempotency-Key"  # the API request header
REPLAYED_HEADER = "Idempotent-Replayed"  # on an API answer that repeats an earlier one
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{8,64}")  # a UUID (36 characters) fits; so do most clients' keys


class IdempotencyConflict(ValidationError):
    """The account sent this key before, with a different request: nothing is written. `earlier_id` is the pk of
    what the first request created (None for a support)."""

    def __init__(self, message: str, earlier_id: int | None = None):
        super().__init__(message, code="idempotency_conflict")
        self.earlier_id = earlier_id


def new_key() -> str:
    return str(uuid.uuid4())


def clean_key(raw) -> str | None:
    """The key, or None when none was sent; a malformed one is a ValidationError (never silently ignored: the
    client expects a retry to be safe)."""
    key = (raw or "").strip() if isinstance(raw, str) else ""
    if not key:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise ValidationError(_("The form's safety token is invalid. Reload the page and send the form again."),
                              code="invalid_idempotency_key")
    return key


def fingerprint(action: str, *parts) -> str:
    """A hash of what a request asks for (the action and its normalised input), to tell a repeated request from a
    different one under the same key."""
    data = json.dumps([action, *parts], default=str, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
