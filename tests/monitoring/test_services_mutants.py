"""Monitoring services, pinned where mutation testing found them loose (docs/mutation/monitoring.md)."""

import pytest

from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.lifecycle.models import TeamMember
from kompass.monitoring import services
from kompass.monitoring.models import Indicator

pytestmark = pytest.mark.django_db

COUNT = "bsp-nachnutzungen"  # a count indicator of the seeded Berlin monitoring data


def test_an_import_reports_what_it_wrote_and_no_errors(seeded):
    indicator = Indicator.objects.select_related("measure").get(slug=COUNT)
    rows = [{"_row": 2, "indicator": COUNT, "period": "2023", "value": "7123"},
            {"_row": 3, "indicator": COUNT, "period": "2024", "value": "8456"}]
    first = services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=indicator.measure)
    again = services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=indicator.measure)
    assert (first.created + first.updated, first.unchanged, first.errors, first.ok) == (2, 0, [], True)
    assert (again.created, again.updated, again.unchanged, again.errors, again.ok) == (0, 0, 2, [], True)
    assert first.errors is not again.errors  # each result has its own list


def test_setting_the_same_owner_again_says_unchanged_and_writes_nothing(seeded, make_user):
    indicator = Indicator.objects.select_related("measure__responsible_organisation").get(slug=COUNT)
    owner = make_user("owner@example.org", member_of=[indicator.measure.responsible_organisation])
    TeamMember.objects.create(measure=indicator.measure, user=owner, role="member")
    events = AuditEvent.objects.filter(action="monitoring.indicator_owner_set")
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner) is True
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner) is False
    assert events.count() == 1
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=None) is True
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=None) is False
    assert events.count() == 2 and Indicator.objects.get(pk=indicator.pk).owner_id is None


def test_a_method_change_to_any_other_method_is_written_and_the_same_method_is_not(seeded):
    from kompass.monitoring.services.targets import METHODS

    indicator = Indicator.objects.select_related("measure").get(slug=COUNT)
    others = sorted(set(METHODS) - {indicator.method})
    assert len(others) >= 2
    for method in [*others, *reversed(others)]:  # upwards and downwards in alphabetical order
        if method == indicator.method:
            continue
        assert services.method_change(actor=SYSTEM, indicator=indicator, method=method, reason="Test") is True
        indicator = Indicator.objects.get(pk=indicator.pk)
        assert indicator.method == method
        assert services.method_change(actor=SYSTEM, indicator=indicator, method=method, reason="Test") is False


def test_a_board_is_created_once_with_an_audit_event_and_only_by_the_office(make_user):
    from django.core.exceptions import PermissionDenied

    from kompass.accounts.models import UserGroup

    first = services.board_ensure(actor=SYSTEM, slug="beirat", name="Strategiebeirat", kind="board",
                                  name_en="Strategy council", audit_label="seed")
    again = services.board_ensure(actor=SYSTEM, slug="beirat", name="Anderer Name", kind="panel")
    assert first.pk == again.pk
    group = UserGroup.objects.get(pk=first.pk)
    assert (group.name, group.name_en, group.kind) == ("Strategiebeirat", "Strategy council", "board")
    events = AuditEvent.objects.filter(action="monitoring.board_created", object_id=str(first.pk))
    assert [e.changes for e in events] == [{"name": [None, "Strategiebeirat"], "kind": [None, "board"]}]
    with pytest.raises(PermissionDenied):
        services.board_ensure(actor=make_user("someone@example.org"), slug="x", name="X", kind="board")
