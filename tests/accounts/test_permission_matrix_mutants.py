"""Role matrix of the core permissions (measures, strategy, jobs, accounts, audit), checked on the rules
themselves (django-rules, so a superuser shortcut hides nothing), with and without the object asked about."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from kompass.jobs.models import Job
from kompass.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(berlin, pilot, make_user):
    own = pilot.responsible_organisation
    other = Organisation.objects.filter(strategy=berlin).exclude(pk=own.pk).first()
    people = {
        "visitor": AnonymousUser(),
        "registered": make_user("someone@example.org"),
        "member": make_user("member@example.org", member_of=[own]),
        "coordinator": make_user("coord@example.org", coordinator_of=[own]),
        "other_coordinator": make_user("other@example.org", coordinator_of=[other]),
        "former_coordinator": make_user("former@example.org", coordinator_of=[own]),
        "starter": make_user("starter@example.org"),
        "office": make_user("office@example.org", office=True),
        "admin": make_user("admin@example.org", admin=True),
    }
    people["former_coordinator"].is_active = False
    people["former_coordinator"].save()
    job = Job.objects.create(kind="test", title="Bericht", created_by=people["starter"])
    return people, pilot, job


OFFICE = {"office", "admin"}


def allowed(people, perm, *obj):
    return {who for who, user in people.items() if rules.has_perm(perm, user, *obj)}


def test_measure_permissions(world):
    people, measure, _job = world
    assert allowed(people, "measures.add_measure") == OFFICE | {"coordinator", "other_coordinator"}
    assert allowed(people, "measures.change_measure", measure) == OFFICE | {"coordinator"}
    assert allowed(people, "measures.change_measure", None) == OFFICE
    assert allowed(people, "measures.delete_measure", measure) == OFFICE


@pytest.mark.parametrize("perm", ["strategy.edit_framework", "accounts.manage_memberships", "audit.view_events"])
def test_office_only_permissions(world, perm):
    people, _measure, _job = world
    assert allowed(people, perm) == OFFICE


@pytest.mark.parametrize("perm", ["jobs.view_job", "jobs.retry_job"])
def test_a_job_is_seen_and_retried_by_who_started_it_and_the_office(world, perm):
    people, _measure, job = world
    assert allowed(people, perm, job) == OFFICE | {"starter"}
    assert allowed(people, perm, None) == OFFICE
    nobodys = Job.objects.create(kind="test", title="System", created_by=None)
    assert allowed(people, perm, nobodys) == OFFICE
