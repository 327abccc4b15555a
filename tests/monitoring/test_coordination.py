"""Issue 13, coordinators: indicator owners and reminders from the update rhythm, overdue flags on the public
indicator page and per organisation for the office, "Meine Aufgaben" with a constant number of queries, and
implausible values refused in forms, services and the API."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.lifecycle import services as lifecycle
from kompass.lifecycle.criteria import evaluate
from kompass.lifecycle.models import MeasureLifecycle, TeamMember
from kompass.lifecycle.selectors import measure_process
from kompass.monitoring import services, updates
from kompass.monitoring.models import EvaluationCycle, Indicator, Measurement

pytestmark = pytest.mark.django_db

COUNT = "bsp-nachnutzungen"  # a count (Nachnutzungen), responsible: skzl
SHARE = "bsp-anteil-datenbasierte-bewaesserung"  # a percentage with natural limit 100


@pytest.mark.parametrize("cadence,latest,due", [
    ("yearly", datetime.date(2024, 1, 1), datetime.date(2026, 1, 1)),
    ("quarterly", datetime.date(2025, 4, 1), datetime.date(2025, 10, 1)),
    ("monthly", datetime.date(2025, 12, 31), datetime.date(2026, 2, 28)),  # end of month is kept in range
    ("irregular", datetime.date(2024, 1, 1), None),
])
def test_next_due_follows_the_cadence(cadence, latest, due):
    assert updates.next_due(cadence, latest, datetime.date(2000, 1, 1)) == due


def test_without_a_value_the_baseline_counts_and_overdue_starts_the_day_after():
    ind = Indicator(cadence="yearly", baseline_date=datetime.date(2023, 1, 1))
    on_due = updates.update_state(ind, latest_period=None, today=datetime.date(2025, 1, 1))
    assert on_due.due == datetime.date(2025, 1, 1) and not on_due.overdue and on_due.remind
    assert updates.update_state(ind, latest_period=None, today=datetime.date(2025, 1, 2)).overdue
    early = updates.update_state(ind, latest_period=None, today=datetime.date(2024, 12, 17))
    assert not early.remind
    assert updates.update_state(ind, latest_period=None, today=datetime.date(2024, 12, 18)).remind


@pytest.fixture
def owned(seeded, make_user):
    indicator = Indicator.objects.select_related("measure__responsible_organisation").get(slug=COUNT)
    owner = make_user("owner@example.org", member_of=[indicator.measure.responsible_organisation])
    TeamMember.objects.create(measure=indicator.measure, user=owner, role="member")
    services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner)
    return indicator, owner


def _latest(indicator):
    return max(Measurement.objects.filter(indicator=indicator).values_list("period", flat=True),
               default=indicator.baseline_date)


def test_the_owner_must_be_on_the_team(seeded, make_user):
    indicator = Indicator.objects.get(slug=COUNT)
    stranger = make_user("stranger@example.org")
    with pytest.raises(ValidationError):
        services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=stranger)
    assert Indicator.objects.get(pk=indicator.pk).owner_id is None


def test_reminders_are_sent_once_per_due_date(owned):
    indicator, owner = owned
    due = updates.next_due(indicator.cadence, _latest(indicator), indicator.baseline_date)
    too_early = due - datetime.timedelta(days=updates.REMIND_DAYS + 1)
    assert services.indicator_reminders_send(actor=SYSTEM, today=too_early) == 0
    day = due - datetime.timedelta(days=updates.REMIND_DAYS)
    assert services.indicator_reminders_send(actor=SYSTEM, today=day) == 1
    assert mail.outbox[-1].to == [owner.email]
    assert reverse("monitoring:measurement_add", args=[COUNT]) in mail.outbox[-1].body
    assert services.indicator_reminders_send(actor=SYSTEM, today=day) == 0
    assert services.indicator_reminders_send(actor=SYSTEM, today=due + datetime.timedelta(days=30)) == 0
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="monitoring.indicator_reminders_sent").count() == 1
    # a new value moves the due date: the next reminder goes out for the new date
    Measurement.objects.create(indicator=indicator, period=datetime.date(due.year, 1, 1), value=30)
    new_due = updates.next_due(indicator.cadence, _latest(indicator), indicator.baseline_date)
    assert new_due > due
    assert services.indicator_reminders_send(actor=SYSTEM, today=new_due) == 1


def test_the_reminder_command_is_idempotent(owned):
    Indicator.objects.filter(pk=owned[0].pk).update(baseline_date=datetime.date(2001, 1, 1))
    Measurement.objects.filter(indicator=owned[0]).delete()
    call_command("send_indicator_reminders")
    call_command("send_indicator_reminders")
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]


def test_the_public_indicator_page_shows_the_last_update_and_flags_overdue(seeded, client):
    indicator = Indicator.objects.get(slug=COUNT)
    html = client.get(reverse("monitoring:indicator", args=[COUNT])).content.decode()
    assert "Zuletzt aktualisiert" in html
    Measurement.objects.filter(indicator=indicator).delete()
    Indicator.objects.filter(pk=indicator.pk).update(baseline_date=datetime.date(2001, 1, 1))
    html = client.get(reverse("monitoring:indicator", args=[COUNT])).content.decode()
    assert "überfällig" in html and "overdue-badge" in html and "2003" in html


def test_the_office_sees_overdue_updates_per_organisation(seeded, client, make_user):
    indicator = Indicator.objects.select_related("measure__responsible_organisation").get(slug=COUNT)
    Measurement.objects.filter(indicator=indicator).delete()
    Indicator.objects.filter(pk=indicator.pk).update(baseline_date=datetime.date(2001, 1, 1))
    client.force_login(make_user("coord@example.org",
                                 coordinator_of=[indicator.measure.responsible_organisation]))
    assert client.get(reverse("monitoring:overdue")).status_code == 403
    client.force_login(make_user("office@example.org", office=True))
    response = client.get(reverse("monitoring:overdue"))
    assert response.status_code == 200
    groups = response.context["groups"]
    org = indicator.responsible_organisation or indicator.measure.responsible_organisation
    mine = next(g for g in groups if g["organisation"] == org)
    assert indicator.pk in [ind.pk for ind, _state in mine["rows"]]
    assert all(state.overdue for g in groups for _ind, state in g["rows"])


def _coordinator_world(seeded, make_user, n_measures):
    """A coordinator of one organisation with `n_measures` of its measures, each with an overdue milestone."""
    indicator = Indicator.objects.select_related("measure__responsible_organisation").get(slug=COUNT)
    org = indicator.measure.responsible_organisation
    user = make_user(f"coord{n_measures}@example.org", coordinator_of=[org])
    measures = list(seeded.measures.filter(responsible_organisation=org).order_by("slug")[:n_measures])
    for m in measures:
        lifecycle.milestone_create(actor=SYSTEM, measure=m, title=f"Bericht {m.slug}",
                                   due_on=datetime.date(2024, 1, 1))
    return user, measures


def test_my_tasks_lists_reviews_milestones_gates_and_stale_indicators(seeded, client, make_user):
    user, measures = _coordinator_world(seeded, make_user, 3)
    services.cycle_open(actor=SYSTEM, strategy=seeded, slug="zyklus-2026", name="Zyklus 2026",
                        deadline=datetime.date(2026, 6, 30))
    Measurement.objects.filter(indicator__slug=COUNT).delete()
    Indicator.objects.filter(slug=COUNT).update(baseline_date=datetime.date(2001, 1, 1))
    MeasureLifecycle.objects.filter(measure=measures[0]).delete()  # back in the Vorprozess: no team yet
    client.force_login(user)
    response = client.get(reverse("monitoring:my_tasks"))
    assert response.status_code == 200
    tasks = response.context["tasks"]
    assert {m.pk for m in tasks.measures} >= {m.pk for m in measures}
    assert {(c.slug, m.pk) for c, m in tasks.reviews} >= {("zyklus-2026", m.pk) for m in measures}
    assert {ms.title for ms in tasks.milestones} >= {f"Bericht {m.slug}" for m in measures}
    gates = {m.pk: [c["name"] for c in open_] for m, _phase, open_ in tasks.gates}
    assert "team_with_roles" in gates[measures[0].pk]
    # the bulk check gives what the workspace's one-measure check gives
    for m in tasks.measures:
        process = measure_process(m)
        if process.phase is None or process.completed:
            continue
        expected = [c["name"] for c in evaluate(process.phase.exit_criteria, m) if c["met"] is False]
        assert gates.get(m.pk, []) == expected, m.slug
    assert COUNT in [ind.slug for ind, state in tasks.indicators if state.overdue]
    html = response.content.decode()
    assert "Meine Aufgaben" in html and 'href="/my-tasks/" aria-current="page"' in html


def test_my_tasks_costs_the_same_number_of_queries_for_more_measures(seeded, client, make_user):
    EvaluationCycle.objects.create(strategy=seeded, slug="z", name="Z", deadline=datetime.date(2026, 6, 30))
    counts = []
    for n in (1, 4):
        user, _measures = _coordinator_world(seeded, make_user, n)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("monitoring:my_tasks")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_my_tasks_costs_at_most_a_fixed_number_of_queries(seeded, client, make_user,
                                                          django_assert_max_num_queries):
    user, _measures = _coordinator_world(seeded, make_user, 4)
    client.force_login(user)
    with django_assert_max_num_queries(30):
        client.get(reverse("monitoring:my_tasks"))


def test_the_header_links_my_tasks_only_for_people_who_run_measures(seeded, client, make_user):
    user, _measures = _coordinator_world(seeded, make_user, 1)
    client.force_login(make_user("citizen@example.org"))
    assert "/my-tasks/" not in client.get("/").content.decode()
    client.force_login(user)
    assert "/my-tasks/" in client.get("/").content.decode()


# --- plausibility --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug,value,ok", [(SHARE, "101", False), (SHARE, "-1", False), (SHARE, "100", True),
                                           (COUNT, "-3", False), (COUNT, "0", True)])
def test_implausible_measurements_are_refused_by_the_service(seeded, slug, value, ok):
    rows = [{"_row": 1, "indicator": slug, "period": "2025", "value": value}]
    clean, errors = services.validate_rows(rows, strategy=seeded, measure=None)
    assert bool(clean) == ok and (not errors) == ok
    if not ok:
        assert errors[0].column == "value"


def test_implausible_measurements_are_refused_by_the_form_and_the_api(seeded, client, make_user):
    from kompass.accounts.services import api_token_create

    office = make_user("office@example.org", office=True)
    client.force_login(office)
    before = Measurement.objects.count()
    response = client.post(reverse("monitoring:measurement_add", args=[SHARE]), {"period": "2025", "value": "250"})
    assert response.status_code == 400 and "100" in response.content.decode()
    _token, secret = api_token_create(actor=office, user=office, name="t")
    response = client.post(f"/api/v1/monitoring/indicators/{COUNT}/measurements",
                           {"measurements": [{"period": "2025", "value": -4}]}, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["param"] == "value"
    assert Measurement.objects.count() == before


def test_implausible_targets_are_refused_by_the_service(seeded):
    share = Indicator.objects.get(slug=SHARE)
    for value, when in ((120, datetime.date(2030, 1, 1)), (50, datetime.date(9999, 1, 1))):
        with pytest.raises(ValidationError):
            services.target_add(actor=SYSTEM, indicator=share, value=value, target_date=when)
    count = Indicator.objects.get(slug=COUNT)
    Indicator.objects.filter(pk=count.pk).update(natural_limit=50)
    count.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.target_add(actor=SYSTEM, indicator=count, value=60, target_date=datetime.date(2030, 1, 1))
    assert "value" in exc.value.error_dict


def test_the_indicator_form_refuses_implausible_values():
    from kompass.monitoring.forms import IndicatorForm

    data = {"name": "Anteil", "unit": "%", "direction": "1", "baseline_value": "10", "baseline_date": "2024-01-01",
            "target_value": "140", "target_date": "9999-12-31", "method": "open_sdg", "cadence": "yearly"}
    form = IndicatorForm(data)
    assert not form.is_valid()
    assert {"target_value", "target_date"} <= set(form.errors)
    form = IndicatorForm({**data, "unit": "Anzahl", "target_value": "140", "target_date": "2030-12-31",
                          "natural_limit": "100"})
    assert "target_value" in form.errors
    form = IndicatorForm({**data, "unit": "Anzahl", "baseline_value": "-5", "target_value": "1",
                          "target_date": "2030-12-31"})
    assert form.is_valid(), form.errors  # a negative baseline says the quantity can be negative


def test_the_indicator_edit_form_sets_the_owner(owned, client, make_user):
    indicator, owner = owned
    client.force_login(make_user("office@example.org", office=True))
    url = reverse("monitoring:indicator_edit", args=[COUNT])
    page = client.get(url)
    assert "owner" in page.context["form"].fields
    data = {f: getattr(indicator, f) for f in ("name", "unit", "direction", "baseline_value", "baseline_date",
                                                "cadence")}
    response = client.post(url, {**{k: str(v) for k, v in data.items()}, "owner": ""})
    assert response.status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).owner_id is None
    assert AuditEvent.objects.filter(action="monitoring.indicator_owner_set").count() == 2


@pytest.mark.parametrize("site,prefix", [("https://kompass.example.org", "https://kompass.example.org/"),
                                         ("", "/")])
def test_reminder_links_start_with_the_site_url_never_a_guessed_host(owned, settings, site, prefix):
    indicator, _ = owned
    settings.KOMPASS_SITE_URL = site
    due = updates.next_due(indicator.cadence, _latest(indicator), indicator.baseline_date)
    assert services.indicator_reminders_send(actor=SYSTEM, today=due) == 1
    link = prefix + reverse("monitoring:measurement_add", args=[COUNT]).lstrip("/")
    assert link in mail.outbox[-1].body.splitlines()
    assert "127.0.0.1" not in mail.outbox[-1].body
