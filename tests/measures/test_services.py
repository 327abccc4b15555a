"""Measure services as a role matrix: who may create, change, move and delete a measure; what is written and
audited; `None` is not an actor."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from kompass.audit.models import AuditEvent
from kompass.core.actors import system_actor
from kompass.core.permissions import MissingActor
from kompass.measures.models import Measure, MeasureValue
from kompass.measures.services import (
    MeasureRelations,
    build_search_document,
    measure_create,
    measure_delete,
    measure_update,
)

pytestmark = pytest.mark.django_db
ROLES = ["citizen", "member", "coordinator_own", "coordinator_other", "strategy_office", "admin", "system"]
CHANGE_ALLOWED = {"coordinator_own", "strategy_office", "admin", "system"}
DELETE_ALLOWED = {"strategy_office", "admin", "system"}


@pytest.fixture
def other_org(role_users):
    return role_users["coordinator_other"].memberships.get().organisation


@pytest.fixture
def actors(role_users):
    return {**role_users, "system": system_actor("test-import")}


def _data(org, **extra):
    return {"measure_type": Measure.Type.DECENTRAL, "title": "Neue Maßnahme", "responsible_organisation": org,
            "status": Measure.Status.PLANNED, **extra}


@pytest.mark.parametrize("call", ["create", "update", "delete"])
def test_none_is_refused_and_nothing_is_written(berlin, pilot, call):
    events = AuditEvent.objects.count()
    with pytest.raises(MissingActor):
        if call == "create":
            measure_create(actor=None, strategy=berlin, slug="neu", data=_data(pilot.responsible_organisation))
        elif call == "update":
            measure_update(actor=None, measure=pilot, data={"title": "Ohne Akteur"})
        else:
            measure_delete(actor=None, measure=pilot)
    pilot.refresh_from_db()
    assert pilot.title != "Ohne Akteur"
    assert not Measure.objects.filter(slug="neu").exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", ROLES)
def test_update_matrix(actors, pilot, role):
    actor = actors[role]
    before = pilot.title
    events = AuditEvent.objects.count()
    if role in CHANGE_ALLOWED:
        changes = measure_update(actor=actor, measure=pilot, data={"title": "Geändert"})
        assert changes == {"title": (before, "Geändert")}
        pilot.refresh_from_db()
        assert pilot.title == "Geändert"
        event = AuditEvent.objects.latest("id")
        assert (event.action, event.changes) == ("measure.updated", {"title": [before, "Geändert"]})
        assert event.actor_label == ("system:test-import" if role == "system" else f"user:{actor.pk}")
    else:
        with pytest.raises(PermissionDenied):
            measure_update(actor=actor, measure=pilot, data={"title": "Geändert"})
        pilot.refresh_from_db()
        assert pilot.title == before
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix_for_the_own_organisation(actors, berlin, pilot, role):
    actor = actors[role]
    if role in CHANGE_ALLOWED:
        measure = measure_create(actor=actor, strategy=berlin, slug="neu", data=_data(pilot.responsible_organisation))
        assert Measure.objects.get(slug="neu", strategy=berlin) == measure
        event = AuditEvent.objects.get(action="measure.created", object_id=str(measure.pk))
        assert event.changes["title"] == [None, "Neue Maßnahme"]
    else:
        with pytest.raises(PermissionDenied):
            measure_create(actor=actor, strategy=berlin, slug="neu", data=_data(pilot.responsible_organisation))
        assert not Measure.objects.filter(slug="neu").exists()


@pytest.mark.parametrize("role", ROLES)
def test_delete_matrix(actors, pilot, role):
    actor, pk = actors[role], pilot.pk
    if role in DELETE_ALLOWED:
        measure_delete(actor=actor, measure=pilot)
        assert not Measure.objects.filter(pk=pk).exists()
        assert AuditEvent.objects.filter(action="measure.deleted", object_id=str(pk)).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            measure_delete(actor=actor, measure=pilot)
        assert Measure.objects.filter(pk=pilot.pk).exists()
        assert not AuditEvent.objects.filter(action="measure.deleted").exists()


def test_coordinator_cannot_move_a_measure_to_an_organisation_they_do_not_coordinate(actors, pilot, other_org):
    own = pilot.responsible_organisation
    with pytest.raises(PermissionDenied):
        measure_update(actor=actors["coordinator_own"], measure=pilot, data={"responsible_organisation": other_org})
    pilot.refresh_from_db()
    assert pilot.responsible_organisation == own


def test_coordinator_of_both_organisations_may_move_the_measure(make_user, pilot, other_org):
    both = make_user("both@example.org", coordinator_of=[pilot.responsible_organisation, other_org])
    measure_update(actor=both, measure=pilot, data={"responsible_organisation": other_org})
    pilot.refresh_from_db()
    assert pilot.responsible_organisation == other_org


def test_an_update_without_changes_writes_nothing(actors, pilot):
    events = AuditEvent.objects.count()
    updated_at = pilot.updated_at
    assert measure_update(actor=actors["strategy_office"], measure=pilot, data={"title": pilot.title}) == {}
    pilot.refresh_from_db()
    assert pilot.updated_at == updated_at
    assert AuditEvent.objects.count() == events


def test_relations_change_is_recorded_and_refreshes_the_search_document(actors, berlin, pilot):
    district = berlin.districts.exclude(pk__in=pilot.districts.all()).order_by("slug").first()
    before = sorted(pilot.districts.values_list("pk", flat=True))
    changes = measure_update(actor=actors["strategy_office"], measure=pilot, data={},
                             relations=MeasureRelations(districts=[*pilot.districts.all(), district]))
    assert changes == {"districts": (before, sorted([*before, district.pk]))}
    pilot.refresh_from_db()
    assert district.name.lower() in pilot.search_document
    assert AuditEvent.objects.latest("id").changes["districts"][1] == sorted([*before, district.pk])


def test_value_strengths_are_replaced_only_when_asked(actors, berlin, pilot):
    value = berlin.values.order_by("position").first()
    office = actors["strategy_office"]
    measure_update(actor=office, measure=pilot, data={}, relations=MeasureRelations(values={value: 2},
                                                                                    set_values=True))
    assert list(MeasureValue.objects.filter(measure=pilot).values_list("value_id", "strength")) == [(value.pk, 2)]
    # Without set_values the links stay as they are.
    assert measure_update(actor=office, measure=pilot, data={}, relations=MeasureRelations(values={})) == {}
    assert MeasureValue.objects.filter(measure=pilot).count() == 1
    # The same strengths again change nothing.
    assert measure_update(actor=office, measure=pilot, data={},
                          relations=MeasureRelations(values={value: 2}, set_values=True)) == {}


def test_search_document_holds_every_searchable_text_lower_cased(pilot):
    from kompass.core.text import fold

    document = build_search_document(pilot)
    assert document == document.lower() and not any(c in document for c in "äöüß")  # umlaut-folded (ADR 0078)
    for text in (pilot.title, pilot.summary, pilot.responsible_organisation.name,
                 *[d.name for d in pilot.districts.all()], *[a.name for a in pilot.action_fields.all()]):
        assert fold(text) in document
    assert "\n\n" not in document  # empty parts are left out


def test_invalid_data_is_refused_before_anything_is_written(actors, berlin, pilot):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        measure_create(actor=actors["strategy_office"], strategy=berlin, slug="kaputt",
                       data=_data(pilot.responsible_organisation, status="unknown",
                                  start_date=datetime.date(2024, 1, 1)))
    assert not Measure.objects.filter(slug="kaputt").exists()


def test_a_failing_relation_rolls_the_new_measure_back(actors, berlin, pilot):
    from django.db import IntegrityError

    value = berlin.values.first()
    with pytest.raises(IntegrityError):  # strength 5 breaks the 1–3 check constraint after the measure is saved
        measure_create(actor=actors["strategy_office"], strategy=berlin, slug="halb", data=_data(
            pilot.responsible_organisation), relations=MeasureRelations(values={value: 5}, set_values=True))
    assert not Measure.objects.filter(slug="halb").exists()


def test_a_failing_relation_rolls_the_update_back(actors, berlin, pilot):
    from django.db import IntegrityError

    before = pilot.title
    value = berlin.values.first()
    with pytest.raises(IntegrityError):
        measure_update(actor=actors["strategy_office"], measure=pilot, data={"title": "Halb geschrieben"},
                       relations=MeasureRelations(values={value: 5}, set_values=True))
    assert Measure.objects.get(pk=pilot.pk).title == before
