"""Summary statistics of a probability allocation."""

from __future__ import annotations

import numpy as np


def gini(p) -> float:
    p = np.sort(np.asarray(p, dtype=float))
    n = len(p)
    if n == 0 or p.sum() <= 0:
        return 0.0
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * p) / (n * p.sum()))


def geometric_mean(p) -> float:
    p = np.asarray(p, dtype=float)
    if len(p) == 0 or (p <= 0).any():
        return 0.0
    return float(np.exp(np.mean(np.log(p))))
