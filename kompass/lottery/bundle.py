"""The verification bundle of a drawn panel: pseudonymous pool, quotas, the published lottery and a report in
the CLI's format, so that anyone can run `kompass lottery verify --pool <folder> --report <folder>/report.json`
(it recomputes the lottery from the inputs and checks the list hash and the panel)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from kompass.algorithms.sortition import draw
from kompass.core.tabular import write_machine_csv
from kompass.lottery.models import Panel, Respondent

REPORT_FORMAT = "kompass-lottery-report/1"  # the format kompass.lottery.cli writes and verifies


def household_labels(rows: list[tuple[str, str]]) -> dict[str, str]:
    """(pseudonym, household key) -> pseudonym: "H-n" for households with two or more respondents, else ""."""
    groups: dict[str, list[str]] = {}
    for pseudonym, key in rows:
        if key:
            groups.setdefault(key, []).append(pseudonym)
    multi = sorted((sorted(v) for v in groups.values() if len(v) > 1), key=lambda v: v[0])
    labels = {p: "" for p, _ in rows}
    for n, members in enumerate(multi, start=1):
        for p in members:
            labels[p] = f"H-{n}"
    return labels


def _csv(header, rows) -> bytes:
    # core.tabular's machine CSV, not its guarded writer: these files are read back by `kompass lottery verify`,
    # their SHA-256 is in report.json and the recomputation needs the exact feature values. They hold no text that
    # people typed about themselves: Kompass-made pseudonyms, "H-n" household labels, and the panel's categories,
    # features and quotas (which an officer set up and the verifier must reproduce byte for byte).
    return write_machine_csv(header, rows)


def _json(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def bundle(panel: Panel) -> bytes:
    """A zip with respondents.csv, categories.csv, lottery.json and report.json (1 query)."""
    # the respondents who were in the pool at computation time have a probability (later additions were no input)
    respondents = list(Respondent.objects.filter(panel=panel, probability__isnull=False).order_by("pseudonym")
                       .values_list("pseudonym", "features", "household", "probability"))
    cats = list(panel.categories)
    labels = household_labels([(p, h) for p, _f, h, _pr in respondents])
    pool = _csv(["id", *cats, "household"], [[p, *[f.get(c, "") for c in cats], labels[p]]
                                             for p, f, _h, _pr in respondents])
    quotas = _csv(["category", "feature", "min", "max"],
                  [[c, v, lo, hi] for c in cats for v, (lo, hi) in panel.quotas.get(c, {}).items()])
    index, members = draw(panel.lottery, panel.seed, panel.list_hash)
    summary = panel.summary or {}
    report = {
        "format": REPORT_FORMAT, "algorithm": panel.algorithm, "seed": panel.seed, "k": panel.size,
        "panels": panel.lottery_panels, "gamma": 1.0, "fixed": [], "household_rule": True,
        "household_columns": ["household"], "id_column": "id",
        "inputs": {"pool": {"path": "respondents.csv", "sha256": hashlib.sha256(pool).hexdigest()},
                   "quotas": {"path": "categories.csv", "sha256": hashlib.sha256(quotas).hexdigest()}},
        **{k: v for k, v in summary.items() if k not in ("algorithm", "runtime_seconds")},
        "list_hash": panel.list_hash, "panel_index": index, "panel_ids": members,
        "hash_published_at": panel.hash_published_at.isoformat() if panel.hash_published_at else None,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("respondents.csv", pool), ("categories.csv", quotas),
                           ("lottery.json", _json(panel.lottery)), ("report.json", _json(report))):
            info = zipfile.ZipInfo(f"{panel.slug}/{name}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()
