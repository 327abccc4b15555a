"""Authentication for API writes: a personal token (`Authorization: Bearer kp_…`) or the browser session with
CSRF protection. Use `auth=WRITE_AUTH` on write endpoints; `request.auth` is then the acting user."""

from ninja.security import HttpBearer, SessionAuth

from kompass.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionUserAuth(SessionAuth):
    """The logged-in session user; ninja checks the CSRF token for unsafe methods."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


WRITE_AUTH = [TokenAuth(), SessionUserAuth(csrf=True)]
