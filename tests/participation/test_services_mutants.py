"""Participation services, pinned where mutation testing found them loose (docs/mutation/flow.md)."""

import pytest

from kompass.lifecycle.models import Candidate
from kompass.participation.models import Idea
from kompass.participation.services.ideas import IDEA_SOURCE, on_candidate_decided

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source_kind", ["", "lottery.panel", "survey.answer"])  # below and above the idea kind
def test_a_decision_on_a_candidate_from_another_source_leaves_an_idea_with_that_id_alone(berlin, idea, office,
                                                                                          source_kind):
    assert source_kind != IDEA_SOURCE
    candidate = Candidate(strategy=berlin, title="Fremd", source_kind=source_kind, source_id=idea.pk,
                          status="rejected", decision_reason="Passt nicht.")
    on_candidate_decided(None, candidate=candidate, actor=office)
    after = Idea.objects.get(pk=idea.pk)
    assert (after.status, after.status_reason) == (idea.status, idea.status_reason)
    assert after.status_changes.count() == idea.status_changes.count()


def test_a_decision_on_the_ideas_own_candidate_reaches_the_idea(berlin, idea, office):
    candidate = Candidate(strategy=berlin, title="Eigen", source_kind=IDEA_SOURCE, source_id=idea.pk,
                          status="rejected", decision_reason="Passt nicht.")
    on_candidate_decided(None, candidate=candidate, actor=office)
    after = Idea.objects.get(pk=idea.pk)
    assert (after.status, after.status_reason) == ("not_admitted", "Passt nicht.")


def test_a_comment_notice_names_the_idea_by_its_first_120_characters(berlin, citizen, make_user):
    from kompass.participation.models import Notification
    from kompass.participation.services import comment_create, idea_create

    title = "Sitzbänke " + "".join(f"{n:03d} " for n in range(40))  # 170 characters, each prefix distinct
    idea = idea_create(actor=citizen, strategy=berlin, title=title, text="Überall.",
                       action_fields=list(berlin.action_fields.all()[:1]), districts=list(berlin.districts.all()[:1]))
    comment_create(actor=make_user("other@example.org"), idea=idea, text="Gute Idee")
    (notice,) = Notification.objects.filter(user=citizen).values_list("text", flat=True)
    assert f"{title[:120]}“" in notice


def test_a_vote_and_its_change_are_audited_with_the_old_value(open_consultation, citizen):
    from kompass.audit.models import AuditEvent
    from kompass.participation.services import vote_cast

    consultation = open_consultation("meinungen", statements=["Mehr Bänke"])
    statement = consultation.statements.get()
    vote_cast(actor=citizen, statement=statement, value=1)
    vote_cast(actor=citizen, statement=statement, value=-1)
    changes = AuditEvent.objects.filter(action="vote.cast", object_id=str(statement.pk)).order_by("pk")
    assert [e.changes["value"] for e in changes] == [[None, 1], [1, -1]]


def test_a_decision_the_idea_already_shows_adds_no_step_and_no_deferral(berlin, idea, office):
    from kompass.audit.models import AuditEvent

    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.ADMITTED)
    steps = idea.status_changes.count()
    candidate = Candidate(strategy=berlin, title="Eigen", source_kind=IDEA_SOURCE, source_id=idea.pk,
                          status="admitted", decision_reason="Gut.")
    on_candidate_decided(None, candidate=candidate, actor=office)
    assert Idea.objects.get(pk=idea.pk).status_changes.count() == steps
    assert not AuditEvent.objects.filter(action="idea.deferred", object_id=str(idea.pk)).exists()


def test_an_author_who_stopped_following_hears_of_the_decision_with_its_reason(berlin, idea, office, citizen):
    from kompass.participation.models import Follow, Notification

    Follow.objects.filter(idea=idea, user=citizen).delete()
    candidate = Candidate(strategy=berlin, title="Eigen", source_kind=IDEA_SOURCE, source_id=idea.pk,
                          status="rejected", decision_reason="Kein Budget in diesem Jahr.")
    on_candidate_decided(None, candidate=candidate, actor=office)
    (text,) = Notification.objects.filter(user=citizen).values_list("text", flat=True)
    assert "Offenes WLAN im Park" in text and "Kein Budget in diesem Jahr." in text


def test_unfollowing_is_audited_only_when_there_was_a_follow(idea, citizen, make_user):
    from kompass.audit.models import AuditEvent
    from kompass.participation.services import follow_set

    stranger = make_user("fremd@example.org")
    assert follow_set(actor=stranger, idea=idea, follow=False) is False
    assert not AuditEvent.objects.filter(action="follow.deleted").exists()
    follow_set(actor=stranger, idea=idea, follow=True)
    assert follow_set(actor=stranger, idea=idea, follow=False) is True
    assert AuditEvent.objects.filter(action="follow.deleted", object_id=str(idea.pk)).count() == 1


def test_marking_notifications_read_touches_only_ones_own_unread_and_the_chosen(citizen, make_user):
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from kompass.core.actors import system_actor
    from kompass.participation.models import Notification
    from kompass.participation.services import notifications_mark_read

    other = make_user("other@example.org")
    mine = [Notification.objects.create(user=citizen, text=f"n{i}") for i in range(3)]
    Notification.objects.create(user=citizen, text="old", read_at=timezone.now())
    theirs = Notification.objects.create(user=other, text="theirs")
    assert notifications_mark_read(actor=citizen, ids=[mine[0].pk, theirs.pk]) == 1
    assert notifications_mark_read(actor=citizen) == 2
    assert Notification.objects.filter(user=citizen, read_at=None).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    for nobody in (None, system_actor("test")):
        with pytest.raises(PermissionDenied):
            notifications_mark_read(actor=nobody)


def test_blocking_needs_a_reason_is_audited_and_never_blocks_oneself(moderator, citizen):
    from django.core.exceptions import ValidationError

    from kompass.audit.models import AuditEvent
    from kompass.participation.services import user_block

    with pytest.raises(ValidationError):
        user_block(actor=moderator, user=citizen, reason="   ")
    with pytest.raises(ValidationError):
        user_block(actor=moderator, user=moderator, reason="Test")
    user_block(actor=moderator, user=citizen, reason="  Beleidigungen  " + "x" * 400)
    citizen.refresh_from_db()
    assert citizen.is_blocked and citizen.blocked_reason == ("Beleidigungen  " + "x" * 400)[:300]
    user_block(actor=moderator, user=citizen, reason="", block=False)
    citizen.refresh_from_db()
    assert not citizen.is_blocked and citizen.blocked_reason == ""
    assert [e.changes["is_blocked"] for e in AuditEvent.objects.filter(
        action__in=["moderation.blocked", "moderation.unblocked"], object_id=str(citizen.pk)).order_by("pk")] \
        == [[False, True], [True, False]]


def test_a_dismissed_report_is_resolved_as_no_violation_and_audited(idea, moderator, make_user):
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import translation

    from kompass.audit.models import AuditEvent
    from kompass.participation.models import Report
    from kompass.participation.services import report_create, report_dismiss

    reporter = make_user("melder@example.org")
    with pytest.raises(ValidationError):
        report_create(actor=reporter, target=idea, reason="  ")
    report = report_create(actor=reporter, target=idea, reason="  Werbung " + "x" * 2100)
    assert report.idea_id == idea.pk and report.reason == ("Werbung " + "x" * 2100)[:2000]
    with pytest.raises(PermissionDenied):
        report_dismiss(actor=reporter, report=report)
    with translation.override("en"):
        report_dismiss(actor=moderator, report=report)
    stored = Report.objects.get(pk=report.pk)
    assert stored.resolved_at is not None and stored.resolution == "no violation"
    assert AuditEvent.objects.filter(action="moderation.report_dismissed", object_id=str(report.pk)).count() == 1
    assert AuditEvent.objects.get(action="report.created", object_id=str(report.pk)).changes == {
        "idea": [None, idea.pk]}
