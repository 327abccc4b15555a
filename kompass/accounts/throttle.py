"""Login throttling (ADR 0031): django-axes plus an atomic gate in front of the password check.

django-axes records failures per account (`AXES_LOCKOUT_PARAMETERS = ["username"]`, across all addresses), locks
the account for the cool-off time after `LOGIN_FAILURE_LIMIT` failures and answers 429. Its check and its count
are two steps, so parallel guesses could all pass the check before any failure is counted; the gate closes that:
every attempt for an account first takes one slot of the shared, atomic counter (kompass.core.ratelimit), and only
`LOGIN_FAILURE_LIMIT` attempts per window reach the password check, however many arrive at once. A successful
login gives the slots back."""

import hashlib
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings

from kompass.core import ratelimit


def failure_limit(request=None, credentials=None) -> int:
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request=None) -> timedelta:
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _key(email: str) -> str:
    return "login:" + hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


def take_attempt(email: str) -> None:
    """Take one login attempt for the account; RateLimited when the window's attempts are used up."""
    ratelimit.check_key(_key(email), settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def give_back_attempts(email: str) -> None:
    ratelimit.reset(_key(email), settings.LOGIN_FAILURE_WINDOW_SECONDS)


class RequestAxesBackend(AxesStandaloneBackend):
    """Axes for logins over HTTP; a login without a request (the test client's login(), management code) has no
    client to throttle and is left to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def forget_account(email: str) -> None:
    """Delete what django-axes keeps about an account (its login attempts name the address)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()
