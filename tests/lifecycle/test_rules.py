"""The permission table of lifecycle (rules.py), one row per permission: exactly these roles hold it on the measure
`fresh` (or its candidate). A change to any predicate or combination changes a row and fails here."""

import pytest

from kompass.accounts.models import UserGroup
from kompass.core.actors import SYSTEM
from kompass.lifecycle.models import Candidate, TeamMember

pytestmark = pytest.mark.django_db

RUNS = {"office", "admin", "coordinator", "member", "lead"}
MEASURE_PERMS = {
    "lifecycle.move_phase": RUNS,
    "lifecycle.write_logbook": RUNS,
    "lifecycle.edit_description": RUNS,
    "lifecycle.manage_milestones": RUNS,
    "lifecycle.add_lesson": RUNS,
    "lifecycle.override_gate": {"office", "admin"},
    "lifecycle.manage_team": {"office", "admin", "coordinator", "lead"},
    "lifecycle.record_mandate": {"office", "admin", "coordinator", "cdo"},
    "lifecycle.mark_replication": {"office", "admin", "coordinator"},
    "lifecycle.view_workspace": RUNS | {"support", "cdo"},
    "lifecycle.view_attachment": RUNS | {"support", "cdo"},
}
GLOBAL_PERMS = {
    "lifecycle.submit_candidate": {"office", "admin", "coordinator", "member", "lead", "other_coordinator"},
    "lifecycle.view_overview": {"office", "admin", "cdo"},
    "lifecycle.import_measures": {"office", "admin"},
    "lifecycle.forward_idea": {"office", "admin", "reviewer", "group_reviewer", "cdo"},
    "lifecycle.send_digest": {"admin"},
}


@pytest.fixture
def roles(people, fresh, make_user, berlin):
    org = fresh.responsible_organisation
    other = berlin.organisations.exclude(pk=org.pk).first()
    users = dict(people)
    users["support"] = make_user("support@example.org")
    TeamMember.objects.create(measure=fresh, user=users["support"], role="support")
    users["other_coordinator"] = make_user("other@example.org", coordinator_of=[other])
    users["group_reviewer"] = make_user("unit@example.org")
    users["group_reviewer"].is_reviewer = True
    users["group_reviewer"].save()
    UserGroup.objects.get(slug="smart-city-unit").members.add(users["group_reviewer"])
    # People with two roles: an XOR where an OR belongs would lock them out.
    users["office_member"] = make_user("office-member@example.org", office=True)
    users["cdo_member"] = make_user("cdo-member@example.org")
    users["cdo_member"].is_cdo = True
    users["cdo_member"].save()
    users["office_coordinator"] = make_user("office-coord@example.org", office=True, coordinator_of=[org])
    users["coordinator_member"] = make_user("coord-member@example.org", coordinator_of=[org])
    for both in ("office_member", "cdo_member", "coordinator_member"):
        TeamMember.objects.create(measure=fresh, user=users[both], role="member")
    users["inactive_office"] = make_user("gone@example.org", office=True)
    users["inactive_office"].is_active = False
    users["inactive_office"].save()
    users["inactive_lead"] = make_user("gone-lead@example.org", member_of=[org])
    TeamMember.objects.create(measure=fresh, user=users["inactive_lead"], role="lead")
    users["inactive_lead"].is_active = False
    users["inactive_lead"].save()
    return users


def _holders(users, perm, obj=None):
    return {name for name, user in users.items() if user.has_perm(perm, obj)}


def _with_double_roles(expected: set[str]) -> set[str]:
    """The office member holds what the office holds; the CDO on the team holds what the CDO or a member holds."""
    extra = {"office_member", "office_coordinator"} if "office" in expected else set()
    if "cdo" in expected or "member" in expected:
        extra.add("cdo_member")
    if "coordinator" in expected or "member" in expected:
        extra.add("coordinator_member")
    return expected | extra


@pytest.mark.parametrize("perm", sorted(MEASURE_PERMS))
def test_measure_permissions(roles, fresh, perm):
    assert _holders(roles, perm, fresh) == _with_double_roles(MEASURE_PERMS[perm])
    assert SYSTEM.has_perm(perm, fresh)


@pytest.mark.parametrize("perm", sorted(GLOBAL_PERMS))
def test_global_permissions(roles, perm):
    expected = set(GLOBAL_PERMS[perm])
    if "office" in expected:
        expected |= {"office_member", "office_coordinator"}
    if "cdo" in expected:
        expected.add("cdo_member")
    if "coordinator" in expected:
        expected.add("coordinator_member")
    assert _holders(roles, perm) == expected


def test_only_the_assigned_reviewer_group_assesses_and_only_the_cdo_or_an_admin_decides(roles, berlin):
    assigned = Candidate.objects.create(strategy=berlin, slug="a", title="a", description="d",
                                        source="citizen_idea", reviewer_group="smart-city-unit")
    unassigned = Candidate.objects.create(strategy=berlin, slug="b", title="b", description="d",
                                          source="external", reviewer_group="")
    offices = {"office", "admin", "office_member", "office_coordinator"}
    assert _holders(roles, "lifecycle.assess_candidate", assigned) == offices | {"group_reviewer"}
    assert _holders(roles, "lifecycle.assess_candidate", unassigned) == offices | {"group_reviewer", "reviewer"}
    assert _holders(roles, "lifecycle.decide_candidate", assigned) == {"cdo", "admin", "cdo_member"}
    assert not roles["reviewer"].has_perm("lifecycle.assess_candidate", None)


def test_without_a_measure_nobody_is_on_its_team(roles):
    assert not roles["member"].has_perm("lifecycle.move_phase", None)
    assert not roles["support"].has_perm("lifecycle.view_workspace", None)
