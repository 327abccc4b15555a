"""Hostile values into every form of every page type, as each role: never a server error.

Forms are discovered by GETting the site's pages (tests/security/crawl.py) as the anonymous visitor, a citizen and
an account with every role, and parsing their <form> elements. Each form is then submitted once per kind of hostile
value (NUL bytes, numbers beyond bigint, wrong types, very long text, non-numeric ids in every field incl. hidden
ones). The answer must be a client error with a message, a redirect or the re-rendered form — never a 500."""

import pytest
from django.test import Client

from tests.security.crawl import crawl

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul": "a\x00b",
    "bigint": "9223372036854775808",
    "not-a-number": "org:abc",
    "long": "x" * 20_000,
    "unicode": "\u202e\ud7ff\ufffd<script>alert(1)</script>'\"",
}
NO_POST = ("/accounts/logout/", "/accounts/delete/")  # would end the session the next posts need


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _submissions(form):
    for label, value in HOSTILE.items():
        data = {}
        for name, kind in form.kinds.items():
            if name == "csrfmiddlewaretoken":
                continue
            if kind in ("file",):
                continue
            data[name] = value
        yield label, data


@pytest.mark.parametrize("role", ["anonymous", "citizen", "admin"])
def test_every_form_survives_hostile_values(role, roles, world):
    client = _client(roles[role])
    statuses, forms = crawl(client, per_type=1, extra=[f"/ideas/{world['idea'].pk}/", "/consultations/entwurf/",
                                           "/consultations/meinungsbild/"])
    page_errors = {path: status for path, status in statuses.items() if status >= 500}
    assert not page_errors, page_errors
    assert len(statuses) > 20 and forms
    failures = []
    for form in forms:
        if any(form.action.endswith(p) for p in NO_POST):
            continue
        for label, data in _submissions(form):
            client = _client(roles[role])
            if form.method == "post":
                response = client.post(form.action, data)
            else:
                response = client.get(form.action, {k: v for k, v in data.items() if label != "long"})
            if response.status_code >= 500:
                failures.append(f"{form.method.upper()} {form.action} [{label}] -> {response.status_code}")
            elif response.status_code == 400:
                assert response.content.strip(), f"{form.action} [{label}]: 400 without a message"
    assert not failures, "\n".join(failures)
