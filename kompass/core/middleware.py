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
