"""Cross-check Kompass's group statistics against red-dwarf's Polis port on the *same* groups.

Runs in bench/.venv-reddwarf with the repository root on PYTHONPATH (kompass.algorithms.opinions needs
only numpy/scipy/scikit-learn/threadpoolctl, which red-dwarf also installs). red-dwarf clusters small planted
data sets; Kompass then computes its representative statements and group-informed consensus from red-dwarf's
group labels, and we compare. Appends a section to RESULTS.md.
"""

import argparse
import warnings
from pathlib import Path

import numpy as np

from kompass.algorithms.opinions import planted_votes, votes_from_arrays
from kompass.algorithms.opinions.statistics import group_consensus, group_vote_counts, representative_statements

CASES = [  # participants, statements, groups, density, signal, seed
    (2000, 200, 3, 0.2, 0.5, 1),
    (3000, 300, 4, 0.1, 0.6, 2),
    (1500, 100, 2, 0.3, 0.4, 3),
]


def main() -> None:
    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline

    ap = argparse.ArgumentParser()
    ap.add_argument("--results", type=Path, required=True)
    args = ap.parse_args()
    lines = [
        "",
        "## Representative statements and consensus vs. red-dwarf on the same groups",
        "",
        "red-dwarf clusters small planted data sets; Kompass computes its statistics from *red-dwarf's* "
        "group labels (`bench/opinions/compare_statistics.py`). *Same representative statements*: groups "
        "whose (statement, direction) set equals red-dwarf's (red-dwarf lists agrees before disagrees, so "
        "order is ignored). *Consensus overlap*: shared statements among the top 5 per direction; red-dwarf "
        "ranks consensus over all participants pooled, Kompass by group-informed consensus, so some "
        "difference is expected.",
        "",
        "| data (participants x statements, groups) | k | same representative statements | "
        "group-informed consensus: correlation | consensus overlap |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for n_p, n_s, g, density, signal, seed in CASES:
        d = planted_votes(n_p, n_s, n_groups=g, density=density, signal=signal, seed=seed)
        votes = [
            {"participant_id": a, "statement_id": b, "vote": c}
            for a, b, c in zip(d.participants.tolist(), d.statements.tolist(), d.votes.tolist(), strict=True)
        ]
        r = run_pipeline(votes=votes, random_state=0)
        cluster = r.participants_df["cluster_id"]
        labels = np.full(n_p, -1, dtype=np.int64)
        known = cluster.notna()
        labels[cluster.index[known].to_numpy(dtype=np.int64)] = cluster[known].to_numpy(dtype=np.int64)
        k = int(labels.max()) + 1
        counts = group_vote_counts(votes_from_arrays(d.participants, d.statements, d.votes, n_p, n_s), labels, k)
        reps = representative_statements(counts)
        same = sum(
            {(x["tid"], x["repful-for"]) for x in r.repness[gid]} == {(x.statement, x.direction) for x in reps[gid]}
            for gid in range(k)
        )
        agree, _, consensus = group_consensus(counts, max_per_direction=5)
        theirs_gac = np.array([r.group_aware_consensus["agree"][j] for j in range(n_s)])
        corr = float(np.corrcoef(agree, theirs_gac)[0, 1])
        theirs_cons = {(x["tid"], "agree") for x in r.consensus["agree"]}
        theirs_cons |= {(x["tid"], "disagree") for x in r.consensus["disagree"]}
        ours_cons = {(c.statement, c.direction) for c in consensus}
        lines.append(
            f"| {n_p:,} x {n_s}, {g} | {k} | {same} of {k} | {corr:.4f} | "
            f"{len(theirs_cons & ours_cons)} of {len(theirs_cons)} |"
        )
    lines.append("")
    with args.results.open("a") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
