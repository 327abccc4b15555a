"""Sessions read from the shared cache and written through to the database (ADR 0044): Django's `cached_db`
engine, with the cached copy kept at most KOMPASS_SESSION_CACHE_SECONDS (10 minutes).

A logged-in request then reads its session with one cache call instead of a database query. Logging out deletes
the session from the database and the cache; should the cache miss that delete (Redis unreachable for a moment,
kompass.ops.redis_cache answers instead of failing), the copy in the cache is gone after the bound — never the two
weeks a session lives. Used only with a shared cache (config/settings.py): with a per-process cache another
process could keep a logged-out session."""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class SessionStore(CachedDBStore):
    cache_key_prefix = "kompass.sessions."

    def _cache_seconds(self, age: int) -> int:
        return max(1, min(age, getattr(settings, "KOMPASS_SESSION_CACHE_SECONDS", 600)))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - an invalid key or an unreachable cache: read the database
            data = None
        if data is None:
            s = self._get_session_from_db()
            if s:
                data = self.decode(s.session_data)
                self._cache_set(data, self.get_expiry_age(expiry=s.expire_date))
            else:
                data = {}
        return data

    def save(self, must_create=False):
        super(CachedDBStore, self).save(must_create)  # the database first (DBStore.save)
        self._cache_set(self._session, self.get_expiry_age())

    def _cache_set(self, data, age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, self._cache_seconds(age))
        except Exception:  # noqa: BLE001 - the database holds the session; the cache is only a copy
            import logging

            logging.getLogger("django.contrib.sessions").warning("session cache write failed", exc_info=True)
