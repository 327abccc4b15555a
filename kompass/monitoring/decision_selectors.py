"""Reads for the decision form of an evaluation cycle: each indicator's current target and the team's proposal.
(Kept apart from `selectors.py`, which is close to the module size limit.)"""

from __future__ import annotations

from kompass.monitoring.models import GoalAssessment, Review, TargetVersion


def with_current_targets(indicators: list) -> list:
    """Set `current_target` (the latest TargetVersion, or None) on each indicator; returns the list."""
    latest = {}
    for version in TargetVersion.objects.filter(indicator__in=indicators).order_by("indicator_id", "version"):
        latest[version.indicator_id] = version
    for indicator in indicators:
        indicator.current_target = latest.get(indicator.pk)
    return indicators


def team_review(cycle, measure) -> Review | None:
    """The review the measure's team submitted in this cycle (what they learned and propose), if any."""
    return Review.objects.filter(cycle=cycle, measure=measure).select_related("submitted_by").first()


def with_team_assessments(indicators: list, review: Review | None) -> list:
    """Set `team_assessment` (the team's rating and comment on the indicator's goal in `review`, or None) on each
    indicator: the team's proposal beside the target it concerns."""
    by_goal = {a.goal_id: a for a in GoalAssessment.objects.filter(review=review)} if review else {}
    for indicator in indicators:
        indicator.team_assessment = by_goal.get(indicator.goal_id)
    return indicators
