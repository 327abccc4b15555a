"""The strategy loader's organisation sync, pinned where mutation testing found it loose (docs/mutation/core.md)."""

import pytest

from kompass.audit.models import AuditEvent
from kompass.organisations.models import Organisation
from kompass.strategy.services import STRATEGY_LOADER, strategy_load
from tests.strategy.test_loader import mini, write

pytestmark = pytest.mark.django_db


def test_a_change_of_former_names_is_audited_with_the_old_and_the_new_names(tmp_path):
    doc = mini()
    strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    doc["organisations"][0]["former_names"] = [
        {"name": "Amt für Verwaltungsmodernisierung", "abbreviation": "AfV", "valid_until": "2020-12-31"},
        {"name": "Altes Amt", "abbreviation": "AA", "valid_until": "2023-04-26"}]
    report = strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    org = Organisation.objects.get(slug="amt", strategy__slug="mini")
    assert [(f.name, f.abbreviation) for f in org.former_names.order_by("id")] == [
        ("Amt für Verwaltungsmodernisierung", "AfV"), ("Altes Amt", "AA")]
    first, event = AuditEvent.objects.filter(action="organisation.former_names_changed",
                                             object_id=str(org.pk)).order_by("pk")
    assert first.changes == {"former_names": [[], ["Altes Amt"]]}
    assert event.changes == {"former_names": [["Altes Amt"], ["Amt für Verwaltungsmodernisierung", "Altes Amt"]]}
    assert report.counts["former_names"]["updated"] == 1


def test_former_names_dropped_from_the_file_are_removed_and_audited(tmp_path):
    doc = mini()
    strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    doc["organisations"][0]["former_names"] = []
    report = strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    org = Organisation.objects.get(slug="amt", strategy__slug="mini")
    assert not org.former_names.exists()
    event = AuditEvent.objects.filter(action="organisation.former_names_changed", object_id=str(org.pk)).latest("pk")
    assert event.changes == {"former_names": [["Altes Amt"], []]}
    assert report.counts["former_names"]["updated"] == 1
