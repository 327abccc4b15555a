"""Rate limits per account and per IP for contributions: the shared, atomic limiter of `kompass.core.ratelimit`
(Redis INCR, else a database counter), so a limit holds across all web workers and servers (ADR 0030)."""

from kompass.core.ratelimit import DEFAULT_RATE_LIMITS, RateLimited, check_rate

__all__ = ["DEFAULT_RATE_LIMITS", "RateLimited", "check_rate"]
