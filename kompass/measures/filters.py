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
