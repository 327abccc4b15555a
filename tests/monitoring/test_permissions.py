"""Role matrix: only the measure's team (members and coordinators of the responsible organisation) and the
strategy office enter measurements; only the office opens cycles and decides; boards comment."""

import pytest
from django.core.exceptions import PermissionDenied

from kompass.accounts.models import UserGroup
from kompass.audit.models import AuditEvent
from kompass.monitoring import services
from kompass.monitoring.models import Decision, EvaluationCycle, Indicator, Measurement, Review
from kompass.organisations.models import Organisation
from tests.denied import assert_denied

pytestmark = pytest.mark.django_db

SLUG = "bsp-nachnutzungen"  # open-source-baukasten-fachverfahren, responsible: skzl


@pytest.fixture
def roles(seeded, make_user):
    indicator = Indicator.objects.select_related("measure__responsible_organisation").get(slug=SLUG)
    own = indicator.measure.responsible_organisation
    other = Organisation.objects.filter(strategy=seeded).exclude(pk=own.pk).first()
    return {
        "visitor": None,
        "registered": make_user("someone@example.org"),
        "other_coordinator": make_user("other@example.org", coordinator_of=[other]),
        "member": make_user("member@example.org", member_of=[own]),
        "coordinator": make_user("coord@example.org", coordinator_of=[own]),
        "office": make_user("office@example.org", office=True),
        "admin": make_user("admin@example.org", admin=True),
    }, indicator


ALLOWED = {"member", "coordinator", "office", "admin"}


@pytest.mark.parametrize("role", ["visitor", "registered", "other_coordinator", "member", "coordinator", "office",
                                  "admin"])
def test_measurement_form_role_matrix(roles, role, client):
    users, indicator = roles
    if users[role]:
        client.force_login(users[role])
    before = Measurement.objects.count()
    events = AuditEvent.objects.filter(action="monitoring.measurements_imported").count()
    url = f"/monitoring/indicators/{SLUG}/measurements/new/"
    response = client.post(url, {"period": "2026", "value": "9", "source_note": "Test"})
    if role in ALLOWED:
        assert response.status_code == 302, response.content[:500]
        assert Measurement.objects.count() == before + 1
        assert AuditEvent.objects.filter(action="monitoring.measurements_imported").count() == events + 1
        assert Measurement.objects.get(indicator=indicator, period="2026-01-01").entered_by == users[role]
        return
    assert_denied(response, anonymous=role == "visitor")
    assert Measurement.objects.count() == before
    assert AuditEvent.objects.filter(action="monitoring.measurements_imported").count() == events


@pytest.mark.parametrize("role", ["registered", "other_coordinator", "member", "office"])
def test_upload_role_matrix(roles, role, client):
    users, indicator = roles
    client.force_login(users[role])
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase

    from kompass.jobs.models import Job

    upload = SimpleUploadedFile("m.csv", f"indicator,period,value\n{SLUG},2026,10\n".encode())
    before, events = Measurement.objects.count(), AuditEvent.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/monitoring/measures/{indicator.measure.slug}/upload/", {"file": upload})
    if role in ALLOWED:
        job = Job.objects.get(kind="monitoring.upload")
        assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
        assert Measurement.objects.count() == before + 1
        assert Measurement.objects.get(indicator=indicator, period="2026-01-01").entered_by == users[role]
    else:
        assert response.status_code == 403 and Measurement.objects.count() == before
        assert AuditEvent.objects.count() == events and not Job.objects.exists()


@pytest.mark.parametrize("role", ["registered", "other_coordinator", "member", "coordinator", "office"])
def test_api_token_role_matrix(roles, role, client):
    from kompass.accounts.services import api_token_create

    users, indicator = roles
    _token, secret = api_token_create(actor=users[role], user=users[role], name="test")
    before = Measurement.objects.count()
    response = client.post(f"/api/v1/monitoring/indicators/{SLUG}/measurements",
                           {"measurements": [{"period": "2026", "value": 11}]}, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}"})
    if role in ALLOWED:
        assert response.status_code == 200 and response.json() == {"created": 1, "updated": 0, "unchanged": 0}
        assert Measurement.objects.count() == before + 1
    else:
        assert response.status_code == 403 and Measurement.objects.count() == before
        assert response.json()["detail"][0]["msg"]


def test_api_without_token_is_refused(seeded, client):
    response = client.post(f"/api/v1/monitoring/indicators/{SLUG}/measurements",
                           {"measurements": [{"period": "2026", "value": 11}]}, content_type="application/json")
    unauthorized = {"detail": [{"param": "", "loc": [], "msg": "Unauthorized"}]}
    assert (response.status_code, response.json()) == (401, unauthorized)
    assert not Measurement.objects.filter(indicator__slug=SLUG, period="2026-01-01").exists()


@pytest.mark.parametrize("role", ["registered", "coordinator", "office"])
def test_only_the_office_opens_cycles(roles, role, client):
    users, _indicator = roles
    client.force_login(users[role])
    response = client.post("/monitoring/cycles/new/", {"slug": "zyklus-2026", "name": "Zyklus 2026",
                                                       "deadline": "2026-12-31"})
    exists = EvaluationCycle.objects.filter(slug="zyklus-2026").exists()
    if role == "office":
        assert response.status_code == 302 and exists
        assert AuditEvent.objects.filter(action="monitoring.cycle_opened", actor=users[role]).exists()
    else:
        assert response.status_code == 403 and not exists


@pytest.mark.parametrize("role", ["registered", "other_coordinator", "member", "office"])
def test_review_by_the_team_only(roles, role, client):
    users, indicator = roles
    client.force_login(users[role])
    url = f"/monitoring/cycles/zyklus-2025/measures/{indicator.measure.slug}/review/"
    response = client.post(url, {"learned": "Wir haben gelernt.", "proposed_changes": ""})
    exists = Review.objects.filter(cycle__slug="zyklus-2025", measure=indicator.measure).exists()
    if role in ALLOWED:
        assert response.status_code == 302 and exists
    else:
        assert response.status_code == 403 and not exists


@pytest.mark.parametrize("role", ["coordinator", "office"])
def test_decisions_by_the_office_only(roles, role, client):
    users, indicator = roles
    client.force_login(users[role])
    url = f"/monitoring/cycles/zyklus-2025/measures/{indicator.measure.slug}/decision/"
    response = client.post(url, {"kind": "continue", "reason": "Läuft."})
    exists = Decision.objects.filter(cycle__slug="zyklus-2025", measure=indicator.measure).exists()
    assert (response.status_code, exists) == ((302, True) if role == "office" else (403, False))


def test_board_members_comment_others_do_not(roles, client, make_user):
    users, indicator = roles
    board = UserGroup.objects.get(slug="strategiebeirat")
    member = make_user("beirat@example.org")
    board.members.add(member)
    url = f"/monitoring/cycles/zyklus-2025/measures/{indicator.measure.slug}/comment/"
    client.force_login(users["coordinator"])
    assert client.post(url, {"group": "strategiebeirat", "text": "Hallo"}).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 200
    # a member of one board cannot speak for another board
    assert client.post(url, {"group": "strategieboard", "text": "Hallo"}).status_code == 400
    assert client.post(url, {"group": "strategiebeirat", "text": "Gute Arbeit."}).status_code == 302
    assert AuditEvent.objects.filter(action="monitoring.comment_added", actor=member).exists()


def test_service_refuses_foreign_measures(roles):
    users, indicator = roles
    with pytest.raises(PermissionDenied):
        services.target_add(actor=users["other_coordinator"], indicator=indicator, value=1,
                            target_date=indicator.baseline_date.replace(year=2030))


def test_lifecycle_team_members_count_as_the_measure_team(roles):
    from django.apps import apps

    users, indicator = roles
    try:
        team_member = apps.get_model("lifecycle", "TeamMember")
    except LookupError:
        pytest.skip("the lifecycle app has no team model")
    user = users["registered"]
    assert not user.has_perm("monitoring.change_monitoring", indicator.measure)
    team_member.objects.create(measure=indicator.measure, user=user)
    assert user.has_perm("monitoring.change_monitoring", indicator.measure)


@pytest.mark.parametrize("role", ["registered", "other_coordinator", "member", "office"])
def test_goals_and_indicators_are_edited_by_the_team(roles, role, client):
    from kompass.monitoring.models import Goal

    users, indicator = roles
    measure = indicator.measure
    client.force_login(users[role])
    response = client.post(f"/monitoring/measures/{measure.slug}/goals/new/", {
        "level": "outcome", "title": "Mehr Nachnutzung in Bezirken", "assumption": "Weil dokumentiert."})
    goal = Goal.objects.filter(measure=measure, title="Mehr Nachnutzung in Bezirken").first()
    if role not in ALLOWED:
        assert response.status_code == 403 and goal is None
        assert client.post(f"/monitoring/measures/{measure.slug}/goals/{indicator.goal.slug}/edit/",
                           {"level": "output", "title": "X"}).status_code == 403
        return
    assert response.status_code == 302 and goal.slug == "mehr-nachnutzung-in-bezirken"
    edit = client.post(f"/monitoring/measures/{measure.slug}/goals/{goal.slug}/edit/",
                       {"level": "impact", "title": goal.title, "assumption": "Neu begründet."})
    goal.refresh_from_db()
    assert edit.status_code == 302 and (goal.level, goal.assumption) == ("impact", "Neu begründet.")
    assert AuditEvent.objects.filter(action="monitoring.goal_updated", actor=users[role]).exists()
    url = f"/monitoring/measures/{measure.slug}/goals/{goal.slug}/indicators/new/"
    bad = client.post(url, {"name": "Bezirke", "unit": "Bezirke", "direction": "1", "baseline_value": "2",
                            "baseline_date": "2024-01-01", "target_value": "12", "target_date": "2023-01-01",
                            "method": "open_sdg", "cadence": "yearly"})
    assert bad.status_code == 400
    ok = client.post(url, {"name": "Bezirke", "unit": "Bezirke", "direction": "1", "baseline_value": "2",
                           "baseline_date": "2024-01-01", "target_value": "12", "target_date": "2028-01-01",
                           "method": "linear", "cadence": "yearly"})
    new = Indicator.objects.get(goal=goal)
    assert ok.status_code == 302 and ok["Location"].endswith(f"/monitoring/indicators/{new.slug}/")
    assert list(new.target_versions.values_list("version", "value")) == [(1, 12)]
    assert new.computed.status == "not_computable"  # no values yet


@pytest.mark.parametrize("role", ["visitor", "registered", "other_coordinator", "member", "coordinator", "office",
                                  "admin"])
def test_inputs_are_edited_by_the_team_only(roles, role, client):
    from kompass.monitoring.models import MeasureInput

    users, indicator = roles
    measure = indicator.measure
    if users[role]:
        client.force_login(users[role])
    before = list(MeasureInput.objects.filter(measure=measure).values_list("text", "text_en"))
    url = f"/monitoring/measures/{measure.slug}/inputs/"
    response = client.post(url, {"inputs": "Zwei Stellen | Two posts\n\n120.000 Euro Sachmittel"})
    after = list(MeasureInput.objects.filter(measure=measure).values_list("text", "text_en"))
    if role in ALLOWED:
        assert response.status_code == 302
        assert after == [("Zwei Stellen", "Two posts"), ("120.000 Euro Sachmittel", "")]
        assert AuditEvent.objects.filter(action="monitoring.inputs_set", actor=users[role]).exists()
        bad = client.post(url, {"inputs": " | only English"})
        assert bad.status_code == 400 and list(
            MeasureInput.objects.filter(measure=measure).values_list("text", "text_en")) == after
    else:
        assert_denied(response, anonymous=role == "visitor")
        assert after == before


def test_participation_reach_counts_distinct_people(seeded, make_user):
    from kompass.monitoring.selectors import strategy_figures
    from kompass.participation.models import Idea, Support

    assert strategy_figures(seeded)["participation_reach"] == 0
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    idea = Idea.objects.create(strategy=seeded, author=alice, title="Idee", text="Text")
    Support.objects.create(idea=idea, user=alice)
    Support.objects.create(idea=idea, user=bob)
    assert strategy_figures(seeded)["participation_reach"] == 2


def test_participation_reach_comes_from_the_figure_registry(seeded, make_user, monkeypatch):
    """Monitoring never reads participation's models: the figure is whatever participation registered (apps.py),
    and None when no app provides it."""
    from kompass.monitoring.selectors import strategy_figures
    from kompass.participation import selectors as participation_selectors
    from kompass.strategy import figures

    assert figures._PROVIDERS["participation_reach"] is participation_selectors.participation_reach
    monkeypatch.setattr(figures, "_PROVIDERS", {})
    assert strategy_figures(seeded)["participation_reach"] is None
    figures.register_figure("participation_reach", lambda strategy: 7 if strategy == seeded else 0)
    assert strategy_figures(seeded)["participation_reach"] == 7


@pytest.mark.parametrize("role", ["visitor", "registered", "other_coordinator", "member", "coordinator", "office",
                                  "admin"])
def test_indicator_corrections_by_the_team_only_and_targets_untouched(roles, role, client):
    users, indicator = roles
    if users[role]:
        client.force_login(users[role])
    targets_before = list(indicator.target_versions.values_list("value", "target_date"))
    url = f"/monitoring/indicators/{indicator.slug}/edit/"
    data = {"name": "Nachnutzungen (korrigiert)", "definition": "Zahl der Nachnutzungen.", "unit": indicator.unit,
            "direction": str(indicator.direction), "baseline_value": str(indicator.baseline_value),
            "baseline_date": indicator.baseline_date.isoformat(), "data_source": "Register", "cadence": "yearly"}
    response = client.post(url, data)
    indicator.refresh_from_db()
    if role in ALLOWED:
        assert response.status_code == 302 and indicator.name == "Nachnutzungen (korrigiert)"
        assert AuditEvent.objects.filter(action="monitoring.indicator_updated", actor=users[role]).exists()
        assert list(indicator.target_versions.values_list("value", "target_date")) == targets_before
        bad = client.post(url, {**data, "baseline_value": "viel"})
        assert bad.status_code == 400
    else:
        assert_denied(response, anonymous=role == "visitor")
        assert indicator.name != "Nachnutzungen (korrigiert)"
