"""Plain-data model of a sortition instance and its reduction to respondent *types*.

A type is a set of respondents that are interchangeable for the quotas: same value in every quota category,
not bound by a household constraint and not a fixed member. Panels are then integer composition vectors
x_t in [lb_t, count_t] over types. Respondents in a household with two or more members of the pool, and fixed
members, become singleton types so that household constraints ("at most one per household") and forced
memberships can be written on them directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


class SortitionError(ValueError):
    """Raised for malformed instances (unknown feature values, bad quotas, ...). The English text is for the
    CLI; `code` and `params` let an application word the problem in its own language."""

    def __init__(self, message: str, code: str = "invalid", **params):
        super().__init__(message)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Respondent:
    id: str
    features: Mapping[str, str]
    household: str | None = None


@dataclass(frozen=True)
class RespondentType:
    profile: tuple[str, ...]  # one value per category, in Instance.categories order
    members: tuple[str, ...]  # respondent ids, sorted
    lower: int = 0  # number of members that must be selected (fixed members)
    household: str | None = None  # household key for singleton types bound by a household constraint

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass
class Instance:
    """A validated instance: categories/values in canonical (sorted) order, respondents grouped into types."""

    k: int
    categories: tuple[str, ...]
    values: dict[str, tuple[str, ...]]
    quotas: dict[str, dict[str, tuple[int, int]]]
    types: list[RespondentType]
    respondent_type: dict[str, int] = field(default_factory=dict)
    households: list[tuple[int, ...]] = field(default_factory=list)  # groups of type indices, sum x <= 1
    n: int = 0

    @property
    def counts(self) -> list[int]:
        return [t.count for t in self.types]

    def feature_index(self) -> list[tuple[str, str, list[int]]]:
        """(category, value, [type indices having that value]) for every quota, in canonical order."""
        out = []
        for ci, cat in enumerate(self.categories):
            for val in self.values[cat]:
                out.append((cat, val, [ti for ti, t in enumerate(self.types) if t.profile[ci] == val]))
        return out


def build_instance(
    respondents: Sequence[Respondent],
    quotas: Mapping[str, Mapping[str, tuple[int, int]]],
    k: int,
    fixed: Iterable[str] = (),
    household_rule: bool = True,
) -> Instance:
    if int(k) != k or k < 0:
        raise SortitionError(f"panel size must be a non-negative integer, got {k!r}", "bad_size", size=k)
    k = int(k)
    categories = tuple(sorted(quotas))
    values: dict[str, tuple[str, ...]] = {}
    clean_quotas: dict[str, dict[str, tuple[int, int]]] = {}
    for cat in categories:
        if not quotas[cat]:
            raise SortitionError(f"category {cat!r} has no values", "no_values", category=cat)
        values[cat] = tuple(sorted(quotas[cat]))
        clean_quotas[cat] = {}
        for val, (lo, hi) in quotas[cat].items():
            if int(lo) != lo or int(hi) != hi:
                raise SortitionError(f"quota {cat}={val}: min/max must be integers", "bad_quota",
                                     category=cat, value=val)
            if lo < 0 or hi < lo:
                raise SortitionError(f"quota {cat}={val}: need 0 <= min <= max, got ({lo}, {hi})", "bad_quota",
                                     category=cat, value=val)
            clean_quotas[cat][val] = (int(lo), int(hi))
    ids = [str(r.id) for r in respondents]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise SortitionError(f"duplicate respondent ids: {', '.join(dup)}", "duplicate_ids", ids=", ".join(dup))
    fixed_set = {str(f) for f in fixed}
    unknown_fixed = fixed_set - set(ids)
    if unknown_fixed:
        raise SortitionError(f"fixed members not in pool: {', '.join(sorted(unknown_fixed))}", "unknown_fixed",
                             ids=", ".join(sorted(unknown_fixed)))

    profiles: dict[str, tuple[str, ...]] = {}
    for r in respondents:
        prof = []
        for cat in categories:
            if cat not in r.features:
                raise SortitionError(f"respondent {r.id!r} has no value for category {cat!r}", "missing_value",
                                     respondent=r.id, category=cat)
            v = str(r.features[cat])
            if v not in clean_quotas[cat]:
                raise SortitionError(f"respondent {r.id!r}: value {v!r} of {cat!r} is not in the quotas",
                                     "unknown_value", respondent=r.id, category=cat, value=v)
            prof.append(v)
        profiles[str(r.id)] = tuple(prof)

    household_of: dict[str, str] = {}
    if household_rule:
        by_key: dict[str, list[str]] = {}
        for r in respondents:
            if r.household is not None and str(r.household).strip() != "":
                key = " ".join(str(r.household).lower().split())
                by_key.setdefault(key, []).append(str(r.id))
        for key, members in by_key.items():
            if len(members) > 1:
                for m in members:
                    household_of[m] = key

    grouped: dict[tuple[str, ...], list[str]] = {}
    singles: list[RespondentType] = []
    for rid in ids:
        if rid in household_of or rid in fixed_set:
            singles.append(RespondentType(profiles[rid], (rid,), 1 if rid in fixed_set else 0, household_of.get(rid)))
        else:
            grouped.setdefault(profiles[rid], []).append(rid)
    types = [RespondentType(p, tuple(sorted(m))) for p, m in grouped.items()] + singles
    types.sort(key=lambda t: (t.profile, t.members))
    respondent_type = {rid: ti for ti, t in enumerate(types) for rid in t.members}
    hh: dict[str, list[int]] = {}
    for ti, t in enumerate(types):
        if t.household is not None:
            hh.setdefault(t.household, []).append(ti)
    households = [tuple(v) for _, v in sorted(hh.items()) if len(v) > 1]
    return Instance(k, categories, values, clean_quotas, types, respondent_type, households, len(ids))
