"""Every lifecycle write is all or nothing: when its last step fails (the audit record, or the deletion after it
was recorded), nothing of what it wrote before stays. Pins the `@transaction.atomic` of each service
(docs/mutation/flow.md)."""

import datetime

import pytest
from django.apps import apps

from kompass.core.actors import system_actor
from kompass.lifecycle import services
from kompass.lifecycle.models import MeetingFormat, Milestone, SelectionCriterion, TeamMember

pytestmark = pytest.mark.django_db


def _rows() -> dict:
    return {model._meta.label: list(model.objects.order_by("pk").values())
            for app in ("lifecycle", "measures", "accounts", "audit", "jobs")
            for model in apps.get_app_config(app).get_models()}


def _cases(f):
    """name -> (what fails: an object and the name of its attribute, the write); `f` holds the fixtures."""
    from kompass.lifecycle.models import Mandate
    from kompass.lifecycle.services import (
        _common,
        descriptions,
        imports,
        invitations,
        lessons,
        logbook,
        milestones,
        phases,
        selection,
        team,
    )

    p, fresh, berlin = f["people"], f["fresh"], f["berlin"]
    office, member, cdo = p["office"], p["member"], p["cdo"]
    milestone, mandate, candidate = f["milestone"], f["mandate"], f["candidate"]
    return {
        "description_save": ((descriptions, "record_event"), lambda: services.description_save(
            actor=member, measure=fresh, sections={"goal": "Neu"})),
        "external_id_set": ((imports, "record_event"), lambda: services.external_id_set(
            actor=office, measure=fresh, external_id="X-9")),
        "invitation_send": ((invitations, "record_event"), lambda: services.invitation_send(
            actor=p["lead"], measure=fresh, email="neu@example.org", role="member")),
        "invitation_accept": ((invitations, "record_event"), lambda: services.invitation_accept(
            actor=f["invited"], token=f["token"])),
        "lesson_create": ((lessons, "record_event"), lambda: services.lesson_create(
            actor=member, measure=fresh, title="T", what_worked="a", what_did_not="b", recommendation="c")),
        "replication_set": ((lessons, "record_event"), lambda: services.replication_set(
            actor=office, measure=fresh, original=berlin.measures.exclude(pk=fresh.pk).order_by("slug").first())),
        "logbook_entry_create": ((logbook, "record_event"), lambda: services.logbook_entry_create(
            actor=member, measure=fresh, meeting_format=MeetingFormat.objects.filter(strategy=berlin).first(),
            held_on=datetime.date(2025, 5, 1), outcomes="o")),
        "milestone_create": ((milestones, "record_event"), lambda: services.milestone_create(
            actor=member, measure=fresh, title="Neu", due_on=datetime.date(2027, 1, 1))),
        "milestone_update": ((_common, "record_event"), lambda: services.milestone_update(
            actor=member, milestone=milestone, title="Anders", due_on=datetime.date(2027, 2, 1))),
        "milestone_done": ((milestones, "record_event"), lambda: services.milestone_done(
            actor=member, milestone=milestone, done_on=datetime.date(2026, 1, 1))),
        "milestone_delete": ((Milestone, "delete"), lambda: services.milestone_delete(
            actor=member, milestone=milestone)),
        "phase_move": ((phases, "record_event"), lambda: services.phase_move(
            actor=member, measure=fresh, to_phase=f["phases"]["exploration"])),
        "phase_set_initial": ((phases, "record_event"), lambda: services.phase_set_initial(
            actor=office, measure=fresh, phase=f["phases"]["vorprozess"])),
        "candidate_submit": ((selection, "record_event"), lambda: services.candidate_submit(
            actor=office, strategy=berlin, title="Neu", description="d", source="administration")),
        "candidate_from_idea": ((selection, "record_event"), lambda: services.candidate_from_idea(
            actor=system_actor("test"), strategy=berlin, source_kind="participation.idea", source_id=991,
            title="Idee", text="t")),
        "assessment_save": ((selection, "record_event"), lambda: services.assessment_save(
            actor=office, candidate=candidate, criterion=SelectionCriterion.objects.filter(strategy=berlin).first(),
            score=3, justification="gut")),
        "candidate_decide": ((selection, "record_event"), lambda: services.candidate_decide(
            actor=cdo, candidate=candidate, decision="deferred", reason="später")),
        "team_member_set": ((team, "record_event"), lambda: services.team_member_set(
            actor=office, measure=fresh, user=p["citizen"], role="member")),
        "team_member_remove": ((TeamMember, "delete"), lambda: services.team_member_remove(
            actor=office, member=TeamMember.objects.get(measure=fresh, user=member))),
        "mandate_record": ((team, "record_event"), lambda: services.mandate_record(
            actor=office, measure=fresh, given_by="decision_round", given_on=datetime.date(2025, 1, 1))),
        "mandate_update": ((_common, "record_event"), lambda: services.mandate_update(
            actor=office, mandate=mandate, notes="neu")),
        "mandate_delete": ((Mandate, "delete"), lambda: services.mandate_delete(actor=office, mandate=mandate)),
    }


CASES = ["description_save", "external_id_set", "invitation_send", "invitation_accept", "lesson_create",
         "replication_set", "logbook_entry_create", "milestone_create", "milestone_update", "milestone_done",
         "milestone_delete", "phase_move", "phase_set_initial", "candidate_submit", "candidate_from_idea",
         "assessment_save", "candidate_decide", "team_member_set", "team_member_remove", "mandate_record",
         "mandate_update", "mandate_delete"]


@pytest.mark.parametrize("name", CASES)
def test_a_write_whose_last_step_fails_leaves_nothing_behind(name, berlin, ready, people, phases, make_user,
                                                             monkeypatch, settings, tmp_path):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    office = people["office"]
    invited = make_user("eingeladen@example.org")
    invitation = services.invitation_send(actor=office, measure=ready, email=invited.email, role="member")
    fixtures = {"people": people, "fresh": ready, "berlin": berlin, "phases": phases, "invited": invited,
                "token": services.invitation_token(invitation),
                "milestone": services.milestone_create(actor=office, measure=ready, title="Alt",
                                                       due_on=datetime.date(2026, 6, 1)),
                "mandate": ready.mandates.first(),
                "candidate": services.candidate_submit(actor=office, strategy=berlin, title="Vorschlag",
                                                       description="d", source="administration")}
    target, write = _cases(fixtures)[name]
    before = _rows()

    def fails(*args, **kwargs):
        raise RuntimeError("the last step fails")

    monkeypatch.setattr(*target, fails)
    with pytest.raises(RuntimeError):
        write()
    monkeypatch.undo()
    after = _rows()
    assert {k: v for k, v in after.items() if v != before[k]} == {}
