"""The one shape of a denied request (ADR 0037): a denied write is exactly 403, for a visitor with a page that links
to the login; a visitor who opens a protected page (GET, `read=True`) is sent to the login with `next`."""


def assert_denied(response, *, anonymous: bool, read: bool = False) -> None:
    if read and anonymous:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), (
            response.status_code, response.get("Location"))
        return
    assert response.status_code == 403, (response.status_code, response.get("Location"))
    if anonymous:
        assert 'href="/accounts/login/?next=' in response.content.decode()


def is_denied(response, *, anonymous: bool, read: bool = False) -> bool:
    try:
        assert_denied(response, anonymous=anonymous, read=read)
    except AssertionError:
        return False
    return True


class _Rollback(Exception):
    pass


def outcomes(client, users: dict, send, state):
    """Send one write as each role, each inside a savepoint that is rolled back so every role starts from the same
    data. `send(client)` makes the request; `state()` returns what the write would change. Returns, per role,
    (status, state changed, new audit events, the page links to the login)."""
    from django.db import transaction

    from kompass.audit.models import AuditEvent

    results = {}
    for role, user in users.items():
        try:
            with transaction.atomic():
                client.logout()
                if user is not None:
                    client.force_login(user)
                before, events = state(), AuditEvent.objects.count()
                response = send(client)
                results[role] = (response.status_code, state() != before, AuditEvent.objects.count() - events,
                                 'href="/accounts/login/?next=' in response.content.decode(errors="replace"))
                raise _Rollback
        except _Rollback:
            pass
    client.logout()
    return results


def assert_matrix(results: dict, allowed: set, *, ok_status: int = 302) -> None:
    """Allowed roles change the state and leave an audit event; every other role gets exactly 403, changes nothing,
    leaves no audit event, and only the visitor's page links to the login."""
    for role, (status, changed, events, login_link) in results.items():
        if role in allowed:
            assert (status, changed, events > 0) == (ok_status, True, True), (role, status, changed, events)
        else:
            assert (status, changed, events, login_link) == (403, False, 0, role == "visitor"), (
                role, status, changed, events, login_link)
