"""Choosing the opinion groups: k-means for k = min_groups..max_groups, best silhouette wins."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # (n,) in 0..k-1, groups numbered by decreasing size; empty if k == 0
    k: int
    silhouette: dict[int, float]
    message: str = ""


def _relabel_by_size(labels: np.ndarray, k: int) -> np.ndarray:
    sizes = np.bincount(labels, minlength=k)
    first_seen = np.array([np.flatnonzero(labels == g)[0] for g in range(k)])
    # Largest group first; ties broken by the first participant index in the group (deterministic).
    order = np.lexsort((first_seen, -sizes))
    mapping = np.empty(k, dtype=np.int64)
    mapping[order] = np.arange(k)
    return mapping[labels]


def cluster_points(
    x: np.ndarray,
    min_groups: int = 2,
    max_groups: int = 5,
    seed: int = 0,
    n_init: int = 4,
    silhouette_sample: int = 3000,
    min_points: int = 4,
) -> Clustering:
    """Cluster the rows of ``x`` into k groups, k chosen by silhouette on a fixed-seed sample."""
    n = x.shape[0]
    if n < max(min_points, 3):
        return Clustering(np.zeros(0, dtype=np.int64), 0, {}, f"too few participants to form groups ({n})")
    n_distinct = np.unique(np.round(x, 9), axis=0).shape[0]
    k_max = min(max_groups, n_distinct, n - 1)
    if k_max < min_groups:
        return Clustering(
            np.zeros(0, dtype=np.int64), 0, {}, "participants' positions are too similar to form groups"
        )

    if n > silhouette_sample:
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(n, size=silhouette_sample, replace=False))
    else:
        sample = np.arange(n)

    best_k, best_score, best_labels = 0, -np.inf, None
    scores: dict[int, float] = {}
    for k in range(min_groups, k_max + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(x)
        sample_labels = labels[sample]
        n_lab = np.unique(sample_labels).shape[0]
        if 2 <= n_lab <= sample.shape[0] - 1:
            score = float(silhouette_score(x[sample], sample_labels))
        else:
            score = -1.0
        scores[k] = score
        if score > best_score + 1e-12:  # ties keep the smaller k
            best_k, best_score, best_labels = k, score, labels
    assert best_labels is not None
    k = int(np.unique(best_labels).shape[0])
    if k != best_k:  # k-means collapsed a cluster; renumber densely
        best_labels = np.unique(best_labels, return_inverse=True)[1]
    if k < 2:
        return Clustering(np.zeros(0, dtype=np.int64), 0, scores, "no distinct groups found")
    return Clustering(_relabel_by_size(best_labels.astype(np.int64), k), k, scores)
