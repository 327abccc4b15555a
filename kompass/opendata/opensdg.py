"""Open SDG indicator exchange: export indicators in the layout an Open SDG data repository uses
(`data/indicator_<id>.csv` with Year, disaggregation columns and Value; `meta/<id>.md` with YAML front matter),
and read such a repository (a folder or a ZIP) back into plain records for the import service.

Numbering on export: goal = the position of the measure's action-field cluster, target = the action field inside
the cluster, then a running number, e.g. `2-3-1`. Each metadata file also carries `kompass_slug`, so a round trip
matches indicators by slug."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kompass.core import tabular
from kompass.opendata import selectors

DISTRICT_COLUMN = "Bezirk"
GEOCODE_COLUMN = "GeoCode"
MAX_ROWS = 100_000  # rows of one indicator file (an Open SDG file holds every breakdown of every year)


class OpenSdgError(Exception):
    """A file of an Open SDG repository cannot be read; names the file, the row and the problem."""

    def __init__(self, file: str, where: str, problem: str):
        self.file, self.where, self.problem = file, where, problem
        super().__init__(f"{file}: {where}: {problem}")


@dataclass
class SdgIndicator:
    number: str  # e.g. "2-3-1"
    name: str
    unit: str = ""
    slug: str = ""
    source: str = ""
    direction: int = 1
    targets: list[tuple[float, int]] = field(default_factory=list)  # (value, year)
    headline: dict[int, float] = field(default_factory=dict)  # year -> value
    by_geocode: dict[str, dict[int, float]] = field(default_factory=dict)  # official key -> year -> value
    skipped_rows: int = 0


# --- export -------------------------------------------------------------------------------------------------

def _numbers(strategy, indicators) -> dict[int, str]:
    clusters = {c.pk: n for n, c in enumerate(strategy.clusters.order_by("position", "pk"), start=1)}
    fields_in_cluster: dict[int, int] = {}
    per_cluster = defaultdict(int)
    for af in strategy.action_fields.order_by("cluster__position", "position", "pk"):
        per_cluster[af.cluster_id] += 1
        fields_in_cluster[af.pk] = per_cluster[af.cluster_id]
    first_field = {}
    from kompass.measures.models import Measure

    for m in Measure.objects.filter(pk__in={i.measure_id for i in indicators}).prefetch_related("action_fields"):
        afs = sorted(m.action_fields.all(), key=lambda a: (clusters.get(a.cluster_id, 99), a.position, a.pk))
        first_field[m.pk] = afs[0] if afs else None
    running = defaultdict(int)
    out = {}
    for i in indicators:
        af = first_field.get(i.measure_id)
        goal = clusters.get(af.cluster_id, 0) if af else 0
        target = fields_in_cluster.get(af.pk, 0) if af else 0
        running[(goal, target)] += 1
        out[i.pk] = f"{goal}-{target}-{running[(goal, target)]}"
    return out


def export_files(strategy) -> dict[str, bytes]:
    """{path: bytes} of an Open SDG data repository with every indicator of the strategy."""
    from kompass.monitoring.models import Measurement

    indicators = list(selectors.indicators(strategy))
    numbers = _numbers(strategy, indicators)
    points = defaultdict(list)
    for p in (Measurement.objects.filter(indicator__in=indicators).select_related("district")
              .order_by("period", "district__position", "pk")):
        points[p.indicator_id].append(p)
    targets = defaultdict(list)
    for t in selectors.targets(strategy):
        targets[t.indicator_id].append(t)
    files: dict[str, bytes] = {}
    for ind in indicators:
        number = numbers[ind.pk]
        rows = []
        if not any(p.period.year == ind.baseline_date.year and not p.district_id for p in points[ind.pk]):
            rows.append([ind.baseline_date.year, ind.unit, "", "", _num(ind.baseline_value)])
        for p in points[ind.pk]:
            rows.append([p.period.year, ind.unit, p.district.name if p.district_id else "",
                         p.district.official_key if p.district_id else "", _num(p.value)])
        # the shared guarded writer: people open these files too; values stay numbers, so they are never guarded
        out = io.StringIO()
        tabular.write_csv_to(out, ["Year", "Units", DISTRICT_COLUMN, GEOCODE_COLUMN, "Value"], rows,
                             lineterminator="\n")
        files[f"data/indicator_{number}.csv"] = out.getvalue().encode("utf-8")
        latest = targets[ind.pk][-1] if targets[ind.pk] else None
        meta = {
            "indicator_number": number.replace("-", "."), "indicator_name": ind.name,
            "indicator_sort_order": "-".join(f"{int(x):02d}" for x in number.split("-")),
            "goal_number": number.split("-")[0], "target_number": ".".join(number.split("-")[:2]),
            "reporting_status": "complete", "data_non_statistical": False, "graph_type": "line",
            "graph_title": ind.name, "computation_units": ind.unit, "national_indicator_available": ind.name,
            "source_active_1": bool(ind.data_source), "source_organisation_1": ind.data_source,
            "data_show_map": bool(ind.by_district), "auto_progress_calculation": True,
            "kompass_slug": ind.slug, "kompass_measure": ind.measure.slug, "kompass_level": ind.goal.level,
            "kompass_method": ind.method,
        }
        if latest:
            meta["progress_calculation_options"] = [{
                "direction": "negative" if ind.direction < 0 else "positive", "target": latest.value,
                "target_year": latest.target_date.year}]
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        files[f"meta/{number}.md"] = f"---\n{front}---\n{ind.definition}\n".encode()
    return files


def _num(value: float) -> int | float:
    """A whole value as int (written "3", not "3.0"), else the float (written as its repr)."""
    return int(value) if float(value).is_integer() else float(value)


def export_zip(strategy) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, body in sorted(export_files(strategy).items()):
            info = zipfile.ZipInfo(path, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, body)
    return buf.getvalue()


# --- reading ------------------------------------------------------------------------------------------------

MAX_FILES = 5000
MAX_BYTES = 50 * 1024 * 1024


def read_files(source: Path | bytes) -> dict[str, bytes]:
    """The files of an Open SDG repository from a folder or ZIP bytes (only data/*.csv and meta/*.md|yml)."""
    files: dict[str, bytes] = {}
    if isinstance(source, bytes):
        try:
            zf = zipfile.ZipFile(io.BytesIO(source))
        except zipfile.BadZipFile as exc:
            raise OpenSdgError("archive", "-", "not a ZIP file") from exc
        total = 0
        for info in zf.infolist()[:MAX_FILES]:
            name = info.filename.split("/", 1)[-1] if not info.filename.startswith(("data/", "meta/")) \
                else info.filename
            if _wanted(name):
                total += info.file_size
                if total > MAX_BYTES:
                    raise OpenSdgError("archive", "-", "larger than 50 MB unpacked")
                files[name] = zf.read(info)
        return files
    root = Path(source)
    if not root.is_dir():
        raise OpenSdgError(str(root), "-", "not a folder")
    for path in sorted(root.rglob("*"))[:MAX_FILES]:
        rel = path.relative_to(root).as_posix()
        if path.is_file() and _wanted(rel):
            files[rel] = path.read_bytes()
    return files


def _wanted(name: str) -> bool:
    return (name.startswith("data/") and name.endswith(".csv")) or (
        name.startswith("meta/") and name.endswith((".md", ".yml", ".yaml")))


def _meta(name: str, body: bytes) -> dict:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OpenSdgError(name, "-", "not UTF-8") from exc
    if name.endswith(".md"):
        if not text.startswith("---"):
            raise OpenSdgError(name, "line 1", "no YAML front matter")
        text = text.split("---", 2)[1] if text.count("---") >= 2 else ""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise OpenSdgError(name, "front matter", f"invalid YAML: {str(exc)[:120]}") from exc
    if not isinstance(data, dict):
        raise OpenSdgError(name, "front matter", "must be a mapping")
    return data


def _float(name: str, row: int, raw: str) -> float | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
    except ValueError:
        raise OpenSdgError(name, f"row {row}", f"value {raw[:40]!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise OpenSdgError(name, f"row {row}", "value is not finite")
    return value


def parse(files: dict[str, bytes]) -> list[SdgIndicator]:
    metas = {}
    for name, body in files.items():
        if name.startswith("meta/"):
            number = Path(name).stem
            metas[number] = _meta(name, body)
    out = []
    for name, body in sorted(files.items()):
        if not name.startswith("data/"):
            continue
        number = Path(name).stem.removeprefix("indicator_")
        meta = metas.get(number, {})
        ind = SdgIndicator(number=number, name=str(meta.get("indicator_name") or meta.get("graph_title")
                                                   or f"Indikator {number}")[:300],
                           unit=str(meta.get("computation_units") or "")[:60], slug=str(meta.get("kompass_slug") or ""),
                           source=str(meta.get("source_organisation_1") or "")[:300])
        for opt in meta.get("progress_calculation_options") or []:
            if isinstance(opt, dict) and opt.get("target") is not None and opt.get("target_year"):
                try:
                    ind.targets.append((float(opt["target"]), int(opt["target_year"])))
                except (TypeError, ValueError):
                    raise OpenSdgError(f"meta/{number}.md", "progress_calculation_options",
                                       "target and target_year must be numbers") from None
                ind.direction = -1 if str(opt.get("direction", "")).lower() == "negative" else 1
        try:  # the shared reader: its bounds, encoding and header rules (header spelling kept: "Year", "Value")
            table = tabular.read_table(name, body, max_rows=MAX_ROWS, header_key=str.strip)
        except tabular.TabularError as exc:
            raise OpenSdgError(name, f"row {exc.row}" if exc.row else "-", exc.problem) from None
        columns = [c for c in table.header if c]
        rows = [r.values for r in table.rows]
        if "Year" not in columns or "Value" not in columns:
            raise OpenSdgError(name, "header", "needs the columns Year and Value")
        disaggregations = [c for c in columns if c not in {"Year", "Value", "Units", "Series", GEOCODE_COLUMN,
                                                             DISTRICT_COLUMN}]
        for n, row in zip((r.number for r in table.rows), rows, strict=True):
            try:
                year = int(str(row.get("Year") or "").strip()[:4])
            except ValueError:
                raise OpenSdgError(name, f"row {n}", f"year {row.get('Year')!r} is not a year") from None
            if not 1900 <= year <= 2200:
                raise OpenSdgError(name, f"row {n}", f"year {year} is out of range")
            value = _float(name, n, row.get("Value"))
            if value is None:
                ind.skipped_rows += 1
                continue
            if any((row.get(c) or "").strip() for c in disaggregations):
                ind.skipped_rows += 1  # other breakdowns than districts have no place in Kompass
                continue
            geocode = (row.get(GEOCODE_COLUMN) or "").strip()
            if geocode:
                ind.by_geocode.setdefault(geocode, {})[year] = value
            elif (row.get(DISTRICT_COLUMN) or "").strip():
                ind.skipped_rows += 1
            else:
                ind.headline[year] = value
        if not ind.unit and rows:
            ind.unit = tabular.unguard(rows[0].get("Units") or "")[:60]  # our export guards the unit
        out.append(ind)
    return out


def year_start(year: int) -> datetime.date:
    """An Open SDG year as a target or baseline date: its first day, stored with the precision "year"."""
    from kompass.monitoring.dated import Dated

    return Dated(year, 1, 1, precision="year")
