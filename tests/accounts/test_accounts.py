import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from kompass.accounts.models import Membership, User
from kompass.accounts.services import membership_set
from kompass.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "S3cure-pass-word"


def test_login_is_case_insensitive_for_the_address_and_logout_works(client, make_user):
    make_user("Someone@Example.org")
    response = client.post(reverse("accounts:login"), {"username": "SOMEONE@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated
    client.post(reverse("accounts:logout"))
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_shows_a_form_error(client, make_user):
    make_user("a@example.org")
    response = client.post(reverse("accounts:login"), {"username": "a@example.org", "password": "wrong"})
    assert response.status_code == 200 and response.context["form"].errors


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_logins_are_throttled_after_repeated_failures(client, make_user):
    make_user("target@example.org")
    statuses = [client.post(reverse("accounts:login"), {"username": "target@example.org", "password": "guess"})
                .status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the third failure starts the lock-out
    # Even the right password is refused while the lock lasts.
    response = client.post(reverse("accounts:login"), {"username": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Bitte warten Sie 1 Minute" in response.content.decode()
    assert not response.context["user"].is_authenticated
    # Another account from the same address is not locked yet.
    make_user("other@example.org")
    ok = client.post(reverse("accounts:login"), {"username": "other@example.org", "password": PASSWORD})
    assert ok.status_code == 302


def test_password_reset_by_email(client, make_user):
    make_user("forgetful@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "An0ther-long-pass",
                                                         "new_password2": "An0ther-long-pass"})
    assert done.status_code == 302
    assert client.login(username="forgetful@example.org", password="An0ther-long-pass")


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_membership_service_records_audit_events(make_user, pilot):
    office = make_user("office@example.org", office=True)
    person = make_user("person@example.org")
    membership = membership_set(actor=office, user=person, organisation=pilot.responsible_organisation,
                                role=Membership.Role.COORDINATOR)
    assert membership.role == "coordinator"
    event = AuditEvent.objects.latest("id")
    assert event.action == "membership.created" and event.actor == office


def test_membership_service_refuses_non_office(make_user, pilot):
    from django.core.exceptions import PermissionDenied

    coordinator = make_user("c@example.org", coordinator_of=[pilot.responsible_organisation])
    other = make_user("x@example.org")
    with pytest.raises(PermissionDenied):
        membership_set(actor=coordinator, user=other, organisation=pilot.responsible_organisation, role="coordinator")
    assert not Membership.objects.filter(user=other).exists()


def test_deleting_a_user_keeps_the_audit_trail_with_a_label(make_user, pilot):
    from kompass.measures.services import measure_update

    office = make_user("gone@example.org", office=True)
    measure_update(actor=office, measure=pilot, data={"title": "Umbenannt"})
    pk = office.pk
    office.delete()
    office.pk = pk
    event = AuditEvent.objects.filter(action="measure.updated").latest("id")
    assert event.actor is None and event.actor_label == f"user:{office.pk}"  # pseudonymous, no email
    assert User.objects.filter(email="gone@example.org").count() == 0


def test_login_takes_people_to_their_preferred_language(client, make_user):
    user = make_user("english@example.org")
    user.language = "en"
    user.save()
    response = client.post(reverse("accounts:login"), {"username": "english@example.org", "password": PASSWORD,
                                                       "next": "/measures/"})
    assert response.status_code == 302 and response["Location"] == "/en/measures/"
    german = make_user("deutsch@example.org")
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": german.email, "password": PASSWORD,
                                                       "next": "/measures/"})
    assert response["Location"] == "/measures/"


def test_a_verification_is_all_or_nothing_when_its_audit_event_cannot_be_written(make_user, monkeypatch):
    """The account becomes active only together with its audit event: if recording the event fails, the account
    stays inactive (one transaction)."""
    from kompass.accounts import services as account_services

    user = make_user("spaeter@example.org")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db()
    token = account_services.verification_token(user)

    def failing(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(account_services, "record_event", failing)
    with pytest.raises(RuntimeError):
        account_services.citizen_verify(token=token)
    assert User.objects.get(pk=user.pk).is_active is False


def test_the_confirmation_email_names_how_long_its_link_is_valid(settings, django_capture_on_commit_callbacks):
    from kompass.accounts.services import citizen_register

    del settings.KOMPASS_VERIFY_DAYS
    with django_capture_on_commit_callbacks(execute=True):
        citizen_register(email="neu-drei@example.org", password="S3cure-pass-word", display_name="Neu")
    assert len(mail.outbox) == 1 and "3 Tage" in mail.outbox[0].body


def test_a_role_change_is_saved_and_audited_once_and_setting_the_same_role_again_changes_nothing(make_user):
    from kompass.organisations.models import Organisation

    office = make_user("chef@example.org", office=True)
    user = make_user("rolle@example.org")
    organisation = Organisation.objects.order_by("slug").first()
    membership_set(actor=office, user=user, organisation=organisation, role="editor")
    roles = [choice for choice, _label in Membership._meta.get_field("role").choices if choice != "editor"]
    membership_set(actor=office, user=user, organisation=organisation, role=roles[0])
    assert Membership.objects.get(user=user, organisation=organisation).role == roles[0]
    membership_set(actor=office, user=user, organisation=organisation, role=roles[0])
    updates = AuditEvent.objects.filter(action="membership.updated", object_id=str(
        Membership.objects.get(user=user, organisation=organisation).pk))
    assert [e.changes["role"] for e in updates] == [["editor", roles[0]]]


def test_a_membership_change_is_all_or_nothing_when_its_audit_event_cannot_be_written(make_user, monkeypatch):
    from kompass.accounts import services as account_services
    from kompass.organisations.models import Organisation

    office = make_user("chefin@example.org", office=True)
    user = make_user("mitglied@example.org")
    organisation = Organisation.objects.order_by("slug").first()
    membership = membership_set(actor=office, user=user, organisation=organisation, role="editor")

    def failing(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(account_services, "record_event", failing)
    other = make_user("neu-mitglied@example.org")
    with pytest.raises(RuntimeError):
        account_services.membership_set(actor=office, user=other, organisation=organisation, role="editor")
    with pytest.raises(RuntimeError):
        account_services.membership_remove(actor=office, membership=membership)
    assert not Membership.objects.filter(user=other).exists() and Membership.objects.filter(pk=membership.pk).exists()


def test_a_verified_account_is_audited_as_activated_and_a_long_name_is_cut_to_80_characters(make_user):
    from kompass.accounts.services import citizen_register, citizen_verify, verification_token

    user = citizen_register(email="lang@example.org", password="S3cure-pass-word", display_name=" " + "N" * 100)
    assert user.display_name == "N" * 80
    citizen_verify(token=verification_token(user))
    event = AuditEvent.objects.get(action="account.verified", object_id=str(user.pk))
    assert event.changes == {"is_active": [False, True]}


def test_removing_a_membership_keeps_no_audit_event_when_the_removal_fails(make_user, monkeypatch):
    from kompass.organisations.models import Organisation

    office = make_user("leitung@example.org", office=True)
    user = make_user("bleibt@example.org")
    membership = membership_set(actor=office, user=user, organisation=Organisation.objects.order_by("slug").first(),
                                role="editor")

    def failing(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Membership, "delete", failing)
    with pytest.raises(RuntimeError):
        from kompass.accounts.services import membership_remove

        membership_remove(actor=office, membership=membership)
    assert not AuditEvent.objects.filter(action="membership.deleted").exists()
