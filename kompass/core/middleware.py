from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 does not set itself: a strict Content-Security-Policy and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The admin uses inline scripts of its own; keep the strict policy for everything else.
        if not request.path.startswith("/backoffice/"):
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


def _is_login_redirect(response) -> bool:
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    if response.status_code not in (301, 302, 303, 307, 308) or not response.has_header("Location"):
        return False
    try:
        return resolve(urlsplit(response["Location"]).path).view_name in LOGIN_VIEWS
    except Resolver404:
        return False


class AnonymousWriteMiddleware:
    """One rule for every write (ADR 0037): a visitor who is not signed in and sends a write (POST, PUT, PATCH,
    DELETE) gets exactly 403 with a page that explains it and links to the login (with `next` back to the page the
    form was on) — never a redirect that turns the POST into a GET. Reading a protected page (GET) still
    redirects to the login. Whatever sends a visitor's write to the login (login_required, the admin) is turned
    into this answer here, so no view has to remember it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method in SAFE_METHODS or user is None or user.is_authenticated:
            return response
        return forbidden(request) if _is_login_redirect(response) else response


def forbidden(request):
    """The 403 page; for visitors it explains that the action needs an account and links to the login."""
    from urllib.parse import urlencode

    from django.shortcuts import render
    from django.urls import reverse

    login = reverse("accounts:login") + "?" + urlencode({"next": login_next(request)})
    return render(request, "403.html", {"login_url": login}, status=403)
