""""Delete my account" leaves no personal data: after each path, a dump of every table holds neither the
person's email address nor their display name."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kompass.participation import services

pytestmark = pytest.mark.django_db

EMAIL = "Erika.Mustermann@example.org"
NAME = "Erika Musterfrau-Zyx"
PASSWORD = "S3cure-pass-word"


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    return out.getvalue().lower()


def _leaks() -> list[str]:
    dump = _dump()
    return [needle for needle in (EMAIL.lower(), NAME.lower()) if needle in dump]


@pytest.fixture
def person(client, berlin, make_user, django_capture_on_commit_callbacks):
    """A citizen who registered through the page, verified, logged in (with one typo) and changed settings."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), {"email": EMAIL, "display_name": NAME, "password": PASSWORD,
                                                   "language": "de", "accept": "on"})
    from kompass.accounts.models import User
    from kompass.accounts.services import citizen_verify, verification_token

    user = User.objects.get(email=EMAIL.lower())
    citizen_verify(token=verification_token(user))
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": "typo-typo"})
    assert client.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:settings"), {"display_name": NAME, "language": "en", "email_digest": "daily",
                                               "notify_in_app": "on"})
    user.refresh_from_db()
    return user


def _participate(person, berlin, make_user):
    other = make_user("other@example.org")
    office = make_user("office@example.org", office=True)
    own = services.idea_create(actor=person, strategy=berlin, title="Bänke am Ufer", text="Mehr Bänke.")
    theirs = services.idea_create(actor=other, strategy=berlin, title="Bäume", text="Mehr Bäume.")
    services.follow_set(actor=person, idea=theirs, follow=True)
    services.comment_create(actor=person, idea=theirs, text="Gute Idee!")
    services.comment_create(actor=other, idea=own, text="Danke!")  # notifies the person
    services.support_add(actor=person, idea=theirs)
    services.report_create(actor=person, target=theirs, reason="Doppelt")
    now = timezone.now()
    consultation = services.consultation_create(
        actor=office, strategy=berlin, slug="bild", title="Bild", kind="statements", opens_at=now - timedelta(1),
        closes_at=now + timedelta(7), statements=["Mehr Grün"])
    services.vote_cast(actor=person, statement=consultation.statements.get(), value=1)
    services.statement_add(actor=person, consultation=consultation, text="Weniger Autos")


def _delete_through_the_page(client, person):
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    from kompass.accounts.models import User

    assert not User.objects.filter(pk=person.pk).exists()


def test_account_only(client, person):
    assert _leaks() == [EMAIL.lower(), NAME.lower()]  # the search finds them while the account exists
    _delete_through_the_page(client, person)
    assert _leaks() == []


def test_after_participating(client, person, berlin, make_user):
    _participate(person, berlin, make_user)
    _delete_through_the_page(client, person)
    assert _leaks() == []


def test_after_team_work_and_tokens(client, person, berlin, make_user, pilot):
    from kompass.accounts.services import api_token_create, membership_set

    office = make_user("office2@example.org", office=True)
    membership_set(actor=office, user=person, organisation=pilot.responsible_organisation, role="member")
    api_token_create(actor=person, user=person, name="Mein Skript")
    _delete_through_the_page(client, person)
    assert _leaks() == []


def test_after_an_idea_became_a_measure_and_digests_were_sent(client, person, berlin, make_user, mailoutbox):
    """The candidate's "Eingereicht von" (its submitter), the measure made from it, the status-change
    notifications and the digest built from them: after deletion none of them names the person."""
    from kompass.lifecycle.models import Candidate
    from kompass.lifecycle.services import candidate_decide

    reviewer = make_user("reviewer-del@example.org")
    cdo = make_user("cdo-del@example.org")
    reviewer.is_reviewer, cdo.is_cdo = True, True
    reviewer.save()
    cdo.save()
    idea = services.idea_create(actor=person, strategy=berlin, title="Trinkbrunnen-Karte", text="Eine Karte.")
    services.idea_set_status(actor=reviewer, idea=idea, status="qualifying")
    candidate = Candidate.objects.get(source_kind="participation.idea", source_id=idea.pk)
    assert candidate.submitted_by == person
    from kompass.lifecycle.models import ProcessSettings

    ProcessSettings.objects.filter(strategy=berlin).update(min_assessments=0)  # this test is about deletion
    candidate_decide(actor=cdo, candidate=candidate, decision="admitted", reason="gut",
                     organisation=berlin.organisations.order_by("pk").first())
    page = client.get(reverse("lifecycle:candidate", args=[candidate.slug])).content.decode()
    assert NAME in page  # "Eingereicht von Erika …" while the account exists
    from kompass.core.actors import system_actor

    services.digest_send(actor=system_actor("digest job"), period="daily")
    assert any(person.email in message.to for message in mailoutbox)
    assert _leaks() == [EMAIL.lower(), NAME.lower()]
    _delete_through_the_page(client, person)
    assert _leaks() == []
    assert NAME not in client.get(reverse("lifecycle:candidate", args=[candidate.slug])).content.decode()


def test_the_audit_trail_forgets_names_of_three_letters_or_more_and_keeps_shorter_ones(make_user):
    """A display name of two letters would also match inside other words; from three letters on, every event
    quoting the person gets their pseudonym instead (case-insensitive)."""
    from kompass.audit.models import AuditEvent
    from kompass.audit.services import forget_person

    for name, forgotten in (("Ada", True), ("Al", False)):
        user = make_user(f"{name.lower()}@example.org")
        user.display_name = name
        user.save(update_fields=["display_name"])
        event = AuditEvent.objects.create(action="test.quoted", object_repr=f"Beitrag von {name.upper()}",
                                          changes={"author": [None, name]})
        changed = forget_person(user)
        assert changed >= 1 if forgotten else changed == 0
        event.refresh_from_db()
        assert (f"user:{user.pk}" in event.object_repr) is forgotten
        assert (event.changes["author"][1] == f"user:{user.pk}") is forgotten
