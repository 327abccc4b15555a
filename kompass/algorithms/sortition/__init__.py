"""Stratified sortition for citizens' panels: LEXIMIN / MAXIMIN / Goldilocks / LEGACY over respondent types,
with a transparent uniform lottery and seeded draw. Pure Python + numpy + highspy (no Django)."""

from .api import ALGORITHMS, SelectionResult, legacy_distribution, optimise, select
from .feasibility import Infeasibility, check_feasible, explain
from .goldilocks import goldilocks
from .invite import apportion, invite_sample
from .leximin import Distribution, SolveError, leximin, maximin
from .lottery import canonical_lottery, draw, lottery_hash, round_to_uniform
from .model import Instance, Respondent, RespondentType, SortitionError, build_instance
from .stats import geometric_mean, gini

__all__ = [
    "ALGORITHMS",
    "Distribution",
    "Infeasibility",
    "Instance",
    "Respondent",
    "RespondentType",
    "SelectionResult",
    "SolveError",
    "SortitionError",
    "apportion",
    "build_instance",
    "canonical_lottery",
    "check_feasible",
    "draw",
    "explain",
    "geometric_mean",
    "gini",
    "goldilocks",
    "invite_sample",
    "legacy_distribution",
    "leximin",
    "lottery_hash",
    "maximin",
    "optimise",
    "round_to_uniform",
    "select",
]
