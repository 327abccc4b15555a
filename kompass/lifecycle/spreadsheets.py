"""Measures as spreadsheets (XLSX and CSV): export, and an import that validates every row before writing anything.

Rows are matched by a stable `external_id` (MeasureExternalId); re-importing the same file changes nothing. This
module reads, checks and writes files; it never writes to the database: `kompass.lifecycle.services.measures_import`
writes the checked rows (measures through kompass.measures.services). The `phase` column sets the starting phase of
a measure that has no lifecycle yet; later phase changes go through the phase gates, never through an import."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompass.core import tabular
from kompass.lifecycle.models import MeasureExternalId, Phase
from kompass.measures.models import Measure
from kompass.organisations.models import Organisation
from kompass.strategy.models import ActionField, District

COLUMNS = ["external_id", "slug", "title", "title_en", "type", "status", "responsible_organisation",
           "involved_organisations", "districts", "action_fields", "start", "end", "pilot", "summary", "summary_en",
           "phase"]
REQUIRED = ["external_id", "title", "type", "status", "responsible_organisation"]
MAX_ROWS = 5000
MAX_CHANGES = 1000  # changed rows listed one by one in a report; the counts cover all
LIST_SEP = ";"


@dataclass
class ImportProblem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(reason)s") % {"row": self.row, "column": self.column or "-",
                                                                  "reason": self.reason}


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    # What the import changes (or would change, in a preview): one entry per new or changed row,
    # {"row", "measure", "action": "created"|"updated", "fields": [{"column", "old", "new"}]}; at most MAX_CHANGES.
    changes: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def more_changes(self) -> int:
        return max(0, self.created + self.updated - len(self.changes))

    def note_change(self, number: int, title: str, action: str, fields: list[dict]) -> None:
        if len(self.changes) < MAX_CHANGES:
            self.changes.append({"row": number, "measure": title, "action": action, "fields": fields})

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "problems": [vars(p) for p in self.problems], "changes": self.changes}

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        """The report a job stored (`as_dict`); unknown keys are ignored."""
        return cls(dry_run=bool(data.get("dry_run")), rows=data.get("rows", 0), created=data.get("created", 0),
                   updated=data.get("updated", 0), unchanged=data.get("unchanged", 0),
                   problems=[ImportProblem(**p) for p in data.get("problems", [])],
                   changes=list(data.get("changes", [])))


# Measure fields (as `measure_update` names them) -> the spreadsheet column that sets them.
FIELD_COLUMNS = {"measure_type": "type", "start_date": "start", "end_date": "end", "is_pilot": "pilot"}


def shown(value, names: dict | None = None) -> str:
    """A changed value as the spreadsheet writes it (slugs, ISO dates, yes/no; related pks through `names`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(sorted(shown(v, names) for v in value))
    if names is not None and value in names:
        return names[value]
    return str(getattr(value, "slug", value))[:120]




def read_rows(name: str, content: bytes) -> tuple[list[str], list[dict]]:
    """Header and rows (dicts of strings; None for a blank row) from XLSX or CSV bytes, through core.tabular.

    Raises ValidationError for unreadable files, files over the size limit or with more than MAX_ROWS rows."""
    try:
        table = tabular.read_table(name, content, max_rows=MAX_ROWS, keep_blank=True, strip_guard=True)
    except tabular.TabularError as exc:
        raise ValidationError(str(exc)) from exc
    return table.header, [row.values if any(row.values.values()) else None for row in table.rows]


def _date(text: str, end: bool) -> datetime.date:
    if len(text) == 4 and text.isdigit():
        return datetime.date(int(text), 12, 31) if end else datetime.date(int(text), 1, 1)
    return datetime.date.fromisoformat(text[:10])


@dataclass
class ParsedRow:
    """A valid row, ready to write: `existing_pk` is the measure it updates (None: a new measure)."""

    number: int
    row: dict
    lists: dict
    dates: dict
    pilot: bool
    existing_pk: int | None


def validate(*, strategy, name: str, content: bytes, dry_run: bool = False) -> tuple[ImportReport, list[ParsedRow]]:
    """Read and check every row against the strategy (reads only). The report lists every problem; the parsed
    rows are complete only when the report is ok. `kompass.lifecycle.services.measures_import` writes them."""
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows = read_rows(name, content)
    except ValidationError as exc:
        report.problems.append(ImportProblem(0, "", "; ".join(exc.messages)))
        return report, []
    for column in REQUIRED:
        if column not in header:
            report.problems.append(ImportProblem(1, column, _("required column is missing")))
    unknown = [h for h in header if h and h not in COLUMNS]
    for column in unknown:
        report.problems.append(ImportProblem(1, column, _("unknown column")))
    if len(rows) > MAX_ROWS:
        report.problems.append(ImportProblem(MAX_ROWS + 2, "", _("at most %(n)s rows per file") % {"n": MAX_ROWS}))
    if report.problems:
        return report, []

    known = _Known(strategy)
    seen_ids: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    parsed = []
    for offset, row in enumerate(rows):
        if row is None:
            continue
        report.rows += 1
        problems: list[ImportProblem] = []
        item = _check_row(offset + 2, row, known, seen_ids, seen_slugs, problems)
        report.problems += problems
        if not problems:
            parsed.append(item)
    if report.problems:
        report.problems.sort(key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else 99))
        return report, []
    return report, parsed


class _Known:
    """The strategy's slugs a row may name, read once per file."""

    def __init__(self, strategy):
        self.orgs = {o.slug: o for o in Organisation.objects.filter(strategy=strategy)}
        self.districts = {d.slug: d for d in District.objects.filter(strategy=strategy)}
        self.fields = {a.slug: a for a in ActionField.objects.filter(strategy=strategy)}
        self.phases = {p.slug: p for p in Phase.objects.filter(strategy=strategy)}
        self.ids = {e.external_id: e.measure_id for e in MeasureExternalId.objects.filter(strategy=strategy)}
        self.slug_owner = dict(Measure.objects.filter(strategy=strategy).values_list("slug", "pk"))
        self.linked = set(self.ids.values())


def _check_row(number: int, row: dict, known: _Known, seen_ids: dict, seen_slugs: dict,
               problems: list[ImportProblem]) -> ParsedRow:
    def bad(column, reason):
        problems.append(ImportProblem(number, column, reason))

    for column in REQUIRED:
        if not row.get(column):
            bad(column, _("required value is empty"))
    ext = row.get("external_id", "")
    if len(ext) > 100:
        bad("external_id", _("longer than %(n)s characters") % {"n": 100})
    if ext in seen_ids:
        bad("external_id", _("same as in row %(row)s") % {"row": seen_ids[ext]})
    seen_ids.setdefault(ext, number)
    if row.get("type") and row["type"] not in Measure.Type.values:
        bad("type", _("must be one of %(values)s") % {"values": ", ".join(Measure.Type.values)})
    if row.get("status") and row["status"] not in Measure.Status.values:
        bad("status", _("must be one of %(values)s") % {"values": ", ".join(Measure.Status.values)})
    if row.get("responsible_organisation") and row["responsible_organisation"] not in known.orgs:
        bad("responsible_organisation", _("unknown organisation “%(slug)s”") % {
            "slug": row["responsible_organisation"][:80]})
    lists = {}
    for column, slugs_known, unknown_text in (("involved_organisations", known.orgs, _("unknown organisation “%s”")),
                                              ("districts", known.districts, _("unknown district “%s”")),
                                              ("action_fields", known.fields, _("unknown action field “%s”"))):
        slugs = [s.strip() for s in row.get(column, "").split(LIST_SEP) if s.strip()]
        for s in slugs:
            if s not in slugs_known:
                bad(column, unknown_text % s[:80])
        lists[column] = [slugs_known[s] for s in slugs if s in slugs_known]
    dates = {}
    for column in ("start", "end"):
        if row.get(column):
            try:
                dates[column] = _date(row[column], column == "end")
            except ValueError:
                bad(column, _("not a date (YYYY-MM-DD or a year)"))
    if dates.get("start") and dates.get("end") and dates["end"] < dates["start"]:
        bad("end", _("the end lies before the start"))
    pilot = row.get("pilot", "").lower()
    if pilot not in ("", "yes", "no", "ja", "nein", "true", "false", "1", "0"):
        bad("pilot", _("must be yes or no"))
    if row.get("phase") and row["phase"] not in known.phases:
        bad("phase", _("unknown phase “%(slug)s”") % {"slug": row["phase"][:80]})
    if len(row.get("title", "")) > 250:
        bad("title", _("longer than %(n)s characters") % {"n": 250})
    slug = row.get("slug", "")
    existing_pk = known.ids.get(ext)
    if existing_pk is None and slug and known.slug_owner.get(slug) and known.slug_owner[slug] not in known.linked:
        existing_pk = known.slug_owner[slug]  # first import of an exported measure: adopt it by slug
    if slug:
        if slugify(slug) != slug or len(slug) > 120:
            bad("slug", _("use lower-case letters, digits and hyphens only"))
        elif known.slug_owner.get(slug) not in (None, existing_pk):
            bad("slug", _("“%(slug)s” belongs to another measure") % {"slug": slug})
        elif slug in seen_slugs:
            bad("slug", _("same as in row %(row)s") % {"row": seen_slugs[slug]})
        seen_slugs.setdefault(slug, number)
    return ParsedRow(number, row, lists, dates, pilot in ("yes", "ja", "true", "1"), existing_pk)


def export_rows(strategy) -> list[list[str]]:
    from kompass.lifecycle.selectors import measures_for_export

    first = first_phase(strategy)
    rows = [COLUMNS]
    for m in measures_for_export(strategy):
        ext = getattr(m, "external_id", None)
        lifecycle = getattr(m, "lifecycle", None)
        phase = lifecycle.phase.slug if lifecycle else (first.slug if first else "")
        rows.append([
            ext.external_id if ext else m.slug, m.slug, m.title, m.title_en, m.measure_type, m.status,
            m.responsible_organisation.slug, LIST_SEP.join(o.slug for o in m.involved_organisations.all()),
            LIST_SEP.join(d.slug for d in m.districts.all()), LIST_SEP.join(a.slug for a in m.action_fields.all()),
            m.start_date.isoformat() if m.start_date else "", m.end_date.isoformat() if m.end_date else "",
            "yes" if m.is_pilot else "no", m.summary, m.summary_en, phase,
        ])
    return rows


def first_phase(strategy) -> Phase | None:
    """The phase a measure without a lifecycle row is in (the export writes it; re-importing it changes nothing)."""
    return Phase.objects.filter(strategy=strategy).order_by("position", "pk").first()


def export_csv(strategy) -> bytes:
    return tabular.write_csv(None, export_rows(strategy))


def export_xlsx(strategy) -> bytes:
    return tabular.write_xlsx(None, export_rows(strategy), sheet="measures")
