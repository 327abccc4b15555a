"""What mutate.py keeps across runs: the mutants recorded as equivalent (each with its reason) and the score of
every fresh seeded run per scope (docs/mutation/history.json), from which it writes the score table of
docs/mutation/README.md. A seed already used for a scope is refused for a score: tests written after that run
know its mutants, so the same sample would no longer be an unbiased estimate."""

from __future__ import annotations

import datetime
import json
import math
import re
from pathlib import Path

from equivalent import EQUIVALENT

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "docs" / "mutation" / "history.json"
README = ROOT / "docs" / "mutation" / "README.md"
START, END = "<!-- SCORES:START -->", "<!-- SCORES:END -->"
EQUIVALENT_OUTCOME = "equivalent (recorded)"


def equivalent_reason(ident: str, change: str) -> str | None:
    """The recorded reason if this mutant (id and changed line) is recorded as equivalent. The changed line
    guards against a stale record: when the module changes, occurrence numbers shift to other mutants."""
    entry = EQUIVALENT.get(ident)
    if entry is None:
        return None
    fragment, reason = entry
    return reason if fragment in change else None


def reclassify(results: list[dict]) -> None:
    """Survivors (or drawn mutants) that are recorded as equivalent leave the score, with their reason."""
    for r in results:
        if r["outcome"] in ("survived", EQUIVALENT_OUTCOME):
            reason = equivalent_reason(r["id"], r.get("change", ""))
            if reason:
                r["outcome"], r["reason"] = EQUIVALENT_OUTCOME, reason
            elif r["outcome"] == EQUIVALENT_OUTCOME:
                r["outcome"] = "survived"


def load_history() -> list[dict]:
    return json.loads(HISTORY.read_text(encoding="utf-8")) if HISTORY.exists() else []


def seeds_used(scope: str, before: str | None = None) -> list[int]:
    return sorted({h["seed"] for h in load_history() if h["scope"] == scope and (before is None or h["date"] < before)})


def wilson(killed: int, ran: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion killed/ran."""
    if not ran:
        return 0.0, 1.0
    p = killed / ran
    centre = (p + z * z / (2 * ran)) / (1 + z * z / ran)
    half = z / (1 + z * z / ran) * math.sqrt(p * (1 - p) / ran + z * z / (4 * ran * ran))
    return max(0.0, centre - half), min(1.0, centre + half)


def run_facts(data: dict) -> dict | None:
    """Date, seed and sample size of a seeded run, read from what mutate.py wrote (None for a re-run)."""
    seed, sample = re.search(r"--seed (\d+)", data["command"]), re.search(r"--sample (\d+)", data["command"])
    date = re.search(r"Run (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", " ".join(data.get("head", [])))
    if not (seed and sample and date):
        return None
    return {"date": date.group(1), "seed": int(seed.group(1)), "sample": int(sample.group(1))}


def record(scope: str, data: dict) -> None:
    """Add (or update) the fresh run in `data` (a SCOPE.json) to the history and rewrite the score table."""
    facts = run_facts(data)
    if facts is None:
        return
    results = data["results"]
    killed = sum(r["outcome"].startswith("killed") for r in results)
    survived = sum(r["outcome"] == "survived" for r in results)
    entry = {"scope": scope, **facts, "command": data["command"], "ran": killed + survived, "killed": killed,
             "survived": survived, "equivalent": sum(r["outcome"] == EQUIVALENT_OUTCOME for r in results)}
    history = [h for h in load_history() if (h["scope"], h["seed"], h["date"]) != (scope, entry["seed"], entry["date"])]
    history = sorted([*history, entry], key=lambda h: (h["scope"], h["date"]))
    HISTORY.write_text(json.dumps(history, indent=1) + "\n", encoding="utf-8")
    write_table(history)


def write_table(history: list[dict]) -> None:
    lines = ["| scope | date (UTC) | command | seed | drawn | ran | killed | survived | equivalent (left out) | "
             "killed / ran | 95 % Wilson | seeds used before |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for scope in sorted({h["scope"] for h in history}):
        runs = [h for h in history if h["scope"] == scope and "ran" in h]
        if not runs:
            continue
        h = runs[-1]
        lo, hi = wilson(h["killed"], h["ran"])
        before = ", ".join(str(s) for s in seeds_used(scope, h["date"])) or "none"
        lines.append(f"| {scope} | {h['date']} | `{h['command']}` | {h['seed']} | {h['sample']} | {h['ran']} | "
                     f"{h['killed']} | {h['survived']} | {h['equivalent']} | "
                     f"{100 * h['killed'] / h['ran'] if h['ran'] else 0:.1f} % | {100 * lo:.1f} – {100 * hi:.1f} % | "
                     f"{before} |")
    lines += ["", f"Written by `mutation/mutate.py` after each seeded run ({datetime.date.today():%Y-%m-%d}); every "
              "run is in [history.json](history.json). A row is an unbiased estimate when its seed is not among the "
              "seeds used before: no test was written for a mutant of that sample before it ran."]
    text = README.read_text(encoding="utf-8")
    if START not in text:
        text += f"\n## Score per scope\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    README.write_text(head + "\n".join([START, *lines, END]) + tail, encoding="utf-8")
