"""Registry of the progress methods."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import binary, destatis, eurostat, linear, open_sdg
from .inputs import ProgressInput
from .result import ProgressResult

DEFAULT_METHOD = open_sdg.METHOD_ID


@dataclass(frozen=True)
class MethodInfo:
    """Description of a progress method."""

    id: str
    title: str
    needs_target: bool
    has_score: bool
    compute: Callable[[ProgressInput], ProgressResult]
    summary: str


METHODS: Mapping[str, MethodInfo] = MappingProxyType(
    {
        info.id: info
        for info in (
            MethodInfo(
                open_sdg.METHOD_ID,
                "Statistics Canada / Open SDG",
                needs_target=False,
                has_score=True,
                compute=open_sdg.compute,
                summary="Ratio of observed to required growth (with target) or growth rate against fixed "
                "thresholds (without target); score in [-5, 5].",
            ),
            MethodInfo(
                eurostat.METHOD_ID,
                "Eurostat (EU SDG monitoring)",
                needs_target=False,
                has_score=False,
                compute=eurostat.compute,
                summary="Ratio of observed to required growth (with target) or growth rate against +/-1 % "
                "per year (without target).",
            ),
            MethodInfo(
                destatis.METHOD_ID,
                "Destatis weather symbols",
                needs_target=True,
                has_score=False,
                compute=destatis.compute,
                summary="Mean annual change of the last six points projected linearly to the target year.",
            ),
            MethodInfo(
                linear.METHOD_ID,
                "Linear achievement",
                needs_target=True,
                has_score=True,
                compute=linear.compute,
                summary="Share of the way to the target covered against the share of time elapsed.",
            ),
            MethodInfo(
                binary.METHOD_ID,
                "Binary indicator",
                needs_target=False,
                has_score=False,
                compute=binary.compute,
                summary="Achieved (latest value 1) or not achieved (latest value 0).",
            ),
        )
    }
)


def get_method(method_id: str) -> MethodInfo:
    try:
        return METHODS[method_id]
    except (KeyError, TypeError):
        known = ", ".join(sorted(METHODS))
        raise ValueError(f"unknown progress method {method_id!r} (known: {known})") from None
