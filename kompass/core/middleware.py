from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 does not set itself: a strict Content-Security-Policy and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The back office too: Django 5.2's admin and our KERN templates use no inline script or style (ADR 0080).
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
LOGIN_VIEWS = ("accounts:login", "admin:login")


def login_next(request) -> str:
    """Where the login should lead back to: the page itself for a GET, else the page the form was on (the Referer
    on this site), else the home page — a write endpoint cannot be opened with GET after the login."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if request.method in SAFE_METHODS:
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        from urllib.parse import urlsplit

        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def _is_login_view(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.view_name in LOGIN_VIEWS)


def _is_login_redirect(response) -> bool:
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    if response.status_code not in (301, 302, 303, 307, 308) or not response.has_header("Location"):
        return False
    location = urlsplit(response["Location"])
    if "next=" not in location.query:  # a write that succeeded and then leads to the login (e.g. verification)
        return False
    try:
        return resolve(location.path).view_name in LOGIN_VIEWS
    except Resolver404:
        return False


class DeniedWriteMiddleware:
    """One rule for every write (ADR 0037): a denied write (POST, PUT, PATCH, DELETE) is exactly 403 — never a
    redirect to a login page that turns the POST into a GET. A visitor's 403 page explains that the action needs
    an account and links to the login (with `next` back to the page the form was on); a signed-in person without
    the right (e.g. a citizen posting to the back office) gets the ordinary 403 page. Reading a protected page
    (GET) still redirects to the login. Whatever sends a write to a login page (login_required, the admin) is
    turned into this answer here, so no view has to remember it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in SAFE_METHODS or not _is_login_redirect(response) or _is_login_view(request):
            return response
        return forbidden(request)


def forbidden(request):
    """The 403 page; for visitors it explains that the action needs an account and links to the login."""
    from urllib.parse import urlencode

    from django.shortcuts import render
    from django.urls import reverse

    login = reverse("accounts:login") + "?" + urlencode({"next": login_next(request)})
    return render(request, "403.html", {"login_url": login}, status=403)
