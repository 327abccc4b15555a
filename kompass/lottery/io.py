"""Reading and writing lottery files (no Django models; writing goes through core.tabular). Three quota formats:

* Replication / Panelot: ``category,feature,min,max``
* Sortition Foundation: ``feature,value,min,max[,min_flex,max_flex]`` (here "feature" is the attribute)
* OpenDLP: ``category,name,...,min,max`` (extra columns ignored)

and respondent files with an optional id column (``id``, ``unique_id``, ``nationbuilder_id``, ...; otherwise
the 1-based row number is the id) and optional address columns for the household rule.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kompass.algorithms.sortition import Respondent
from kompass.core import tabular

ID_COLUMNS = ("id", "unique_id", "nationbuilder_id", "person_id", "respondent_id", "participant_id", "uid")
QUOTA_FILES = ("categories.csv", "features.csv", "quotas.csv", "targets.csv")
POOL_FILES = ("respondents.csv", "candidates.csv", "people.csv", "pool.csv", "registrants.csv")
HOUSEHOLD_COLUMN_SETS = (
    ("primary_address1", "primary_zip"),
    ("address_line_1", "postcode"),
    ("address1", "postcode"),
    ("address", "postcode"),
    ("household",),
    ("household_id",),
)


class InputError(Exception):
    """A problem with an input file; str() names file, row, column and reason."""

    def __init__(self, path, reason: str, row: int | None = None, column: str | None = None):
        self.path, self.reason, self.row, self.column = str(path), reason, row, column
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {reason}")


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]  # row dicts; row numbers in the file are index + 2 (header is row 1)

    def col(self, *names: str) -> str | None:
        """The actual header name matching one of names (exact, then case-/space-insensitive)."""
        for n in names:
            if n in self.header:
                return n
        norm = {re.sub(r"[\s_-]+", "_", h.strip().lower()): h for h in self.header}
        for n in names:
            key = re.sub(r"[\s_-]+", "_", n.strip().lower())
            if key in norm:
                return norm[key]
        return None


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


#: Bounds for lottery files (a register extract can be large; the byte bound of core.tabular applies as well).
MAX_ROWS = 200_000
TABULAR_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")


def table_from_upload(name: str, content: bytes, *, max_rows: int | None = None) -> Table:
    """A CSV or XLSX file read by `core.tabular` (bounds, encoding, one header rule) as a lottery Table: header
    names keep their spelling (`Table.col` compares them loosely), each row dict carries its row number in
    "__row__". Raises `tabular.TabularError` with a message in the active language."""
    table = tabular.read_table(name, content, max_rows=max_rows or MAX_ROWS, header_key=str.strip)
    rows = [{**r.values, "__row__": str(r.number)} for r in table.rows]
    return Table(Path(name), table.header, rows)


@contextlib.contextmanager
def _english():
    """The command line speaks English: core.tabular's messages in their English msgids, also when the CLI runs
    without a Django project (`python -m kompass.lottery.cli`)."""
    from django.conf import settings
    from django.utils import translation

    if not settings.configured:
        settings.configure(USE_I18N=False)
    with translation.override("en"):
        yield


def read_table(path) -> Table:
    """The command line's reader: a thin adapter over `table_from_upload` that turns a TabularError into an
    InputError naming the file, the row, the column and the problem (exit code 2)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    # core.tabular picks the format by the name; the CLI has always read any other file name as CSV
    name = str(path) if path.suffix.lower() in TABULAR_SUFFIXES else f"{path}.csv"
    with _english():
        try:
            table = table_from_upload(name, path.read_bytes())
        except tabular.TabularError as exc:
            raise InputError(path, exc.problem, row=exc.row, column=exc.column or None) from None
    table.path = path
    return table


def _int(table: Table, row: dict, col: str) -> int:
    raw = row.get(col, "")
    try:
        f = float(raw)
    except ValueError:
        raise InputError(table.path, f"{raw!r} is not an integer", int(row["__row__"]), col) from None
    if f != int(f) or f < 0:
        raise InputError(table.path, f"{raw!r} is not a non-negative integer", int(row["__row__"]), col)
    return int(f)


def read_quotas(path) -> dict[str, dict[str, tuple[int, int]]]:
    t = read_table(path)
    cat_col = t.col("category")
    if cat_col:
        val_col = t.col("feature", "name", "value")
    elif t.col("feature") and t.col("value"):
        cat_col, val_col = t.col("feature"), t.col("value")
    else:
        raise InputError(path, "missing column: expected category,feature|name,min,max or feature,value,min,max", row=1)
    if not val_col:
        raise InputError(path, "missing value column (feature, name or value)", row=1, column="feature")
    mn, mx = t.col("min"), t.col("max")
    for need, c in (("min", mn), ("max", mx)):
        if not c:
            raise InputError(path, "missing column", row=1, column=need)
    quotas: dict[str, dict[str, tuple[int, int]]] = {}
    for r in t.rows:
        row = int(r["__row__"])
        cat, val = r[cat_col], r[val_col]
        if not cat:
            raise InputError(path, "empty category", row, cat_col)
        if not val:
            raise InputError(path, "empty value", row, val_col)
        lo, hi = _int(t, r, mn), _int(t, r, mx)
        if hi < lo:
            raise InputError(path, f"max {hi} is smaller than min {lo}", row, mx)
        if val in quotas.setdefault(cat, {}):
            raise InputError(path, f"duplicate quota {cat}={val}", row, val_col)
        quotas[cat][val] = (lo, hi)
    if not quotas:
        raise InputError(path, "no quotas")
    return quotas


@dataclass
class Pool:
    respondents: list[Respondent]
    table: Table
    id_column: str | None
    category_columns: dict[str, str]
    household_columns: list[str] = field(default_factory=list)


def read_pool(
    path,
    quotas,
    id_column: str | None = None,
    household_columns: list[str] | None = None,
    household_rule: bool = True,
) -> Pool:
    t = read_table(path)
    idc = None
    if id_column:
        idc = t.col(id_column)
        if not idc:
            raise InputError(path, "missing id column", 1, id_column)
    else:
        idc = t.col(*ID_COLUMNS)
    catcols = {}
    for cat in quotas:
        c = t.col(cat)
        if not c:
            raise InputError(path, f"missing column for quota category {cat!r}", 1, cat)
        catcols[cat] = c
    hcols: list[str] = []
    if household_rule:
        if household_columns:
            for h in household_columns:
                c = t.col(h)
                if not c:
                    raise InputError(path, "missing household/address column", 1, h)
                hcols.append(c)
        else:
            for cand in HOUSEHOLD_COLUMN_SETS:
                found = [t.col(c) for c in cand]
                if all(found):
                    hcols = found  # type: ignore[assignment]
                    break
    seen: dict[str, int] = {}
    out = []
    for r in t.rows:
        row = int(r["__row__"])
        rid = r[idc] if idc else str(row - 1)
        if idc and not rid:
            raise InputError(path, "empty id", row, idc)
        if rid in seen:
            raise InputError(path, f"duplicate id {rid!r} (also in row {seen[rid]})", row, idc)
        seen[rid] = row
        feats = {}
        for cat, c in catcols.items():
            v = r[c]
            if v not in quotas[cat]:
                match = [q for q in quotas[cat] if q.strip().lower() == v.strip().lower()]
                if len(match) == 1:
                    v = match[0]
                else:
                    raise InputError(
                        path,
                        f"value {v!r} is not one of the quota values of {cat!r} ({', '.join(sorted(quotas[cat]))})",
                        row,
                        c,
                    )
            feats[cat] = v
        hh = None
        if hcols:
            parts = [r[c] for c in hcols]
            hh = "|".join(parts) if any(parts) else None
        out.append(Respondent(rid, feats, hh))
    if not out:
        raise InputError(path, "no respondents")
    return Pool(out, t, idc, catcols, hcols)


@dataclass
class InstanceFiles:
    pool: Path
    quotas: Path
    k: int | None


def locate(pool: str, quotas: str | None, size: int | None) -> InstanceFiles:
    """Resolve --pool (file or instance folder), --quotas and --size (or K from a folder name ending _K)."""
    p = Path(pool)
    if not p.exists():
        raise InputError(p, "file or folder not found")
    qpath = Path(quotas) if quotas else None
    folder = p if p.is_dir() else p.parent
    if p.is_dir():
        found = [p / f for f in POOL_FILES if (p / f).is_file()]
        if not found:
            raise InputError(p, f"no pool file found in the folder (looked for {', '.join(POOL_FILES)})")
        p = found[0]
    if qpath is None:
        found = [folder / f for f in QUOTA_FILES if (folder / f).is_file()]
        if not found:
            raise InputError(folder, "no quota file given (--quotas) or found in the pool's folder")
        qpath = found[0]
    elif qpath.is_dir():
        found = [qpath / f for f in QUOTA_FILES if (qpath / f).is_file()]
        if not found:
            raise InputError(qpath, "no quota file found in the folder")
        qpath = found[0]
    k = size
    if k is None:
        for cand in (folder, qpath.parent):
            m = re.search(r"_(\d+)$", cand.name)
            if m:
                k = int(m.group(1))
                break
    return InstanceFiles(p, qpath, k)


def write_csv(path, header: list[str], rows) -> None:
    """A CSV for people (panel, probabilities, invitation list) through the shared writer with the formula guard;
    Kompass reads these back only by id (`verify --panel`), which undoes the guard with `tabular.unguard`."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        tabular.write_csv_to(f, header, rows, lineterminator="\n")


def write_json(path, data) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def read_json(path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except json.JSONDecodeError as e:
        raise InputError(path, f"invalid JSON: {e.msg}", row=e.lineno) from None
