"""Role × action tables for the writes that the app-level matrices do not cover: accounts' self-service,
the back office (strategy, measures and organisations are edited there), open data's links to other cities' measures
and the API's credentials. A denied write is exactly 403 (a visitor's page links to the login, ADR 0037), changes
nothing and records no audit event; the API answers 401 with its JSON error body without or with bad credentials."""

import pytest

from kompass.accounts.models import ApiToken, User
from kompass.audit.models import AuditEvent
from tests.denied import assert_matrix, outcomes

pytestmark = pytest.mark.django_db
OFFICE = {"strategy_office", "admin"}
SIGNED_IN = {"citizen", "member", "coordinator_own", "coordinator_other", "strategy_office", "admin"}


def _value_change(berlin):
    value = berlin.values.order_by("pk").first()
    return f"/backoffice/strategy/value/{value.pk}/change/", {
        "strategy": berlin.pk, "slug": value.slug, "position": value.position, "name": "Geänderter Name",
        "name_en": value.name_en, "description": value.description, "description_en": value.description_en,
        "summary": value.summary, "summary_en": value.summary_en}


def _replication_record():
    from kompass.opendata.models import HarvestedRecord, Source

    source = Source.objects.create(name="Neustadt", url="http://127.0.0.1:9/")
    return HarvestedRecord.objects.create(source=source, kind="measure", remote_id="r", url="http://127.0.0.1:9/m/",
                                          title="Fremde Maßnahme", content_hash="h",
                                          changed_at="2024-01-01T00:00:00Z")


TABLE = {
    # action: (allowed roles, status when allowed, send(client, ctx), state(ctx))
    "create an API token": (SIGNED_IN, 200, lambda c, x: c.post("/accounts/tokens/", {"name": "Skript"}),
                            lambda x: ApiToken.objects.count()),
    "change account settings": (SIGNED_IN, 302, lambda c, x: c.post("/accounts/settings/", {
        "display_name": "Neuer Name", "language": "de", "email_digest": "none"}),
        lambda x: sorted(User.objects.values_list("display_name", flat=True))),
    "change a strategy value in the back office": (OFFICE, 302, lambda c, x: c.post(*_value_change(x["berlin"])),
                                                   lambda x: list(x["berlin"].values.values_list("name", flat=True))),
    "add an organisation in the back office": (OFFICE, 302, lambda c, x: c.post(
        "/backoffice/organisations/organisation/add/", {"strategy": x["berlin"].pk, "slug": "neu-org",
                                                        "name": "Neue Stelle", "kind": "district_office",
                                                        **{f"former_names-{k}": v for k, v in (
                                                            ("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"),
                                                            ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))}}),
        lambda x: x["berlin"].organisations.count()),
    "link a measure to another city's": ({"coordinator_own"} | OFFICE, 302, lambda c, x: c.post(
        f"/measures/{x['pilot'].slug}/other-cities/link/", {"record": x["record"].pk, "relation": "replicates"}),
        lambda x: x["pilot"].federated_origins.count()),
}


@pytest.mark.parametrize("action", TABLE)
def test_write_role_table(client, role_users, berlin, pilot, action):
    allowed, ok_status, send, state = TABLE[action]
    ctx = {"berlin": berlin, "pilot": pilot, "record": _replication_record()}
    assert_matrix(outcomes(client, role_users, lambda c: send(c, ctx), lambda: state(ctx)), allowed,
                  ok_status=ok_status)


@pytest.mark.parametrize("path", ["/accounts/delete/", "/accounts/settings/", "/accounts/tokens/",
                                  "/backoffice/strategy/value/add/",
                                  "/jobs/00000000-0000-0000-0000-000000000000/retry/"])
def test_a_visitors_write_is_403_with_a_login_link_back_to_the_form(client, path, berlin):
    before = AuditEvent.objects.count()
    response = client.post(path, {"password": "x"}, HTTP_REFERER="http://testserver/accounts/settings/?tab=1")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'href="/accounts/login/?next=%2Faccounts%2Fsettings%2F%3Ftab%3D1"' in body
    assert "Bitte melden Sie sich zuerst an" in body
    assert AuditEvent.objects.count() == before


def test_a_foreign_referer_is_not_used_as_next(client):
    response = client.post("/accounts/settings/", HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 403 and 'href="/accounts/login/?next=%2F"' in response.content.decode()


def test_reading_a_protected_page_still_leads_to_the_login(client):
    response = client.get("/accounts/settings/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/accounts/settings/")


def _write_operations():
    from config.api import api

    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, methods in schema["paths"].items()
                  for method in methods if method in ("post", "put", "patch", "delete"))


UNAUTHORIZED = {"detail": [{"param": "", "loc": [], "msg": "Unauthorized"}]}


@pytest.mark.parametrize("credentials", ["none", "bad token", "revoked token"])
def test_every_api_write_without_valid_credentials_is_401_json(client, make_user, credentials):
    from kompass.accounts.services import api_token_create, api_token_revoke

    headers = {}
    if credentials == "bad token":
        headers = {"Authorization": "Bearer kmp_not-a-real-token"}
    elif credentials == "revoked token":
        user = make_user("revoked@example.org", office=True)
        token, secret = api_token_create(actor=user, user=user, name="alt")
        api_token_revoke(actor=user, token=token)
        headers = {"Authorization": f"Bearer {secret}"}
    operations = _write_operations()
    assert len(operations) >= 7  # ideas, comments, support, votes, measurements, transitions, lessons, milestones
    before = AuditEvent.objects.count()
    for method, path in operations:
        url = path.replace("{slug}", "x").replace("{idea_id}", "1").replace("{statement_id}", "1")
        response = client.generic(method, url, "{}", content_type="application/json", headers=headers)
        assert (response.status_code, response.json()) == (401, UNAUTHORIZED), (method, url, credentials)
    assert AuditEvent.objects.count() == before
