"""Account writes: memberships, tokens, citizen accounts (audited). Login throttling: accounts/throttle.py."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kompass.accounts.models import ApiToken, Membership
from kompass.audit.services import record_event
from kompass.core.actors import is_system
from kompass.core.permissions import require


@transaction.atomic
def membership_set(*, actor, user, organisation, role: str) -> Membership:
    require(actor, "accounts.manage_memberships")
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
    require(actor, "accounts.manage_memberships")
    record_event(actor=actor, action="membership.deleted", obj=membership)
    membership.delete()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user` (themselves, or by the office). Returns the token and its secret (shown once)."""
    import secrets

    require(actor, "accounts.manage_api_tokens", user)
    raw = "kp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:10], key_hash=_hash_token(raw))
    record_event(actor=actor, action="api_token.created", obj=token, changes={"name": (None, token.name)})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    require(actor, "accounts.manage_api_tokens", token.user)
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


# --- Citizen accounts: registration, settings, personal data, deletion ---------------------------------------

#: Apps holding contributions register callables here (in their AppConfig.ready):
#: PERSONAL_DATA_PROVIDERS: name -> f(user) -> JSON-able data; ACCOUNT_DELETE_HOOKS: f(user) anonymises.
PERSONAL_DATA_PROVIDERS: dict = {}
ACCOUNT_DELETE_HOOKS: list = []

VERIFY_SALT = "kompass.accounts.verify"


def verification_token(user) -> str:
    from django.core import signing

    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


@transaction.atomic
def citizen_register(*, email: str, password: str, display_name: str, language: str = "de",
                     verify_url_builder=None, login_url: str = "", reset_url: str = "", ip: str | None = None):
    """Create an inactive account and send the verification link. `verify_url_builder(token) -> absolute URL`.

    When the address already has an account (also when a parallel request created it a moment ago), nothing is
    created and its owner gets an email instead, so the answer never tells whether an address is registered.
    Limited per address and per IP (RateLimited). Returns the new user or None."""
    from django.core.mail import send_mail
    from django.db import IntegrityError
    from django.utils.translation import gettext as _

    from kompass.accounts.models import User
    from kompass.core.ratelimit import check_rate

    email = email.strip().lower()
    check_rate(email, "register", ip)
    user = None
    if not User.objects.filter(email=email).exists():
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password,
                                                display_name=display_name.strip()[:80],
                                                language=language if language in ("de", "en") else "de",
                                                is_active=False)
        except IntegrityError:  # a parallel registration of the same address won
            user = None
    if user is None:
        transaction.on_commit(lambda: send_mail(
            _("Registration attempt with your address"),
            _("Someone (perhaps you) tried to register a new account with this email address. You already have "
              "an account. Log in: %(login)s\nForgot your password? Reset it: %(reset)s\nIf it was not you, you "
              "can ignore this email.") % {"login": login_url, "reset": reset_url},
            None, [email]))
        return None
    record_event(actor=user, action="account.registered", obj=user,
                 changes={"display_name": (None, user.display_name)})
    token = verification_token(user)
    link = verify_url_builder(token) if verify_url_builder else token
    transaction.on_commit(lambda: send_mail(
        _("Please confirm your email address"),
        _("Please open this link to confirm your account: %(link)s\nThe link is valid for %(days)s days.")
        % {"link": link, "days": getattr(settings, "KOMPASS_VERIFY_DAYS", 3)},
        None, [email]))
    return user


@transaction.atomic
def citizen_verify(*, token: str):
    """Activate the account named in a valid, unexpired token. Returns the user or None."""
    from django.core import signing

    from kompass.accounts.models import User

    try:
        data = signing.loads(token, salt=VERIFY_SALT,
                             max_age=getattr(settings, "KOMPASS_VERIFY_DAYS", 3) * 86400)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        return None
    if not user.is_active and not user.is_blocked:
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_event(actor=user, action="account.verified", obj=user, changes={"is_active": (False, True)})
    return user


def citizen_resend_verification(*, email: str, verify_url_builder=None, ip: str | None = None) -> bool:
    """Send a new confirmation link to an account that is not confirmed yet. The answer to the person is the same
    whether or not such an account exists; limited per address and per IP (RateLimited). Returns True if sent."""
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    from kompass.accounts.models import User
    from kompass.core.ratelimit import check_rate

    email = (email or "").strip().lower()
    check_rate(email, "resend_verification", ip)
    user = User.objects.filter(email=email, is_active=False, is_blocked=False, last_login=None).first()
    if user is None:
        return False
    token = verification_token(user)
    link = verify_url_builder(token) if verify_url_builder else token
    send_mail(_("Please confirm your email address"),
              _("Please open this link to confirm your account: %(link)s\nThe link is valid for %(days)s days.")
              % {"link": link, "days": getattr(settings, "KOMPASS_VERIFY_DAYS", 3)}, None, [email])
    record_event(actor=user, action="account.verification_resent", obj=user)
    return True


def _require_owner(actor, user) -> None:
    """Settings, the data export and deletion belong to the account's owner (or a system process) alone.

    The check is `require()` like everywhere; because Django lets a superuser pass every `has_perm`, the owner
    rule is enforced once more here, so not even an admin changes or reads someone else's account this way."""
    require(actor, "accounts.manage_own_account", user)
    if not is_system(actor) and actor.pk != user.pk:
        raise PermissionDenied("accounts.manage_own_account")


SETTINGS_FIELDS = ["display_name", "language", "email_digest", "notify_in_app"]


@transaction.atomic
def account_update_settings(*, actor, user, data: dict):
    _require_owner(actor, user)
    changes = {}
    for key in SETTINGS_FIELDS:
        if key in data and getattr(user, key) != data[key]:
            changes[key] = (getattr(user, key), data[key])
            setattr(user, key, data[key])
    if changes:
        user.save(update_fields=list(changes))
        record_event(actor=actor, action="account.settings_changed", obj=user, changes=changes)
    return user


def account_personal_data(*, actor, user) -> dict:
    """Everything Kompass stores about `user` and everything they contributed, as JSON-able data."""
    _require_owner(actor, user)
    data = {
        "account": {
            "email": user.email, "display_name": user.display_name, "language": user.language,
            "date_joined": user.date_joined.isoformat(), "last_login": user.last_login.isoformat()
            if user.last_login else None, "email_digest": user.email_digest, "notify_in_app": user.notify_in_app,
            "is_blocked": user.is_blocked, "blocked_reason": user.blocked_reason,
        },
        "memberships": [{"organisation": m.organisation.name, "role": m.role}
                        for m in user.memberships.select_related("organisation")],
        "groups": [g.name for g in user.user_groups.all()],
        "api_tokens": [{"name": t.name, "created_at": t.created_at.isoformat(), "revoked": t.revoked_at is not None}
                       for t in user.api_tokens.all()],
    }
    for name, provider in PERSONAL_DATA_PROVIDERS.items():
        data[name] = provider(user)
    return data


@transaction.atomic
def account_delete(*, actor, user) -> None:
    """Delete the account. Contributions stay, anonymised (their author becomes "deleted account").

    `actor` is the account's owner, or a system actor (`system_actor("account deletion")`) when a command or a
    job deletes it; the audit event names that actor (a person only by the pseudonym `user:<pk>`)."""
    _require_owner(actor, user)
    from kompass.accounts import throttle
    from kompass.audit.services import forget_person

    for hook in ACCOUNT_DELETE_HOOKS:
        hook(user)
    throttle.forget_account(user.email)
    forget_person(user)
    record_event(actor=actor, action="account.deleted", changes={"user_id": (user.pk, None)})
    user.delete()
