"""The shared rate limiter: limits that hold across all web workers and servers (ADR 0030).

`check_rate(actor, action, ip=None)` has the signature of participation's former limiter: it counts one event of
`action` for the account and, when given, for the client address (with `KOMPASS_RATE_IP_FACTOR` times the limit),
and raises `RateLimited` (a message for people) once a count is over its limit within the current window.

Counting is atomic wherever it happens: on a Redis cache with Redis' INCR, otherwise in the database table
`core.RateCounter` with `UPDATE … SET count = count + 1` (the database serialises concurrent updates of a row). A
per-process cache (local memory) is never used for counting, so several workers always share one count. While
Redis cannot be reached (a restart), counts go to the database table, so limits keep holding and nothing fails."""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger("kompass.ratelimit")

#: action: (events per account or address, window in seconds). Settings override: KOMPASS_RATE_LIMITS.
DEFAULT_RATE_LIMITS = {
    "idea": (5, 3600),
    "comment": (20, 600),
    "support": (60, 600),
    "vote": (300, 600),
    "statement": (10, 3600),
    "register": (3, 3600),  # per address; per IP 4x
    "password_reset": (3, 3600),
    "resend_verification": (3, 3600),  # new confirmation links, per address; per IP 4x
    "pdf": (30, 600),  # expensive anonymous PDFs per client address
}


class RateLimited(Exception):
    """The account or address reached the limit for an action; `str(exc)` is a message for people."""

    def __init__(self, message: str = "", *, retry_after: int = 60):
        self.retry_after = retry_after
        super().__init__(message)


def limits(action: str) -> tuple[int, int]:
    configured = {**getattr(settings, "KOMPASS_PARTICIPATION_RATE_LIMITS", {}),
                  **getattr(settings, "KOMPASS_RATE_LIMITS", {})}
    return configured.get(action) or DEFAULT_RATE_LIMITS[action]


def uses_redis() -> bool:
    from django.core.cache.backends.redis import RedisCache

    return isinstance(caches["default"], RedisCache)


def hit(key: str, window: int) -> int:
    """Count one event under `key` in the current fixed window of `window` seconds; return the count so far."""
    bucket = int(timezone.now().timestamp() // window)
    full = f"rl:{key}:{bucket}"
    if uses_redis():
        cache = caches["default"]
        try:
            cache.add(full, 0, window)
            try:
                return cache.incr(full)
            except ValueError:  # expired between add and incr
                cache.add(full, 1, window)
                return 1
        except Exception:  # noqa: BLE001 - Redis down or restarting: count in the database meanwhile
            log.warning("rate limit: shared cache unreachable, counting in the database", exc_info=True)
    return _db_hit(full, window, bucket)


def _db_hit(key: str, window: int, bucket: int) -> int:
    from kompass.core.models import RateCounter

    if len(key) > 200:
        key = "rl:" + hashlib.sha256(key.encode()).hexdigest()
    expires = datetime.fromtimestamp((bucket + 1) * window, tz=UTC)
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, count=1, expires_at=expires)
                RateCounter.objects.filter(expires_at__lt=timezone.now() - timedelta(seconds=60)).delete()
                return 1
            except IntegrityError:  # another worker created it first
                RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 1


def reset(key: str, window: int) -> None:
    """Forget the count of `key` in the current window."""
    bucket = int(timezone.now().timestamp() // window)
    full = f"rl:{key}:{bucket}"
    if uses_redis():
        caches["default"].delete(full)  # the Redis count; a database count from an outage is deleted below
    from kompass.core.models import RateCounter

    if len(full) > 200:
        full = "rl:" + hashlib.sha256(full.encode()).hexdigest()
    RateCounter.objects.filter(key=full).delete()


def check_key(key: str, limit: int, window: int) -> None:
    """Raise RateLimited when the event counted now is over `limit` within the window."""
    if hit(key, window) > limit:
        minutes = max(1, math.ceil(window / 60))
        raise RateLimited(_("You have reached the limit of %(limit)s for this action. Please try again "
                            "in up to %(minutes)s minutes.") % {"limit": limit, "minutes": minutes},
                          retry_after=window)


def check_rate(actor, action: str, ip: str | None = None) -> None:
    """Count one event of `action` for the account (and the IP); raise RateLimited when over the limit.

    `actor` may be a user (counted by primary key) or any string (an email address, counted by its hash)."""
    limit, window = limits(action)
    who = f"u:{actor.pk}" if hasattr(actor, "pk") else "s:" + hashlib.sha256(
        f"{settings.SECRET_KEY}|{actor}".encode()).hexdigest()[:32]
    keys = [(f"{action}:{who}", limit)] if actor is not None else []
    if ip:
        keys.append((f"{action}:ip:{_hash_ip(ip)}", limit * getattr(settings, "KOMPASS_RATE_IP_FACTOR", 4)))
    for key, allowed in keys:
        check_key(key, allowed, window)


def _hash_ip(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}|{ip}".encode()).hexdigest()[:32]  # no address is kept


def check_ip(action: str, ip: str) -> None:
    """Count one event of `action` for a client address alone, with the action's limit as it is."""
    limit, window = limits(action)
    check_key(f"{action}:only-ip:{_hash_ip(ip or 'unknown')}", limit, window)


# Counters and deadlines without fixed windows (the login backoff, ADR 0036): the same two stores, the same
# atomicity (Redis INCR, or one UPDATE … SET count = count + 1), each key expiring `ttl` seconds after its last
# change. A deadline is a row or cache entry that expires at the deadline.

def _store_key(key: str) -> str:
    full = f"rlx:{key}"
    return full if len(full) <= 200 else "rlx:" + hashlib.sha256(full.encode()).hexdigest()


def incr(key: str, ttl: int) -> int:
    """Count one more event under `key` and return the count; the key is forgotten `ttl` seconds after this."""
    full = _store_key(key)
    if uses_redis():
        cache = caches["default"]
        cache.add(full, 0, ttl)
        try:
            count = cache.incr(full)
        except ValueError:  # expired between add and incr
            cache.add(full, 1, ttl)
            return 1
        cache.touch(full, ttl)
        return count
    from kompass.core.models import RateCounter

    now = timezone.now()
    expires = now + timedelta(seconds=ttl)
    live = RateCounter.objects.filter(key=full, expires_at__gt=now)
    with transaction.atomic():
        if not live.update(count=F("count") + 1, expires_at=expires):
            RateCounter.objects.filter(key=full, expires_at__lte=now).delete()
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=full, count=1, expires_at=expires)
                return 1
            except IntegrityError:  # another worker created it first
                live.update(count=F("count") + 1, expires_at=expires)
        return live.values_list("count", flat=True).first() or 1


def peek(key: str) -> int:
    """The current count under `key` (0 when there is none)."""
    full = _store_key(key)
    if uses_redis():
        return int(caches["default"].get(full) or 0)
    from kompass.core.models import RateCounter

    return RateCounter.objects.filter(key=full, expires_at__gt=timezone.now()).values_list(
        "count", flat=True).first() or 0


def set_deadline(key: str, until: datetime) -> None:
    full = _store_key(key)
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    if uses_redis():
        caches["default"].set(full, until.timestamp(), seconds)
        return
    from kompass.core.models import RateCounter

    RateCounter.objects.update_or_create(key=full, defaults={"count": 0, "expires_at": until})


def deadline(key: str) -> datetime | None:
    """The deadline stored under `key` when it is still ahead, else None."""
    full = _store_key(key)
    now = timezone.now()
    if uses_redis():
        stamp = caches["default"].get(full)
        until = datetime.fromtimestamp(float(stamp), tz=UTC) if stamp else None
    else:
        from kompass.core.models import RateCounter

        until = RateCounter.objects.filter(key=full).values_list("expires_at", flat=True).first()
    return until if until and until > now else None


def forget(*keys: str) -> None:
    """Delete counters and deadlines."""
    full = [_store_key(key) for key in keys]
    if uses_redis():
        caches["default"].delete_many(full)
        return
    from kompass.core.models import RateCounter

    RateCounter.objects.filter(key__in=full).delete()
