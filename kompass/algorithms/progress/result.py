"""Immutable result types."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .status import Status


class FrozenDict(dict):
    """A ``dict`` that refuses mutation.

    It stays a real ``dict`` (``json.dumps`` and templates accept it as is) while keeping results immutable.
    """

    __slots__ = ()

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("progress result components are read-only")

    __setitem__ = _readonly
    __delitem__ = _readonly
    __ior__ = _readonly
    clear = _readonly
    pop = _readonly
    popitem = _readonly
    setdefault = _readonly
    update = _readonly

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda item: str(item[0]))))

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict:
        return self


def freeze(value: Any) -> Any:
    """Recursively turn dicts into :class:`FrozenDict` and lists into tuples."""
    if isinstance(value, Mapping):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """Plain, JSON-ready copy: dicts, lists, ``Status`` as its string value, non-finite floats as ``None``."""
    if isinstance(value, Mapping):
        return {str(key.value if isinstance(key, Status) else key): thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [thaw(item) for item in value]
    if isinstance(value, Status):
        return value.value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class ProgressResult:
    """The progress status of one series under one method.

    Attributes:
        method: id of the method that produced the result (see ``METHODS``).
        status: the shared :class:`Status`.
        score: score in [-5, 5] for methods that define one (Open SDG, linear achievement), else ``None``.
        label: the method's own category name (e.g. ``"sun"`` for Destatis, ``"movement_away"`` for Eurostat).
        components: every input and intermediate value of the computation (publishable next to the status).
        reason: human-readable explanation when the status is ``NOT_COMPUTABLE`` (else ``None``).
    """

    method: str
    status: Status
    score: float | None
    label: str
    components: FrozenDict = field(default_factory=FrozenDict, hash=False)
    reason: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.components, FrozenDict):
            object.__setattr__(self, "components", freeze(self.components))

    @property
    def achieved(self) -> bool:
        return self.status is Status.ACHIEVED

    @property
    def computable(self) -> bool:
        return self.status is not Status.NOT_COMPUTABLE

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready representation."""
        return {
            "method": self.method,
            "status": self.status.value,
            "scale_class": self.status.scale_class.value,
            "score": self.score,
            "label": self.label,
            "reason": self.reason,
            "components": thaw(self.components),
        }
