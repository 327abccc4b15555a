"""Role predicates (django-rules), in the style of adhocracy4: roles are predicates, permissions combine them.

Global roles: admin (superuser), strategy office, CDO, reviewer, moderator, lottery officer. Organisation roles:
member, coordinator. Each app registers its own permissions in its `rules.py` (`measures/rules.py`,
`strategy/rules.py`, …) from these predicates; this module registers only the accounts permissions and the
audit permission (audit sits below accounts and has no predicates of its own).
"""

import rules

from kompass.accounts import roles
from kompass.accounts.models import Membership


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_strategy_office(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_strategy_office)


def _coordinates_id(user, organisation_id) -> bool:
    if not (user and user.is_authenticated and user.is_active and organisation_id is not None):
        return False
    return roles.memberships(user).get(organisation_id) == Membership.Role.COORDINATOR


def coordinates(user, organisation) -> bool:
    return organisation is not None and _coordinates_id(user, organisation.pk)


@rules.predicate
def is_coordinator_of_measure(user, measure) -> bool:
    return measure is not None and _coordinates_id(user, measure.responsible_organisation_id)


@rules.predicate
def is_coordinator_anywhere(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active
        and Membership.Role.COORDINATOR in roles.memberships(user).values()
    )


@rules.predicate
def is_cdo(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_cdo)


@rules.predicate
def is_reviewer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_reviewer)


@rules.predicate
def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_moderator)


@rules.predicate
def is_lottery_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_lottery_officer)


@rules.predicate
def is_registered(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def in_group(slug: str):
    """Predicate factory: the user belongs to the UserGroup with this slug."""

    @rules.predicate(name=f"in_group:{slug}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.user_groups.filter(slug=slug).exists())

    return predicate


@rules.predicate
def is_same_user(user, other) -> bool:
    """The acting user is the account in question (its owner); not tied to is_active, so a blocked person can
    still see, export and delete what Kompass holds about them."""
    return bool(user is not None and getattr(user, "pk", None) is not None and other is not None
                and user.pk == other.pk)


is_office = is_admin | is_strategy_office

rules.add_perm("accounts.manage_memberships", is_office)
rules.add_perm("accounts.manage_own_account", is_same_user)
rules.add_perm("accounts.manage_api_tokens", is_same_user | is_office)
rules.add_perm("audit.view_events", is_office)
