"""The shared actor and permission primitives (kompass.core.actors / kompass.core.permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kompass.audit.models import AuditEvent
from kompass.audit.services import record_event
from kompass.core.actors import SYSTEM, actor_from_ref, actor_ref, is_system, person, system_actor
from kompass.core.permissions import MissingActor, allowed, require


class _Person:
    pk = 7
    is_system = False

    def __init__(self, perms):
        self.perms = perms

    def has_perm(self, perm, obj=None):
        return perm in self.perms


def test_require_passes_for_a_held_permission_and_refuses_others():
    person = _Person({"measures.change_measure"})
    require(person, "measures.change_measure")
    with pytest.raises(PermissionDenied):
        require(person, "measures.delete_measure")


def test_none_is_not_an_actor():
    with pytest.raises(MissingActor):
        require(None, "measures.change_measure")
    assert allowed(None, "measures.change_measure") is False


def test_system_actor_holds_every_permission_and_has_a_name():
    job = system_actor("lottery job")
    require(job, "anything.at_all")
    assert is_system(job) and not is_system(_Person(set()))
    assert job.label == "system:lottery job" and str(SYSTEM) == "system:system"


@pytest.mark.django_db
def test_audit_event_names_a_system_actor():
    event = record_event(actor=system_actor("load-strategy"), action="test.done")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor is None
    assert stored.actor_label == "system:load-strategy"


def test_person_is_the_signed_in_user_and_none_for_a_system_actor_no_actor_or_an_unsaved_user():
    user = _Person(set())
    assert person(user) is user
    assert person(SYSTEM) is None
    assert person(system_actor("import")) is None
    assert person(None) is None
    unsaved = _Person(set())
    unsaved.pk = None
    assert person(unsaved) is None


def test_a_job_names_its_actor_by_pk_or_system_label_and_never_as_none():
    assert actor_ref(system_actor("nightly import")) == "system:nightly import"
    assert actor_ref(_Person(set())) == 7
    unsaved = _Person(set())
    unsaved.pk = None
    for nobody in (None, unsaved, AnonymousUser()):
        with pytest.raises(MissingActor):
            actor_ref(nobody)


def test_a_job_refuses_a_missing_actor_instead_of_running_as_system():
    assert actor_from_ref("system:lottery job") == system_actor("lottery job")
    for ref in (None, "", "system:", "lottery job", True, 3.0):
        with pytest.raises(MissingActor):
            actor_from_ref(ref)


@pytest.mark.django_db
def test_a_job_runs_as_its_starter_only_while_the_account_is_active(make_user):
    user = make_user("job-starter@example.org")
    assert actor_from_ref(actor_ref(user)) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        actor_from_ref(user.pk)
    with pytest.raises(PermissionDenied):
        actor_from_ref(user.pk + 1000)  # a deleted account
