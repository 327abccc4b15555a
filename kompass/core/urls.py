"""Absolute URLs for links that leave the page (emails, exports, feeds, stored links): one place.

`settings.KOMPASS_SITE_URL` (environment `KOMPASS_SITE_URL`, e.g. `https://kompass.berlin.de`) is the site's
public address. When it is empty, a request's own host is used, and without a request the path stays relative
(a relative link works on every deployment; a guessed host such as 127.0.0.1:8000 does not)."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    """The configured public base URL without a trailing slash, or ""."""
    return (getattr(settings, "KOMPASS_SITE_URL", "") or "").rstrip("/")


def absolute_url(path: str, request=None) -> str:
    """`path` (starting with "/") as an absolute URL on the public site."""
    base = site_url()
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path
