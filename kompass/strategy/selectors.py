"""Reads of the strategy framework."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.http import Http404

from kompass.strategy.models import (
    ActionField,
    ActionFieldCluster,
    District,
    FuturePerspective,
    PrincipleGroup,
    Strategy,
    Value,
)


def current_strategy_or_none() -> Strategy | None:
    return Strategy.objects.filter(is_current=True).first() or Strategy.objects.order_by("pk").first()


def current_strategy() -> Strategy:
    strategy = current_strategy_or_none()
    if strategy is None:
        raise Http404("No strategy has been loaded yet.")
    return strategy


def strategy_for_request(request) -> Strategy:
    """The current strategy for this request (404 when none is loaded), looked up once per request: the page
    frame (`portal.context_processors`) reads it from `request._kompass_strategy`."""
    strategy = getattr(request, "_kompass_strategy", None) or current_strategy()
    request._kompass_strategy = strategy
    return strategy


def values_with_counts(strategy: Strategy):
    return Value.objects.filter(strategy=strategy).annotate(measure_count=Count("measure_links")).order_by(
        "position", "name", "pk")  # GROUP BY queries ignore Meta.ordering: without this the order is arbitrary


def perspectives_with_counts(strategy: Strategy):
    return FuturePerspective.objects.filter(strategy=strategy).annotate(measure_count=Count("measure_links")).order_by(
        "position", "name", "pk")


def principle_groups(strategy: Strategy):
    return PrincipleGroup.objects.filter(strategy=strategy).prefetch_related("principles")


def clusters_with_fields(strategy: Strategy):
    fields = ActionField.objects.annotate(measure_count=Count("measures")).order_by("position", "name")
    return ActionFieldCluster.objects.filter(strategy=strategy).prefetch_related(
        Prefetch("action_fields", queryset=fields)
    )


def districts_with_counts(strategy: Strategy):
    return District.objects.filter(strategy=strategy).annotate(measure_count=Count("measures")).order_by(
        "position", "name", "pk")


def district_by_slug(strategy: Strategy, slug: str) -> District:
    district = District.objects.filter(strategy=strategy, slug=slug).first()
    if district is None:
        raise Http404
    return district
