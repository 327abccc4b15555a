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
