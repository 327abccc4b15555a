"""Monitoring permissions. The team of a measure is everyone with a membership (member or coordinator) in its
responsible organisation, plus the members of the measure's team in the lifecycle app (TeamMember); together
with the strategy office (and admins) it enters measurements, edits goals and indicators and submits the
measure's review. Boards and panels (UserGroups of kind board/panel) comment on
reviews, each member only for their own group; the strategy office opens cycles and records decisions.

Services check these with `kompass.core.permissions.require(actor, "monitoring.…", obj)`; a `SystemActor`
(seed loader, jobs, benchmarks) holds every permission."""

import rules

from kompass.accounts import roles
from kompass.accounts.models import UserGroup
from kompass.accounts.rules import is_admin, is_coordinator_anywhere, is_office


def _measure_of(obj):
    """The measure behind a measure, goal, indicator or measurement."""
    if obj is None or hasattr(obj, "measure_type"):
        return obj
    if hasattr(obj, "measure_id"):
        return obj.measure
    if hasattr(obj, "indicator_id"):
        return obj.indicator.measure
    return None


@rules.predicate
def is_measure_team(user, obj) -> bool:
    measure = _measure_of(obj)
    if not (user and user.is_authenticated and user.is_active and measure is not None):
        return False
    if measure.responsible_organisation_id in roles.memberships(user):
        return True
    return measure.pk in roles.teams(user)


@rules.predicate
def is_on_a_team(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(roles.teams(user))


@rules.predicate
def is_board_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.user_groups.filter(
        kind__in=[UserGroup.Kind.BOARD, UserGroup.Kind.PANEL]).exists())


@rules.predicate
def is_group_member(user, group) -> bool:
    """`user` belongs to the board or panel `group` (a UserGroup)."""
    return bool(user and user.is_authenticated and user.is_active and group is not None
                and group.members.filter(pk=user.pk).exists())


rules.add_perm("monitoring.change_monitoring", is_office | is_measure_team)
rules.add_perm("monitoring.submit_review", is_office | is_measure_team)
rules.add_perm("monitoring.comment", is_office | is_board_member)
rules.add_perm("monitoring.comment_for_group", is_office | is_group_member)
rules.add_perm("monitoring.manage_cycles", is_office)
rules.add_perm("monitoring.decide", is_office)
rules.add_perm("monitoring.run_report", is_office)
# Reminder emails to indicator owners: a system job (SystemActor) or an admin.
rules.add_perm("monitoring.send_reminders", is_admin)
# "Meine Aufgaben" in the header: people who run measures (on a measure team or coordinating an organisation).
rules.add_perm("monitoring.view_my_tasks", is_office | is_coordinator_anywhere | is_on_a_team)
# The office's list of overdue updates per organisation.
rules.add_perm("monitoring.view_overdue", is_office)
