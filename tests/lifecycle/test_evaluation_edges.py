"""Evaluation and office rough edges (issue 13): time in phase from the recorded history, the demo's stuck
measure, the styled phase timeline marking the current phase."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kompass.lifecycle import selectors
from kompass.lifecycle.models import MeasureLifecycle, PhaseTransition

pytestmark = pytest.mark.django_db


def test_the_phase_history_is_loaded_with_its_dates(berlin, phases):
    lifecycle = MeasureLifecycle.objects.get(measure__slug="smart-water")
    assert lifecycle.phase == phases["entwicklung"] and lifecycle.phase_since.date() == datetime.date(2024, 5, 6)
    steps = list(PhaseTransition.objects.filter(measure__slug="smart-water").order_by("occurred_at")
                 .values_list("to_phase__slug", "kind", "occurred_at__date"))
    assert steps == [("vorprozess", "initial", datetime.date(2022, 11, 7)),
                     ("exploration", "forward", datetime.date(2023, 3, 13)),
                     ("erprobung", "forward", datetime.date(2023, 10, 9)),
                     ("entwicklung", "forward", datetime.date(2024, 5, 6))]


def test_office_figures_are_meaningful_with_the_demo_data(berlin, phases):
    now = timezone.now() + datetime.timedelta(days=1)
    data = selectors.office_overview(berlin, now=now)
    rows = {r["phase"].slug: r for r in data["rows"]}
    # Every history stay counts with its real length (Smart Water: exploration 2023-03-13 → 2023-10-09, 210 days).
    assert rows["exploration"]["stays"] >= 10 and rows["exploration"]["mean_days"] > 60
    assert all(rows[p]["mean_days"] > 60 for p in ("vorprozess", "erprobung", "entwicklung"))
    latest = {}
    for slug, at in PhaseTransition.objects.filter(measure__strategy=berlin).values_list("measure__slug",
                                                                                       "occurred_at"):
        latest[slug] = max(at, latest.get(slug, at))
    expected = {slug for slug, at in latest.items() if (now - at).days > data["stuck_days"]}
    stuck = {s["measure"].slug: s["days"] for s in data["stuck"]}
    assert "smart-water" in expected and set(stuck) == expected
    assert stuck["smart-water"] == (now - timezone.make_aware(datetime.datetime(2024, 5, 6, 12))).days


def test_the_public_timeline_is_styled_and_marks_the_current_phase(client, berlin):
    html = client.get(reverse("measures:measure", args=["smart-water"]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "lifecycle/lifecycle.css" in html  # the styles reach the public measure page
    current = html.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert "Entwicklung" in current and "kern-badge" in current and "aktuelle Phase" in current
    assert html.count('class="is-done"') == 3
