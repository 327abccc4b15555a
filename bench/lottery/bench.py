"""Lottery benchmark (issues 6 and 10): Kompass LEXIMIN / MAXIMIN against the peer `sortition-algorithms`.

Run with `make bench-lottery` (= `bash bench/lottery/run.sh`, which creates the peer venv on first use).
Instances: the four public ones in ../shared/data/sortition and the Berlin-like pools of generate.py. For each
instance and each of RUNS runs, Kompass LEXIMIN, Kompass MAXIMIN and the peer's MAXIMIN each run cold in a
fresh process (kompass_run.py / peer_run.py), so both tools pay their start-up the same way; the peer runs in
its own venv (GPL-3.0, never imported by Kompass). Writes bench/lottery/RESULTS.md, results.json and replaces
the lottery section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.collect import DOC, SECTIONS, demote  # noqa: E402
from bench.lottery import generate  # noqa: E402

DATA = Path(os.environ.get("SORTITION_DATA", ROOT / ".." / "shared" / "data" / "sortition")).resolve()
OUT = ROOT / "bench" / "out" / "lottery"
PEER_PY = ROOT / "bench" / ".venv-sortition-peer" / "bin" / "python"
PY = sys.executable
PUBLIC = [("example_small_20", 0.1), ("example_large_200", 0.1), ("sfscot_22", 1 / 11),
          ("opendlp_monitoring_30", 0.29670329670)]
RUNS = int(os.environ.get("RUNS", "1"))
LIMIT = float(os.environ.get("KOMPASS_LIMIT", "300"))
PEER_TIMEOUT = float(os.environ.get("PEER_TIMEOUT", "90"))
REF_CG_SECONDS = float(os.environ.get("REF_CG_SECONDS", "45"))  # column-generation budget of the reference
GOALS = {450: 5, 1000: 20, 2400: 60, 5000: 300}  # issue 10: LEXIMIN seconds by pool size
ONLY = [x for x in os.environ.get("BENCH_ONLY", "").split(",") if x]  # e.g. BENCH_ONLY=sfscot_22,berlin_450_70


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_json(cmd: list[str], timeout: float) -> dict:
    w = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {timeout:.0f} s", "wall": time.perf_counter() - w}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"status": f"failed: {tail[:120]}"}
    return {"status": "ok", "wall": time.perf_counter() - w, **json.loads(lines[-1])}


def series(cmd: list[str], timeout: float) -> dict:
    """RUNS cold runs; median seconds over the successful ones (all must succeed to count)."""
    runs = [run_json(cmd, timeout) for _ in range(RUNS)]
    ok = [r for r in runs if r["status"] == "ok"]
    out = dict(runs[-1])
    out["runs"] = len(runs)
    if len(ok) == len(runs):
        out["median"] = statistics.median(r["seconds"] for r in ok)
        out["cpu_median"] = statistics.median(r.get("cpu_seconds", float("nan")) for r in ok)
        out["all_complete"] = all(r.get("complete", True) for r in ok)
    return out


def instances() -> list[dict]:
    rows = [{"name": name, "folder": DATA / name, "expected": exp, "public": True} for name, exp in PUBLIC]
    folder = OUT / "instances"
    for pool in generate.suite():
        path = generate.write(pool, folder)
        distinct, unique = pool.profile_stats()
        rows.append({"name": path.name, "folder": path, "expected": None, "public": False, "n": pool.n,
                     "k": pool.k, "distinct": distinct, "unique_share": unique,
                     "exact": pool.name.startswith("berlin_exact"), "features": len(pool.features)})
    return [r for r in rows if not ONLY or r["name"] in ONLY]


def rounding_and_verify(folder: Path) -> dict:
    """CLI select (rounding time from report.json) and CLI verify (draw from lottery.json + recomputation)."""
    out = OUT / "cli" / folder.name
    sel = [PY, "-m", "kompass.lottery.cli", "select", "--pool", str(folder), "--seed", "bench", "--out", str(out),
           "-q", "--time-limit", str(LIMIT)]
    w, c = time.perf_counter(), _child_cpu()
    code = subprocess.run(sel, cwd=ROOT, capture_output=True, text=True).returncode
    sel_wall, sel_cpu = time.perf_counter() - w, _child_cpu() - c
    if code != 0:
        return {"status": f"select exit {code}"}
    report = json.loads((out / "report.json").read_text())
    ver = [PY, "-m", "kompass.lottery.cli", "verify", "--pool", str(folder), "--report", str(out / "report.json"),
           "-q"]
    w, c = time.perf_counter(), _child_cpu()
    vcode = subprocess.run(ver, cwd=ROOT, capture_output=True, text=True).returncode
    return {"status": "ok", "select_wall": sel_wall, "select_cpu": sel_cpu,
            "rounding": report["runtime_seconds"]["rounding"],
            "optimisation": report["runtime_seconds"]["optimisation"], "verify_wall": time.perf_counter() - w,
            "verify_cpu": _child_cpu() - c, "verify_exit": vcode, "rounding_error": report["rounding_error"],
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "load": os.getloadavg()}


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def cli_only() -> None:
    """`bench.py --cli-only`: measure only the CLI rounding + verification on the largest generated pool again
    and merge it into results.json (the rest of the run is kept as it was)."""
    data = json.loads(Path(__file__).with_name("results.json").read_text())
    big = max((r for r in data["instances"] if not r["public"]), key=lambda r: r["n"])
    cli = rounding_and_verify(Path(big["folder"]))
    cli["instance"] = big["name"]
    log(f"  {cli}")
    data["cli"] = cli
    Path(__file__).with_name("results.json").write_text(json.dumps(data, indent=2) + "\n")
    render(data)


T0 = time.perf_counter()


def main() -> None:
    rows = []
    for inst in instances():
        folder = str(inst["folder"])
        log(f"[kompass leximin] {inst['name']}")
        dump = OUT / "lotteries" / f"{inst['name']}.json"
        dump.parent.mkdir(parents=True, exist_ok=True)
        inst["leximin"] = series([PY, str(Path(__file__).with_name("kompass_run.py")), folder, "leximin",
                                  str(LIMIT), str(dump)], LIMIT + 120)
        log(f"  {inst['leximin']}")
        if not inst["public"]:
            log(f"[independent reference] {inst['name']}")
            inst["reference"] = run_json([PY, str(Path(__file__).with_name("reference_maximin.py")), folder,
                                          str(dump), str(REF_CG_SECONDS)], REF_CG_SECONDS + 300)
            log(f"  {inst['reference']}")
        log(f"[kompass maximin] {inst['name']}")
        inst["maximin"] = series([PY, str(Path(__file__).with_name("kompass_run.py")), folder, "maximin",
                                  str(LIMIT)], LIMIT + 120)
        log(f"[peer maximin] {inst['name']} (timeout {PEER_TIMEOUT:.0f} s)")
        if PEER_PY.exists():
            k = inst.get("k") or inst["leximin"].get("k")
            inst["peer"] = series([str(PEER_PY), str(Path(__file__).with_name("peer_run.py")), folder, str(k),
                                   "maximin", "highspy"], PEER_TIMEOUT)
        else:
            inst["peer"] = {"status": "peer venv missing"}
        log(f"  {inst['peer']}")
        rows.append(inst)
    log("[kompass CLI] rounding and verification on the largest pool")
    big = max((r for r in rows if not r["public"]), key=lambda r: r["n"])
    cli = rounding_and_verify(Path(big["folder"]))
    cli["instance"] = big["name"]
    log(f"  {cli}")
    load = os.getloadavg()
    data = {"runs": RUNS, "instances": [{k: (str(v) if isinstance(v, Path) else v) for k, v in r.items()}
                                        for r in rows], "cli": cli, "load": load, "only": ONLY,
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "peer_timeout": PEER_TIMEOUT,
            "limit": LIMIT, "ref_cg_seconds": REF_CG_SECONDS, "total_seconds": time.perf_counter() - T0}
    Path(__file__).with_name("results.json").write_text(json.dumps(data, indent=2) + "\n")
    render(data)


def render(data: dict) -> None:
    """RESULTS.md and the docs section from a results.json (`bench.py --render` redoes only this step)."""
    text = markdown(data["instances"], data["cli"], data["load"], data)
    Path(__file__).with_name("RESULTS.md").write_text(text)
    write_section(text)


def fmt_s(r: dict) -> str:
    if "median" not in r:
        return r.get("status", "–")
    flag = "" if r.get("all_complete", True) else " (incomplete)"
    cpu = r.get("cpu_median", r.get("cpu_seconds"))
    cpu_s = f" ({cpu:.2f})" if isinstance(cpu, (int, float)) else ""
    return f"{r['median']:.2f}{cpu_s}{flag}"


def pct(v) -> str:
    return f"{v * 100:.4f} %" if isinstance(v, (int, float)) else "–"


def markdown(rows: list[dict], cli: dict, load, data: dict) -> str:
    now = data["date"]
    runs, peer_timeout, limit = data.get("runs", RUNS), data.get("peer_timeout", PEER_TIMEOUT), data.get("limit", LIMIT)
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    lines = [
        "# Citizens' panel lottery benchmark (Kompass LEXIMIN on HiGHS against sortition-algorithms 0.12.15)",
        "",
        f"- Date: {now}; machine: {os.cpu_count()} CPUs, {cpu}; load average at the end "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min; the machine is shared, wall times are "
        "noisy)",
        f"- Python {platform.python_version()}; command: `make bench-lottery` (`bash bench/lottery/run.sh`); "
        f"RUNS={runs} cold runs per tool and instance (a fresh process each), median reported; Kompass time "
        f"limit {limit:.0f} s, peer timeout {peer_timeout:.0f} s.",
        "- Kompass: types + feasibility MIP + optimisation (`kompass_run.py`). Peer: `find_distribution_maximin` "
        "of sortition-algorithms 0.12.15 with the highspy backend (its LEXIMIN needs Gurobi), in its own venv "
        "(`peer_run.py`). Reading the CSV files is not timed for either.",
        "- Certificate: `relaxation` = the distribution attains the LEXIMIN point of the LP relaxation (an upper "
        "bound for every lottery) up to the reported shortfall, so every level is optimal; `column generation` "
        "= classic level-by-level certificate with the reported pricing gap. Seconds are wall clock with CPU "
        "seconds of the process in brackets (on a loaded machine the wall time is several times the CPU time).",
        *([f"- **Partial run**: only {', '.join(data['only'])} (`BENCH_ONLY`); run `make bench-lottery` for all "
           "instances.", ""] if data.get("only") else [""]),
        "## Instances",
        "",
        "Generated by `bench/lottery/generate.py` (Berlin district, gender, age, education and migration shares "
        "with self-selection bias; quotas from population shares with slack max(1, 10 %); `berlin7` adds "
        "housing and employment; `berlin_exact` has min = max everywhere).",
        "",
        "| instance | n | k | features | distinct profiles | unique-profile share | exact quotas |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r["public"]:
            lx = r["leximin"]
            lines.append(f"| {r['name']} (public) | {lx.get('n', '–')} | {lx.get('k', '–')} | – "
                         f"| {lx.get('types', '–')} | – | no |")
        else:
            lines.append(f"| {r['name']} | {r['n']} | {r['k']} | {r['features']} | {r['distinct']} "
                         f"| {r['unique_share'] * 100:.1f} % | {'yes' if r['exact'] else 'no'} |")
    lines += [
        "",
        "## LEXIMIN and MAXIMIN: minimum probability, certificate, seconds",
        "",
        "| instance | Kompass LEXIMIN min | peer MAXIMIN min | equal (1e-6; peer, published or reference) "
        "| certificate | max shortfall "
        "| Kompass LEXIMIN s | goal s | Kompass MAXIMIN s | peer MAXIMIN s | LEXIMIN / peer | MAXIMIN speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lx, mx, pe = r["leximin"], r["maximin"], r["peer"]
        ref = pe.get("min") if pe.get("status") == "ok" else r["expected"]
        if ref is None and (r.get("reference") or {}).get("pinned"):
            ref = r["reference"]["upper_lp"]
        equal = "–" if ref is None or "min" not in lx else ("yes" if abs(lx["min"] - ref) <= 1e-6 else "NO")
        goal = GOALS.get(r.get("n")) if not r["public"] else None
        ratio = f"{lx['median'] / pe['median']:.3f}" if "median" in lx and "median" in pe else "–"
        speed = f"{pe['median'] / mx['median']:.1f}×" if "median" in mx and "median" in pe else "–"
        if "median" in mx and "median" not in pe and pe.get("status", "").startswith("timeout"):
            speed = f"> {peer_timeout / mx['median']:.1f}×"
            ratio = f"< {lx['median'] / peer_timeout:.3f}" if "median" in lx else "–"
        short = lx.get("max_shortfall")
        short_s = f"{short:.1e}" if isinstance(short, (int, float)) else "–"
        lines.append(
            f"| {r['name']} | {pct(lx.get('min'))} | {pct(pe.get('min'))} | {equal} | {lx.get('method', '–')} "
            f"| {short_s} | {fmt_s(lx)} | {goal or '–'} | {fmt_s(mx)} | {fmt_s(pe)} | {ratio} | {speed} |"
        )
    lines += [
        "",
        "## Independent MAXIMIN optimum (generated pools)",
        "",
        "`bench/lottery/reference_maximin.py` shares no code with Kompass and uses another solver path (scipy's "
        "`linprog` / `milp`, not highspy); it reads the CSV files itself. Upper bound: the LP relaxation per "
        "person (max z with 0 <= x_i <= 1, sum x = k, quotas, x_i >= z), which every lottery satisfies in "
        "expectation. Lower bounds: (a) its own textbook MAXIMIN column generation (master LP over panels, pricing "
        f"MIP over profile counts; budget {data.get('ref_cg_seconds', REF_CG_SECONDS):.0f} s), and (b) Kompass's "
        "LEXIMIN lottery re-checked by the reference (every panel against the quotas, weights a distribution, "
        "each person's probability recomputed). The optimum lies between the best lower bound and the upper "
        "bound; *pinned* means that interval is at most 1e-6 wide, so Kompass's minimum equals the MAXIMIN "
        "optimum within 1e-6.",
        "",
        "| instance | reference upper bound (LP) | reference CG lower bound | CG converged | Kompass lottery "
        "re-checked | Kompass min − upper bound | pinned (1e-6) | reference s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ref = r.get("reference")
        if not ref:
            continue
        if ref.get("status") != "ok":
            lines.append(f"| {r['name']} | {ref.get('status')} | – | – | – | – | – | – |")
            continue
        km = r["leximin"].get("min")
        diff = f"{km - ref['upper_lp']:+.1e}" if isinstance(km, (int, float)) else "–"
        checked = ref.get("lottery_check", "–")
        if checked == "ok":
            checked = f"ok, min {pct(ref['kompass_min_checked'])}"
        lines.append(
            f"| {r['name']} | {pct(ref['upper_lp'])} | {pct(ref['cg_lower'])} | "
            f"{'yes' if ref['cg_converged'] else 'no'} ({ref['cg_iterations']} iterations) | {checked} | {diff} "
            f"| {'yes' if ref['pinned'] else 'NO'} | {ref['seconds']:.1f} |"
        )
    lines += [
        "",
        "## Rounding and verification on the largest pool (CLI)",
        "",
    ]
    if cli.get("status") == "ok":
        cpu_v = cli.get("verify_cpu")
        when = (f" (measured {cli['date']}, load {cli['load'][0]:.1f}, by `bench.py --cli-only`)"
                if cli.get("date") and cli["date"] != data["date"] else "")
        lines += [
            f"- {cli['instance']}{when}: `kompass lottery select` {cli['select_wall']:.2f} s in all (optimisation "
            f"{cli['optimisation']:.2f} s, rounding to 1000 panels {cli['rounding']:.2f} s, rounding error "
            f"{cli['rounding_error']:.2e}); `kompass lottery verify` (draw from lottery.json plus full "
            f"recomputation) {cli['verify_wall']:.2f} s"
            + (f" ({cpu_v:.2f} s CPU)" if isinstance(cpu_v, (int, float)) else "")
            + f", exit {cli['verify_exit']}.",
            f"- Goal (issue 10): rounding and verification of a 5,000-person pool within 30 s: rounding "
            f"{cli['rounding']:.2f} s + verification {cli['verify_wall']:.2f} s = "
            f"{cli['rounding'] + cli['verify_wall']:.2f} s "
            f"({'met' if cli['rounding'] + cli['verify_wall'] <= 30 else 'MISSED'} in wall time"
            + (f"; verification CPU {cpu_v:.2f} s" if isinstance(cpu_v, (int, float)) else "") + ").",
        ]
    else:
        lines.append(f"- {cli.get('instance')}: {cli.get('status')}")
    if "total_seconds" in data:
        lines.append(f"- Whole benchmark run: {data['total_seconds'] / 60:.1f} min.")
    lines.append("")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replace only the lottery section of docs/benchmarks.md (the heading bench/collect.py gives it)."""
    title, command = next((t, c) for name, t, c in SECTIONS if name == "lottery")
    heading = f"## {title} (`{command}`)"
    body = f"{heading}\n\n{demote(text)}\n"
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if heading in doc:
        head, rest = doc.split(heading, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1 :] if nxt >= 0 else ""
        doc = head + body + ("\n" + tail if tail else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + body
    DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    if "--render" in sys.argv:
        render(json.loads(Path(__file__).with_name("results.json").read_text()))
    elif "--cli-only" in sys.argv:
        cli_only()
    else:
        main()
