"""Berlin-like invitation-lottery pools for the lottery benchmark (issue 10).

A Stadtgremium lottery writes to a random sample of residents; 400-2,500 of them answer. The answers are not a
random sample of Berlin: older, more educated residents without migration background and residents of the
inner districts answer more often. This module draws such respondent pools from the population shares below
(rounded public figures of the Amt fuer Statistik Berlin-Brandenburg, residents 16+, 2023) times a
self-selection factor per feature value, and sets quotas from the *population* shares with a small slack, as an
officer would. Everything is deterministic for a given seed.

    .venv/bin/python bench/lottery/generate.py OUT_DIR        # writes every benchmark instance

Each instance folder gets ``categories.csv`` (category,feature,min,max) and ``respondents.csv`` (id + one column
per category) and is named ``<name>_<k>`` so that ``kompass lottery select --pool FOLDER`` finds the panel size.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# feature -> [(value, population share, self-selection factor)]
DISTRICTS = [  # (name, share of residents, inner district?)
    ("Mitte", 0.102, True),
    ("Friedrichshain-Kreuzberg", 0.076, True),
    ("Pankow", 0.110, True),
    ("Charlottenburg-Wilmersdorf", 0.089, True),
    ("Spandau", 0.066, False),
    ("Steglitz-Zehlendorf", 0.080, False),
    ("Tempelhof-Schöneberg", 0.092, True),
    ("Neukölln", 0.085, True),
    ("Treptow-Köpenick", 0.076, False),
    ("Marzahn-Hellersdorf", 0.075, False),
    ("Lichtenberg", 0.080, False),
    ("Reinickendorf", 0.069, False),
]
FEATURES: dict[str, list[tuple[str, float, float]]] = {
    "Bezirk": [(d, s, 1.25 if inner else 0.8) for d, s, inner in DISTRICTS],
    "Geschlecht": [("weiblich", 0.51, 1.05), ("männlich", 0.49, 0.95)],
    "Alter": [
        ("16-29", 0.18, 0.65),
        ("30-44", 0.27, 0.9),
        ("45-59", 0.24, 1.1),
        ("60-74", 0.19, 1.45),
        ("75+", 0.12, 0.85),
    ],
    "Bildung": [("niedrig", 0.24, 0.45), ("mittel", 0.37, 0.9), ("hoch", 0.39, 1.6)],
    "Migrationshintergrund": [("ja", 0.39, 0.6), ("nein", 0.61, 1.2)],
}
EXTRA_FEATURES: dict[str, list[tuple[str, float, float]]] = {
    "Wohnen": [("Miete", 0.82, 0.9), ("Eigentum", 0.18, 1.5)],
    "Erwerb": [
        ("erwerbstätig", 0.55, 1.0),
        ("erwerbslos", 0.06, 0.6),
        ("in Ausbildung", 0.09, 0.8),
        ("im Ruhestand", 0.24, 1.3),
        ("sonstiges", 0.06, 0.7),
    ],
}

# name, n, k, extra features, exact quotas, seed
SUITE = [
    ("berlin_450", 450, 70, 0, False, 1),
    ("berlin_1000", 1000, 70, 0, False, 2),
    ("berlin_2400", 2400, 120, 0, False, 3),
    ("berlin_5000", 5000, 150, 0, False, 4),
    ("berlin7_1000", 1000, 70, 2, False, 5),
    ("berlin_exact_1000", 1000, 70, 0, True, 6),
]


@dataclass
class Pool:
    name: str
    k: int
    features: dict[str, list[tuple[str, float, float]]]
    rows: list[dict[str, str]]  # id + one value per feature
    quotas: dict[str, dict[str, tuple[int, int]]]

    @property
    def n(self) -> int:
        return len(self.rows)

    def profile_stats(self) -> tuple[int, float]:
        """(distinct profiles, share of respondents whose profile nobody else has)."""
        cats = list(self.features)
        prof = Counter(tuple(r[c] for c in cats) for r in self.rows)
        unique = sum(1 for c in prof.values() if c == 1)
        return len(prof), unique / max(1, self.n)


def _largest_remainder(shares: np.ndarray, k: int) -> np.ndarray:
    raw = shares / shares.sum() * k
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: k - base.sum()]] += 1
    return base


def quotas_from_shares(
    features: dict[str, list[tuple[str, float, float]]], k: int, exact: bool = False
) -> dict[str, dict[str, tuple[int, int]]]:
    """Quota per value around k x population share: min = target - slack, max = target + slack with slack
    max(1, 10 % of the target) (rounded), or min = max = the largest-remainder apportionment when exact."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for cat, vals in features.items():
        shares = np.array([s for _, s, _ in vals])
        target = _largest_remainder(shares, k)
        out[cat] = {}
        for (v, _, _), t in zip(vals, target, strict=True):
            slack = 0 if exact else max(1, int(round(0.1 * t)))
            out[cat][v] = (max(0, int(t) - slack), int(t) + slack)
    return out


def generate(
    name: str, n: int, k: int, extra: int = 0, exact: bool = False, seed: int = 0, quotas_ok: bool = True
) -> Pool:
    """Draw n respondents: each feature independently from population share x self-selection factor (features
    are drawn independently, with age and education mildly correlated). When quotas_ok, the pool is redrawn
    (next seed) until every quota minimum can be met by the pool alone."""
    features = dict(FEATURES)
    for cat in list(EXTRA_FEATURES)[:extra]:
        features[cat] = EXTRA_FEATURES[cat]
    quotas = quotas_from_shares(features, k, exact)
    for attempt in range(50):
        rng = np.random.default_rng(seed * 1000 + attempt)
        cols: dict[str, np.ndarray] = {}
        for cat, vals in features.items():
            p = np.array([s * f for _, s, f in vals])
            cols[cat] = rng.choice(len(vals), size=n, p=p / p.sum())
        # older respondents are less often highly educated (mild correlation): re-draw a share of them
        old = cols["Alter"] >= 4
        redo = old & (rng.random(n) < 0.3)
        cols["Bildung"][redo] = rng.choice(3, size=int(redo.sum()), p=[0.45, 0.4, 0.15])
        rows = [
            {"id": f"r{i + 1:05d}", **{cat: features[cat][int(cols[cat][i])][0] for cat in features}}
            for i in range(n)
        ]
        pool = Pool(name, k, features, rows, quotas)
        if not quotas_ok:
            return pool
        have = {cat: Counter(r[cat] for r in rows) for cat in features}
        if all(have[c][v] >= lo for c, q in quotas.items() for v, (lo, _) in q.items()):
            return pool
    raise RuntimeError(f"{name}: no pool meeting the quota minimums in 50 draws")


def write(pool: Pool, out_dir: Path) -> Path:
    folder = Path(out_dir) / f"{pool.name}_{pool.k}"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "categories.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["category", "feature", "min", "max"])
        for cat, q in pool.quotas.items():
            for v, (lo, hi) in q.items():
                w.writerow([cat, v, lo, hi])
    with open(folder / "respondents.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", *pool.features])
        w.writeheader()
        w.writerows(pool.rows)
    return folder


def suite() -> list[Pool]:
    return [generate(name, n, k, extra, exact, seed) for name, n, k, extra, exact, seed in SUITE]


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path("bench/out/lottery/instances")
    for pool in suite():
        folder = write(pool, out)
        distinct, unique = pool.profile_stats()
        print(f"{folder}: n={pool.n} k={pool.k} distinct profiles={distinct} unique share={unique:.1%}")


if __name__ == "__main__":
    main(sys.argv)
