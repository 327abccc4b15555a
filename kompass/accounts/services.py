"""Account writes: memberships (audited) and login throttling."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kompass.accounts.models import ApiToken, LoginFailure, Membership
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


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user` (themselves, or by the office). Returns the token and its secret (shown once)."""
    import secrets

    if actor is None or (actor.pk != user.pk and not actor.has_perm("accounts.manage_memberships")):
        raise PermissionDenied
    raw = "kp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:10], key_hash=_hash_token(raw))
    record_event(actor=actor, action="api_token.created", obj=token, changes={"name": (None, token.name)})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    if actor is None or (actor.pk != token.user_id and not actor.has_perm("accounts.manage_memberships")):
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=actor, action="api_token.revoked", obj=token)


def user_for_token(raw: str):
    """The active user owning an unrevoked token, or None. Marks the token as used (at most once a minute)."""
    if not raw or not raw.startswith("kp_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash_token(raw), revoked_at=None).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
