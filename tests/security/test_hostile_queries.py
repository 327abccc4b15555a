"""NUL bytes and numbers beyond bigint in query strings, paths and posted text: a 4xx with a message, never 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NUL_GETS = ["/measures/?q=%00", "/ideas/?q=%00", "/api/v1/measures?q=%00", "/consultations/?q=a%00b",
            "/organisations/?kind=%00", "/measures/?status=%00&q=x", "/en/measures/?q=%00", "/%00/"]
# a list page beyond its end shows the last page (200); an id beyond bigint is simply not found (404)
HUGE_GETS = [("/api/v1/measures?offset=9223372036854775808", 400),
             ("/api/v1/measures?offset=99999999999999999999", 400),
             ("/api/v1/measures?limit=99999999999999999999", 400), ("/ideas/?page=99999999999999999999", 200),
             ("/measures/?page=99999999999999999999", 200), ("/ideas/99999999999999999999/", 404),
             ("/ideas/9223372036854775808/", 404), ("/comments/99999999999999999999/edit/", 404),
             ("/organisations/?page=-99999999999999999999", 200)]


@pytest.mark.parametrize("url", NUL_GETS)
def test_nul_in_query_is_a_400_with_a_message(url, client):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["detail"][0]["param"] == "q"
    else:
        assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url, expected", HUGE_GETS)
def test_numbers_beyond_bigint_never_fail(url, expected, roles):
    client = Client(raise_request_exception=False)
    client.force_login(roles["citizen"])
    response = client.get(url)
    assert response.status_code == expected, (url, response.status_code)
    if url.startswith("/api/"):
        assert response.json()["detail"]


@pytest.mark.parametrize("path, data, expected", [
    # a NUL byte is refused with 400 and a message; an id that cannot exist is not found (404)
    ("/ideas/new/", {"title": "Titel", "text": "Text mit \x00 Byte", "kind": "idea"}, 400),
    ("/ideas/{idea}/comment/", {"text": "Kommentar \x00"}, 400),
    ("/ideas/{idea}/comment/", {"text": "Kommentar", "parent": "abc"}, 404),
    ("/ideas/{idea}/comment/", {"text": "Kommentar", "parent": "99999999999999999999"}, 404),
    ("/ideas/{idea}/ownership/", {"party": "org:abc"}, 404),
    ("/ideas/{idea}/ownership/", {"party": "group:9223372036854775808"}, 404),
    ("/report/idea/{idea}/", {"reason": "\x00"}, 400),
    ("/consultations/entwurf/comment/", {"paragraph": "abc", "text": "x"}, 404),
    ("/consultations/meinungsbild/vote/", {"statement": "abc", "vote": "agree"}, 404),
    ("/consultations/meinungsbild/vote/", {"statement": "9223372036854775808", "vote": "agree"}, 404),
])
def test_hostile_posts_are_client_errors(path, data, expected, roles, world):
    from kompass.audit.models import AuditEvent

    client = Client(raise_request_exception=False)
    client.force_login(roles["citizen"])
    before = AuditEvent.objects.count()
    response = client.post(path.format(idea=world["idea"].pk), data)
    assert response.status_code == expected, response.status_code
    assert AuditEvent.objects.count() == before


def test_request_body_above_the_limit_is_refused_before_reading(client, settings):
    settings.KOMPASS_MAX_REQUEST_BYTES = 1000
    response = client.post("/accounts/login/", data=b"x" * 2000, content_type="application/octet-stream")
    assert response.status_code == 413
    api = client.post("/api/v1/ideas", data=b"{}" + b" " * 2000, content_type="application/json")
    assert api.status_code == 413 and api.json()["detail"][0]["param"] == "body"
