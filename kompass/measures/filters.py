"""Catalogue filters contributed by apps above measures (the lifecycle's `phase` filter).

Measures must not import the apps built on it, so they plug their filters in from `AppConfig.ready()`:

    register_catalogue_filter(CatalogueFilter("phase", _("Phase"), options=phases_of, apply=in_phase))

A filter's `options(strategy)` returns the selectable objects (each with `slug` and `display_name`); `apply(qs,
value, strategy)` narrows the catalogue queryset to the chosen object. The portal form, the API and every caller
of `selectors.parse_catalogue_params` then accept the parameter like a built-in one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class CatalogueFilter:
    param: str
    label: Any  # a (lazy) translated string naming the filter
    options: Callable[[Any], list]
    apply: Callable[[QuerySet, Any, Any], QuerySet]


_FILTERS: dict[str, CatalogueFilter] = {}


def register_catalogue_filter(catalogue_filter: CatalogueFilter) -> None:
    """Register (or replace, so `ready()` may run twice) the filter for its parameter."""
    _FILTERS[catalogue_filter.param] = catalogue_filter


def catalogue_filters() -> list[CatalogueFilter]:
    return list(_FILTERS.values())


def catalogue_filter(param: str) -> CatalogueFilter | None:
    return _FILTERS.get(param)


# --- fields of a measure that apps above measures contribute (the lifecycle's current phase) ----------------

_ITEM_FIELDS: dict[str, Callable[[Any, list[int]], dict]] = {}


def register_item_field(name: str, resolve: Callable[[Any, list[int]], dict]) -> None:
    """Register `resolve(strategy, measure_ids) -> {measure_id: value}` for the measure field `name` (the API's
    list and detail items read it, e.g. `phase`). Re-registering replaces, so `ready()` may run twice."""
    _ITEM_FIELDS[name] = resolve


def item_field(name: str, strategy, measure_ids: list[int]) -> dict:
    """{measure_id: value} for a contributed field; empty when no app contributes it."""
    resolve = _ITEM_FIELDS.get(name)
    return resolve(strategy, measure_ids) if resolve else {}
