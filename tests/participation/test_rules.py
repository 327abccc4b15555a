"""The permission table of participation (rules.py): exactly these roles hold each permission."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kompass.core.actors import SYSTEM
from kompass.participation import services

pytestmark = pytest.mark.django_db

CONTRIBUTORS = {"citizen", "moderator", "reviewer", "cdo", "office", "admin"}
GLOBAL_PERMS = {
    "participation.add_idea": CONTRIBUTORS,
    "participation.add_comment": CONTRIBUTORS,
    "participation.add_statement": CONTRIBUTORS,
    "participation.follow": CONTRIBUTORS | {"blocked"},
    "participation.report": CONTRIBUTORS | {"blocked"},
    "participation.moderate": {"moderator", "office", "admin"},
    "participation.manage_consultation": {"office", "admin"},
    "participation.send_digest": {"admin"},
}
IDEA_PERMS = {
    "participation.support_idea": CONTRIBUTORS - {"citizen"},  # the idea's author (admins hold every permission)
    "participation.withdraw_support": CONTRIBUTORS,
    "participation.declare_ownership": CONTRIBUTORS,
    "participation.set_idea_status": {"reviewer", "cdo", "office", "admin"},
}


@pytest.fixture
def roles(make_user, flagged, citizen, blocked, moderator, office):
    return {"visitor": AnonymousUser(), "citizen": citizen, "blocked": blocked, "moderator": moderator,
            "office": office, "admin": make_user("admin@example.org", admin=True),
            "reviewer": flagged("reviewer@example.org", is_reviewer=True),
            "cdo": flagged("cdo@example.org", is_cdo=True),
            "inactive": flagged("inactive@example.org", is_strategy_office=True, is_active=False)}


def _holders(users, perm, obj=None):
    return {name for name, user in users.items() if user.has_perm(perm, obj)}


@pytest.mark.parametrize("perm", sorted(GLOBAL_PERMS))
def test_global_permissions(roles, perm):
    assert _holders(roles, perm) == GLOBAL_PERMS[perm]
    assert SYSTEM.has_perm(perm)


@pytest.mark.parametrize("perm", sorted(IDEA_PERMS))
def test_idea_permissions(roles, idea, perm):
    assert _holders(roles, perm, idea) == IDEA_PERMS[perm]


def test_own_comments_are_edited_by_their_author_and_deleted_by_author_or_moderators(roles, idea, citizen):
    comment = services.comment_create(actor=citizen, idea=idea, text="Mein Kommentar")
    assert _holders(roles, "participation.change_comment", comment) == {"citizen", "admin"}  # admins hold all
    assert _holders(roles, "participation.delete_comment", comment) == {"citizen", "moderator", "office", "admin"}
    assert _holders(roles, "participation.change_comment", None) == {"admin"}
    citizen.is_blocked = True
    citizen.save()
    assert not citizen.has_perm("participation.change_comment", comment)
    assert not citizen.has_perm("participation.delete_comment", comment)


def test_hidden_ideas_are_seen_by_their_author_and_the_moderators_only(roles, idea, moderator):
    assert _holders(roles, "participation.view_idea", idea) == set(roles)  # a shown idea is public
    services.moderation_hide(actor=moderator, target=idea, reason="Werbung")
    assert _holders(roles, "participation.view_idea", idea) == {"citizen", "moderator", "office", "admin"}
    assert _holders(roles, "participation.view_idea", None) == {"moderator", "office", "admin"}
