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


def test_only_the_account_itself_is_the_same_user_even_when_deactivated():
    first = User.objects.create_user(email="first@example.org", password="S3cure-pass-word")
    second = User.objects.create_user(email="second@example.org", password="S3cure-pass-word")
    blocked = User.objects.create_user(email="blocked@example.org", password="S3cure-pass-word", is_active=False)
    unsaved = User(email="new@example.org")
    same = account_rules.is_same_user
    assert same(first, first) is True and same(blocked, blocked) is True
    assert same(first, second) is False and same(second, first) is False
    assert same(first, None) is False and same(None, first) is False
    assert same(unsaved, first) is False and same(AnonymousUser(), first) is False
    assert same(unsaved, User(email="other-new@example.org")) is False  # two unsaved accounts are not one


def test_coordinating_needs_an_active_coordinator_of_that_very_organisation(berlin, make_user):
    from kompass.accounts.models import Membership

    own, other = berlin.organisations.order_by("slug")[:2]
    coordinator = make_user("coord@example.org", coordinator_of=[own], member_of=[other])
    member = make_user("member@example.org", member_of=[own])
    former = make_user("former@example.org", coordinator_of=[own])
    former.is_active = False
    former.save()
    assert account_rules.coordinates(coordinator, own) is True
    assert account_rules.coordinates(coordinator, other) is False
    assert account_rules.coordinates(coordinator, None) is False
    assert account_rules.coordinates(member, own) is False and account_rules.coordinates(former, own) is False
    assert account_rules.coordinates(AnonymousUser(), own) is False and account_rules.coordinates(None, own) is False
    anywhere = account_rules.is_coordinator_anywhere
    assert [anywhere(u) for u in (coordinator, member, former, AnonymousUser(), None)] == [
        True, False, False, False, False]
    assert account_rules.is_coordinator_of_measure(coordinator, None) is False
    assert Membership.objects.filter(user=coordinator).count() == 2


def test_a_job_belongs_to_its_signed_in_starter_only(make_user):
    from kompass.jobs.models import Job
    from kompass.jobs.rules import started_job

    starter, other = make_user("starter@example.org"), make_user("other@example.org")
    job = Job.objects.create(kind="test", title="t", created_by=starter)
    system_job = Job.objects.create(kind="test", title="t", created_by=None)
    assert started_job(starter, job) is True and started_job(other, job) is False
    assert started_job(starter, None) is False
    assert started_job(AnonymousUser(), system_job) is False  # no one started it, and no visitor owns it


def test_api_tokens_are_managed_by_their_owner_or_the_office_own_account_by_the_owner_only(make_user):
    import rules

    owner, other = make_user("owner@example.org"), make_user("other@example.org")
    office = make_user("office@example.org", office=True)

    def who(perm):
        return [rules.has_perm(perm, user, owner) for user in (owner, other, office, AnonymousUser())]

    assert who("accounts.manage_api_tokens") == [True, False, True, False]
    assert who("accounts.manage_own_account") == [True, False, False, False]


def test_a_group_predicate_combines_with_the_other_predicates_and_names_its_group(make_user):
    from kompass.accounts.models import UserGroup

    board = UserGroup.objects.create(slug="strategieboard", name="Strategieboard")
    member, office = make_user("board@example.org"), make_user("office@example.org", office=True)
    board.members.add(member)
    in_board = account_rules.in_group("strategieboard")
    assert in_board.name == "in_group:strategieboard"
    assert [(account_rules.is_office | in_board)(u) for u in (member, office, AnonymousUser())] == [
        True, True, False]
    assert [(account_rules.is_registered & ~in_board)(u) for u in (member, office)] == [False, True]


def test_a_job_belongs_to_its_starter_whatever_the_size_of_their_id():
    from kompass.jobs.models import Job
    from kompass.jobs.rules import started_job

    # Ids as a real site has them (CPython shares only the int objects below 257; `is` would fail above that).
    User.objects.create_user(email="late@example.org", password="S3cure-pass-word", id=4711)
    job = Job.objects.create(kind="test", title="t", created_by_id=4711)
    assert started_job(User.objects.get(email="late@example.org"), Job.objects.get(pk=job.pk)) is True
