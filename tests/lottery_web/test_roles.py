"""Role matrix: visitor, citizen, strategy office, lottery officer, admin. Only the lottery officer (and admin)
runs the process and sees personal data; the strategy office sees pseudonymous results; the public sees the audit
page after publication only."""

import datetime

import pytest
from django.urls import reverse

from kompass.audit.models import AuditEvent
from kompass.lottery.models import Panel, PersonalData
from tests.denied import is_denied

from .conftest import CATEGORIES

pytestmark = pytest.mark.django_db
ROLES = ["visitor", "citizen", "office", "officer", "admin"]
RUNS = {"officer", "admin"}


def _client(client, people, role):
    if role != "visitor":
        client.force_login(people[role])
    return client


def _denied(response, role, read=False):
    return is_denied(response, anonymous=role == "visitor", read=read)


@pytest.mark.parametrize("role", ROLES)
def test_create_panel(client, people, role):
    c = _client(client, people, role)
    data = {"title": "Stadtgremium 2026", "slug": "sg-2026", "purpose": "Auswahl", "size": 70,
            "retention_date": (datetime.date.today() + datetime.timedelta(days=100)).isoformat(),
            "categories": "gender: female, male\ndistrict: Mitte, Pankow", "algorithm": "leximin"}
    response = c.post(reverse("lottery:office"), data)
    if role in RUNS:
        assert response.status_code == 302
        panel = Panel.objects.get(slug="sg-2026")
        assert panel.categories == {"gender": ["female", "male"], "district": ["Mitte", "Pankow"]}
        assert AuditEvent.objects.filter(action="lottery.panel_created", actor=people[role]).exists()
    else:
        assert _denied(response, role)
        assert not Panel.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_manage_page_and_personal_data(client, people, role, pooled):
    c = _client(client, people, role)
    manage = c.get(reverse("lottery:manage", args=[pooled.slug]))
    personal = c.get(reverse("lottery:respondents", args=[pooled.slug]))
    r = pooled.respondents.first()
    export = c.get(reverse("lottery:respondent_export", args=[pooled.slug, r.pseudonym]))
    if role in RUNS:
        assert manage.status_code == 200 and personal.status_code == 200 and export.status_code == 200
        assert "Zufallsname" in personal.content.decode()
        assert export.json()["pseudonym"] == r.pseudonym
    else:
        assert all(_denied(page, role, read=True) for page in (manage, personal, export))


@pytest.mark.parametrize("role", ROLES)
def test_process_writes(client, people, role, pooled, django_capture_on_commit_callbacks):
    c = _client(client, people, role)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("lottery:select", args=[pooled.slug]))
    pooled.refresh_from_db()
    if role in RUNS:
        assert response.status_code == 302 and "/jobs/" in response["Location"]
        assert pooled.stage == Panel.Stage.COMPUTED
        assert c.post(reverse("lottery:hash_publish", args=[pooled.slug])).status_code == 302
        assert c.post(reverse("lottery:draw", args=[pooled.slug]), {"seed": "6 6 6"}).status_code == 302
        pooled.refresh_from_db()
        assert pooled.stage == Panel.Stage.DRAWN and pooled.seed == "6 6 6"
        assert AuditEvent.objects.filter(action="lottery.panel_drawn", actor=people[role]).exists()
    else:
        assert _denied(response, role)
        assert pooled.stage == Panel.Stage.QUOTAS
        for name in ("hash_publish", "publish", "group", "purge"):
            assert _denied(c.post(reverse(f"lottery:{name}", args=[pooled.slug])), role)
        assert _denied(c.post(reverse("lottery:draw", args=[pooled.slug]), {"seed": "1"}), role)
        assert PersonalData.objects.filter(panel=pooled).count() == 30
        assert not AuditEvent.objects.filter(action__in=["lottery.selection_started", "lottery.panel_drawn"]).exists()


@pytest.mark.parametrize("role", ROLES)
def test_invitation_list_download(client, people, role, panel, officer):
    from kompass.lottery import services

    from .conftest import register_csv

    services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="r.csv", count=10,
                              strata=["district"], seed="s")
    response = _client(client, people, role).get(reverse("lottery:invitations_csv", args=[panel.slug]))
    if role in RUNS:
        assert response.status_code == 200 and b"Vor" in response.content
    else:
        assert _denied(response, role, read=True)


@pytest.mark.parametrize("role", ROLES)
def test_audit_before_and_after_publication(client, people, role, drawn, officer):
    from kompass.lottery import services

    c = _client(client, people, role)
    before = c.get(reverse("lottery:audit", args=[drawn.slug]))
    if role in RUNS | {"office"}:
        assert before.status_code == 200
        assert "Zufallsname" not in before.content.decode()  # pseudonymous only, even for the strategy office
    else:
        assert before.status_code == 404
    bundle = c.get(reverse("lottery:verification", args=[drawn.slug]))
    assert bundle.status_code == (200 if role in RUNS | {"office"} else 404)
    public = c.get(reverse("lottery:panel", args=[drawn.slug]))  # hash published: the announcement is public
    assert public.status_code == 200 and drawn.list_hash in public.content.decode()
    services.panel_publish(actor=officer, panel=drawn)
    after = c.get(reverse("lottery:audit", args=[drawn.slug]))
    assert after.status_code == 200
    body = after.content.decode()
    assert drawn.list_hash in body and "<svg" in body and "Zufallsname" not in body
    bundle = c.get(reverse("lottery:verification", args=[drawn.slug]))
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/zip"


def test_unpublished_panel_is_hidden_from_the_public(client, pooled):
    assert client.get(reverse("lottery:panel", args=[pooled.slug])).status_code == 404
    assert client.get(reverse("lottery:lottery_json", args=[pooled.slug])).status_code == 404
    assert pooled.slug not in client.get(reverse("lottery:index")).content.decode()


def test_categories_are_validated_on_create(client, people):
    client.force_login(people["officer"])
    response = client.post(reverse("lottery:office"), {
        "title": "X", "slug": "office", "purpose": "p", "size": 5, "retention_date": "2030-01-01",
        "categories": "gender female", "algorithm": "leximin"})
    assert response.status_code == 200 and not Panel.objects.exists()
    assert CATEGORIES  # fixture data stays importable


def test_purge_needs_confirmation_and_viewing_personal_data_is_audited(client, people, pooled):
    client.force_login(people["officer"])
    client.post(reverse("lottery:purge", args=[pooled.slug]))
    assert PersonalData.objects.filter(panel=pooled).count() == 30
    client.post(reverse("lottery:purge", args=[pooled.slug]), {"confirm": "on"})
    assert not PersonalData.objects.filter(panel=pooled).exists()
    client.get(reverse("lottery:respondents", args=[pooled.slug]))
    assert AuditEvent.objects.filter(action="lottery.personal_data_viewed", actor=people["officer"]).exists()
