"""The strategy loader's section helpers (strategy/sections.py), pinned where mutation testing looks: dates of the
file, text defaults, the loader registry's order and selection, and `upsert`'s created/updated/unchanged path."""

import datetime

import pytest

from kompass.strategy import sections
from kompass.strategy.services import STRATEGY_LOADER, LoadReport


@pytest.mark.parametrize(("value", "end", "day"), [
    (None, False, None), (2030, False, datetime.date(2030, 1, 1)), (2030, True, datetime.date(2030, 12, 31)),
    ("2030", False, datetime.date(2030, 1, 1)), ("2030", True, datetime.date(2030, 12, 31)),
    ("2030-06-15", False, datetime.date(2030, 6, 15)), ("2030-06-15", True, datetime.date(2030, 6, 15)),
])
def test_dates_of_the_file(value, end, day):
    assert sections.parse_date(value, end) == day


def test_a_malformed_date_is_refused():
    with pytest.raises(ValueError):
        sections.parse_date("15.06.2030")


def test_missing_texts_are_empty_strings():
    assert sections.texts({"name": "Ziel", "other": 1}) == {"name": "Ziel", "name_en": "", "description": "",
                                                             "description_en": ""}
    assert sections.texts({"a": 1}, ("a", "b")) == {"a": 1, "b": ""}


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(sections, "_LOADERS", {})
    return sections


def test_loaders_run_by_position_then_registration_and_only_for_present_sections(registry):
    calls = []

    def loader(name):
        return lambda strategy, document, actor, label, report: calls.append((name, strategy, label))

    registry.register_section_loader("late", loader("late"), position=30)
    registry.register_section_loader("first", loader("first"), position=10)
    registry.register_section_loader("tie", loader("tie"), position=30)
    registry.register_section_loader("pair", loader("pair"), sections=("a", "b"), position=20)
    registry.register_section_loader("absent", loader("absent"), position=5)
    registry.register_section_loader("first", loader("first again"), position=10)  # replaces, never twice
    assert [r.name for r in registry.section_loaders()] == ["absent", "first", "pair", "late", "tie"]
    document = {"first": [1], "b": [1], "late": [1], "tie": [1], "absent": []}
    registry.run_section_loaders("S", document, STRATEGY_LOADER, "L", None)
    assert calls == [("first again", "S", "L"), ("pair", "S", "L"), ("late", "S", "L"), ("tie", "S", "L")]
    assert registry.section_loaders()[0].sections == ("absent",)


@pytest.mark.django_db
def test_upsert_creates_updates_and_leaves_alone_with_one_audit_event_each(berlin):
    from kompass.audit.models import AuditEvent
    from kompass.organisations.models import Organisation

    report = LoadReport(strategy="berlin", dry_run=False)
    lookup = {"strategy": berlin, "slug": "neue-stelle"}
    created = sections.upsert(report, "organisation", Organisation, lookup, {"name": "Neue Stelle"},
                              STRATEGY_LOADER, "system:load-strategy t.yaml")
    same = sections.upsert(report, "organisation", Organisation, lookup, {"name": "Neue Stelle"},
                           STRATEGY_LOADER, "x")
    renamed = sections.upsert(report, "organisation", Organisation, lookup, {"name": "Andere Stelle"},
                              STRATEGY_LOADER, "y")
    assert created.pk == same.pk == renamed.pk
    assert Organisation.objects.get(pk=created.pk).name == "Andere Stelle"
    assert dict(report.counts["organisation"]) == {"created": 1, "unchanged": 1, "updated": 1}
    events = AuditEvent.objects.filter(object_id=str(created.pk), action__startswith="organisation.")
    assert [(e.action, e.changes) for e in events.order_by("pk")] == [
        ("organisation.created", {"name": [None, "Neue Stelle"]}),
        ("organisation.updated", {"name": ["Neue Stelle", "Andere Stelle"]})]


@pytest.mark.django_db
def test_an_update_by_the_loader_moves_the_time_of_last_change_and_leaving_alone_does_not(berlin):
    import datetime

    from django.utils import timezone

    from kompass.organisations.models import Organisation

    report = LoadReport(strategy="berlin", dry_run=False)
    lookup = {"strategy": berlin, "slug": "neue-stelle"}
    before = timezone.now()
    created = sections.upsert(report, "organisation", Organisation, lookup, {"name": "Neue Stelle"},
                              STRATEGY_LOADER, None)
    assert created.modified_at >= before
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Organisation.objects.filter(pk=created.pk).update(modified_at=long_ago)
    sections.upsert(report, "organisation", Organisation, lookup, {"name": "Neue Stelle"}, STRATEGY_LOADER, None)
    assert Organisation.objects.get(pk=created.pk).modified_at == long_ago
    sections.upsert(report, "organisation", Organisation, lookup, {"name": "Andere Stelle"}, STRATEGY_LOADER, None)
    assert Organisation.objects.get(pk=created.pk).modified_at >= before
    Organisation.objects.filter(pk=created.pk).update(modified_at=long_ago)
    sections.touch(created)
    assert Organisation.objects.get(pk=created.pk).modified_at >= before


def test_a_registration_cannot_be_changed_once_registered(registry):
    import dataclasses

    registry.register_section_loader("first", print, position=5)
    [first] = registry.section_loaders()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.position = -1
    assert registry.section_loaders()[0] is first
