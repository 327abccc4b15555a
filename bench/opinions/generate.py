"""Write the benchmark's planted vote data once, for both tools to read.

Output: an .npz with participants, statements, votes (int arrays, one entry per vote, in random order as
votes arrive in a real conversation), the planted group of every participant, and the sizes.
"""

import argparse
import time
from pathlib import Path

import numpy as np

from kompass.algorithms.opinions import planted_votes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--participants", type=int, default=50_000)
    ap.add_argument("--statements", type=int, default=3_000)
    ap.add_argument("--groups", type=int, default=4)
    ap.add_argument("--density", type=float, default=0.05)
    ap.add_argument("--signal", type=float, default=0.7)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()

    t0 = time.perf_counter()
    data = planted_votes(
        args.participants, args.statements, n_groups=args.groups, density=args.density, signal=args.signal,
        seed=args.seed,
    )
    order = np.random.default_rng(args.seed + 1).permutation(data.votes.shape[0])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        args.out,
        participants=data.participants[order],
        statements=data.statements[order],
        votes=data.votes[order],
        groups=data.groups,
        n_participants=data.n_participants,
        n_statements=data.n_statements,
        n_groups=args.groups,
        density=args.density,
        signal=args.signal,
        seed=args.seed,
    )
    print(f"wrote {args.out}: {data.votes.shape[0]:,} votes, {args.participants:,} participants x "
          f"{args.statements:,} statements, {args.groups} groups in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
