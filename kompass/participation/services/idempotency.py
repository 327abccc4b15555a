"""Idempotent writes (ADR 0045): a write that brings a key (`idempotency_key` form field, `Idempotency-Key`
header) reserves it in its own transaction before it writes, and stores what it created; the same key from the
same account later finds that record and answers with it instead of writing again.

Race-free without locks of our own: the unique constraint (user, key) decides. A second request with the same
key while the first is still running waits on PostgreSQL's unique index until the first commits (then it finds
the record) or rolls back (then it writes itself); SQLite serialises writers anyway."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.participation.idempotency import IdempotencyConflict, clean_key
from kompass.participation.models import IdempotencyKey

DEFAULT_HOURS = 24


def begin(*, actor, key, action: str, fingerprint: str, conflict: str = "") -> IdempotencyKey | None:
    """Call inside the write's transaction, before writing. Without a key: None (write as usual). With a new key:
    reserves it and returns None (write, then `finish`). With a key this account used for the same request: the
    earlier record (answer with it, write nothing). With a key used for a different request:
    `IdempotencyConflict` with the message `conflict`."""
    key = clean_key(key)
    if key is None:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("idempotency.begin() belongs inside the write's transaction")
    for _attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint: a duplicate key leaves the outer transaction usable
                IdempotencyKey.objects.create(user=actor, key=key, action=action, fingerprint=fingerprint)
            return None
        except IntegrityError:
            earlier = IdempotencyKey.objects.filter(user=actor, key=key).first()
        if earlier is not None:
            break
    else:  # purged between our INSERT and SELECT, three times: not a state a client can bring about
        raise RuntimeError("idempotency key neither insertable nor found")
    if earlier.action != action or earlier.fingerprint != fingerprint:
        raise IdempotencyConflict(conflict or _("This key was already used for a different request."),
                                  earlier_id=earlier.object_id)
    return earlier


def finish(*, actor, key, obj=None, result: dict | None = None) -> None:
    """Store what the write created (`obj`) or answered (`result`) under the key reserved by `begin`."""
    key = clean_key(key)
    if key is None:
        return
    IdempotencyKey.objects.filter(user=actor, key=key).update(object_id=obj.pk if obj is not None else None,
                                                              result=result or {})


def replayed(model, earlier: IdempotencyKey):
    """What the earlier request with the same key created (an instance of `model`), marked
    `idempotent_replay = True` for callers that say so (the API's `Idempotent-Replayed` header)."""
    obj = model.objects.filter(pk=earlier.object_id).first()
    if obj is None:
        raise ValidationError(_("This form was already sent, and what it published no longer exists."))
    obj.idempotent_replay = True
    return obj


def key_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "KOMPASS_IDEMPOTENCY_HOURS", DEFAULT_HOURS))


@transaction.atomic
def idempotency_keys_purge(*, actor, older_than: datetime.timedelta | None = None) -> int:
    """Delete keys older than `older_than` (default `KOMPASS_IDEMPOTENCY_HOURS`, 24): after that, a resent form
    or a client's retry counts as a new request. Keys link an account to its writes, so they do not stay."""
    require(actor, "participation.purge_idempotency_keys")
    cutoff = timezone.now() - (older_than if older_than is not None else key_lifetime())
    deleted, _detail = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        record_event(actor=actor, action="idempotency_keys.purged", changes={"keys": (deleted, 0)})
    return deleted
