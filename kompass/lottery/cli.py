"""Command logic of `kompass lottery select|verify|invite` as a plain function `main(argv) -> exit code`.

Exit codes: 0 success / match, 1 verification mismatch or solver failure, 2 bad input files or arguments,
3 infeasible quotas (the explanation and a smallest relaxation are printed and written to report.json).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

import highspy

from kompass.algorithms.sortition import SolveError, SortitionError, select
from kompass.algorithms.sortition.invite import invite_sample
from kompass.algorithms.sortition.leximin import STATE_FORMAT
from kompass.algorithms.sortition.lottery import draw, lottery_hash
from kompass.core import tabular

from . import io as lio

EXIT_OK, EXIT_MISMATCH, EXIT_INPUT, EXIT_INFEASIBLE = 0, 1, 2, 3
REPORT_FORMAT = "kompass-lottery-report/1"


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # raise instead of sys.exit so that main() can return 2
        raise _ArgError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kompass lottery", description="Citizens' panel lottery (stratified sortition).")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp):
        sp.add_argument("--pool", required=True, help="respondents CSV, or a folder with the instance files")
        sp.add_argument("--quotas", help="quota CSV (default: categories.csv/features.csv next to the pool)")
        sp.add_argument("--size", "-k", type=int, help="panel size K (default: from a folder name ending _K)")
        sp.add_argument("--id-column", help="respondent id column (default: auto-detect, else row number)")
        sp.add_argument("--household-columns", help="comma-separated address columns for the household rule")
        sp.add_argument("--no-household", action="store_true", help="do not apply the one-per-household rule")
        sp.add_argument("--fixed", default="", help="comma-separated ids that must be on the panel")

    s = sub.add_parser("select", help="compute the fair lottery and draw a panel")
    common(s)
    s.add_argument("--algorithm", default="leximin", choices=["leximin", "maximin", "goldilocks", "legacy"])
    s.add_argument("--seed", help="public seed string (default: random, recorded in report.json)")
    s.add_argument("--panels", type=int, default=1000, help="panels in the uniform lottery (default 1000)")
    s.add_argument("--gamma", type=float, default=1.0, help="Goldilocks gamma (default 1)")
    s.add_argument("--time-limit", type=float, default=300.0, help="solver time limit in seconds")
    s.add_argument(
        "--resume",
        help="state.json of an earlier run that stopped at the time limit: continue from its certified levels "
        "and panels",
    )
    s.add_argument("--out", default="lottery-out", help="output folder (default ./lottery-out)")
    s.add_argument("--quiet", "-q", action="store_true")

    v = sub.add_parser("verify", help="recompute a published draw and compare")
    common(v)
    v.add_argument("--report", required=True, help="report.json written by select")
    v.add_argument("--panel", help="panel.csv to compare with the recomputed panel")
    v.add_argument("--quiet", "-q", action="store_true")

    i = sub.add_parser("invite", help="draw an invitation sample from a register extract")
    i.add_argument("--register", required=True)
    i.add_argument("--count", type=int, required=True)
    i.add_argument("--strata", required=True, help="comma-separated column names")
    i.add_argument("--seed", required=True)
    i.add_argument("--id-column", help="id column (default: auto-detect, else row number)")
    i.add_argument("--out", help="output CSV (default: stdout)")
    i.add_argument("--quiet", "-q", action="store_true")
    return p


class _Console:
    """rich on stderr when it is a terminal; silent otherwise (messages still go to stderr plainly)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.console = None
        if self.tty and not quiet:
            from rich.console import Console

            self.console = Console(stderr=True)

    def info(self, msg: str) -> None:
        if self.quiet:
            return
        if self.console:
            self.console.print(msg, highlight=False, markup=False)
        else:
            print(msg, file=sys.stderr)

    def warn(self, msg: str) -> None:
        """Shown even with --quiet: the result needs the officer's attention."""
        if self.console:
            from rich.markup import escape

            self.console.print(f"[bold yellow]warning:[/] {escape(msg)}", highlight=False)
        else:
            print(f"warning: {msg}", file=sys.stderr)

    def error(self, msg: str) -> None:
        if self.console:
            self.console.print(f"[bold red]error:[/] {msg}", highlight=False)
        else:
            print(f"error: {msg}", file=sys.stderr)

    @contextlib.contextmanager
    def status(self, msg: str):
        if self.console:
            with self.console.status(msg) as st:
                yield lambda m: st.update(m)
        else:
            yield lambda m: None


def _split(s: str | None) -> list[str]:
    return [x.strip() for x in (s or "").split(",") if x.strip()]


def _load(args):
    files = lio.locate(args.pool, args.quotas, args.size)
    if files.k is None:
        raise lio.InputError(files.pool, "panel size unknown: give --size K or use a folder name ending _K")
    quotas = lio.read_quotas(files.quotas)
    pool = lio.read_pool(
        files.pool, quotas, args.id_column, _split(args.household_columns) or None, not args.no_household
    )
    return files, quotas, pool


def _run_select(args, files, quotas, pool, seed, algorithm, panels, gamma, time_limit, con, state=None):
    with con.status("selecting") as update:
        return select(
            pool.respondents,
            quotas,
            files.k,
            algorithm=algorithm,
            seed=seed,
            panels=panels,
            fixed=_split(args.fixed),
            household_rule=not args.no_household,
            gamma=gamma,
            time_limit=time_limit,
            progress=update,
            state=state,
        )


def cmd_select(args, con: _Console) -> int:
    files, quotas, pool = _load(args)
    if args.panels < 1:
        raise _ArgError("--panels must be >= 1")
    if args.time_limit <= 0:
        raise _ArgError("--time-limit must be > 0")
    state = None
    if args.resume:
        state = lio.read_json(args.resume)
        if state.get("format") != STATE_FORMAT:
            raise lio.InputError(args.resume, f"not a saved computation state (format {state.get('format')!r})")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    try:
        res = _run_select(
            args, files, quotas, pool, args.seed, args.algorithm, args.panels, args.gamma, args.time_limit, con,
            state,
        )
    except SolveError as e:
        if args.resume and "different pool" in str(e):
            raise lio.InputError(args.resume, str(e)) from None
        raise
    report = {
        "format": REPORT_FORMAT,
        "algorithm": args.algorithm,
        "seed": res.seed,
        "k": files.k,
        "panels": args.panels,
        "gamma": args.gamma,
        "fixed": _split(args.fixed),
        "household_rule": not args.no_household,
        "household_columns": pool.household_columns,
        "id_column": pool.id_column,
        "inputs": {
            "pool": {"path": str(files.pool), "sha256": lio.sha256_file(files.pool)},
            "quotas": {"path": str(files.quotas), "sha256": lio.sha256_file(files.quotas)},
        },
        "highspy_version": getattr(highspy, "__version__", None) or _highs_version(),
    }
    if not res.ok:
        report["infeasible"] = {
            "message": res.infeasible.message,
            "conflicts": res.infeasible.conflicts,
            "relaxation": res.infeasible.relaxation,
        }
        lio.write_json(out / "report.json", report)
        con.error(res.infeasible.message)
        return EXIT_INFEASIBLE
    summary = res.summary()
    report.update({k: v for k, v in summary.items() if k not in ("algorithm",)})
    report["list_hash"] = res.list_hash
    report["panel_ids"] = res.panel
    report["wall_seconds"] = time.perf_counter() - t0
    report["support"] = [
        {"probability": float(w), "composition": {str(i): int(x) for i, x in enumerate(p) if x}}
        for p, w in sorted(
            zip(res.distribution.panels, res.distribution.weights, strict=True),
            key=lambda pw: (-pw[1], pw[0]),
        )
    ]
    by_id = {r.id: r for r in pool.respondents}
    cats = sorted(quotas)
    lio.write_csv(out / "panel.csv", ["id", *cats], [[i, *(by_id[i].features[c] for c in cats)] for i in res.panel])
    selected = set(res.panel)
    lio.write_csv(
        out / "probabilities.csv",
        ["id", "probability", "lottery_probability", "selected"],
        [
            [
                r.id,
                f"{res.probabilities[r.id]:.10f}",
                f"{res.lottery_probabilities[r.id]:.6f}",
                int(r.id in selected),
            ]
            for r in pool.respondents
        ],
    )
    lio.write_json(out / "lottery.json", res.lottery)
    lio.write_json(out / "report.json", report)
    state_path = out / "state.json"
    if not res.complete:
        lio.write_json(state_path, res.distribution.state)
    elif state_path.exists():
        state_path.unlink()
    s = summary
    con.info(
        f"{args.algorithm}: n={s['n']} k={s['k']} types={s['types']} min={s['min_probability']:.6f} "
        f"max={s['max_probability']:.6f} gini={s['gini']:.4f} support={s['support_size']} "
        f"rounding error={s['rounding_error']:.6f} time={res.runtime['total']:.2f}s"
    )
    con.info(f"lottery list hash {res.list_hash}; seed {res.seed!r} -> panel #{res.panel_index}")
    con.info(f"wrote {out}/panel.csv, probabilities.csv, lottery.json, report.json")
    if not res.complete:
        cert = res.distribution.certificate
        upper = cert.get("min_probability_upper")
        bound = f"{upper:.6f}" if upper is not None else "unknown"
        if cert.get("method") == "goldilocks":
            objective = cert.get("objective")
            con.warn(
                "time limit reached: the lottery is valid (every panel meets the quotas) but NOT yet proven "
                f"GOLDILOCKS-optimal; objective reached {objective if objective is None else f'{objective:.6f}'}, "
                f"minimum probability {cert.get('min_probability_lower', 0.0):.6f}. Continue with: "
                f"--resume {state_path}"
            )
            return EXIT_OK
        con.warn(
            f"time limit reached: the lottery is valid (every panel meets the quotas) but NOT yet fully "
            f"{args.algorithm.upper()}; {cert.get('levels_certified', 0)} levels certified, minimum probability "
            f"proven between {cert.get('min_probability_lower', 0.0):.6f} and {bound}. Continue with: "
            f"--resume {state_path}"
        )
    return EXIT_OK


def _highs_version() -> str | None:
    try:
        h = highspy.Highs()
        return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    except Exception:  # pragma: no cover - informational only
        return None


def cmd_verify(args, con: _Console) -> int:
    report = lio.read_json(args.report)
    if report.get("format") != REPORT_FORMAT:
        raise lio.InputError(args.report, f"not a Kompass lottery report (format {report.get('format')!r})")
    if args.size is None:
        args.size = report.get("k")
    if not args.fixed:
        args.fixed = ",".join(report.get("fixed", []))
    if not args.household_columns and report.get("household_columns"):
        args.household_columns = ",".join(report["household_columns"])
    if not report.get("household_rule", True):
        args.no_household = True
    if not args.id_column and report.get("id_column"):
        args.id_column = report["id_column"]
    files, quotas, pool = _load(args)
    problems = []
    for key, path in (("pool", files.pool), ("quotas", files.quotas)):
        want = report.get("inputs", {}).get(key, {}).get("sha256")
        got = lio.sha256_file(path)
        if want != got:
            problems.append(f"{key} file {path} has SHA-256 {got}, report says {want}")
    if "infeasible" in report:
        raise lio.InputError(args.report, "the report records infeasible quotas; there is no draw to verify")
    # 1. the draw from the published lottery list (independent of the solver)
    lot_path = Path(args.report).with_name("lottery.json")
    if lot_path.is_file():
        lottery = lio.read_json(lot_path)
        lh = lottery_hash(lottery)
        if lh != report.get("list_hash"):
            problems.append(f"lottery.json hashes to {lh}, report says {report.get('list_hash')}")
        else:
            _, ids = draw(lottery, report["seed"], lh)
            if ids != sorted(report.get("panel_ids", [])):
                problems.append("the seed applied to the published lottery gives a different panel")
    # 2. full recomputation from the inputs and the seed
    res = _run_select(
        args,
        files,
        quotas,
        pool,
        report["seed"],
        report["algorithm"],
        report["panels"],
        report.get("gamma", 1.0),
        300.0,
        con,
    )
    if not res.ok:
        problems.append("recomputation finds the quotas infeasible")
    else:
        if res.list_hash != report.get("list_hash"):
            problems.append(
                f"recomputed lottery list hash {res.list_hash} differs from the report's {report.get('list_hash')}"
            )
        if res.panel != sorted(report.get("panel_ids", [])):
            problems.append("recomputed panel differs from the report's panel")
        if args.panel:
            t = lio.read_table(args.panel)
            idc = t.col("id")
            if not idc:
                raise lio.InputError(args.panel, "missing column", 1, "id")
            if sorted(tabular.unguard(r[idc]) for r in t.rows) != res.panel:  # panel.csv is written guarded
                problems.append(f"{args.panel} does not list the recomputed panel")
    if problems:
        for p in problems:
            con.error(p)
        print("MISMATCH")
        return EXIT_MISMATCH
    print(
        f"MATCH: seed {report['seed']!r}, lottery list hash {report['list_hash']}, "
        f"panel #{report.get('panel_index')} ({len(res.panel)} members)"
    )
    return EXIT_OK


def cmd_invite(args, con: _Console) -> int:
    t = lio.read_table(args.register)
    cols = []
    for s in _split(args.strata):
        c = t.col(s)
        if not c:
            raise lio.InputError(args.register, "missing strata column", 1, s)
        cols.append(c)
    if not cols:
        raise _ArgError("--strata needs at least one column")
    idc = t.col(args.id_column) if args.id_column else t.col(*lio.ID_COLUMNS)
    if args.id_column and not idc:
        raise lio.InputError(args.register, "missing id column", 1, args.id_column)
    ids = [r[idc] if idc else r["__row__"] for r in t.rows]
    if len(set(ids)) != len(ids):
        raise lio.InputError(args.register, "ids are not unique", column=idc)
    if args.count < 0 or args.count > len(ids):
        raise _ArgError(f"--count must be between 0 and the register size {len(ids)}")
    chosen = set(invite_sample(ids, [tuple(r[c] for c in cols) for r in t.rows], args.count, args.seed))
    rows = [[r[h] for h in t.header] for r, i in zip(t.rows, ids, strict=True) if i in chosen]
    if args.out:
        lio.write_csv(args.out, t.header, rows)
        con.info(f"invited {len(rows)} of {len(ids)}; wrote {args.out}")
    else:
        tabular.write_csv_to(sys.stdout, t.header, rows, lineterminator="\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    quiet = "-q" in argv or "--quiet" in argv
    con = _Console(quiet)
    try:
        args = build_parser().parse_args(argv)
        return {"select": cmd_select, "verify": cmd_verify, "invite": cmd_invite}[args.command](args, con)
    except _ArgError as e:
        con.error(str(e))
        return EXIT_INPUT
    except lio.InputError as e:
        con.error(str(e))
        return EXIT_INPUT
    except SortitionError as e:
        con.error(str(e))
        return EXIT_INPUT
    except SolveError as e:
        con.error(f"solver: {e}")
        return EXIT_MISMATCH
    except SystemExit as e:  # argparse --help
        return int(e.code or 0)


if __name__ == "__main__":
    sys.exit(main())
