"""The role predicates of accounts/rules.py answer yes only for a signed-in, active person with the role: not for
nobody, an anonymous visitor or a deactivated account that still carries the flag (mutation survivors of
`docs/mutation/core.md`)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kompass.accounts import rules as account_rules
from kompass.accounts.models import User

pytestmark = pytest.mark.django_db

FLAGS = {
    "is_admin": {"is_superuser": True},
    "is_strategy_office": {"is_strategy_office": True},
    "is_cdo": {"is_cdo": True},
    "is_reviewer": {"is_reviewer": True},
    "is_moderator": {"is_moderator": True},
    "is_lottery_officer": {"is_lottery_officer": True},
    "is_registered": {},
}


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_a_role_predicate_needs_a_signed_in_active_person_with_the_role(name):
    predicate = getattr(account_rules, name)
    holder = User.objects.create_user(email=f"{name}@example.org", password="S3cure-pass-word", **FLAGS[name])
    former = User.objects.create_user(email=f"former-{name}@example.org", password="S3cure-pass-word",
                                      is_active=False, **FLAGS[name])
    assert predicate(holder) is True
    assert predicate(former) is False
    assert predicate(AnonymousUser()) is False
    assert predicate(None) is False
    if FLAGS[name]:
        plain = User.objects.create_user(email=f"plain-{name}@example.org", password="S3cure-pass-word")
        assert predicate(plain) is False


def test_a_group_predicate_needs_a_signed_in_member_of_that_group():
    from kompass.accounts.models import UserGroup

    board = UserGroup.objects.create(slug="strategieboard", name="Strategieboard")
    UserGroup.objects.create(slug="beirat", name="Beirat")
    member = User.objects.create_user(email="board@example.org", password="S3cure-pass-word")
    other = User.objects.create_user(email="other@example.org", password="S3cure-pass-word")
    board.members.add(member)
    in_board = account_rules.in_group("strategieboard")
    assert in_board(member) is True
    assert in_board(other) is False
    assert account_rules.in_group("beirat")(member) is False
    assert in_board(AnonymousUser()) is False
    assert in_board(None) is False
