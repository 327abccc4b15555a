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


def test_a_comment_may_have_5000_characters_and_not_one_more(idea, make_user):
    from django.core.exceptions import ValidationError

    from kompass.participation.models import Comment
    from kompass.participation.services import comment_create

    author = make_user("lang@example.org")
    with pytest.raises(ValidationError):
        comment_create(actor=author, idea=idea, text="x" * 5001)
    assert not Comment.objects.filter(idea=idea).exists()
    assert len(comment_create(actor=author, idea=idea, text="  " + "x" * 5000 + "  ").text) == 5000


def test_a_comment_goes_to_exactly_one_of_an_idea_and_a_paragraph(idea, open_consultation, make_user):
    from django.core.exceptions import ValidationError

    from kompass.participation.models import Comment
    from kompass.participation.services import comment_create

    paragraph = open_consultation("entwurf", chapters=[{"title": "Ziele", "paragraphs": ["Eins."]}]) \
        .chapters.get().paragraphs.get()
    author = make_user("leserin@example.org")
    for target in ({}, {"idea": idea, "paragraph": paragraph}):
        with pytest.raises(ValidationError):
            comment_create(actor=author, text="Hm.", **target)
    assert not Comment.objects.exists()
    on_paragraph = comment_create(actor=author, paragraph=paragraph, text="Bitte genauer.")
    assert (on_paragraph.paragraph_id, on_paragraph.idea_id) == (paragraph.pk, None)


def test_a_comment_notice_names_the_consultation_by_its_first_120_characters(open_consultation, make_user):
    from kompass.participation.models import Consultation, Notification
    from kompass.participation.services import comment_create, follow_set

    consultation = open_consultation("entwurf", chapters=[{"title": "Ziele", "paragraphs": ["Eins."]}])
    title = "Entwurf " + "".join(f"{n:03d} " for n in range(40))  # 168 characters, each prefix distinct
    Consultation.objects.filter(pk=consultation.pk).update(title=title)
    paragraph = Consultation.objects.get(pk=consultation.pk).chapters.get().paragraphs.get()
    reader = make_user("folgt@example.org")
    follow_set(actor=reader, consultation=consultation)
    comment_create(actor=make_user("schreibt@example.org"), paragraph=paragraph, text="Gut so.")
    (notice,) = Notification.objects.filter(user=reader).values_list("text", flat=True)
    assert f"{title[:120]}“" in notice


def test_notices_are_cut_to_300_characters(idea, citizen, make_user):
    from kompass.participation.models import Comment, Notification
    from kompass.participation.services.notifications import notify_followers, notify_reply

    text = "".join(f"{n:03d} " for n in range(100))  # 400 characters, each prefix distinct
    notify_followers(make_user("other@example.org"), idea=idea, text=text)
    assert list(Notification.objects.filter(user=citizen).values_list("text", flat=True)) == [text[:300]]
    Notification.objects.all().delete()
    replier = make_user("antwort@example.org")
    parent = Comment.objects.create(idea=idea, author=citizen, text="Frage")
    reply = Comment.objects.create(idea=idea, author=replier, parent=parent, text="Antwort")
    notify_reply(replier, parent=parent, reply=reply, title="T" * 300)
    (notice,) = Notification.objects.filter(user=citizen)
    assert len(notice.text) == 300 and notice.text.endswith("T" * 200)  # the title runs past the cut
    assert notice.url.endswith(f"#comment-{reply.pk}")


@pytest.mark.parametrize("older", ["author", "replier"])
def test_the_author_of_a_comment_hears_of_a_reply_by_anyone_else_whoever_is_older(idea, make_user, older):
    from kompass.participation.models import Notification
    from kompass.participation.services import comment_create

    first, second = make_user("erste@example.org"), make_user("zweite@example.org")
    author, replier = (first, second) if older == "author" else (second, first)
    parent = comment_create(actor=author, idea=idea, text="Frage")
    comment_create(actor=author, idea=idea, parent=parent, text="Nachtrag")  # one's own reply: no notice
    assert not Notification.objects.filter(user=author).exists()
    reply = comment_create(actor=replier, idea=idea, parent=parent, text="Antwort")
    (url,) = Notification.objects.filter(user=author).values_list("url", flat=True)
    assert url.endswith(f"#comment-{reply.pk}")


def test_following_is_audited_on_the_idea_or_the_consultation_followed(idea, open_consultation, make_user):
    from kompass.audit.models import AuditEvent
    from kompass.participation.services import follow_set

    consultation = open_consultation("entwurf", chapters=[{"title": "Ziele", "paragraphs": ["Eins."]}])
    reader = make_user("folgt@example.org")
    assert follow_set(actor=reader, idea=idea) is True
    assert follow_set(actor=reader, consultation=consultation) is True
    assert follow_set(actor=reader, consultation=consultation) is False
    events = AuditEvent.objects.filter(action="follow.created").order_by("pk")
    assert [(e.content_type.model, e.object_id) for e in events] == [
        ("idea", str(idea.pk)), ("consultation", str(consultation.pk))]
    follow_set(actor=reader, consultation=consultation, follow=False)
    deleted = AuditEvent.objects.get(action="follow.deleted")
    assert (deleted.content_type.model, deleted.object_id) == ("consultation", str(consultation.pk))


def test_only_the_move_to_being_qualified_hands_an_idea_to_selection(idea, make_user, flagged):
    from kompass.lifecycle.models import Candidate
    from kompass.participation.services import idea_set_status

    reviewer = flagged("pruefer@example.org", is_reviewer=True)
    idea_set_status(actor=reviewer, idea=idea, status=Idea.Status.ADMITTED)
    idea_set_status(actor=reviewer, idea=idea, status=Idea.Status.SUBMITTED)  # sorts after "qualifying"
    assert not Candidate.objects.filter(source_kind=IDEA_SOURCE, source_id=idea.pk).exists()
    idea_set_status(actor=reviewer, idea=idea, status=Idea.Status.QUALIFYING)
    idea_set_status(actor=reviewer, idea=idea, status=Idea.Status.QUALIFYING)  # already there: not again
    assert Candidate.objects.filter(source_kind=IDEA_SOURCE, source_id=idea.pk).count() == 1


def test_a_key_purged_between_insert_and_select_is_tried_three_times(citizen, monkeypatch):
    from django.db import IntegrityError, transaction

    from kompass.participation.models import IdempotencyKey
    from kompass.participation.services import idempotency

    record = IdempotencyKey(user=citizen, key="k" * 20, action="a", fingerprint="f")
    calls = {"create": 0, "found": []}

    def create(**kwargs):
        calls["create"] += 1
        raise IntegrityError("duplicate")

    class Query:
        def first(self):
            return calls["found"].pop(0) if calls["found"] else None

    monkeypatch.setattr(IdempotencyKey.objects, "create", create)
    monkeypatch.setattr(IdempotencyKey.objects, "filter", lambda **kwargs: Query())
    with transaction.atomic():
        calls["found"] = [None, None, record]
        assert idempotency.begin(actor=citizen, key="k" * 20, action="a", fingerprint="f") is record
        assert calls["create"] == 3
        calls["create"], calls["found"] = 0, [None, None, None, record]
        with pytest.raises(RuntimeError):
            idempotency.begin(actor=citizen, key="k" * 20, action="a", fingerprint="f")
        assert calls["create"] == 3


def test_a_consultation_closes_after_it_opens_and_keeps_its_order(berlin, office):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from kompass.audit.models import AuditEvent
    from kompass.participation.models import Consultation
    from kompass.participation.services import consultation_create

    now = timezone.now()
    with pytest.raises(ValidationError):
        consultation_create(actor=office, strategy=berlin, slug="gleich", title="T", opens_at=now, closes_at=now)
    assert not Consultation.objects.filter(slug="gleich").exists()
    long_title = "K" * 310
    made = consultation_create(actor=office, strategy=berlin, slug="neu", title="Neu", opens_at=now,
                               closes_at=now + timedelta(seconds=1),
                               chapters=[{"title": long_title, "paragraphs": ["a", "b"]},
                                         {"title": "Zwei", "paragraphs": ["c"]}])
    chapters = list(made.chapters.order_by("position"))
    assert [(c.position, c.title) for c in chapters] == [(1, "K" * 300), (2, "Zwei")]
    assert [(p.position, p.text) for p in chapters[0].paragraphs.order_by("position")] == [(1, "a"), (2, "b")]
    assert [p.position for p in chapters[1].paragraphs.all()] == [1]
    with pytest.raises(ValidationError):
        consultation_create(actor=office, strategy=berlin, slug="neu", title="Noch", opens_at=now,
                            closes_at=now + timedelta(days=1))
    assert AuditEvent.objects.get(action="consultation.created", object_id=str(made.pk)).changes == {
        "title": [None, "Neu"], "kind": [None, "text"]}


def test_a_statement_has_1_to_400_characters(open_consultation, citizen):
    from django.core.exceptions import ValidationError

    from kompass.participation.services import statement_add

    consultation = open_consultation("meinungen", statements=["S" * 450])
    assert consultation.statements.get().text == "S" * 400
    for text in ("   ", "x" * 401):
        with pytest.raises(ValidationError):
            statement_add(actor=citizen, consultation=consultation, text=text)
    added = statement_add(actor=citizen, consultation=consultation, text=" " + "x" * 400 + " ")
    assert added.text == "x" * 400 and added.status == "pending"
    draft = open_consultation("entwurf", chapters=[{"title": "Ziele", "paragraphs": ["Eins."]}])
    with pytest.raises(ValidationError):
        statement_add(actor=citizen, consultation=draft, text="Nur in Meinungsbildern")


def test_a_vote_is_agree_disagree_or_pass_on_an_approved_statement(open_consultation, citizen):
    from django.core.exceptions import ValidationError

    from kompass.participation.models import Statement, Vote
    from kompass.participation.services import vote_cast

    consultation = open_consultation("meinungen", statements=["Mehr Bänke"])
    statement = consultation.statements.get()
    for value in (-2, 2):
        with pytest.raises(ValidationError):
            vote_cast(actor=citizen, statement=statement, value=value)
    for value in (-1, 0, 1):
        assert vote_cast(actor=citizen, statement=statement, value=value).value == value
    assert Vote.objects.get(statement=statement, user=citizen).value == 1
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.PENDING)
    with pytest.raises(ValidationError):
        vote_cast(actor=citizen, statement=Statement.objects.get(pk=statement.pk), value=1)


def test_hiding_cuts_the_reason_resolves_open_reports_and_showing_clears_it(idea, moderator, make_user):
    from django.core.exceptions import ValidationError

    from kompass.audit.models import AuditEvent
    from kompass.participation.models import Report
    from kompass.participation.services import moderation_hide, report_create

    report = report_create(actor=make_user("melder@example.org"), target=idea, reason="Werbung")
    with pytest.raises(ValidationError):
        moderation_hide(actor=moderator, target=idea, reason="  ")
    assert Report.objects.get(pk=report.pk).resolved_at is None
    moderation_hide(actor=moderator, target=idea, reason=" " + "R" * 400)
    idea.refresh_from_db()
    assert idea.is_hidden and idea.hidden_reason == "R" * 300
    resolved = Report.objects.get(pk=report.pk)
    assert resolved.resolved_at is not None and len(resolved.resolution) == 300
    moderation_hide(actor=moderator, target=idea, reason="", hide=False)
    idea.refresh_from_db()
    assert not idea.is_hidden and idea.hidden_reason == ""
    assert [(e.action, e.changes["is_hidden"]) for e in AuditEvent.objects.filter(
        action__startswith="moderation.", object_id=str(idea.pk)).order_by("pk")] == [
        ("moderation.hidden", [False, True]), ("moderation.shown", [True, False])]


def test_moderating_a_statement_resolves_its_reports_with_the_status(open_consultation, moderator, make_user):
    from django.core.exceptions import ValidationError

    from kompass.audit.models import AuditEvent
    from kompass.participation.models import Report
    from kompass.participation.services import report_create, statement_moderate

    statement = open_consultation("meinungen", statements=["Mehr Bänke"]).statements.get()
    report = report_create(actor=make_user("melder@example.org"), target=statement, reason="falsch")
    with pytest.raises(ValidationError):
        statement_moderate(actor=moderator, statement=statement, status="unknown")
    statement_moderate(actor=moderator, statement=statement, status="rejected")
    assert Report.objects.get(pk=report.pk).resolution == "rejected"
    assert AuditEvent.objects.get(action="moderation.statement").changes == {"status": ["approved", "rejected"]}


def test_supporting_ones_own_idea_is_refused_with_the_reason(idea, citizen):
    from django.core.exceptions import PermissionDenied

    from kompass.participation.services import support_add

    with pytest.raises(PermissionDenied, match="eigene Idee"):
        support_add(actor=citizen, idea=idea)
    assert Idea.objects.get(pk=idea.pk).support_count == 0


def test_the_decision_notice_for_an_author_who_stopped_following_is_cut_to_300_characters(
        berlin, idea, office, citizen):
    from kompass.participation.models import Follow, Notification

    Follow.objects.filter(idea=idea, user=citizen).delete()
    reason = "".join(f"{n:03d} " for n in range(100))  # 400 characters, each prefix distinct
    candidate = Candidate(strategy=berlin, title="Eigen", source_kind=IDEA_SOURCE, source_id=idea.pk,
                          status="rejected", decision_reason=reason)
    on_candidate_decided(None, candidate=candidate, actor=office)
    (text,) = Notification.objects.filter(user=citizen).values_list("text", flat=True)
    assert len(text) == 300 and reason[:100] in text and reason not in text


def test_purging_keys_audits_how_many_were_deleted(citizen):
    from datetime import timedelta

    from django.utils import timezone

    from kompass.audit.models import AuditEvent
    from kompass.core.actors import system_actor
    from kompass.participation.models import IdempotencyKey
    from kompass.participation.services import idempotency_keys_purge

    for n, hours in enumerate((30, 40, 2)):
        record = IdempotencyKey.objects.create(user=citizen, key=f"key-{n:08d}", action="idea.create", fingerprint="f")
        IdempotencyKey.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    assert idempotency_keys_purge(actor=system_actor("test")) == 2
    (event,) = AuditEvent.objects.filter(action="idempotency_keys.purged")
    assert event.changes == {"keys": [2, 0]}


def test_a_digest_reader_without_notices_does_not_stop_the_ones_after(citizen, make_user):
    from django.core import mail

    from kompass.core.actors import system_actor
    from kompass.participation.models import Notification
    from kompass.participation.services import digest_send

    quiet = make_user("still@example.org")  # weekly like the citizen, nothing to read
    later = make_user("spaeter@example.org")
    assert quiet.pk < later.pk
    Notification.objects.create(user=later, text="Neu", url="/n/1/")
    assert digest_send(actor=system_actor("participation digest"), period="weekly") == 1
    assert [m.to for m in mail.outbox] == [["spaeter@example.org"]]
