"""Login throttling (ADR 0031, growing backoff ADR 0036): django-axes plus an atomic gate in front of the password
check.

The gate is the authority. Every attempt for an account (across all addresses) first takes one slot of a shared,
atomic counter (kompass.core.ratelimit); only `LOGIN_FAILURE_LIMIT` attempts reach the password check, however
many arrive at once. When the attempt holding the last slot fails, the account is locked for
`LOGIN_LOCKOUT_BASE_SECONDS × 2^(n-1)` (n = lock-outs so far, at most `LOGIN_LOCKOUT_MAX_SECONDS`); after the
lock the account gets a fresh set of slots. The lock-out count is forgotten after `LOGIN_LOCKOUT_RESET_SECONDS`
without a lock-out, and at once after a successful login.

django-axes records the failures per account (visible in the admin, deleted with the account) and locks in step
with the gate: its cool-off is the gate's current lock, or the lock the next lock-out would get."""

import hashlib
import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from kompass.core import ratelimit


class LockedOut(Exception):
    """The account is locked; `seconds` until it may try again."""

    def __init__(self, seconds: int):
        self.seconds = max(1, int(seconds))
        super().__init__(lockout_message(self.seconds))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts for this account. For your protection it is locked for %(minutes)s "
        "minute. Please wait %(minutes)s minute before you try again.",
        "Too many failed sign-in attempts for this account. For your protection it is locked for %(minutes)s "
        "minutes. Please wait %(minutes)s minutes before you try again.", minutes) % {"minutes": minutes}


def normalise(email) -> str:
    return (email or "").strip().lower()


def _key(email: str) -> str:
    """A keyed hash of the address: the shared store never holds an address, nor a hash one could look up."""
    return "login:" + hashlib.sha256(f"{settings.SECRET_KEY}|{normalise(email)}".encode()).hexdigest()


def backoff_seconds(lockouts: int) -> int:
    """The length of the `lockouts`-th lock-out (1, 2, 3 …): base, doubled each time, at most the cap."""
    base, cap = settings.LOGIN_LOCKOUT_BASE_SECONDS, settings.LOGIN_LOCKOUT_MAX_SECONDS
    return min(cap, base * 2 ** min(max(lockouts, 1) - 1, 32))


def _lockouts(key: str) -> int:
    return ratelimit.peek(f"{key}:lockouts")


def remaining_seconds(email: str) -> int:
    """Seconds the account is still locked (0 when it is not)."""
    until = ratelimit.deadline(f"{_key(email)}:locked")
    return math.ceil((until - timezone.now()).total_seconds()) if until else 0


def take_attempt(email: str) -> bool:
    """Take one attempt for the account. Raises LockedOut when it is locked or its attempts are used up; returns
    True when this attempt holds the last slot (its failure starts the next lock-out)."""
    key = _key(email)
    lockouts = _lockouts(key)  # read before the lock: lock_out() sets the lock before it counts the lock-out
    if left := remaining_seconds(email):
        raise LockedOut(left)
    slot = ratelimit.incr(f"{key}:attempts:{lockouts}", settings.LOGIN_FAILURE_WINDOW_SECONDS)
    if slot > settings.LOGIN_FAILURE_LIMIT:
        raise LockedOut(remaining_seconds(email) or backoff_seconds(lockouts + 1))
    return slot == settings.LOGIN_FAILURE_LIMIT


def lock_out(email: str) -> int:
    """Start the next, longer lock-out of the account; return its length in seconds.

    Only the attempt that held the last slot of the current lock-out count calls this (the slot counter is atomic),
    so the count cannot be raised twice. The lock is set before the count is raised: an attempt that already sees
    the new count (and so a fresh set of slots) is sure to see the lock too."""
    key = _key(email)
    seconds = backoff_seconds(_lockouts(key) + 1)
    ratelimit.set_deadline(f"{key}:locked", timezone.now() + timedelta(seconds=seconds))
    ratelimit.incr(f"{key}:lockouts", settings.LOGIN_LOCKOUT_RESET_SECONDS + settings.LOGIN_LOCKOUT_MAX_SECONDS)
    return seconds


def reset(email: str) -> None:
    """A successful login: the account's attempts, lock and lock-out count start again from nothing."""
    key = _key(email)
    lockouts = _lockouts(key)
    ratelimit.forget(f"{key}:lockouts", f"{key}:locked", *(f"{key}:attempts:{n}" for n in range(lockouts + 1)))


def lockout_response(request, seconds: int):
    response = render(request, "accounts/locked_out.html",
                      {"message": lockout_message(seconds), "minutes": max(1, math.ceil(seconds / 60))}, status=429)
    response["Retry-After"] = str(int(seconds))
    return response


# django-axes hooks (settings AXES_USERNAME_CALLABLE, AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME, AXES_LOCKOUT_CALLABLE)

def axes_username(request, credentials=None) -> str | None:
    value = (credentials or {}).get("username") or (request.POST.get("username") if request is not None else None)
    return normalise(value) or None


def failure_limit(request=None, credentials=None) -> int:
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request=None) -> timedelta:
    email = axes_username(request) if request is not None else None
    if not email:
        return timedelta(seconds=settings.LOGIN_LOCKOUT_BASE_SECONDS)
    return timedelta(seconds=remaining_seconds(email) or backoff_seconds(_lockouts(_key(email)) + 1))


def axes_lockout_response(request, original_response=None, credentials=None):
    email = axes_username(request, credentials)
    return lockout_response(request, (remaining_seconds(email) if email else 0) or cool_off(request).total_seconds())


class RequestAxesBackend(AxesStandaloneBackend):
    """Axes for logins over HTTP; a login without a request (the test client's login(), management code) has no
    client to throttle and is left to the next backend instead of failing. Axes cleans expired attempts only when
    it records a new failure or success, so its lock would outlast the cool-off: expired attempts of the account
    are removed before its check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        from axes.models import AccessAttempt

        AccessAttempt.objects.filter(username=normalise(username),
                                     expiration__expires_at__lte=timezone.now()).delete()
        return super().authenticate(request, username=username, password=password, **kwargs)


def forget_account(email: str) -> None:
    """Delete what django-axes and the gate keep about an account (its login attempts name the address)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()
    reset(email)
