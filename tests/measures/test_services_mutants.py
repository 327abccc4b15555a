"""Measure services, pinned where mutation testing found them loose (docs/mutation/core.md): what the search text
holds, what the audit records of a create, an update and a delete say, and the link rows of values and
perspectives."""

import pytest

from kompass.audit.models import AuditEvent
from kompass.core.text import fold
from kompass.measures import services
from kompass.measures.models import Measure, MeasurePerspective, MeasureValue
from kompass.measures.services import MeasureRelations

pytestmark = pytest.mark.django_db

TEXTS = {"title": "Titel Alpha", "title_en": "Title Bravo", "title_ls": "Titel Charlie", "summary": "Kurz Delta",
         "summary_en": "Short Echo", "summary_ls": "Kurz Foxtrot", "description": "Lang Golf",
         "description_en": "Long Hotel", "participation": "Mitmachen India", "participation_en": "Join Juliett",
         "impact": "Wirkung Kilo", "impact_en": "Impact Lima"}


@pytest.fixture
def office(make_user):
    return make_user("office@example.org", office=True)


def _new(office, berlin, pilot, slug="neu", **extra):
    data = {"measure_type": Measure.Type.NETWORK, "responsible_organisation": pilot.responsible_organisation,
            "status": Measure.Status.RUNNING, **TEXTS, **extra}
    return services.measure_create(actor=office, strategy=berlin, slug=slug, data=data)


def test_the_search_text_holds_every_text_field_names_and_abbreviations_of_the_measure(office, berlin, pilot):
    measure = _new(office, berlin, pilot)
    org = pilot.responsible_organisation
    involved = berlin.organisations.exclude(pk=org.pk).exclude(abbreviation="").order_by("slug").first()
    field = berlin.action_fields.exclude(name_en="").order_by("slug").first()
    district = berlin.districts.order_by("slug").first()
    services.measure_update(actor=office, measure=measure, data={}, relations=MeasureRelations(
        involved_organisations=[involved], districts=[district], action_fields=[field]))
    document = Measure.objects.get(pk=measure.pk).search_document
    assert document == services.build_search_document(measure)
    words = [*TEXTS.values(), org.name, org.abbreviation, involved.name, district.name, field.name, field.name_en]
    assert all(fold(word) in document for word in words)
    assert document.split("\n")[:2] == ["titel alpha", "title bravo"]


def test_a_new_measure_is_audited_with_every_field_it_was_given(office, berlin, pilot):
    measure = _new(office, berlin, pilot, slug="neu-audit")
    event = AuditEvent.objects.get(action="measure.created", object_id=str(measure.pk))
    assert event.changes["title"] == [None, "Titel Alpha"] and event.changes["status"] == [None, "running"]
    assert set(event.changes) == {"measure_type", "responsible_organisation", "status", *TEXTS}


def test_an_update_saves_only_what_changed_moves_the_time_of_change_and_audits_it(office, berlin, pilot):
    measure = _new(office, berlin, pilot, slug="neu-update")
    Measure.objects.filter(pk=measure.pk).update(summary="von anderswo")  # not in the update: must stay
    before = Measure.objects.get(pk=measure.pk).updated_at
    changes = services.measure_update(actor=office, measure=measure,
                                      data={"title": "Titel Neu", "impact": TEXTS["impact"]},
                                      audit_label="system:import t.csv")
    stored = Measure.objects.get(pk=measure.pk)
    assert changes == {"title": ("Titel Alpha", "Titel Neu")}
    assert (stored.title, stored.summary) == ("Titel Neu", "von anderswo") and stored.updated_at > before
    assert "titel neu" in stored.search_document and "titel alpha" not in stored.search_document
    event = AuditEvent.objects.filter(action="measure.updated", object_id=str(measure.pk)).get()
    assert (event.changes, event.actor_label) == ({"title": ["Titel Alpha", "Titel Neu"]}, "system:import t.csv")


def test_value_and_perspective_links_are_replaced_and_audited_as_strength_maps(office, berlin, pilot):
    measure = _new(office, berlin, pilot, slug="neu-links")
    first, second = berlin.values.order_by("position")[:2]
    view = berlin.perspectives.order_by("position").first()
    changes = services.measure_update(actor=office, measure=measure, data={}, relations=MeasureRelations(
        values={second: 1, first: "3"}, set_values=True, perspectives={view: 2}, set_perspectives=True))
    assert changes == {"values": ({}, {first.pk: 3, second.pk: 1}), "perspectives": ({}, {view.pk: 2})}
    assert sorted(MeasureValue.objects.filter(measure=measure).values_list("value_id", "strength")) == sorted(
        [(first.pk, 3), (second.pk, 1)])
    assert list(MeasurePerspective.objects.filter(measure=measure).values_list("perspective_id", "strength")) == [
        (view.pk, 2)]
    again = services.measure_update(actor=office, measure=measure, data={}, relations=MeasureRelations(
        values={first: 2}, set_values=True, perspectives={}, set_perspectives=True))
    assert again == {"values": ({first.pk: 3, second.pk: 1}, {first.pk: 2}), "perspectives": ({view.pk: 2}, {})}
    assert not MeasurePerspective.objects.filter(measure=measure).exists()
    event = AuditEvent.objects.filter(action="measure.updated", object_id=str(measure.pk)).latest("pk")
    assert event.changes == {"values": [{str(first.pk): 3, str(second.pk): 1}, {str(first.pk): 2}],
                             "perspectives": [{str(view.pk): 2}, {}]}


def test_a_deleted_measure_is_gone_and_its_deletion_audited(office, berlin, pilot):
    measure = _new(office, berlin, pilot, slug="neu-weg")
    pk = measure.pk
    services.measure_delete(actor=office, measure=measure)
    assert not Measure.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="measure.deleted", object_id=str(pk), actor=office).count() == 1


def test_links_are_kept_by_an_update_that_does_not_name_them_and_each_kind_is_set_on_its_own(office, berlin, pilot):
    measure = _new(office, berlin, pilot, slug="neu-eigen")
    value = berlin.values.order_by("position").first()
    view = berlin.perspectives.order_by("position").first()
    only_views = services.measure_update(actor=office, measure=measure, data={}, relations=MeasureRelations(
        values={value: 2}, perspectives={view: 3}, set_perspectives=True))
    assert only_views == {"perspectives": ({}, {view.pk: 3})}
    assert not MeasureValue.objects.filter(measure=measure).exists()
    services.measure_update(actor=office, measure=measure, data={}, relations=MeasureRelations(
        values={value: 2}, set_values=True))
    assert services.measure_update(actor=office, measure=measure, data={"title": "Nur der Titel"}) == {
        "title": ("Titel Alpha", "Nur der Titel")}
    assert list(MeasureValue.objects.filter(measure=measure).values_list("strength", flat=True)) == [2]
    assert list(MeasurePerspective.objects.filter(measure=measure).values_list("strength", flat=True)) == [3]


def test_an_update_that_leaves_the_search_text_as_it_is_does_not_rewrite_it(office, berlin, pilot):
    """A change of status alone keeps the search text: the service compares the new text with the stored one
    and writes it only when it differs (the text is rebuilt as a new string, equal but not the same object)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure = _new(office, berlin, pilot, slug="neu-suche")
    with CaptureQueriesContext(connection) as queries:
        changes = services.measure_update(actor=office, measure=measure, data={"status": Measure.Status.COMPLETED})
    assert changes == {"status": ("running", "completed")}
    assert not [q["sql"] for q in queries.captured_queries if "search_document" in q["sql"] and "UPDATE" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        services.measure_update(actor=office, measure=measure, data={"title": "Titel Neu"})
    assert [q for q in queries.captured_queries if "search_document" in q["sql"] and "UPDATE" in q["sql"]]
