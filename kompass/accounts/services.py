"""Account writes: memberships (audited) and login throttling."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kompass.accounts.models import LoginFailure, Membership
from kompass.audit.services import record_event


def _throttle_keys(email: str, ip: str) -> list[str]:
    email = (email or "").strip().lower()
    return [hashlib.sha256(f"user:{email}|{ip}".encode()).hexdigest(),
            hashlib.sha256(f"ip:{ip}".encode()).hexdigest()]


def login_blocked(email: str, ip: str) -> bool:
    """True when too many recent failures came for this address from this IP (or from this IP overall)."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    user_key, ip_key = _throttle_keys(email, ip)
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(occurred_at__gte=since)
    return (recent.filter(key=user_key).count() >= limit
            or recent.filter(key=ip_key).count() >= limit * 4)


def record_login_failure(email: str, ip: str) -> None:
    LoginFailure.objects.bulk_create([LoginFailure(key=key) for key in _throttle_keys(email, ip)])
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS * 2)
    LoginFailure.objects.filter(occurred_at__lt=cutoff).delete()


@transaction.atomic
def membership_set(*, actor, user, organisation, role: str) -> Membership:
    if actor is not None and not actor.has_perm("accounts.manage_memberships"):
        raise PermissionDenied
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation,
                                                           defaults={"role": role})
    if created:
        record_event(actor=actor, action="membership.created", obj=membership, changes={"role": (None, role)})
    elif membership.role != role:
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(actor=actor, action="membership.updated", obj=membership, changes={"role": (old, role)})
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    if actor is not None and not actor.has_perm("accounts.manage_memberships"):
        raise PermissionDenied
    record_event(actor=actor, action="membership.deleted", obj=membership)
    membership.delete()
