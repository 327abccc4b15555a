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
    """The logged-in session user; ninja checks the CSRF token for unsafe methods.

    Without a logged-in session there is nothing a forged request could ride on, so no CSRF check is made and the
    answer is the API's uniform 401 (missing or bad credentials), not ninja's 403 "CSRF check Failed". A logged-in
    session without a valid CSRF token still gets that 403."""

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


WRITE_AUTH = [TokenAuth(), SessionUserAuth(csrf=True)]
