"""Who may do what in participation. Roles: visitor, citizen (registered), blocked citizen, moderator,
strategy office (and admin); reviewers and the CDO also move ideas along their path."""

import rules

from kompass.accounts.rules import is_admin, is_cdo, is_moderator, is_office, is_registered, is_reviewer


@rules.predicate
def is_blocked(user) -> bool:
    return bool(user and user.is_authenticated and user.is_blocked)


@rules.predicate
def is_author(user, obj) -> bool:
    return bool(obj is not None and user and user.is_authenticated and getattr(obj, "author_id", None) == user.pk)


@rules.predicate
def is_shown(user, obj) -> bool:
    """The contribution is not hidden by moderation."""
    return obj is not None and not obj.is_hidden


can_contribute = is_registered & ~is_blocked
can_moderate = is_moderator | is_office

rules.add_perm("participation.add_idea", can_contribute)
rules.add_perm("participation.add_comment", can_contribute)
# Authors cannot support their own idea (a support says "someone else wants this too").
rules.add_perm("participation.support_idea", can_contribute & ~is_author)
rules.add_perm("participation.withdraw_support", can_contribute)
rules.add_perm("participation.vote", can_contribute)
rules.add_perm("participation.add_statement", can_contribute)
rules.add_perm("participation.follow", is_registered)
rules.add_perm("participation.report", is_registered)
rules.add_perm("participation.declare_ownership", can_contribute)
rules.add_perm("participation.change_comment", can_contribute & is_author)
rules.add_perm("participation.delete_comment", (can_contribute & is_author) | can_moderate)
rules.add_perm("participation.moderate", can_moderate)
rules.add_perm("participation.view_idea", is_shown | can_moderate | is_author)
# Moving an idea along its path: the strategy office, the reviewers who qualify it and the CDO who decides.
rules.add_perm("participation.set_idea_status", is_office | is_reviewer | is_cdo)
rules.add_perm("participation.manage_consultation", is_office)
rules.add_perm("participation.send_digest", is_admin)  # a system job (SystemActor) or an admin
rules.add_perm("participation.purge_idempotency_keys", is_admin)  # the daily job (SystemActor) or an admin
