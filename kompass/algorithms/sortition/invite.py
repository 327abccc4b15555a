"""Invitation sampling from a register extract: proportional within strata (largest remainder), seeded."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def _h(*parts: str) -> int:
    return int(hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest(), 16)


def apportion(sizes: dict[tuple, int], count: int, seed: str = "") -> dict[tuple, int]:
    """Largest-remainder (Hamilton) apportionment of `count` seats to strata proportional to their sizes,
    capped by the stratum size; ties broken by a seeded hash of the stratum key."""
    total = sum(sizes.values())
    if count > total:
        raise ValueError(f"cannot invite {count} people from a register of {total}")
    keys = sorted(sizes)
    quota = {s: count * sizes[s] / total if total else 0 for s in keys}
    seats = {s: int(quota[s]) for s in keys}
    left = count - sum(seats.values())
    order = sorted(keys, key=lambda s: (-(quota[s] - seats[s]), _h("stratum", seed, repr(s)), repr(s)))
    for s in order:
        if left <= 0:
            break
        if seats[s] < sizes[s]:
            seats[s] += 1
            left -= 1
    return seats


def invite_sample(ids: Sequence[str], strata: Sequence[tuple], count: int, seed: str) -> list[str]:
    """Choose `count` ids, proportional within strata; within a stratum the ids with the smallest
    SHA-256(seed, id) are taken (a uniformly random subset, reproducible from the seed)."""
    groups: dict[tuple, list[str]] = {}
    for i, s in zip(ids, strata, strict=True):
        groups.setdefault(tuple(s), []).append(str(i))
    seats = apportion({s: len(v) for s, v in groups.items()}, count, seed)
    chosen: list[str] = []
    for s in sorted(groups):
        ranked = sorted(groups[s], key=lambda i: (_h("invite", seed, i), i))
        chosen.extend(ranked[: seats[s]])
    return chosen
