"""Who may do what in the implementation process and in selection."""

import rules

from kompass.accounts import roles
from kompass.accounts.rules import (
    is_admin,
    is_cdo,
    is_coordinator_of_measure,
    is_office,
    is_reviewer,
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def user_teams(user) -> dict[int, set[str]]:
    """measure id -> roles of every team membership of `user` (memoised per request by accounts.roles)."""
    from kompass.lifecycle.models import TeamMember

    teams: dict[int, set[str]] = {}
    for measure_id, role in TeamMember.objects.filter(user=user).values_list("measure_id", "role"):
        teams.setdefault(measure_id, set()).add(role)
    return teams


def _team_roles(user, measure) -> set[str]:
    if not _active(user) or measure is None or measure.pk is None:
        return set()
    return set(roles.teams(user).get(measure.pk, ()))


@rules.predicate
def is_team_member(user, measure) -> bool:
    """Lead or member of the measure's team (the support team advises but does not act for the team)."""
    return bool(_team_roles(user, measure) & {"lead", "member"})


@rules.predicate
def is_on_team(user, measure) -> bool:
    return bool(_team_roles(user, measure))


@rules.predicate
def is_team_lead(user, measure) -> bool:
    return "lead" in _team_roles(user, measure)


@rules.predicate
def belongs_to_an_organisation(user) -> bool:
    return _active(user) and bool(roles.memberships(user))


@rules.predicate
def is_assigned_reviewer(user, candidate) -> bool:
    """A reviewer in the group assigned to the candidate's source (any reviewer when no group is assigned)."""
    if not (_active(user) and user.is_reviewer and candidate is not None):
        return False
    if not candidate.reviewer_group:
        return True
    return user.user_groups.filter(slug=candidate.reviewer_group).exists()


runs_measure = is_office | is_coordinator_of_measure | is_team_member

rules.add_perm("lifecycle.move_phase", runs_measure)
rules.add_perm("lifecycle.override_gate", is_office)
rules.add_perm("lifecycle.manage_team", is_office | is_coordinator_of_measure | is_team_lead)
rules.add_perm("lifecycle.record_mandate", is_office | is_coordinator_of_measure | is_cdo)
rules.add_perm("lifecycle.write_logbook", runs_measure)
rules.add_perm("lifecycle.edit_description", runs_measure)
rules.add_perm("lifecycle.manage_milestones", runs_measure)
rules.add_perm("lifecycle.add_lesson", runs_measure)
rules.add_perm("lifecycle.mark_replication", is_office | is_coordinator_of_measure)
rules.add_perm("lifecycle.view_workspace", runs_measure | is_on_team | is_cdo)
rules.add_perm("lifecycle.view_attachment", is_office | is_coordinator_of_measure | is_on_team | is_cdo)
rules.add_perm("lifecycle.submit_candidate", is_office | belongs_to_an_organisation)
rules.add_perm("lifecycle.assess_candidate", is_office | is_assigned_reviewer)
rules.add_perm("lifecycle.decide_candidate", is_cdo | is_admin)
rules.add_perm("lifecycle.view_overview", is_office | is_cdo)
rules.add_perm("lifecycle.import_measures", is_office)
# Handing a citizen idea to selection: whoever may move an idea along its path (participation.set_idea_status).
rules.add_perm("lifecycle.forward_idea", is_office | is_reviewer | is_cdo)
# The digest email of all teams: a system job (SystemActor) or an admin.
rules.add_perm("lifecycle.send_digest", is_admin)
