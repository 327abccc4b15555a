"""Lifecycle services, pinned where mutation testing found them loose (docs/mutation/flow.md)."""

import datetime

import pytest

from kompass.audit.models import AuditEvent
from kompass.lifecycle import services
from kompass.lifecycle.models import Milestone, Notification, ProcessSettings

pytestmark = pytest.mark.django_db


def test_the_proposer_hears_of_the_decision_unless_they_decided_themselves(berlin, make_user):
    ProcessSettings.objects.filter(strategy=berlin).update(min_assessments=0)
    cdo = make_user("cdo@example.org")
    cdo.is_cdo = True
    cdo.save()
    office = make_user("office@example.org", office=True)  # created after the CDO: the larger id
    assert office.pk > cdo.pk
    by_office = services.candidate_submit(actor=office, strategy=berlin, title="Digitale Schulanmeldung",
                                          description="d", source="administration")
    services.candidate_decide(actor=cdo, candidate=by_office, decision="deferred", reason="Haushalt abwarten")
    assert list(Notification.objects.filter(kind="candidate").values_list("recipient_id", flat=True)) == [office.pk]
    cdo.is_strategy_office = True
    cdo.save()
    by_cdo = services.candidate_submit(actor=cdo, strategy=berlin, title="Offene Ratsdaten", description="d",
                                       source="administration")
    services.candidate_decide(actor=cdo, candidate=by_cdo, decision="deferred", reason="später")
    assert Notification.objects.filter(kind="candidate").count() == 1  # nobody tells the CDO their own decision


def test_a_milestone_update_writes_the_changes_and_an_unchanged_one_writes_nothing(fresh, make_user):
    office = make_user("office@example.org", office=True)
    due = datetime.date(2027, 3, 31)
    milestone = services.milestone_create(actor=office, measure=fresh, title="Ausschreibung", due_on=due)
    services.milestone_update(actor=office, milestone=milestone, title="Ausschreibung veröffentlicht", due_on=due)
    assert Milestone.objects.get(pk=milestone.pk).title == "Ausschreibung veröffentlicht"
    events = AuditEvent.objects.filter(object_id=str(fresh.pk), action__startswith="milestone.").count()
    services.milestone_update(actor=office, milestone=Milestone.objects.get(pk=milestone.pk),
                              title="Ausschreibung veröffentlicht", due_on=due)
    assert AuditEvent.objects.filter(object_id=str(fresh.pk), action__startswith="milestone.").count() == events


def test_the_team_reads_the_reason_of_a_phase_move_and_no_reason_line_without_one(ready, fresh, people, phases):
    services.phase_move(actor=people["member"], measure=ready, to_phase=phases["exploration"])
    services.phase_move(actor=people["office"], measure=ready, to_phase=phases["vorprozess"],
                        reason="Mandat fehlt noch")
    texts = list(Notification.objects.filter(recipient=people["lead"], kind="phase").order_by("pk")
                 .values_list("text", flat=True))
    assert len(texts) == 2
    assert "Begründung" not in texts[0] and "Reason" not in texts[0]
    assert texts[1].endswith("Begründung: Mandat fehlt noch")


def test_a_phase_history_given_as_text_dates_is_loaded_for_a_new_strategy(tmp_path, berlin):
    """The test database holds Berlin already, so its history is skipped on later loads; a JSON copy under another
    slug goes through the history reader again, with the dates as text (JSON has no date type)."""
    import yaml

    from kompass.lifecycle.models import PhaseTransition
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load
    from tests.conftest import BERLIN
    from tests.strategy.test_loader import write

    doc = yaml.safe_load(BERLIN.read_text(encoding="utf-8"))
    assert doc["process"]["phase_history"]["smart-water"]["exploration"] == "2023-03-13"
    doc["strategy"].update(slug="berlin-kopie", current=False)
    strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc, name="strategy.json"))  # keeps the key order
    steps = list(PhaseTransition.objects.filter(measure__strategy__slug="berlin-kopie", measure__slug="smart-water")
                 .order_by("occurred_at").values_list("to_phase__slug", "occurred_at__date"))
    assert steps == [("vorprozess", datetime.date(2022, 11, 7)), ("exploration", datetime.date(2023, 3, 13)),
                     ("erprobung", datetime.date(2023, 10, 9)), ("entwicklung", datetime.date(2024, 5, 6))]


@pytest.mark.parametrize("older_phase", [True, False])
def test_a_starting_phase_of_another_strategy_is_refused_whichever_is_older(berlin, fresh, older_phase):
    from django.core.exceptions import ValidationError

    from kompass.core.actors import system_actor
    from kompass.lifecycle.models import MeasureLifecycle, Phase
    from kompass.measures.models import Measure
    from kompass.strategy.models import Strategy

    other = Strategy.objects.create(slug="potsdam", name="Potsdam")
    assert other.pk > berlin.pk
    if older_phase:  # the measure belongs to the newer strategy, the phase to the older one
        Measure.objects.filter(pk=fresh.pk).update(strategy=other)
        phase = Phase.objects.filter(strategy=berlin).order_by("position").first()
    else:
        phase = Phase.objects.create(strategy=other, slug="start", name="Start", position=0)
    measure = Measure.objects.get(pk=fresh.pk)
    with pytest.raises(ValidationError) as refused:
        services.phase_set_initial(actor=system_actor("test"), measure=measure, phase=phase)
    assert "phase" in refused.value.message_dict
    assert not MeasureLifecycle.objects.filter(measure=measure).exists()


def test_ids_are_compared_by_value_not_identity(fresh):
    """Ids above 256 are distinct int objects in CPython: a comparison by identity would refuse a logbook entry
    whose meeting format and measure belong to the same strategy."""
    import datetime

    from kompass.core.actors import system_actor
    from kompass.lifecycle.models import LogbookEntry, MeetingFormat
    from kompass.measures.models import Measure
    from kompass.strategy.models import Strategy

    big = Strategy.objects.create(pk=5000, slug="grossstadt", name="Großstadt")
    Measure.objects.filter(pk=fresh.pk).update(strategy=big)
    meeting = MeetingFormat.objects.create(strategy=big, slug="werkstatt", name="Werkstatt")
    measure, meeting = Measure.objects.get(pk=fresh.pk), MeetingFormat.objects.get(pk=meeting.pk)
    assert measure.strategy_id == meeting.strategy_id and measure.strategy_id is not meeting.strategy_id
    entry = services.logbook_entry_create(actor=system_actor("test"), measure=measure, meeting_format=meeting,
                                          held_on=datetime.date(2026, 11, 3), outcomes="Ziele geklärt")
    assert LogbookEntry.objects.filter(pk=entry.pk, measure=measure).exists()


def test_a_measure_with_a_large_id_cannot_replicate_itself(fresh):
    """Compared by value: with an id above 256 two loads of the same measure hold distinct int objects, and the
    refusal must still be the self-replication one, not the cycle check's."""
    from django.core.exceptions import ValidationError

    from kompass.core.actors import system_actor
    from kompass.measures.models import Measure

    clone = Measure.objects.get(pk=fresh.pk)
    clone.pk, clone.slug = 7000, f"{fresh.slug}-kopie"
    clone.save(force_insert=True)
    measure, same = Measure.objects.get(pk=7000), Measure.objects.get(pk=7000)
    assert measure.pk == same.pk and measure.pk is not same.pk
    with pytest.raises(ValidationError) as refused:
        services.replication_set(actor=system_actor("test"), measure=measure, original=same)
    assert refused.value.messages == ["Eine Maßnahme kann weder sich selbst noch eine Maßnahme einer anderen "
                                      "Strategie nachnutzen."]


def test_free_slug_takes_the_first_free_number():
    from kompass.lifecycle.services._common import free_slug

    taken = {"plan", "plan-2", "plan-3"}
    assert free_slug("plan", taken.__contains__) == "plan-4"
    assert free_slug("neu", taken.__contains__) == "neu"
    assert free_slug("plan", {"plan"}.__contains__) == "plan-2"


def test_tags_are_trimmed_lower_cased_and_empty_ones_dropped():
    from kompass.lifecycle.services.lessons import normalise_tags

    assert normalise_tags(" Daten, KI ,,Open Source , ") == "daten, ki, open source"
    assert normalise_tags("") == "" and normalise_tags(" , ,") == ""


@pytest.mark.parametrize(("parents", "measure", "original", "cycle"), [
    ({}, 1, 2, False),
    ({2: 1}, 1, 2, True),            # 1 would replicate 2, which replicates 1
    ({2: 3, 3: 1}, 1, 2, True),      # a longer loop
    ({2: 3, 3: None}, 1, 2, False),  # a chain that ends
    ({2: 3, 3: 2}, 1, 2, False),     # an existing loop elsewhere does not hang and is not this measure's
    ({}, 1, 1, True),                # itself
])


def test_would_cycle(parents, measure, original, cycle):
    from kompass.lifecycle.services.lessons import would_cycle

    assert would_cycle(parents, measure, original) is cycle


def test_a_milestone_marked_done_is_audited_with_the_old_and_new_day(fresh, make_user):
    office = make_user("office@example.org", office=True)
    milestone = services.milestone_create(actor=office, measure=fresh, title="Abnahme",
                                          due_on=datetime.date(2027, 1, 1))
    services.milestone_done(actor=office, milestone=milestone, done_on=datetime.date(2026, 12, 1))
    assert Milestone.objects.get(pk=milestone.pk).done_on == datetime.date(2026, 12, 1)
    event = AuditEvent.objects.filter(action="milestone.done", object_id=str(fresh.pk)).get()
    assert event.changes == {"milestone:Abnahme": [None, "2026-12-01"]}


def test_removing_a_team_member_is_recorded_on_the_measure_then_deleted(fresh, make_user):
    from kompass.lifecycle.models import TeamMember

    office = make_user("office@example.org", office=True)
    person = make_user("kim@example.org")
    member = services.team_member_set(actor=office, measure=fresh, user=person, role="member")
    services.team_member_remove(actor=office, member=member)
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    event = AuditEvent.objects.filter(action="team_member.removed", object_id=str(fresh.pk)).get()
    assert event.changes == {"team_member": ["kim@example.org (member)", None]}


def test_a_saved_description_audits_exactly_the_sections_that_changed(fresh, make_user):
    from kompass.lifecycle.models import SECTION_KEYS

    office = make_user("office@example.org", office=True)
    first = {key: f"Text {key}" for key in SECTION_KEYS}
    services.description_save(actor=office, measure=fresh, sections=first)
    changed = {**first, SECTION_KEYS[0]: "Neu", SECTION_KEYS[-1]: ""}
    services.description_save(actor=office, measure=fresh, sections=changed)
    audited = [e.changes["sections"][1] for e in AuditEvent.objects.filter(
        action="description.saved", object_id=str(fresh.pk)).order_by("pk")]
    assert audited == [list(SECTION_KEYS), [SECTION_KEYS[0], SECTION_KEYS[-1]]]


@pytest.mark.parametrize("days", [-10, 10])
def test_moving_a_due_date_either_way_lets_the_overdue_reminder_go_out_again(fresh, make_user, days):
    office = make_user("office@example.org", office=True)
    due = datetime.date(2026, 3, 31)
    milestone = services.milestone_create(actor=office, measure=fresh, title="Ausschreibung", due_on=due)
    Milestone.objects.filter(pk=milestone.pk).update(overdue_notified_on=datetime.date(2026, 4, 1))
    milestone = Milestone.objects.get(pk=milestone.pk)
    services.milestone_update(actor=office, milestone=milestone, title="Ausschreibung", due_on=due)
    assert Milestone.objects.get(pk=milestone.pk).overdue_notified_on == datetime.date(2026, 4, 1)
    services.milestone_update(actor=office, milestone=milestone, title="Ausschreibung",
                              due_on=due + datetime.timedelta(days=days))
    assert Milestone.objects.get(pk=milestone.pk).overdue_notified_on is None


@pytest.mark.parametrize("history", [{"keine-phase": "2020-01-01"}, {"vorprozess": "2999-01-01"},
                                     {"vorprozess": "2021-05-01", "exploration": "2021-04-30"}])


def test_a_phase_history_with_an_unknown_phase_a_future_day_or_falling_days_is_refused(berlin, fresh, history):
    from django.core.exceptions import ValidationError

    from kompass.lifecycle.models import PhaseTransition
    from kompass.lifecycle.services.process import _load_history
    from kompass.strategy.services import STRATEGY_LOADER, LoadReport

    report = LoadReport(strategy=berlin.slug, dry_run=False)
    with pytest.raises(ValidationError, match=f"process.phase_history.{fresh.slug}."):
        _load_history(berlin, {fresh.slug: history}, {}, STRATEGY_LOADER, "test", report)
    assert not PhaseTransition.objects.filter(measure=fresh).exists()


def test_more_assessors_than_the_minimum_may_decide(berlin, make_user):
    from kompass.accounts.models import UserGroup
    from kompass.core.actors import SYSTEM
    from kompass.lifecycle.models import SelectionCriterion

    ProcessSettings.objects.filter(strategy=berlin).update(min_assessments=1)
    cdo = make_user("cdo@example.org")
    cdo.is_cdo = True
    cdo.save()
    criterion = SelectionCriterion.objects.filter(strategy=berlin).first()
    candidate = services.candidate_from_idea(actor=SYSTEM, strategy=berlin, source_kind="participation.idea",
                                             source_id=601, title="Offene Ratsdaten", text="Text")
    for n in range(2):
        reviewer = make_user(f"r{n}@example.org")
        reviewer.is_reviewer = True
        reviewer.save()
        UserGroup.objects.get(slug="smart-city-unit").members.add(reviewer)
        services.assessment_save(actor=reviewer, candidate=candidate, criterion=criterion, score=3,
                                 justification="passt")
    services.candidate_decide(actor=cdo, candidate=candidate, decision="rejected", reason="kein Budget")
    candidate.refresh_from_db()
    assert candidate.status == "rejected"


def test_queueing_overdue_reminders_is_all_or_nothing(fresh, people, monkeypatch):
    from kompass.core.actors import system_actor
    from kompass.lifecycle.services import milestones

    milestone = services.milestone_create(actor=people["office"], measure=fresh, title="Ausschreibung",
                                          due_on=datetime.date(2020, 1, 1))

    def audit_fails(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(milestones, "record_event", audit_fails)
    with pytest.raises(RuntimeError):
        milestones.overdue_milestones_queue(actor=system_actor("test"), today=datetime.date(2020, 2, 1))
    assert not Notification.objects.filter(kind="overdue").exists()
    assert Milestone.objects.get(pk=milestone.pk).overdue_notified_on is None
    monkeypatch.undo()
    assert milestones.overdue_milestones_queue(actor=system_actor("test"), today=datetime.date(2020, 2, 1)) == 1
    assert Notification.objects.filter(kind="overdue", measure=fresh).count() == 2  # lead and member


def test_scores_run_from_0_to_4_and_each_needs_a_justification(berlin, make_user):
    from django.core.exceptions import ValidationError

    from kompass.lifecycle.models import Assessment, Candidate, SelectionCriterion

    office = make_user("office@example.org", office=True)
    candidate = services.candidate_submit(actor=office, strategy=berlin, title="Offene Ratsdaten", description="d",
                                          source="administration")
    criterion = SelectionCriterion.objects.filter(strategy=berlin).first()
    for score, why in ((-1, "gut"), (5, "gut"), (3, "   ")):
        with pytest.raises(ValidationError):
            services.assessment_save(actor=office, candidate=candidate, criterion=criterion, score=score,
                                     justification=why)
    assert Candidate.objects.get(pk=candidate.pk).status == "submitted"
    for score in (0, 4):
        services.assessment_save(actor=office, candidate=candidate, criterion=criterion, score=score,
                                 justification=" passt ")
    stored = Assessment.objects.get(candidate=candidate, criterion=criterion)
    assert (stored.score, stored.justification) == (4, "passt")
    assert Candidate.objects.get(pk=candidate.pk).status == "in_review"
    assert [e.changes[f"score:{criterion.slug}"] for e in AuditEvent.objects.filter(
        action="candidate.assessed", object_id=str(candidate.pk)).order_by("pk")] == [[None, 0], [0, 4]]


def test_a_decision_in_the_logbook_tells_the_rest_of_the_team_in_500_characters(fresh, people, berlin):
    from kompass.lifecycle.models import MeetingFormat

    meeting = MeetingFormat.objects.filter(strategy=berlin).first()
    services.logbook_entry_create(actor=people["member"], measure=fresh, meeting_format=meeting,
                                  held_on=datetime.date(2025, 5, 1), decisions="   ")
    assert not Notification.objects.filter(kind="decision").exists()
    decisions = "".join(f"{n:03d} " for n in range(150))  # 600 characters, each prefix distinct
    services.logbook_entry_create(actor=people["member"], measure=fresh, meeting_format=meeting,
                                  held_on=datetime.date(2025, 5, 2), decisions=decisions)
    (note,) = Notification.objects.filter(kind="decision")
    assert note.recipient == people["lead"] and note.text.endswith(decisions.strip()[:500])


def test_a_team_member_without_an_organisation_given_joins_for_their_own(fresh, make_user):
    from django.core.exceptions import ValidationError

    from kompass.lifecycle.models import Notification, TeamMember

    office = make_user("office@example.org", office=True)
    org = fresh.responsible_organisation
    newcomer = make_user("neu@example.org", member_of=[org])
    with pytest.raises(ValidationError):
        services.team_member_set(actor=office, measure=fresh, user=newcomer, role="boss")
    member = services.team_member_set(actor=office, measure=fresh, user=newcomer, role="member")
    assert (member.role, member.organisation) == ("member", org)
    loner = make_user("allein@example.org")
    assert services.team_member_set(actor=office, measure=fresh, user=loner, role="member").organisation is None
    assert [e.changes["team_member"] for e in AuditEvent.objects.filter(action="team_member.added").order_by("pk")] \
        == [[None, "neu@example.org (member)"], [None, "allein@example.org (member)"]]
    loner.is_active = False
    loner.save()
    from kompass.lifecycle.services._common import notify_team

    assert notify_team(fresh, "decision", "Hallo", exclude=newcomer) == 0
    assert notify_team(fresh, "decision", "Hallo") == 1
    assert list(Notification.objects.filter(kind="decision").values_list("recipient", flat=True)) == [newcomer.pk]
    assert TeamMember.objects.filter(measure=fresh).count() == 2


def test_a_process_section_fills_what_it_leaves_out_with_the_defaults(berlin):
    from kompass.accounts.models import UserGroup
    from kompass.lifecycle.models import MeetingFormat, Phase, ProcessSettings, SelectionCriterion
    from kompass.lifecycle.services.process import load_process
    from kompass.strategy.services import STRATEGY_LOADER, LoadReport

    document = {"process": {"phases": [{"slug": "anfang"}, {"slug": "ende", "skippable": True,
                                                           "exit_criteria": ["mandate"]}],
                            "formats": [{"slug": "runde"}, {"slug": "rat", "gives_mandate": True}],
                            "reviewer_groups": {"external": "neue-jury"}},
                "selection_criteria": [{"slug": "nutzen"}, {"slug": "kosten", "weight": 3}]}
    load_process(berlin, document, STRATEGY_LOADER, "test", LoadReport(strategy=berlin.slug, dry_run=False))
    phases = {p.slug: p for p in Phase.objects.filter(strategy=berlin, slug__in=["anfang", "ende"])}
    assert [(p.position, p.skippable, p.exit_criteria, p.name) for p in (phases["anfang"], phases["ende"])] == [
        (0, False, [], ""), (1, True, ["mandate"], "")]
    formats = MeetingFormat.objects.filter(strategy=berlin, slug__in=["runde", "rat"]).order_by("position")
    assert [(f.position, f.gives_mandate) for f in formats] == [(0, False), (1, True)]
    criteria = SelectionCriterion.objects.filter(strategy=berlin, slug__in=["nutzen", "kosten"]).order_by("position")
    assert [(c.position, c.weight, c.value) for c in criteria] == [(0, 1, None), (1, 3, None)]
    settings = ProcessSettings.objects.get(strategy=berlin)
    assert (settings.stuck_after_days, settings.min_assessments, settings.reviewer_groups) == (
        365, 1, {"external": "neue-jury"})
    group = UserGroup.objects.get(slug="neue-jury")
    assert (group.name, group.kind) == ("Neue Jury", "team")


def test_an_invitation_goes_to_the_trimmed_lower_cased_address_of_someone_not_yet_on_the_team(fresh, people):
    from django.core import mail
    from django.core.exceptions import ValidationError

    from kompass.audit.models import AuditEvent

    lead = people["lead"]
    for email, role in ((people["member"].email.upper(), "member"), ("neu@example.org", "boss")):
        with pytest.raises(ValidationError):
            services.invitation_send(actor=lead, measure=fresh, email=email, role=role)
    assert not mail.outbox
    invitation = services.invitation_send(actor=lead, measure=fresh, email="  Neu@Example.ORG ", role="lead")
    assert (invitation.email, invitation.role, invitation.invited_by) == ("neu@example.org", "lead", lead)
    assert mail.outbox[0].to == ["neu@example.org"] and fresh.title in mail.outbox[0].subject
    assert AuditEvent.objects.get(action="team_invitation.sent").changes == {
        "invitation": [None, "neu@example.org (lead)"]}


def test_the_lifecycle_digest_counts_one_email_per_recipient(fresh, make_user):
    from django.core import mail

    from kompass.core.actors import system_actor

    first, second = make_user("eins@example.org"), make_user("zwei@example.org")
    for recipient, count in ((first, 2), (second, 1)):
        for n in range(count):
            Notification.objects.create(recipient=recipient, measure=fresh, kind="phase", text=f"Nachricht {n}")
    result = services.digest_send(actor=system_actor("lifecycle digest"))
    assert (result["emails"], result["notifications"]) == (2, 3)
    assert sorted(m.to[0] for m in mail.outbox) == ["eins@example.org", "zwei@example.org"]
