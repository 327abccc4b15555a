"""Comments, digests and opt-out, ownership and new ideas, pinned where mutation testing found them loose
(docs/mutation/flow.md)."""

import pytest

from kompass.participation.models import Idea

pytestmark = pytest.mark.django_db


def test_a_comment_is_editable_by_its_author_only_while_shown_and_within_the_window(idea, citizen, settings):
    from datetime import timedelta

    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from kompass.audit.models import AuditEvent
    from kompass.participation.models import Comment
    from kompass.participation.services import comment_edit

    settings.KOMPASS_COMMENT_EDIT_MINUTES = 15
    comment = Comment.objects.create(idea=idea, author=citizen, text="alt")
    with pytest.raises(ValidationError):
        comment_edit(actor=citizen, comment=comment, text="  ")
    edited = comment_edit(actor=citizen, comment=comment, text=" neu ")
    assert (edited.text, edited.edited_at is not None) == ("neu", True)
    assert AuditEvent.objects.get(action="comment.edited", object_id=str(comment.pk)).changes == {
        "text": ["alt", "neu"]}
    for change in ({"is_hidden": True}, {"is_deleted": True},
                   {"created_at": timezone.now() - timedelta(minutes=16)}):
        other = Comment.objects.create(idea=idea, author=citizen, text="alt")
        Comment.objects.filter(pk=other.pk).update(**change)
        with pytest.raises(PermissionDenied):
            comment_edit(actor=citizen, comment=Comment.objects.get(pk=other.pk), text="neu")
        assert Comment.objects.get(pk=other.pk).text == "alt"


def test_deleting_a_comment_keeps_a_placeholder_and_is_audited_once(idea, citizen):
    from kompass.audit.models import AuditEvent
    from kompass.participation.models import Comment
    from kompass.participation.services import comment_delete

    comment = Comment.objects.create(idea=idea, author=citizen, text="alt")
    comment_delete(actor=citizen, comment=comment)
    comment_delete(actor=citizen, comment=Comment.objects.get(pk=comment.pk))
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.is_deleted, stored.text) == (True, "")
    assert [e.changes for e in AuditEvent.objects.filter(action="comment.deleted", object_id=str(comment.pk))] == [
        {"is_deleted": [False, True]}]


def test_unsubscribing_turns_the_digest_off_once_and_forged_tokens_do_nothing(citizen):
    from kompass.audit.models import AuditEvent
    from kompass.participation.services import unsubscribe, unsubscribe_token

    citizen.email_digest = "weekly"
    citizen.save()
    assert unsubscribe(token="forged") is None
    assert unsubscribe(token=unsubscribe_token(citizen)) == citizen
    citizen.refresh_from_db()
    assert citizen.email_digest == "none"
    assert unsubscribe(token=unsubscribe_token(citizen)) == citizen
    assert [e.changes for e in AuditEvent.objects.filter(action="account.unsubscribed")] == [
        {"email_digest": ["weekly", "none"]}]


def test_the_first_party_owns_an_idea_later_ones_join_as_partners(idea, berlin, make_user):
    from django.core.exceptions import PermissionDenied, ValidationError

    from kompass.accounts.models import UserGroup
    from kompass.participation.models import Notification, Ownership
    from kompass.participation.services import ownership_declare

    first_org, second_org = berlin.organisations.order_by("pk")[:2]
    speaker = make_user("sprecher@example.org", member_of=[first_org, second_org])
    with pytest.raises(ValidationError):
        ownership_declare(actor=speaker, idea=idea)
    with pytest.raises(ValidationError):
        ownership_declare(actor=speaker, idea=idea, organisation=first_org,
                          group=UserGroup.objects.first())
    with pytest.raises(PermissionDenied):
        ownership_declare(actor=make_user("fremd@example.org"), idea=idea, organisation=first_org)
    owner = ownership_declare(actor=speaker, idea=idea, organisation=first_org, note="  Wir machen das. ")
    partner = ownership_declare(actor=speaker, idea=idea, organisation=second_org)
    assert (owner.role, owner.note, partner.role) == ("owner", "Wir machen das.", "partner")
    with pytest.raises(ValidationError):
        ownership_declare(actor=speaker, idea=idea, organisation=first_org)
    assert Ownership.objects.filter(idea=idea).count() == 2
    texts = list(Notification.objects.filter(user=idea.author).order_by("pk").values_list("text", flat=True))
    assert len(texts) == 2 and str(first_org) in texts[0] and str(second_org) in texts[1]


def test_a_new_idea_is_trimmed_followed_by_its_author_and_audited(berlin, citizen, make_user):
    from django.core.exceptions import ValidationError

    from kompass.audit.models import AuditEvent
    from kompass.participation.models import Follow
    from kompass.participation.services import idea_create

    for title, text, kind in (("  ", "Text", "idea"), ("Titel", "  ", "idea"), ("Titel", "Text", "wish")):
        with pytest.raises(ValidationError):
            idea_create(actor=citizen, strategy=berlin, title=title, text=text, kind=kind)
    idea = idea_create(actor=citizen, strategy=berlin, title=" " + "T" * 210 + " ", text=" Text ")
    assert (idea.title, idea.text, idea.status) == ("T" * 200, "Text", "submitted")
    assert Follow.objects.filter(idea=idea, user=citizen).exists()
    assert list(idea.status_changes.values_list("status", flat=True)) == ["submitted"]
    assert AuditEvent.objects.get(action="idea.created", object_id=str(idea.pk)).changes == {"title": [None, "T" * 200]}
    assert Idea.objects.filter(author=citizen).count() == 1


def test_a_digest_carries_at_most_100_notices_oldest_first_and_skips_inactive_accounts(citizen, make_user):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from kompass.audit.models import AuditEvent
    from kompass.core.actors import system_actor
    from kompass.participation.models import Notification
    from kompass.participation.services import digest_send

    now = timezone.now()
    for n in range(101):
        notice = Notification.objects.create(user=citizen, text=f"Nachricht {n:03d}", url=f"/n/{n}/")
        Notification.objects.filter(pk=notice.pk).update(created_at=now - timedelta(minutes=200 - n))
    gone = make_user("weg@example.org")
    gone.is_active = False
    gone.save()
    Notification.objects.create(user=gone, text="nie", url="/x/")
    job = system_actor("participation digest")
    assert digest_send(actor=job, period="weekly", base_url="https://kompass.example/") == 1
    lines = [line for line in mail.outbox[0].body.splitlines() if line.startswith("- ")]
    assert lines[0] == "- Nachricht 000 https://kompass.example/n/0/" and len(lines) == 100
    assert lines[-1].startswith("- Nachricht 099 ")
    assert digest_send(actor=job, period="weekly", base_url="https://kompass.example") == 1
    assert [line for line in mail.outbox[1].body.splitlines() if line.startswith("- ")] == [
        "- Nachricht 100 https://kompass.example/n/100/"]
    assert digest_send(actor=job, period="weekly") == 0
    assert [e.changes["count"] for e in AuditEvent.objects.filter(action="notification.digest_sent")
            .order_by("pk")] == [[None, 100], [None, 1]]
    assert Notification.objects.get(user=gone).emailed_at is None


def test_followers_hear_of_a_reply_once_and_the_replier_not_at_all(idea, citizen, make_user):
    from kompass.core.actors import system_actor
    from kompass.participation.models import Notification
    from kompass.participation.services import comment_create, follow_set
    from kompass.participation.services.notifications import notify_followers

    asker, replier, reader = (make_user(f"{n}@example.org") for n in ("frage", "antwort", "leser"))
    for person in (asker, replier, reader):
        follow_set(actor=person, idea=idea)
    parent = comment_create(actor=asker, idea=idea, text="Frage")
    Notification.objects.all().delete()
    comment_create(actor=replier, idea=idea, parent=parent, text="Antwort")
    told = sorted(Notification.objects.values_list("user__email", flat=True))
    assert told == sorted([citizen.email, reader.email, asker.email])  # the asker once: the reply notice
    assert "#comment-" in Notification.objects.get(user=asker).url
    Notification.objects.all().delete()
    notify_followers(system_actor("test"), idea=idea, text="Alle", exclude=(None, reader.pk))
    assert sorted(Notification.objects.values_list("user__email", flat=True)) == sorted(
        [citizen.email, asker.email, replier.email])
