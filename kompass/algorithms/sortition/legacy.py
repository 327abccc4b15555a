"""LEGACY: the Sortition Foundation's sequential greedy draw, and probability estimates by repetition.

Each step computes, for every quota value still available in the pool, the ratio
(min - selected) / remaining; takes the value with the highest ratio (ties at random), selects a random pool
member with that value, then removes from the pool everybody whose values have reached their max and the
selected person's household. A run that cannot complete the panel or misses a min is discarded and retried.
"""

from __future__ import annotations

import numpy as np

from .model import Instance


class LegacyDraw:
    def __init__(self, inst: Instance):
        self.inst = inst
        feats = inst.feature_index()
        fpos = {(c, v): i for i, (c, v, _) in enumerate(feats)}
        people = []  # (type index, member id)
        for ti, t in enumerate(inst.types):
            for m in t.members:
                people.append((ti, m))
        self.people = people
        self.ptype = np.array([p[0] for p in people], dtype=np.int64)
        self.pf = np.array(
            [[fpos[(c, inst.types[ti].profile[ci])] for ci, c in enumerate(inst.categories)] for ti, _ in people],
            dtype=np.int64,
        ).reshape(len(people), len(inst.categories))
        self.fmin = np.array([inst.quotas[c][v][0] for c, v, _ in feats])
        self.fmax = np.array([inst.quotas[c][v][1] for c, v, _ in feats])
        hh = {}
        for ti, t in enumerate(inst.types):
            if t.household is not None:
                hh.setdefault(t.household, []).append(ti)
        self.hh_of_type = {ti: key for key, v in hh.items() for ti in v}
        self.hh_members = {key: set(v) for key, v in hh.items()}
        self.fixed = np.array([inst.types[ti].lower > 0 for ti, _ in people], dtype=bool)
        self.member = np.zeros((len(people), len(feats)), dtype=bool)
        for i, row in enumerate(self.pf):
            self.member[i, row] = True
        # other pool members of the same household (people of household-bound singleton types)
        person_of_type = {ti: i for i, (ti, _) in enumerate(people) if inst.types[ti].household is not None}
        self.mates: list[np.ndarray | None] = [None] * len(people)
        for ti, i in person_of_type.items():
            key = self.hh_of_type[ti]
            others = [person_of_type[o] for o in self.hh_members[key] if o != ti]
            self.mates[i] = np.array(others, dtype=np.int64)

    def run(self, rng: np.random.Generator) -> np.ndarray | None:
        """One greedy draw; returns the selected person indices or None on failure."""
        M = self.member  # [person, feature value] booleans
        inpool = np.ones(len(self.people), dtype=bool)
        sel_cnt = np.zeros(len(self.fmin), dtype=np.int64)
        selected: list[int] = []

        def take(i):
            selected.append(i)
            inpool[i] = False
            sel_cnt[self.pf[i]] += 1
            mates = self.mates[i]
            if mates is not None:
                inpool[mates] = False
            for f in self.pf[i]:
                if sel_cnt[f] >= self.fmax[f]:
                    inpool[M[:, f]] = False

        for i in np.nonzero(self.fixed)[0]:
            take(int(i))
        while len(selected) < self.inst.k:
            if not inpool.any():
                return None
            remaining = M[inpool].sum(axis=0)
            if np.any((remaining == 0) & (sel_cnt < self.fmin)):
                return None
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(remaining > 0, (self.fmin - sel_cnt) / remaining, -np.inf)
            best = np.flatnonzero(ratio == ratio.max())
            f = best[rng.integers(len(best))] if len(best) > 1 else best[0]
            cand = np.flatnonzero(inpool & M[:, f])
            take(int(cand[rng.integers(len(cand))]))
        if np.any(sel_cnt < self.fmin) or np.any(sel_cnt > self.fmax):
            return None
        return np.array(selected)

    def panel(self, rng: np.random.Generator, attempts: int = 100) -> tuple[int, ...] | None:
        for _ in range(attempts):
            sel = self.run(rng)
            if sel is not None:
                x = np.bincount(self.ptype[sel], minlength=len(self.inst.types))
                return tuple(int(v) for v in x)
        return None
