"""Supports (exact counts under concurrency) and follows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.participation.idempotency import fingerprint
from kompass.participation.models import Consultation, Follow, Idea, Support
from kompass.participation.services import idempotency
from kompass.participation.services.ratelimit import check_rate


@transaction.atomic
def support_add(*, actor, idea: Idea, ip: str | None = None, idempotency_key: str | None = None) -> bool:
    """Support an idea; returns False if this account already supports it. Counts stay exact under
    concurrency: the unique constraint decides, the counter moves with F() in the same transaction. With
    `idempotency_key` (the API's header, ADR 0045) a retry returns what the first request returned."""
    if idea.author_id is not None and idea.author_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot support your own idea."))
    require(actor, "participation.support_idea", idea)
    if idea.is_hidden:
        raise PermissionDenied
    earlier = idempotency.begin(actor=actor, key=idempotency_key, action="support.add",
                                fingerprint=fingerprint("support.add", idea.pk))
    if earlier is not None:
        return bool(earlier.result.get("changed"))
    return _support_insert(actor, idea, ip, idempotency_key)


def _support_insert(actor, idea: Idea, ip: str | None, key: str | None) -> bool:
    check_rate(actor, "support", ip)
    # One statement instead of SAVEPOINT/INSERT/RELEASE: the unique constraint decides, no exception needed.
    # (PostgreSQL and SQLite >= 3.35 both support ON CONFLICT … RETURNING.)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Support._meta.db_table} (idea_id, user_id, created_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (idea_id, user_id) DO NOTHING RETURNING id", [idea.pk, actor.pk, timezone.now()])
        row = cursor.fetchone()
    idempotency.finish(actor=actor, key=key, result={"changed": row is not None})
    if row is None:
        return False
    record_event(actor=actor, action="support.created", obj=idea, changes={"support": (None, row[0])})
    # Last statement before COMMIT: the idea's row lock (the hot spot for popular ideas) is held briefly.
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def support_withdraw(*, actor, idea: Idea) -> bool:
    require(actor, "participation.withdraw_support", idea)
    deleted, _detail = Support.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        record_event(actor=actor, action="support.withdrawn", obj=idea)
    return bool(deleted)


@transaction.atomic
def follow_set(*, actor, idea: Idea | None = None, consultation: Consultation | None = None,
               follow: bool = True) -> bool:
    require(actor, "participation.follow")
    target = {"idea": idea} if idea is not None else {"consultation": consultation}
    if follow:
        _obj, created = Follow.objects.get_or_create(user=actor, **target)
        if created:
            record_event(actor=actor, action="follow.created", obj=idea or consultation)
        return created
    deleted, _detail = Follow.objects.filter(user=actor, **target).delete()
    if deleted:
        record_event(actor=actor, action="follow.deleted", obj=idea or consultation)
    return bool(deleted)
