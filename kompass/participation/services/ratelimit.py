"""Rate limits per account and per IP for contributions (counted in the cache, so shared by all workers when
the cache is). The signature of `check_rate` is stable: the security work replaces its internals."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_RATE_LIMITS = {  # action: (events per account, window in seconds); per IP the limit is 4x
    "idea": (5, 3600),
    "comment": (20, 600),
    "support": (60, 600),
    "vote": (300, 600),
    "statement": (10, 3600),
}


class RateLimited(Exception):
    """The account or address reached the limit for an action; `str(exc)` is a message for people."""


def _limits(action: str) -> tuple[int, int]:
    return getattr(settings, "KOMPASS_PARTICIPATION_RATE_LIMITS", {}).get(action, DEFAULT_RATE_LIMITS[action])


def check_rate(actor, action: str, ip: str | None = None) -> None:
    """Count one event of `action` for the account (and the IP); raise RateLimited when over the limit."""
    limit, window = _limits(action)
    bucket = int(timezone.now().timestamp() // window)
    keys = [(f"rl:{action}:u:{actor.pk}:{bucket}", limit)]
    if ip:
        keys.append((f"rl:{action}:ip:{ip}:{bucket}", limit * getattr(settings, "KOMPASS_RATE_IP_FACTOR", 4)))
    for key, allowed in keys:
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        if count > allowed:
            minutes = max(1, math.ceil(window / 60))
            raise RateLimited(_("You have reached the limit of %(limit)s for this action. Please try again "
                                "in up to %(minutes)s minutes.") % {"limit": allowed, "minutes": minutes})
