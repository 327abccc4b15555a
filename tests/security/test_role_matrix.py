"""Role matrices for the writes of accounts and jobs: a denied write is exactly 403 (for visitors with a login link,
ADR 0037), changes nothing and records no audit event."""

import pytest
from django.test import Client

from kompass.accounts.models import ApiToken, Membership
from kompass.audit.models import AuditEvent
from kompass.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {"anonymous": None, "owner": make_user("owner@example.org"), "stranger": make_user("x@example.org"),
            "office": make_user("office@example.org", office=True)}


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role, expected", [("anonymous", 403), ("stranger", 403), ("owner", 302), ("office", 302)])
def test_job_retry_matrix(role, expected, people):
    job = Job.objects.create(kind="test", title="Fehlgeschlagen", status="failed", created_by=people["owner"],
                             task_path="tests.jobs.sample_tasks.count_to", task_args=[1])
    before = AuditEvent.objects.count()
    response = _client(people[role]).post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == expected
    retried = Job.objects.filter(retry_of=job).exists()
    if role == "anonymous":
        assert 'href="/accounts/login/?next=' in response.content.decode()
    if role in ("anonymous", "stranger"):
        assert not retried and AuditEvent.objects.count() == before
    else:
        assert retried and AuditEvent.objects.filter(action="job.started").count() >= 1


@pytest.mark.parametrize("role", ["anonymous", "stranger", "office"])
def test_nobody_else_revokes_a_token(role, people):
    from kompass.accounts.services import api_token_create

    token, _secret = api_token_create(actor=people["owner"], user=people["owner"], name="Skript")
    before = AuditEvent.objects.count()
    response = _client(people[role]).post(f"/accounts/tokens/{token.pk}/revoke/")
    # visitors get 403 with a login link (ADR 0037); for other accounts the token does not exist (its id is not
    # confirmed)
    assert response.status_code == (403 if role == "anonymous" else 404)
    token.refresh_from_db()
    assert token.revoked_at is None and AuditEvent.objects.count() == before


def test_membership_writes_need_the_office(people, pilot):
    from django.core.exceptions import PermissionDenied

    from kompass.accounts.services import membership_set

    before = AuditEvent.objects.count()
    for actor in (people["owner"], people["stranger"]):
        with pytest.raises(PermissionDenied):
            membership_set(actor=actor, user=people["owner"], organisation=pilot.responsible_organisation,
                           role="coordinator")
    assert not Membership.objects.filter(user=people["owner"]).exists() and AuditEvent.objects.count() == before
    assert ApiToken.objects.count() == 0
