"""Role matrix of every monitoring permission, checked on the rules themselves (django-rules, so an admin's
superuser shortcut in Django's `has_perm` hides nothing), for each object a permission is asked about."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from kompass.accounts.models import UserGroup
from kompass.lifecycle.models import TeamMember
from kompass.monitoring.models import Indicator
from kompass.organisations.models import Organisation

pytestmark = pytest.mark.django_db

SLUG = "bsp-nachnutzungen"


@pytest.fixture
def world(seeded, make_user):
    indicator = Indicator.objects.select_related("measure__responsible_organisation", "goal").get(slug=SLUG)
    measure, own = indicator.measure, indicator.measure.responsible_organisation
    other = Organisation.objects.filter(strategy=seeded).exclude(pk=own.pk).first()
    board = UserGroup.objects.create(slug="board", name="Board", kind=UserGroup.Kind.BOARD)
    panel = UserGroup.objects.create(slug="panel", name="Panel", kind=UserGroup.Kind.PANEL)
    club = UserGroup.objects.create(slug="club", name="Club", kind=UserGroup.Kind.OTHER)
    people = {
        "visitor": AnonymousUser(),
        "registered": make_user("someone@example.org"),
        "other_coordinator": make_user("other@example.org", coordinator_of=[other]),
        "member": make_user("member@example.org", member_of=[own]),
        "coordinator": make_user("coord@example.org", coordinator_of=[own]),
        "inactive_member": make_user("gone@example.org", member_of=[own]),
        "team": make_user("team@example.org"),
        "board": make_user("board@example.org"),
        "panel": make_user("panel@example.org"),
        "club": make_user("club@example.org"),
        "office": make_user("office@example.org", office=True),
        "admin": make_user("admin@example.org", admin=True),
    }
    people["inactive_member"].is_active = False
    people["inactive_member"].save()
    TeamMember.objects.create(measure=measure, user=people["team"], role="member")
    board.members.add(people["board"])
    panel.members.add(people["panel"])
    club.members.add(people["club"])
    measurement = indicator.measurements.first()
    objects = {"measure": measure, "goal": indicator.goal, "indicator": indicator}
    if measurement is not None:
        objects["measurement"] = measurement
    return people, objects, {"board": board, "panel": panel, "club": club}


OFFICE = {"office", "admin"}
TEAM = OFFICE | {"member", "coordinator", "team"}


@pytest.mark.parametrize("perm", ["monitoring.change_monitoring", "monitoring.submit_review"])
def test_the_measure_team_and_the_office_work_on_every_object_of_the_measure(world, perm):
    people, objects, _groups = world
    for name, obj in objects.items():
        allowed = {who for who, user in people.items() if rules.has_perm(perm, user, obj)}
        assert allowed == TEAM, name
    assert {who for who, user in people.items() if rules.has_perm(perm, user, object())} == OFFICE  # no measure


@pytest.mark.parametrize(("perm", "expected"), [
    ("monitoring.comment", OFFICE | {"board", "panel"}),
    ("monitoring.manage_cycles", OFFICE),
    ("monitoring.decide", OFFICE),
    ("monitoring.run_report", OFFICE),
    ("monitoring.view_overdue", OFFICE),
    ("monitoring.send_reminders", {"admin"}),
    ("monitoring.view_my_tasks", OFFICE | {"coordinator", "other_coordinator", "team"}),
])
def test_permissions_without_an_object(world, perm, expected):
    people, _objects, _groups = world
    assert {who for who, user in people.items() if rules.has_perm(perm, user)} == expected


@pytest.mark.parametrize("group", ["board", "panel", "club"])
def test_a_group_comment_is_for_that_groups_members_and_the_office(world, group):
    people, _objects, groups = world
    allowed = {who for who, user in people.items()
               if rules.has_perm("monitoring.comment_for_group", user, groups[group])}
    assert allowed == OFFICE | {group}
    assert {who for who, user in people.items() if rules.has_perm("monitoring.comment_for_group", user, None)} \
        == OFFICE


def test_an_inactive_person_on_a_team_board_and_panel_has_no_monitoring_permission(world, make_user):
    _people, objects, groups = world
    gone = make_user("gone-team@example.org")
    TeamMember.objects.create(measure=objects["measure"], user=gone, role="member")
    groups["board"].members.add(gone)
    groups["panel"].members.add(gone)

    def allowed():
        return (rules.has_perm("monitoring.view_my_tasks", gone), rules.has_perm("monitoring.comment", gone),
                [rules.has_perm("monitoring.comment_for_group", gone, groups[g]) for g in ("board", "panel")],
                [rules.has_perm("monitoring.change_monitoring", gone, obj) for obj in objects.values()])

    assert allowed() == (True, True, [True, True], [True] * len(objects))
    gone.is_active = False
    gone.save()
    assert allowed() == (False, False, [False, False], [False] * len(objects))
