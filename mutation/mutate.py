"""Mutation testing of Kompass with cosmic-ray: one tool, one command per scope (docs/mutation/README.md).

    .venv/bin/python mutation/mutate.py list
    nice -n 15 .venv/bin/python mutation/mutate.py run SCOPE [--sample N] [--seed S] [--budget SECONDS]
    nice -n 15 .venv/bin/python mutation/mutate.py run SCOPE --sample 0 --budget 0      # every mutant (hours)

`run` copies the tree into a scratch directory (the working tree is never mutated), makes it a git repository
(so the per-mutant test command can name the mutated file), creates a cosmic-ray session for the scope's modules,
marks equivalent mutants skipped (anything inside a never-evaluated type annotation; one variant per
binary-operator site), keeps a seeded uniform random sample of the rest, runs them with ONE worker until the
budget ends and writes the result (killed / ran with a 95 % Wilson interval, every survivor) into
docs/mutation/SCOPE.md between the RESULTS markers. `test` is the command cosmic-ray runs per mutant: it runs
only the tests that cover the mutated module (first matching prefix of the scope), stopping at the first failure.
Exit code 0 means the mutant survived; a setup it cannot read counts as survived, so it can only lower a score.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
A, L, M, P = "tests/algorithms/", "tests/lifecycle/", "tests/monitoring/", "tests/participation/"


@dataclass(frozen=True)
class Scope:
    modules: tuple[str, ...]
    tests: tuple[tuple[str, str], ...]  # (module path prefix, test files), first match wins
    database: bool = True


SCOPES: dict[str, Scope] = {
    "algorithms": Scope(
        ("kompass/algorithms",),
        (("kompass/algorithms/progress/", " ".join(A + f"test_progress_{n}.py" for n in (
            "edges", "api", "open_sdg", "other_methods", "reference", "properties"))),
         ("kompass/algorithms/opinions/", f"{A}test_opinions_statistics.py {A}test_opinions_core.py "
                                          f"{A}test_opinions_properties.py"),
         ("kompass/algorithms/similarity.py", f"{A}test_similarity.py"),
         ("kompass/algorithms/sortition/", f"{A}test_sortition_lottery.py {A}test_sortition_leximin.py "
                                           f"{A}test_sortition_certified.py")),
        database=False),
    "core": Scope(
        ("kompass/measures/services.py", "kompass/measures/rules.py", "kompass/strategy/services.py",
         "kompass/strategy/sections.py", "kompass/strategy/rules.py", "kompass/organisations/services.py",
         "kompass/accounts/rules.py", "kompass/jobs/rules.py", "kompass/jobs/services.py"),
        (("kompass/jobs/", "tests/jobs/test_jobs.py"),
         ("kompass/", "tests/measures/test_services.py tests/measures/test_wiring.py tests/strategy/test_services.py "
                      "tests/strategy/test_loader.py tests/accounts/test_permissions.py tests/test_actors.py"))),
    "flow": Scope(
        ("kompass/lifecycle/rules.py", "kompass/participation/rules.py", "kompass/lifecycle/services",
         "kompass/participation/services"),
        (("kompass/lifecycle/rules.py", f"{L}test_rules.py {L}test_roles.py"),
         ("kompass/participation/rules.py", f"{P}test_rules.py {P}test_roles_and_moderation.py"),
         ("kompass/lifecycle/services/phases.py", f"{L}test_process.py {L}test_properties.py {L}test_api.py"),
         ("kompass/lifecycle/services/process.py", f"{L}test_process.py {L}test_properties.py {L}test_api.py"),
         ("kompass/lifecycle/services/imports.py", f"{L}test_spreadsheets.py"),
         ("kompass/lifecycle/services/selection.py",
          f"{L}test_selection.py {L}test_roles.py {P}test_idea_to_measure.py"),
         ("kompass/lifecycle/services/lessons.py", f"{L}test_collaboration.py {L}test_records.py {L}test_api.py"),
         ("kompass/lifecycle/services/_common.py",
          f"{L}test_selection.py {L}test_spreadsheets.py {L}test_records.py {L}test_process.py"),
         ("kompass/lifecycle/services/", f"{L}test_records.py {L}test_roles.py {L}test_process.py"),
         ("kompass/participation/services/ideas.py",
          f"{P}test_ideas.py {P}test_idea_to_measure.py {P}test_api.py"),
         ("kompass/participation/services/moderation.py", f"{P}test_roles_and_moderation.py {P}test_api.py"),
         ("kompass/participation/services/ratelimit.py", f"{P}test_roles_and_moderation.py {P}test_api.py"),
         ("kompass/participation/services/consultations.py", f"{P}test_consultations.py {P}test_api.py"),
         ("kompass/participation/services/notifications.py", f"{P}test_notifications.py {P}test_ideas.py"),
         ("kompass/participation/services/privacy.py",
          f"{P}test_citizen_accounts.py {P}test_idea_to_measure.py"),
         ("kompass/participation/services/", f"{P}test_ideas.py {P}test_api.py {P}test_roles_and_moderation.py"))),
    "monitoring": Scope(
        ("kompass/monitoring/rules.py", "kompass/monitoring/services", "kompass/monitoring/values.py"),
        (("kompass/monitoring/rules.py", f"{M}test_decisions.py {M}test_permissions.py {M}test_status.py"),
         ("kompass/monitoring/services/chains.py", f"{M}test_decisions.py {M}test_permissions.py {M}test_status.py"),
         ("kompass/monitoring/services/targets.py",
          f"{M}test_decisions.py {M}test_permissions.py {M}test_status.py"),
         ("kompass/monitoring/services/cycles.py", f"{M}test_decisions.py {M}test_cycles.py"),
         ("kompass/monitoring/services/statuses.py", f"{M}test_status.py {M}test_seed.py {M}test_cycles.py"),
         ("kompass/monitoring/", f"{M}test_import.py {M}test_permissions.py {M}test_decisions.py"))),
}

# --- choosing the mutants -------------------------------------------------------------------------------------

PREFERRED = {"BitOr": "BitAnd", "BitAnd": "BitOr", "Add": "Sub", "Sub": "Add", "Mul": "Add", "Div": "Mul"}


def annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Source spans of the type annotations of a module with `from __future__ import annotations` (PEP 563:
    never evaluated, so a mutant inside one is equivalent); none for other modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lazy = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and
               any(a.name == "annotations" for a in n.names) for n in tree.body)
    if not lazy:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            found.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            found.append(node.returns)
    return [((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)) for a in found]


def reason_to_skip(spec, spans) -> str | None:
    start = tuple(spec.start_pos)
    if any(lo <= start < hi for lo, hi in spans):
        return "equivalent: inside a type annotation (never evaluated)"
    name = spec.operator_name.removeprefix("core/")
    if name.startswith("ReplaceBinaryOperator_"):
        _prefix, source, target = name.split("_")
        if target != PREFERRED.get(source, target):
            return f"one variant per operator site ({source} -> {PREFERRED[source]} kept)"
    return None


def choose(session: Path, sample: int, seed: int) -> str:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(session), WorkDB.Mode.open) as db:
        items = sorted(db.pending_work_items, key=lambda item: item.job_id)
        spans: dict[Path, list] = {}
        candidates, skipped, by_reason = [], Counter(), {}
        for item in items:
            spec = item.mutations[0]
            path = Path(spec.module_path)
            why = reason_to_skip(spec, spans.setdefault(path, annotation_spans(path)))
            if why:
                skipped[why.split(" (")[0].split(":")[0]] += 1
                by_reason.setdefault(why, []).append(item.job_id)
            else:
                candidates.append(item)
        for why, jobs in by_reason.items():  # one transaction per reason, not one per mutant
            db.set_multiple_results(jobs, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=why))
        chosen = candidates
        if sample and len(candidates) > sample:
            chosen = random.Random(seed).sample(candidates, sample)
            keep = {item.job_id for item in chosen}
            rest = [item.job_id for item in candidates if item.job_id not in keep]
            db.set_multiple_results(rest, WorkResult(worker_outcome=WorkerOutcome.SKIPPED,
                                                     output=f"not in the seeded sample (seed {seed})"))
            skipped["not in the sample"] += len(rest)
    return (f"{len(items)} mutants, {len(candidates)} candidates, {len(chosen)} chosen "
            f"(skipped: {', '.join(f'{n} {why}' for why, n in skipped.items()) or 'none'})")


# --- the score ------------------------------------------------------------------------------------------------

def wilson(killed: int, ran: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion killed/ran."""
    if not ran:
        return 0.0, 1.0
    p = killed / ran
    centre = (p + z * z / (2 * ran)) / (1 + z * z / ran)
    half = z / (1 + z * z / ran) * math.sqrt(p * (1 - p) / ran + z * z / (4 * ran * ran))
    return max(0.0, centre - half), min(1.0, centre + half)


def tally(session: Path):
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    counts, survivors = Counter(), []
    with use_db(str(session), WorkDB.Mode.open) as db:
        counts["not run"] = db.num_work_items - db.num_results
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                counts["skipped"] += 1
            elif result.worker_outcome == WorkerOutcome.ABNORMAL or result.test_outcome == TestOutcome.KILLED:
                counts["killed"] += 1  # failing tests or a timeout detect the mutant
            elif result.test_outcome == TestOutcome.SURVIVED:
                counts["survived"] += 1
                spec = item.mutations[0]
                survivors.append((str(spec.module_path), spec.start_pos[0], spec.operator_name))
            else:
                counts["incompetent"] += 1  # cosmic-ray itself failed on this mutant
    return counts, sorted(survivors)


START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"


def summarise(scope: str, session: Path, selection: str, args, seconds: int, doc: Path) -> str:
    counts, survivors = tally(session)
    ran = counts["killed"] + counts["survived"]
    lo, hi = wilson(counts["killed"], ran)
    score = 100.0 * counts["killed"] / ran if ran else 0.0
    lines = [
        START,
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, Python "
        f"{platform.python_version()}, {seconds // 60} min, one worker: "
        f"`mutation/mutate.py run {scope} --sample {args.sample} --seed {args.seed} --budget {args.budget}`.",
        "",
        f"Selection: {selection}.",
        "",
        "| ran | killed | survived | incompetent | not run (budget) | skipped | killed / ran | 95 % Wilson interval |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {ran} | {counts['killed']} | {counts['survived']} | {counts['incompetent']} | {counts['not run']} | "
        f"{counts['skipped']} | {score:.1f} % | {100 * lo:.1f} – {100 * hi:.1f} % |",
        "",
    ]
    lines += (["Survivors:", "", "| place | operator |", "|---|---|",
               *(f"| `{path}:{line}` | `{op}` |" for path, line, op in survivors)] if survivors else ["No survivors."])
    lines.append(END)
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Mutation testing: {scope}\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    doc.write_text(head + "\n".join(lines) + tail, encoding="utf-8")
    return "\n".join(lines)


# --- commands -------------------------------------------------------------------------------------------------

def config(scope: str, timeout: float) -> str:
    modules = ", ".join(f'"{m}"' for m in SCOPES[scope].modules)
    return (f'[cosmic-ray]\nmodule-path = [{modules}]\ntimeout = {timeout}\nexcluded-modules = []\n'
            f'test-command = "{sys.executable} mutation/mutate.py test {scope}"\n\n'
            '[cosmic-ray.distributor]\nname = "local"\n')


def run(args) -> int:
    scope, bin_dir = args.scope, Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix=f"kompass-mutation-{scope}-"))
    try:
        src = work / "src"
        subprocess.run(["rsync", "-a", "--exclude", ".venv", "--exclude", "node_modules", "--exclude", "var",
                        "--exclude", ".git", "--exclude", "__pycache__", f"{ROOT}/", f"{src}/"], check=True)
        for git in (["init", "-q"], ["add", "-A"], ["-c", "user.name=m", "-c", "user.email=m@x", "commit", "-qm", "b"]):
            subprocess.run(["git", *git], cwd=src, check=True)
        (src / "mutation.toml").write_text(config(scope, args.timeout), encoding="utf-8")
        session = work / "session.sqlite"
        env = {**os.environ, "PYTHONPATH": str(src), "KOMPASS_MUTATION_VAR": str(work / "var")}
        started = time.monotonic()
        subprocess.run([bin_dir / "cosmic-ray", "init", "mutation.toml", session], cwd=src, env=env, check=True)
        os.chdir(src)
        selection = choose(session, args.sample, args.seed)
        print(selection, flush=True)
        subprocess.run([bin_dir / "cosmic-ray", "baseline", "mutation.toml"], cwd=src, env=env, check=True)
        command = [bin_dir / "cosmic-ray", "exec", "mutation.toml", session]
        if args.budget:
            command = ["timeout", str(args.budget), *command]
        subprocess.run(command, cwd=src, env=env, check=False)
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=src, check=False)  # a mutant cut off by timeout
        print(summarise(scope, session, selection, args, int(time.monotonic() - started),
                        ROOT / "docs" / "mutation" / f"{scope}.md"))
        if args.keep:
            shutil.copy(session, args.keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def test(args) -> int:
    scope = SCOPES[args.scope]
    changed = subprocess.run(["git", "diff", "--name-only", "--", "kompass/"], capture_output=True, text=True,
                             check=False).stdout.split()
    if len(changed) > 1:
        print(f"mutate.py test: expected one mutated module, found {changed}", file=sys.stderr)
        return 0  # counts as survived: a broken setup can only lower the score
    # No change: cosmic-ray's baseline on the unmutated tree (it must pass; it also creates the reused test
    # database before any mutant runs). It runs the first mapping's tests.
    tests = next((t for prefix, t in scope.tests if changed and changed[0].startswith(prefix)),
                 None if changed else scope.tests[0][1])
    if tests is None:
        print(f"mutate.py test: no tests mapped for {changed[0]}", file=sys.stderr)
        return 0
    env = {**os.environ, "KOMPASS_TESTING": "1", "DATABASE_URL": "", "KOMPASS_FAST_PROPERTIES": "1",
           "HYPOTHESIS_PROFILE": "kompass"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-x", "-q", "--no-header"]
    if scope.database:
        env["KOMPASS_VAR_DIR"] = os.environ.get("KOMPASS_MUTATION_VAR", "/tmp/kompass-mutation-var")
        Path(env["KOMPASS_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
        command.append("--reuse-db")  # created by the baseline run, on the unmutated tree
    else:
        command += ["-p", "no:django"]
    return subprocess.run(command + tests.split(), env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the scopes and their modules")
    r = sub.add_parser("run", help="mutate one scope in a scratch copy and write docs/mutation/SCOPE.md")
    r.add_argument("scope", choices=SCOPES)
    r.add_argument("--sample", type=int, default=150, help="mutants to run, seeded uniform sample (0: all)")
    r.add_argument("--seed", type=int, default=9)
    r.add_argument("--budget", type=int, default=1800, help="stop after this many seconds (0: no limit)")
    r.add_argument("--timeout", type=float, default=300.0, help="per-mutant test timeout in seconds")
    r.add_argument("--keep", help="copy the cosmic-ray session database here")
    t = sub.add_parser("test", help="(cosmic-ray's test command) run the tests of the mutated module")
    t.add_argument("scope", choices=SCOPES)
    args = parser.parse_args(argv)
    if args.command == "list":
        for name, scope in SCOPES.items():
            print(f"{name}: {' '.join(scope.modules)}")
        return 0
    return run(args) if args.command == "run" else test(args)


if __name__ == "__main__":
    sys.exit(main())
