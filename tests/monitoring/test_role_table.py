"""Role × action table for the monitoring writes of the evaluation cycle: each denied write is exactly 403 (a
visitor's page links to the login), changes nothing and records no audit event (ADR 0037)."""

import pytest

from kompass.accounts.models import UserGroup
from kompass.audit.models import AuditEvent
from kompass.monitoring.models import Decision, EvaluationCycle, Review
from tests.denied import assert_matrix, outcomes
from tests.monitoring.test_permissions import roles  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
CYCLE = "/monitoring/cycles/zyklus-2025"
TEAM = {"member", "coordinator", "office", "admin"}
OFFICE = {"office", "admin"}


def _measure():
    from kompass.monitoring.models import Indicator

    return Indicator.objects.get(slug="bsp-nachnutzungen").measure


ACTIONS = {
    "open a cycle": (OFFICE, lambda c: c.post("/monitoring/cycles/new/", {
        "slug": "zyklus-2026", "name": "Zyklus 2026", "deadline": "2026-12-31"}),
        lambda: EvaluationCycle.objects.filter(slug="zyklus-2026").count()),
    "close a cycle": (OFFICE, lambda c: c.post(f"{CYCLE}/close/"),
                      lambda: EvaluationCycle.objects.values_list("state", "closed_at").get(slug="zyklus-2025")),
    "submit a review": (TEAM, lambda c: c.post(f"{CYCLE}/measures/{_measure().slug}/review/", {
        "learned": "Wir haben gelernt.", "proposed_changes": ""}), lambda: Review.objects.count()),
    "record a decision": (OFFICE, lambda c: c.post(f"{CYCLE}/measures/{_measure().slug}/decision/", {
        "kind": "continue", "reason": "Läuft."}), lambda: Decision.objects.count()),
    "comment as a board": ({"board"} | OFFICE, lambda c: c.post(f"{CYCLE}/measures/{_measure().slug}/comment/", {
        "group": "strategiebeirat", "text": "Gute Arbeit."}),
        lambda: AuditEvent.objects.filter(action="monitoring.comment_added").count()),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_cycle_writes_role_table(roles, make_user, client, action):  # noqa: F811
    users, _indicator = roles
    board = make_user("beirat@example.org")
    UserGroup.objects.get(slug="strategiebeirat").members.add(board)
    allowed, send, state = ACTIONS[action]
    assert_matrix(outcomes(client, {**users, "board": board}, send, state), allowed)
