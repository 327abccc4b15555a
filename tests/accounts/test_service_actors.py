"""The account services check with the one `require()` helper: None is no actor (MissingActor, nothing changes),
a system actor holds every permission and is named in the audit trail, and each role gets exactly what the role
matrix below says."""

import pytest
from django.core.exceptions import PermissionDenied

from kompass.accounts import services
from kompass.accounts.models import ApiToken, Membership, User
from kompass.audit.models import AuditEvent
from kompass.audit.services import record_event
from kompass.core.actors import system_actor
from kompass.core.permissions import MissingActor

pytestmark = pytest.mark.django_db

ACTORS = ["citizen", "member", "coordinator_own", "coordinator_other", "strategy_office", "admin", "system"]
OFFICE = {"strategy_office", "admin", "system"}


@pytest.fixture
def actors(role_users):
    return {**{k: v for k, v in role_users.items() if v is not None}, "system": system_actor("test command")}


@pytest.fixture
def target(make_user):
    """The account the services act on (not the actor's own)."""
    return make_user("target@example.org")


def test_membership_services_refuse_a_missing_actor_and_change_nothing(target, pilot):
    org = pilot.responsible_organisation
    events = AuditEvent.objects.count()
    with pytest.raises(MissingActor):
        services.membership_set(actor=None, user=target, organisation=org, role=Membership.Role.COORDINATOR)
    assert not Membership.objects.filter(user=target).exists()
    membership = Membership.objects.create(user=target, organisation=org, role=Membership.Role.MEMBER)
    with pytest.raises(MissingActor):
        services.membership_remove(actor=None, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize("call", ["token_create", "token_revoke", "settings", "personal_data", "delete"])
def test_account_services_refuse_a_missing_actor(target, call):
    token, _secret = services.api_token_create(actor=target, user=target, name="t")
    events = AuditEvent.objects.count()
    with pytest.raises(MissingActor):
        {
            "token_create": lambda: services.api_token_create(actor=None, user=target, name="x"),
            "token_revoke": lambda: services.api_token_revoke(actor=None, token=token),
            "settings": lambda: services.account_update_settings(actor=None, user=target,
                                                                 data={"display_name": "Neu"}),
            "personal_data": lambda: services.account_personal_data(actor=None, user=target),
            "delete": lambda: services.account_delete(actor=None, user=target),
        }[call]()
    target.refresh_from_db()
    assert target.display_name != "Neu" and ApiToken.objects.filter(user=target).count() == 1
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None and AuditEvent.objects.count() == events


def test_record_event_refuses_a_missing_actor(target):
    with pytest.raises(MissingActor):
        record_event(actor=None, action="test.nobody", obj=target, label="anyone")
    assert not AuditEvent.objects.filter(action="test.nobody").exists()


@pytest.mark.parametrize("role", ACTORS)
def test_membership_matrix(actors, target, pilot, role):
    actor, org = actors[role], pilot.responsible_organisation
    if role not in OFFICE:
        with pytest.raises(PermissionDenied):
            services.membership_set(actor=actor, user=target, organisation=org, role=Membership.Role.COORDINATOR)
        assert not Membership.objects.filter(user=target).exists()
        return
    membership = services.membership_set(actor=actor, user=target, organisation=org,
                                         role=Membership.Role.COORDINATOR)
    event = AuditEvent.objects.get(action="membership.created")
    assert event.actor_label == ("system:test command" if role == "system" else f"user:{actor.pk}")
    services.membership_remove(actor=actor, membership=membership)
    assert not Membership.objects.filter(user=target).exists()
    assert AuditEvent.objects.filter(action="membership.deleted").count() == 1


@pytest.mark.parametrize("role", ACTORS)
def test_someone_elses_tokens_matrix(actors, target, role):
    """The office (and a system process) may create and revoke a person's API tokens; nobody else may."""
    actor = actors[role]
    own, _secret = services.api_token_create(actor=target, user=target, name="own")
    if role not in OFFICE:
        with pytest.raises(PermissionDenied):
            services.api_token_create(actor=actor, user=target, name="foreign")
        with pytest.raises(PermissionDenied):
            services.api_token_revoke(actor=actor, token=own)
        assert ApiToken.objects.filter(user=target).count() == 1 and ApiToken.objects.get(pk=own.pk).revoked_at is None
        return
    services.api_token_create(actor=actor, user=target, name="by office")
    services.api_token_revoke(actor=actor, token=own)
    assert ApiToken.objects.filter(user=target).count() == 2 and ApiToken.objects.get(pk=own.pk).revoked_at


@pytest.mark.parametrize("role", [r for r in ACTORS if r != "system"])
def test_only_the_owner_manages_an_account(actors, target, role):
    """Settings, the data export and deletion are the owner's alone — not even the office's."""
    actor = actors[role]
    with pytest.raises(PermissionDenied):
        services.account_update_settings(actor=actor, user=target, data={"display_name": "Fremd"})
    with pytest.raises(PermissionDenied):
        services.account_personal_data(actor=actor, user=target)
    with pytest.raises(PermissionDenied):
        services.account_delete(actor=actor, user=target)
    target.refresh_from_db()
    assert target.display_name != "Fremd" and User.objects.filter(pk=target.pk).exists()
    # the owner may (also a blocked one: they can still see and delete what is stored about them)
    target.is_blocked = True
    target.save()
    services.account_update_settings(actor=target, user=target, data={"display_name": "Selbst"})
    assert services.account_personal_data(actor=target, user=target)["account"]["display_name"] == "Selbst"


def test_deletion_by_the_owner_is_audited_under_their_pseudonym(target):
    pk = target.pk
    services.account_delete(actor=target, user=target)
    event = AuditEvent.objects.get(action="account.deleted")
    assert not User.objects.filter(pk=pk).exists()
    assert event.actor is None and event.actor_label == f"user:{pk}" and event.changes == {"user_id": [pk, None]}


def test_deletion_by_a_command_names_the_system_actor(target):
    pk = target.pk
    services.account_delete(actor=system_actor("account deletion"), user=target)
    event = AuditEvent.objects.get(action="account.deleted")
    assert not User.objects.filter(pk=pk).exists()
    assert event.actor_label == "system:account deletion" and event.changes == {"user_id": [pk, None]}


def test_a_field_is_changed_only_when_its_value_differs_not_when_it_is_another_equal_object():
    """Values read from a form or a file are new objects: equal text is no change."""
    from kompass.audit.services import diff_fields
    from kompass.measures.models import Measure

    measure = Measure(title="".join(["Titel ", "Eins"]), summary="".join(["Kurz", "text"]))
    equal = {"title": "Titel " + "Eins".strip(), "summary": "Kurz" + "text".strip()}
    assert equal["title"] is not measure.title and diff_fields(measure, equal) == {}
    assert diff_fields(measure, {"title": "Titel Zwei"}) == {"title": ("Titel Eins", "Titel Zwei")}
