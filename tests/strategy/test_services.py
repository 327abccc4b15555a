"""strategy_load's actor and permission, and the section-loader registry that lets higher apps load their parts of
the strategy file."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied

from kompass.audit.models import AuditEvent
from kompass.core.permissions import MissingActor
from kompass.measures.models import Measure
from kompass.strategy import sections
from kompass.strategy.models import Strategy, Value
from kompass.strategy.services import STRATEGY_LOADER, LoadReport, strategy_load
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db
MINI = FIXTURES / "mini.yaml"


def new_events():
    """A function returning the audit events recorded after this call (the session's Berlin load is older)."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda: AuditEvent.objects.filter(pk__gt=last)


def test_none_is_not_an_actor_and_nothing_is_written():
    with pytest.raises(MissingActor):
        strategy_load(actor=None, path=MINI)
    assert not Strategy.objects.filter(slug="mini").exists()


@pytest.mark.parametrize("kind", ["citizen", "coordinator"])
def test_only_the_office_may_load_a_strategy(make_user, berlin, kind):
    org = berlin.organisations.first()
    user = make_user(f"{kind}@example.org", coordinator_of=[org] if kind == "coordinator" else None)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        strategy_load(actor=user, path=MINI)
    assert not Strategy.objects.filter(slug="mini").exists()
    assert AuditEvent.objects.count() == events


def test_an_office_user_loads_and_is_named_in_every_event(make_user):
    office = make_user("office@example.org", office=True)
    recorded = new_events()
    report = strategy_load(actor=office, path=MINI)
    assert report.counts["measure"]["created"] == 2
    events = recorded().filter(action__endswith=".created")
    assert events.exists()
    assert set(events.values_list("actor_label", flat=True)) == {f"user:{office.pk}"}
    assert set(events.values_list("actor", flat=True)) == {office.pk}


def test_a_system_load_names_the_loader_and_the_file():
    recorded = new_events()
    strategy_load(actor=STRATEGY_LOADER, path=MINI)
    labels = set(recorded().values_list("actor_label", flat=True))
    assert labels == {"system:load-strategy mini.yaml"}


def test_an_explicit_audit_label_wins():
    recorded = new_events()
    strategy_load(actor=STRATEGY_LOADER, path=MINI, audit_label="Nachtlauf")
    assert set(recorded().values_list("actor_label", flat=True)) == {"Nachtlauf"}


def test_the_report_lists_kinds_in_loading_order():
    report = strategy_load(actor=STRATEGY_LOADER, path=MINI)
    kinds = list(report.counts)
    assert kinds.index("district") < kinds.index("organisation") < kinds.index("measure")
    assert report.summary_lines()[0] == "strategy: 1 created, 0 updated, 0 unchanged"
    assert report.changed == sum(c["created"] + c["updated"] for c in report.counts.values())


def test_installed_apps_register_their_sections_in_layer_order():
    names = [r.name for r in sections.section_loaders()]
    assert names[:2] == ["organisations", "measures"]
    assert names.index("measures") < names.index("process")


def test_loaders_run_by_position_and_only_for_their_sections(monkeypatch):
    monkeypatch.setattr(sections, "_LOADERS", {})
    calls = []
    sections.register_section_loader("late", lambda *a: calls.append("late"), position=50)
    sections.register_section_loader("early", lambda *a: calls.append("early"), sections=("a", "b"), position=5)
    sections.register_section_loader("absent", lambda *a: calls.append("absent"), position=1)
    sections.register_section_loader("late2", lambda *a: calls.append("late2"), sections=("late",), position=50)
    sections.run_section_loaders(None, {"late": [1], "b": {"x": 1}, "absent": []}, None, None, None)
    assert calls == ["early", "late", "late2"]  # by position, then registration order; empty sections skipped


def test_a_loader_without_position_runs_at_the_default_position(monkeypatch):
    monkeypatch.setattr(sections, "_LOADERS", {})
    calls = []
    sections.register_section_loader("after", lambda *a: calls.append("after"), position=101)
    sections.register_section_loader("default", lambda *a: calls.append("default"))
    sections.register_section_loader("before", lambda *a: calls.append("before"), position=99)
    sections.run_section_loaders(None, {"after": 1, "default": 1, "before": 1}, None, None, None)
    assert calls == ["before", "default", "after"]


def test_registering_a_name_again_replaces_the_loader(monkeypatch):
    monkeypatch.setattr(sections, "_LOADERS", {})
    sections.register_section_loader("x", print)
    sections.register_section_loader("x", repr, position=7)
    [only] = sections.section_loaders()
    assert (only.name, only.loader, only.sections, only.position) == ("x", repr, ("x",), 7)


@pytest.mark.parametrize(("value", "end", "expected"), [
    (None, False, None),
    (2022, False, datetime.date(2022, 1, 1)),
    (2022, True, datetime.date(2022, 12, 31)),
    ("2023", False, datetime.date(2023, 1, 1)),
    ("2023", True, datetime.date(2023, 12, 31)),
    ("2023-04-26", True, datetime.date(2023, 4, 26)),
    (datetime.date(2021, 5, 1), False, datetime.date(2021, 5, 1)),
])
def test_parse_date(value, end, expected):
    assert sections.parse_date(value, end=end) == expected


def test_texts_fills_missing_keys_with_empty_strings():
    assert sections.texts({"name": "A", "other": 1}) == {"name": "A", "name_en": "", "description": "",
                                                          "description_en": ""}
    assert sections.texts({"x": "1"}, keys=("x", "y")) == {"x": "1", "y": ""}


def test_upsert_creates_updates_and_counts(berlin):
    report = LoadReport(strategy="berlin", dry_run=False)
    lookup = {"strategy": berlin, "slug": "neu"}
    created = sections.upsert(report, "value", Value, lookup, {"name": "Neu", "position": 99}, STRATEGY_LOADER, "t")
    assert AuditEvent.objects.filter(action="value.created", object_id=str(created.pk)).count() == 1
    same = sections.upsert(report, "value", Value, lookup, {"name": "Neu", "position": 99}, STRATEGY_LOADER, "t")
    changed = sections.upsert(report, "value", Value, lookup, {"name": "Neuer", "position": 99}, STRATEGY_LOADER,
                              "t")
    assert created.pk == same.pk == changed.pk
    assert Value.objects.get(pk=created.pk).name == "Neuer"
    assert report.counts["value"] == Counter(created=1, unchanged=1, updated=1)
    event = AuditEvent.objects.get(action="value.updated")
    assert (event.changes, event.actor_label) == ({"name": ["Neu", "Neuer"]}, "t")


def test_measures_section_resolves_references_by_slug():
    strategy_load(actor=STRATEGY_LOADER, path=MINI)
    wasser = Measure.objects.get(strategy__slug="mini", slug="wasser")
    assert wasser.responsible_organisation.slug == "amt"
    assert [o.slug for o in wasser.involved_organisations.all()] == ["ba-mitte"]
    assert wasser.spatial_level.slug == "kiez"
    assert (wasser.start_date, wasser.end_date) == (datetime.date(2022, 1, 1), datetime.date(2026, 12, 31))
    assert {(link.value.slug, link.strength) for link in wasser.value_links.all()} == {("offen", 3)}
    assert {(link.perspective.slug, link.strength) for link in wasser.perspective_links.all()} == {("kiez", 2)}
    assert wasser.is_pilot and not wasser.is_example
    beteiligung = Measure.objects.get(strategy__slug="mini", slug="beteiligung")
    assert not beteiligung.is_pilot and beteiligung.is_example  # defaults when the file says nothing
    assert (beteiligung.start_date, beteiligung.end_date, beteiligung.spatial_level) == (None, None, None)
    assert not beteiligung.value_links.exists()
    amt = wasser.responsible_organisation
    assert [(f.name, f.valid_until) for f in amt.former_names.all()] == [("Altes Amt", datetime.date(2023, 4, 26))]


def test_action_field_positions_follow_cluster_then_field_order(berlin):
    import yaml

    from tests.conftest import BERLIN

    document = yaml.safe_load(BERLIN.read_text(encoding="utf-8"))
    expected = {field["slug"]: n * 100 + m for n, cluster in enumerate(document["action_field_clusters"])
                for m, field in enumerate(cluster["action_fields"])}
    assert len(document["action_field_clusters"]) > 1
    assert dict(berlin.action_fields.values_list("slug", "position")) == expected


def test_a_current_strategy_file_makes_the_others_not_current(berlin):
    recorded = new_events()
    strategy_load(actor=STRATEGY_LOADER, path=MINI)  # mini.yaml says current: true
    berlin.refresh_from_db()
    assert not berlin.is_current
    assert Strategy.objects.get(slug="mini").is_current
    event = recorded().get(action="strategy.updated", object_id=str(berlin.pk))
    assert event.changes == {"is_current": [True, False]}


def test_a_strategy_file_that_is_not_current_leaves_the_current_one(berlin, tmp_path):
    import yaml

    document = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    document["strategy"]["current"] = False
    document.pop("map")
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    strategy_load(actor=STRATEGY_LOADER, path=path)
    berlin.refresh_from_db()
    assert berlin.is_current
    assert not Strategy.objects.get(slug="mini").is_current


def test_loaded_districts_get_the_simplified_boundaries_of_the_map(berlin):
    # Found by mutation testing: `map_spec or None` → `and` loaded no geometry at all and no test noticed.
    districts = list(berlin.districts.filter(kind="district"))
    assert len(districts) == 12
    assert all(d.geometry and d.geometry["type"] in {"Polygon", "MultiPolygon"} for d in districts)
