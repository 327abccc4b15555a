"""Mutation testing of Kompass with cosmic-ray's operators: one tool, one command per scope (docs/mutation/README.md).

    .venv/bin/python mutation/mutate.py list
    nice -n 15 .venv/bin/python mutation/mutate.py run SCOPE [--sample N] [--seed S] [--budget SECONDS]

`run` copies the tree to a scratch directory and enumerates the mutants of the scope's modules as `cosmic-ray init`
does (same operators and occurrence numbers, one parse per module), leaves out those inside never-evaluated
annotations and all but one replacement per binary-operator site, and draws a seeded uniform sample; drawn mutants
recorded as equivalent (mutation/equivalent.py) are listed with their reason, not run. One warm process (pytest
and third-party packages imported, no project code) forks per mutant; the fork runs the tests mapped to the mutated
module (`-x`, SQLite, a fresh copy of the baseline's test database), importing the mutant (applied with
cosmic-ray's `MutationVisitor`) from disk. A timeout (calibrated from the baseline) counts as killed. The result,
killed / ran with the 95 % Wilson interval and every survivor with its diff, goes into docs/mutation/SCOPE.md
between the RESULTS markers (a re-run between the RERUN markers), the outcomes into docs/mutation/SCOPE.json, and
each seeded run's score into docs/mutation/history.json and the table in docs/mutation/README.md (ledger.py).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import ledger  # noqa: E402
from ledger import EQUIVALENT_OUTCOME, equivalent_reason, wilson  # noqa: E402
from scopes import SCOPES  # noqa: E402

# --- choosing the mutants -------------------------------------------------------------------------------------

# One replacement per binary-operator site, the one closest to a real slip; cosmic-ray generates up to twelve per
# site (`a + b` → `a - b`, `a * b`, `a / b`, `a // b`, `a % b`, `a ** b`, `a >> b`, …), which weight arithmetic
# lines twelve times as heavily as a condition and are mostly the same test of that line.
PREFERRED = {"Add": "Sub", "Sub": "Add", "Mul": "Add", "Div": "Mul", "FloorDiv": "Div", "Mod": "FloorDiv",
             "Pow": "Mul", "LShift": "RShift", "RShift": "LShift", "BitOr": "BitAnd", "BitAnd": "BitOr",
             "BitXor": "BitOr", "MatMul": "Mul"}
# Also left out: mutants inside never-evaluated annotations (PEP 563) and the two operators that need arguments
# (VariableReplacer, VariableInserter), as `cosmic-ray init` without operator configuration (README.md).


@dataclass(frozen=True)
class Mutant:
    module: str
    operator: str  # cosmic-ray's operator name, e.g. core/NumberReplacer
    occurrence: int  # cosmic-ray's occurrence: the n-th position of this operator in the module
    line: int

    @property
    def id(self) -> str:
        return f"{self.module}:{self.operator.removeprefix('core/')}:{self.occurrence}"

    @classmethod
    def from_id(cls, ident: str, line: int = 0) -> Mutant:
        module, operator, occurrence = ident.rsplit(":", 2)
        return cls(module, f"core/{operator}", int(occurrence), line)


def operators():
    import cosmic_ray.plugins as plugins

    for name in plugins.operator_names():
        operator = plugins.get_operator(name)
        if operator.arguments():
            continue
        short = name.removeprefix("core/")
        if short.startswith("ReplaceBinaryOperator_"):
            _prefix, source, target = short.split("_")
            if target != PREFERRED.get(source, target):
                continue
        yield name, operator()


def annotation_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Source spans of the type annotations of a module with `from __future__ import annotations`."""
    tree = ast.parse(text)
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


def module_files(scope: str, src: Path) -> list[Path]:
    files = []
    for module in SCOPES[scope].modules:
        path = src / module
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def enumerate_mutants(scope: str, src: Path) -> tuple[list[Mutant], int]:
    """Every mutant `cosmic-ray init` would make with the kept operators (same order, same occurrence numbers),
    walking each module's tree once; returns the candidates and the number inside annotations."""
    from cosmic_ray.ast import ast_nodes, get_ast

    ops, candidates, annotated = list(operators()), [], 0
    for path in module_files(scope, src):
        text = path.read_text(encoding="utf-8")
        spans, counts = annotation_spans(text), Counter()
        for node in ast_nodes(get_ast(text)):
            for name, operator in ops:
                for start, _end in operator.mutation_positions(node):
                    occurrence = counts[name]
                    counts[name] += 1
                    if any(lo <= tuple(start) < hi for lo, hi in spans):
                        annotated += 1
                    else:
                        candidates.append(Mutant(str(path.relative_to(src)), name, occurrence, start[0]))
    return candidates, annotated


def mutated_source(mutant: Mutant, original: str) -> str | None:
    import cosmic_ray.plugins as plugins
    from cosmic_ray.mutating import mutate_code

    return mutate_code(original, plugins.get_operator(mutant.operator)(), mutant.occurrence)

NOT_COMPILING = "skipped (does not compile)"


def compiles(source: str) -> bool:
    """A mutant that is a syntax error (`def f(*, a)` → `def f(+, a)`) tests nothing; it is left out of the score
    (the fork would fail to import it and count it killed)."""
    try:
        compile(source, "<mutant>", "exec")
    except SyntaxError:
        return False
    return True


def changed_lines(original: str, mutated: str) -> str:
    import difflib

    diff = [d for d in difflib.ndiff(original.splitlines(), mutated.splitlines()) if d[:1] in "-+"]
    return " ⟶ ".join(d[2:].strip() for d in diff[:2])[:300]


# --- running the tests in a warm fork -------------------------------------------------------------------------

PROJECT = ("kompass", "tests", "config", "conftest", "__main__", "__mp_main__")
EXIT = {0: "survived", 1: "killed", 2: "killed"}  # pytest: 1 tests failed, 2 collection/import error


class Runner:
    """A process that has imported pytest and the third-party packages but no project code; each test run is a
    fork that imports the (possibly mutated) project from disk and exits."""

    def __init__(self, scope: str, work: Path):
        self.scope, self.work, self.src = SCOPES[scope], work, work / "src"
        self.var = work / "var"
        self.var.mkdir(exist_ok=True)
        self.pristine = work / "pristine.sqlite3"
        self.log = work / "pytest.log"
        os.environ.update({"KOMPASS_TESTING": "1", "DATABASE_URL": "", "KOMPASS_FAST_PROPERTIES": "1",
                           "HYPOTHESIS_PROFILE": "kompass", "KOMPASS_VAR_DIR": str(self.var)})
        os.chdir(self.src)
        sys.path.insert(0, str(self.src))

    def args(self, tests: str) -> list[str]:
        args = ["-p", "no:cacheprovider", "-x", "-q", "--no-header"]
        args += ["--reuse-db"] if self.scope.database else ["-p", "no:django"]
        return args + tests.split()

    def fork(self, tests: str, timeout: float, dump: Path | None = None) -> tuple[str, float]:
        live = self.var / "test-kompass.sqlite3"
        if self.scope.database and self.pristine.exists():
            shutil.copyfile(self.pristine, live)  # every mutant starts from the baseline's database
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: run pytest, never return
            code = 3
            try:
                os.setpgid(0, 0)
                fd = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                import pytest

                code = int(pytest.main(self.args(tests)))
                if dump:
                    import kompass

                    if not Path(kompass.__file__).is_relative_to(self.src):
                        code = 3  # the scratch copy must be the project under test
                    dump.write_text("\n".join(sys.modules), encoding="utf-8")
            except BaseException:  # noqa: BLE001 - the child reports through its exit code only
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            seconds = time.monotonic() - started
            if done:
                code = os.waitstatus_to_exitcode(status)
                return EXIT.get(code, f"incompetent (pytest exit {code})"), seconds
            if seconds > timeout:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
                os.waitpid(pid, 0)
                return "killed (timeout)", seconds
            time.sleep(0.05)

    def preload(self, modules: list[str]) -> int:
        """Import what the baseline imported, except project code (and whatever needs Django's app registry,
        which fails here and is left to the fork)."""
        import importlib

        saved = os.dup(2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # some packages print what they could not import
        for name in modules:
            if name.split(".")[0] in PROJECT or name in sys.modules:
                continue
            before = set(sys.modules)
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001, S110 - left for the fork to import
                pass
            if {m.split(".")[0] for m in set(sys.modules) - before} & set(PROJECT[:4]):  # e.g. reads settings
                for added in set(sys.modules) - before:  # on import: the fork imports all of it afresh
                    del sys.modules[added]
        os.dup2(saved, 2)
        leaked = sorted({m.split(".")[0] for m in sys.modules} & set(PROJECT[:4]))
        if leaked:
            raise SystemExit(f"mutate.py: preloading imported project code {leaked}; the forks would not see "
                             "the mutants")
        return len(sys.modules)

    def tests_for(self, module: str) -> str | None:
        return next((t for prefix, t in self.scope.tests if module.startswith(prefix)), None)


def baseline(runner: Runner, test_sets: list[str]) -> dict[str, float]:
    """Run test sets on the unmutated tree (they must pass). The first run makes the test database that every
    mutant then starts from and tells which modules to preload; the other sets are checked when they first kill a
    mutant (a kill counts only once the same tests pass without the mutant)."""
    times, dump = {}, runner.work / "modules.txt"
    for n, tests in enumerate(test_sets):
        if n:
            times.update(verify(runner, tests))
            continue
        outcome, seconds = runner.fork(tests, 3600, dump)
        if outcome != "survived":
            raise SystemExit(f"mutate.py: the baseline fails ({outcome}) for {tests}:\n"
                             + runner.log.read_text(encoding="utf-8")[-3000:])
        if runner.scope.database:
            shutil.copyfile(runner.var / "test-kompass.sqlite3", runner.pristine)
        runner.preload(dump.read_text(encoding="utf-8").split())
        times.update(verify(runner, tests))  # warm: checks the preloaded process, calibrates the timeouts
    return times


def verify(runner: Runner, tests: str) -> dict[str, float]:
    outcome, seconds = runner.fork(tests, 3600)
    if outcome != "survived":
        raise SystemExit(f"mutate.py: the baseline fails ({outcome}) for {tests}:\n"
                         + runner.log.read_text(encoding="utf-8")[-3000:])
    print(f"baseline {seconds:6.1f} s  {tests}", flush=True)
    return {tests: seconds}


# --- the score ------------------------------------------------------------------------------------------------

START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"
RERUN_START, RERUN_END = "<!-- RERUN:START -->", "<!-- RERUN:END -->"


def replace_between(doc: Path, start: str, end: str, body: list[str], title: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Mutation testing: {title}\n\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    doc.write_text(head + "\n".join([start, *body, end]) + tail, encoding="utf-8")


def escape(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")

def score_lines(results: list[dict]) -> tuple[list[str], list[dict]]:
    counts = Counter(r["outcome"].split(" (")[0] for r in results)
    ran = counts["killed"] + counts["survived"]
    lo, hi = wilson(counts["killed"], ran)
    score = 100.0 * counts["killed"] / ran if ran else 0.0
    timeouts = sum(r["outcome"] == "killed (timeout)" for r in results)
    not_compiling = sum(r["outcome"] == NOT_COMPILING for r in results)
    equivalent = [r for r in results if r["outcome"] == EQUIVALENT_OUTCOME]
    survivors = sorted((r for r in results if r["outcome"] == "survived"), key=lambda r: (r["module"], r["line"]))
    lines = ["| ran | killed | of those by timeout | survived | incompetent | killed / ran | 95 % Wilson interval |",
             "|---:|---:|---:|---:|---:|---:|---:|",
             f"| {ran} | {counts['killed']} | {timeouts} | {counts['survived']} | {counts['incompetent']} | "
             f"{score:.1f} % | {100 * lo:.1f} – {100 * hi:.1f} % |", ""]
    if not_compiling:
        lines += [f"Left out: {not_compiling} drawn mutants that do not compile (a syntax error tests nothing).", ""]
    if equivalent:
        lines += [f"Left out: {len(equivalent)} drawn mutants recorded as equivalent (mutation/equivalent.py):", "",
                  "| mutant | change | why equivalent |", "|---|---|---|",
                  *(f"| `{r['id']}` | `{escape(r['change'])}` | {escape(r['reason'])} |" for r in equivalent), ""]
    if survivors:
        lines += ["Survivors:", "", "| mutant (`--only` id) | line | change |", "|---|---:|---|",
                  *(f"| `{r['id']}` | {r['line']} | `{escape(r['change'])}` |" for r in survivors)]
    else:
        lines.append("No survivors.")
    return lines, survivors


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def run(args) -> int:
    scope = args.scope
    doc, record = ROOT / "docs" / "mutation" / f"{scope}.md", ROOT / "docs" / "mutation" / f"{scope}.json"
    work = Path(tempfile.mkdtemp(prefix=f"kompass-mutation-{scope}-"))
    load_before, started = load(), time.monotonic()
    try:
        src = work / "src"
        subprocess.run(["rsync", "-a", "--exclude", ".venv", "--exclude", "node_modules", "--exclude", "var",
                        "--exclude", ".git", "--exclude", "__pycache__", f"{ROOT}/", f"{src}/"],
                       check=True)
        rerun = bool(args.only or args.survivors)
        if not rerun and args.seed in ledger.seeds_used(scope) and not args.reuse_seed:
            raise SystemExit(f"mutate.py: seed {args.seed} was used for {scope} before (docs/mutation/history.json); "
                             "tests written since know its mutants. Choose another seed or pass --reuse-seed.")
        if rerun:
            ids = args.only or [r["id"] for r in json.loads(record.read_text(encoding="utf-8"))["results"]
                                if r["outcome"] == "survived"]
            chosen, selection = [Mutant.from_id(i) for i in ids], f"{len(ids)} mutants named"
        else:
            candidates, annotated = enumerate_mutants(scope, src)
            rng = random.Random(args.seed)
            chosen = rng.sample(candidates, args.sample) if 0 < args.sample < len(candidates) else \
                rng.sample(candidates, len(candidates))
            selection = (f"{len(candidates) + annotated:,} mutants of the kept operators, {annotated:,} inside "
                         f"annotations (equivalent), {len(candidates):,} candidates, {len(chosen)} drawn "
                         f"(seed {args.seed}), run in the drawn order")
        print(selection, f"({time.monotonic() - started:.0f} s)", flush=True)
        runner = Runner(scope, work)
        plan = []
        for mutant in chosen:
            tests = runner.tests_for(mutant.module)
            if tests is None:
                raise SystemExit(f"mutate.py: no tests mapped for {mutant.module}")
            plan.append((mutant, tests))
        times = baseline(runner, [plan[0][1]]) if plan else {}
        verified, results = set(times), []
        for n, (mutant, tests) in enumerate(plan):
            if args.budget and time.monotonic() - started > args.budget:
                break
            path = src / mutant.module
            original, stat = path.read_text(encoding="utf-8"), path.stat()
            mutated = mutated_source(mutant, original)
            if mutated is None:
                results.append({**asdict(mutant), "id": mutant.id, "outcome": "incompetent (no such mutant)",
                                "change": "", "seconds": 0})
                continue
            if not compiles(mutated):
                results.append({**asdict(mutant), "id": mutant.id, "outcome": NOT_COMPILING,
                                "change": changed_lines(original, mutated), "seconds": 0})
                continue
            change = changed_lines(original, mutated)
            reason = equivalent_reason(mutant.id, change)
            if reason:  # recorded as equivalent (mutation/equivalent.py): listed with its reason, not run
                results.append({**asdict(mutant), "id": mutant.id, "outcome": EQUIVALENT_OUTCOME, "reason": reason,
                                "change": change, "seconds": 0})
                continue
            try:
                path.write_text(mutated, encoding="utf-8")
                if int(path.stat().st_mtime) == int(stat.st_mtime):  # never the unmutated file's .pyc
                    os.utime(path, (stat.st_atime + 2, stat.st_mtime + 2))
                timeout = max(args.timeout, 4 * times.get(tests, 2 * max(times.values())))
                outcome, seconds = runner.fork(tests, timeout)
                if outcome == "killed (timeout)" and timeout == args.timeout:  # at the floor: a load spike?
                    outcome, seconds = runner.fork(tests, 3 * timeout)  # once more, three times longer
            finally:
                path.write_text(original, encoding="utf-8")
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            if outcome.startswith("killed") and tests not in verified:
                times.update(verify(runner, tests))
                verified.add(tests)
            line = mutant.line or next((i + 1 for i, (a, b) in enumerate(
                zip(original.splitlines(), mutated.splitlines(), strict=False)) if a != b), 0)
            results.append({**asdict(mutant), "line": line, "id": mutant.id, "outcome": outcome,
                            "change": change, "seconds": round(seconds, 1)})
            print(f"{n + 1:4d} {outcome:26s} {seconds:5.1f} s  {mutant.id}  {change[:90]}", flush=True)
        minutes = (time.monotonic() - started) / 60
        per = sorted(r["seconds"] for r in results if r["seconds"])
        command = (f"mutation/mutate.py run {scope} " +
                   (("--only " + " ".join(args.only)) if args.only else "--survivors" if args.survivors else
                    f"--sample {args.sample} --seed {args.seed} --budget {args.budget}"))
        head = [f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, Python "
                f"{platform.python_version()}, `nice -n {os.nice(0)}`, load {load_before} before and {load()} after "
                f"(1/5/15 min), {minutes:.0f} min, one warm worker: `{command}`.", "",
                f"Selection: {selection}; {len(results)} ran within the budget"
                f"{f', {len(plan) - len(results)} not reached' if len(plan) > len(results) else ''}. "
                f"Median {per[len(per) // 2] if per else 0:.1f} s per mutant "
                f"(baseline of the mapped tests {min(times.values()):.1f}–{max(times.values()):.1f} s, "
                f"{len(verified)} test sets checked on the unmutated tree).", ""]
        lines, _survivors = score_lines(results)
        if rerun:
            replace_between(doc, RERUN_START, RERUN_END, head + lines, scope)
            data = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
            data["rerun"] = {"command": command, "head": head, "results": results}
        else:
            replace_between(doc, START, END, head + lines, scope)
            data = {"command": command, "selection": selection, "head": head, "results": results}
        if not args.dry:
            record.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            ledger.record(scope, data)
        print("\n".join(head + lines))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the scopes, their modules and the number of candidates")
    r = sub.add_parser("run", help="mutate one scope in a scratch copy and write docs/mutation/SCOPE.md")
    r.add_argument("scope", choices=SCOPES)
    r.add_argument("--sample", type=int, default=80, help="mutants to draw, seeded uniform sample (0: all)")
    r.add_argument("--seed", type=int, default=9)
    r.add_argument("--budget", type=int, default=1200, help="start no mutant after this many seconds (0: no limit)")
    r.add_argument("--timeout", type=float, default=30.0,
                   help="least per-mutant timeout in seconds (else four times the baseline of the same tests)")
    r.add_argument("--only", nargs="+", metavar="ID", help="run these mutants (ids as in SCOPE.md)")
    r.add_argument("--survivors", action="store_true", help="re-run the survivors recorded in SCOPE.json")
    r.add_argument("--reuse-seed", action="store_true", help="allow a seed used before for this scope (biased)")
    r.add_argument("--dry", action="store_true", help="do not write SCOPE.json (SCOPE.md is still written)")
    sub.add_parser("count", help="count the candidates of every scope (no tests run)")
    rep = sub.add_parser("report", help="rewrite docs/mutation/SCOPE.md from SCOPE.json (no tests run)")
    rep.add_argument("scope", choices=SCOPES)
    args = parser.parse_args(argv)
    if args.command == "list":
        for name, scope in SCOPES.items():
            print(f"{name}: {' '.join(scope.modules)}")
        return 0
    if args.command == "count":
        for name in SCOPES:
            started = time.monotonic()
            candidates, annotated = enumerate_mutants(name, ROOT)
            print(f"{name}: {len(candidates)} candidates, {annotated} in annotations "
                  f"({time.monotonic() - started:.0f} s)", flush=True)
        return 0
    return report(args.scope) if args.command == "report" else run(args)


def report(scope: str) -> int:
    """Rewrite the RESULTS (and RERUN) sections from the recorded outcomes; a recorded mutant that does not
    compile (recorded before the tool left those out) is reclassified."""
    doc, record = ROOT / "docs" / "mutation" / f"{scope}.md", ROOT / "docs" / "mutation" / f"{scope}.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    for part, start, end in ((data, START, END), (data.get("rerun"), RERUN_START, RERUN_END)):
        if not part:
            continue
        for r in part["results"]:
            if r["outcome"].startswith("killed"):
                mutated = mutated_source(Mutant.from_id(r["id"]), (ROOT / r["module"]).read_text(encoding="utf-8"))
                if mutated is not None and not compiles(mutated):
                    r["outcome"] = NOT_COMPILING
        ledger.reclassify(part["results"])
        head = part.get("head") or [f"Command: `{part['command']}`.", ""]
        replace_between(doc, start, end, head + score_lines(part["results"])[0], scope)
    record.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    ledger.record(scope, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
