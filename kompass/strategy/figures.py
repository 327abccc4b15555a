"""Strategy-wide figures that apps above the strategy contribute (participation's "people who took part").

Apps in one layer stay independent (monitoring never reads participation's models): the app that owns the data
registers a provider from its `AppConfig.ready()`, and any app reads the figure through this registry:

    register_figure("participation_reach", selectors.participation_reach)   # participation/apps.py
    figure("participation_reach", strategy)                                 # monitoring.selectors
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_PROVIDERS: dict[str, Callable[[Any], Any]] = {}


def register_figure(name: str, provider: Callable[[Any], Any]) -> None:
    """Register (or replace, so `ready()` may run twice) the provider `provider(strategy) -> value` of `name`."""
    _PROVIDERS[name] = provider


def figure(name: str, strategy) -> Any | None:
    """The value of figure `name` for `strategy`, or None when no installed app provides it."""
    provider = _PROVIDERS.get(name)
    return None if provider is None else provider(strategy)


def provided(name: str) -> bool:
    return name in _PROVIDERS
