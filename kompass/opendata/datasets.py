"""The public datasets of a strategy as one registry shared by the DCAT-AP.de catalogue, the CKAN Action API,
the Frictionless data packages and the downloads. A dataset is a set of tables (each served as CSV, all together
as JSON and as a datapackage.json) and, where it has geometry, a GeoJSON file."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from kompass.opendata import selectors

# EU authority tables (http://publications.europa.eu/resource/authority/...) used by the catalogue.
THEME_GOVERNMENT, THEME_TECH, THEME_SOCIETY, THEME_REGIONS = "GOVE", "TECH", "SOCI", "REGI"


@dataclass
class Column:
    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, boolean, date, datetime
    title: str = ""
    required: bool = False


@dataclass
class Table:
    name: str  # resource name (lower-case, a-z0-9-_)
    title: str
    columns: list[Column]
    rows: list[dict]
    primary_key: list[str] = field(default_factory=list)


@dataclass
class Dataset:
    key: str  # the dataset's name in the catalogue and in CKAN (lower-case, a-z0-9-_)
    title: str
    title_en: str
    description: str
    keywords: list[str]
    themes: list[str]
    frequency: str  # EU frequency code: IRREG, ANNUAL, QUARTERLY, MONTHLY, CONT, ...
    modified: datetime.datetime
    issued: datetime.datetime | None = None
    temporal: tuple[datetime.date, datetime.date] | None = None
    districts: list = field(default_factory=list)  # spatial coverage (strategy.District)
    landing_path: str = ""
    tables_factory: Callable[[], list[Table]] | None = None
    geojson_factory: Callable[[], dict] | None = None
    group: str = ""  # the CKAN group: framework, measures, monitoring, lifecycle, lottery
    _tables: list[Table] | None = None

    @property
    def tables(self) -> list[Table]:
        if self._tables is None:
            self._tables = self.tables_factory() if self.tables_factory else []
        return self._tables

    @property
    def geojson(self) -> dict | None:
        return self.geojson_factory() if self.geojson_factory else None


def _s(name, title="", required=False):
    return Column(name, "string", title, required)


def _dt(value) -> str:
    return value.isoformat() if value else ""


def _newest(*values, default=None):
    present = [v for v in values if v]
    return max(present) if present else default


GROUPS = {
    "framework": ("Strategierahmen", "Strategy framework"),
    "measures": ("Maßnahmen", "Measures"),
    "monitoring": ("Wirkungsmessung", "Monitoring"),
    "lifecycle": ("Umsetzung und Auswahl", "Implementation and selection"),
    "lottery": ("Stadtgremium", "Citizens' panel"),
}


def districts_geojson(strategy) -> dict:
    features = []
    for d in selectors.districts(strategy):
        features.append({"type": "Feature", "id": d.slug, "geometry": d.geometry,
                         "properties": {"slug": d.slug, "name": d.name, "name_en": d.name_en, "kind": d.kind,
                                        "official_key": d.official_key}})
    return {"type": "FeatureCollection", "features": features}


# --- builders ------------------------------------------------------------------------------------------------

def _framework(strategy, districts) -> Dataset:
    def tables():
        values = [{"slug": v.slug, "name": v.name, "name_en": v.name_en, "summary": v.summary}
                  for v in strategy.values.all()]
        persp = [{"slug": p.slug, "name": p.name, "name_en": p.name_en, "kind": p.kind}
                 for p in strategy.perspectives.all()]
        fields = [{"slug": a.slug, "name": a.name, "name_en": a.name_en, "cluster": a.cluster.slug,
                   "cluster_name": a.cluster.name} for a in strategy.action_fields.select_related("cluster")]
        dists = [{"slug": d.slug, "name": d.name, "name_en": d.name_en, "kind": d.kind,
                  "official_key": d.official_key} for d in districts]
        ref = [_s("slug", "Kennung", True), _s("name", "Name", True), _s("name_en", "Name (English)")]
        return [
            Table("values", "Leitgedanken", [*ref, _s("summary", "Kurzbeschreibung")], values, ["slug"]),
            Table("perspectives", "Zukunftsperspektiven", [*ref, _s("kind", "Art")], persp, ["slug"]),
            Table("action-fields", "Handlungsfelder", [*ref, _s("cluster", "Cluster"),
                                                       _s("cluster_name", "Cluster (Name)")], fields, ["slug"]),
            Table("districts", "Bezirke", [*ref, _s("kind", "Art"), _s("official_key", "Amtlicher Schlüssel")],
                  dists, ["slug"]),
        ]

    return Dataset(
        key=f"{strategy.slug}-strategierahmen", title=f"{strategy.name}: Strategierahmen",
        title_en=f"{strategy.name_en or strategy.name}: strategy framework",
        description=(f"Wertekompass, Zukunftsperspektiven, Handlungsfelder und Bezirke der Strategie "
                     f"„{strategy.name}“ ({strategy.city})."),
        keywords=["Digitalstrategie", "Smart City", strategy.city, "Strategierahmen"],
        themes=[THEME_GOVERNMENT, THEME_REGIONS], frequency="IRREG",
        modified=strategy.updated_at, issued=strategy.created_at, districts=districts,
        landing_path=reverse("portal:values"), tables_factory=tables,
        geojson_factory=lambda: districts_geojson(strategy), group="framework")


MEASURE_COLUMNS = [
    _s("slug", "Kennung", True), _s("title", "Titel", True), _s("title_en", "Titel (English)"),
    _s("summary", "Kurzbeschreibung"), _s("type", "Art"), _s("status", "Status"), _s("phase", "Umsetzungsphase"),
    _s("responsible_organisation", "Verantwortliche Organisation"), _s("districts", "Bezirke"),
    _s("action_fields", "Handlungsfelder"), _s("action_field_names", "Handlungsfelder (Namen)"),
    Column("start_date", "date", "Beginn"),
    Column("end_date", "date", "Ende"), Column("is_pilot", "boolean", "Pilotmaßnahme"),
    Column("is_example", "boolean", "Veranschaulichendes Beispiel"), _s("url", "Webseite"),
]


def _measures(strategy, measures, districts, base_url) -> Dataset:
    def tables():
        rows = [{"slug": m.slug, "title": m.title, "title_en": m.title_en, "summary": m.summary,
                 "type": m.measure_type, "action_field_names": ";".join(a.name for a in m.action_fields.all()),
                 "status": m.status, "phase": m.current_phase.slug if m.current_phase else "",
                 "responsible_organisation": m.responsible_organisation.name,
                 "districts": ";".join(d.slug for d in m.districts.all()),
                 "action_fields": ";".join(a.slug for a in m.action_fields.all()),
                 "start_date": m.start_date, "end_date": m.end_date, "is_pilot": m.is_pilot,
                 "is_example": m.is_example, "url": base_url + reverse("measures:measure", args=[m.slug])}
                for m in measures]
        return [Table("measures", "Maßnahmen", MEASURE_COLUMNS, rows, ["slug"])]

    starts = [m.start_date for m in measures if m.start_date]
    ends = [m.end_date or m.start_date for m in measures if m.end_date or m.start_date]
    return Dataset(
        key=f"{strategy.slug}-massnahmen", title=f"{strategy.name}: Maßnahmenkatalog",
        title_en=f"{strategy.name_en or strategy.name}: catalogue of measures",
        description=f"Alle Maßnahmen der Strategie „{strategy.name}“ mit Art, Status, Umsetzungsphase, "
                    "verantwortlicher Organisation, Bezirken und Handlungsfeldern.",
        keywords=["Maßnahmen", "Digitalisierung", strategy.city],
        themes=[THEME_GOVERNMENT, THEME_TECH], frequency="CONT",
        modified=_newest(*(m.updated_at for m in measures), default=strategy.updated_at),
        issued=strategy.created_at, temporal=(min(starts), max(ends)) if starts and ends else None,
        districts=districts, landing_path=reverse("measures:catalogue"), tables_factory=tables, group="measures")


INDICATOR_COLUMNS = [
    _s("slug", "Kennung", True), _s("name", "Name", True), _s("goal", "Ziel"), _s("level", "Wirkungsebene"),
    _s("unit", "Einheit"), Column("direction", "integer", "Richtung (1 höher ist besser, -1 niedriger)"),
    _s("method", "Methode der Fortschrittsbewertung"), Column("baseline_value", "number", "Ausgangswert"),
    Column("baseline_date", "date", "Datum des Ausgangswerts"), _s("status", "Fortschrittsstatus"),
    _s("data_source", "Datenquelle"), _s("cadence", "Aktualisierung"),
]
TARGET_COLUMNS = [_s("indicator", "Indikator", True), Column("version", "integer", "Version", True),
                  Column("value", "number", "Zielwert"), Column("target_date", "date", "Zieldatum"),
                  _s("reason", "Begründung"), _s("cycle", "Evaluationszyklus")]
MEASUREMENT_COLUMNS = [_s("indicator", "Indikator", True), Column("period", "date", "Zeitraum (Beginn)", True),
                       _s("district", "Bezirk"), Column("value", "number", "Wert", True),
                       Column("provisional", "boolean", "Vorläufig"), _s("source_note", "Quellenhinweis")]


def _measure_monitoring(strategy, measure, inds, targets, points, district_index, base_url) -> Dataset:
    def tables():
        irows = [{"slug": i.slug, "name": i.name, "goal": i.goal.slug, "level": i.goal.level, "unit": i.unit,
                  "direction": i.direction, "method": i.method, "baseline_value": i.baseline_value,
                  "baseline_date": i.baseline_date, "status": getattr(getattr(i, "computed", None), "status", ""),
                  "data_source": i.data_source, "cadence": i.cadence} for i in inds]
        trows = [{"indicator": t.indicator.slug, "version": t.version, "value": t.value,
                  "target_date": t.target_date, "reason": t.reason, "cycle": t.cycle.slug if t.cycle else ""}
                 for t in targets]
        mrows = [{"indicator": p.indicator.slug, "period": p.period,
                  "district": district_index[p.district_id].slug if p.district_id else "", "value": p.value,
                  "provisional": p.is_provisional, "source_note": p.source_note} for p in points]
        return [Table("indicators", "Indikatoren", INDICATOR_COLUMNS, irows, ["slug"]),
                Table("targets", "Zielwerte (Versionen)", TARGET_COLUMNS, trows, ["indicator", "version"]),
                Table("measurements", "Messwerte", MEASUREMENT_COLUMNS, mrows)]

    periods = [p.period for p in points] + [i.baseline_date for i in inds]
    districts = list(measure.districts.all())
    return Dataset(
        key=f"{strategy.slug}-{measure.slug}-wirkung"[:100], title=f"{measure.title}: Indikatoren und Messwerte",
        title_en=f"{measure.title_en or measure.title}: indicators and measurements",
        description=f"Wirkungsindikatoren, Zielwerte mit ihren Versionen und Messwerte der Maßnahme "
                    f"„{measure.title}“ ({strategy.name})."
                    + (" Veranschaulichendes Beispiel mit erfundenen Werten." if measure.is_example else ""),
        keywords=["Wirkungsmessung", "Indikatoren", strategy.city],
        themes=[THEME_GOVERNMENT], frequency="ANNUAL",
        modified=_newest(*(p.entered_at for p in points), *(t.created_at for t in targets),
                         default=measure.updated_at),
        temporal=(min(periods), max(periods)) if periods else None, districts=districts,
        landing_path=reverse("measures:measure", args=[measure.slug]), tables_factory=tables, group="monitoring")


LESSON_COLUMNS = [Column("id", "integer", "Nummer", True), _s("measure", "Maßnahme"), _s("phase", "Phase"),
                  _s("title", "Titel"), _s("what_worked", "Was hat funktioniert"),
                  _s("what_did_not", "Was hat nicht funktioniert"), _s("recommendation", "Empfehlung"),
                  _s("tags", "Schlagwörter"), Column("created_at", "datetime", "Erstellt")]


def lesson_rows(lessons) -> list[dict]:
    return [{"id": x.pk, "measure": x.measure.slug, "phase": x.phase.slug if x.phase else "", "title": x.title,
             "what_worked": x.what_worked, "what_did_not": x.what_did_not, "recommendation": x.recommendation,
             "tags": x.tags, "created_at": x.created_at.replace(microsecond=0)} for x in lessons]


def _lessons(strategy, lessons, districts) -> Dataset:
    return Dataset(
        key=f"{strategy.slug}-lessons-learned", title=f"{strategy.name}: Lessons Learned",
        title_en=f"{strategy.name_en or strategy.name}: lessons learned",
        description="Was die Maßnahmenteams gelernt haben: was funktioniert hat, was nicht, und ihre Empfehlungen "
                    "für andere Teams und Städte.",
        keywords=["Lessons Learned", "Erfahrungen", strategy.city], themes=[THEME_GOVERNMENT], frequency="CONT",
        modified=_newest(*(x.modified for x in lessons), default=strategy.updated_at), districts=districts,
        landing_path=reverse("lifecycle:lessons"),
        tables_factory=lambda: [Table("lessons", "Lessons Learned", LESSON_COLUMNS, lesson_rows(lessons), ["id"])],
        group="lifecycle")


def _candidates(strategy, cands, districts) -> Dataset:
    cols = [_s("slug", "Kennung", True), _s("title", "Titel"), _s("source", "Herkunft"), _s("status", "Status"),
            _s("organisation", "Vorschlagende Organisation"), _s("decision_reason", "Begründung der Entscheidung"),
            Column("decided_at", "datetime", "Entschieden am"), _s("measure", "Aufgenommen als Maßnahme"),
            Column("created_at", "datetime", "Eingereicht")]

    def tables():
        rows = [{"slug": c.slug, "title": c.title, "source": c.source, "status": c.status,
                 "organisation": c.organisation.name if c.organisation else "", "decision_reason": c.decision_reason,
                 "decided_at": c.decided_at.replace(microsecond=0) if c.decided_at else None,
                 "measure": c.measure.slug if c.measure else "", "created_at": c.created_at.replace(microsecond=0)}
                for c in cands]
        return [Table("candidates", "Maßnahmenvorschläge und Entscheidungen", cols, rows, ["slug"])]

    return Dataset(
        key=f"{strategy.slug}-massnahmenvorschlaege", title=f"{strategy.name}: Maßnahmenvorschläge und Entscheidungen",
        title_en=f"{strategy.name_en or strategy.name}: candidate measures and decisions",
        description="Vorgeschlagene Maßnahmen, ihr Stand im Auswahlverfahren und die begründeten Entscheidungen.",
        keywords=["Maßnahmenvorschläge", "Entscheidungen", strategy.city], themes=[THEME_GOVERNMENT],
        frequency="CONT", modified=_newest(*(c.modified for c in cands), default=strategy.updated_at),
        districts=districts, landing_path=reverse("lifecycle:candidates"), tables_factory=tables, group="lifecycle")


def _cycles(strategy, cycles, districts) -> Dataset:
    ccols = [_s("slug", "Kennung", True), _s("name", "Name"), Column("deadline", "date", "Frist"),
             _s("state", "Stand"), Column("opened_at", "datetime", "Eröffnet"),
             Column("closed_at", "datetime", "Abgeschlossen")]
    rcols = [_s("cycle", "Zyklus", True), _s("measure", "Maßnahme", True), _s("learned", "Was wir gelernt haben"),
             _s("proposed_changes", "Vorgeschlagene Änderungen"), Column("submitted_at", "datetime", "Eingereicht")]
    dcols = [_s("cycle", "Zyklus", True), _s("measure", "Maßnahme", True), _s("kind", "Entscheidung"),
             _s("reason", "Begründung"), Column("decided_at", "datetime", "Entschieden am")]

    def tables():
        def t(v):
            return v.replace(microsecond=0) if v else None

        crows = [{"slug": c.slug, "name": c.name, "deadline": c.deadline, "state": c.state,
                  "opened_at": t(c.opened_at), "closed_at": t(c.closed_at)} for c in cycles]
        rrows = [{"cycle": r.cycle.slug, "measure": r.measure.slug, "learned": r.learned,
                  "proposed_changes": r.proposed_changes, "submitted_at": t(r.submitted_at)}
                 for r in selectors.reviews(strategy)]
        drows = [{"cycle": d.cycle.slug, "measure": d.measure.slug, "kind": d.kind, "reason": d.reason,
                  "decided_at": t(d.decided_at)} for d in selectors.cycle_decisions(strategy)]
        return [Table("cycles", "Evaluationszyklen", ccols, crows, ["slug"]),
                Table("reviews", "Rückblicke der Maßnahmenteams", rcols, rrows, ["cycle", "measure"]),
                Table("decisions", "Entscheidungen", dcols, drows, ["cycle", "measure"])]

    dates = [c.opened_at.date() for c in cycles] + [c.deadline for c in cycles]
    return Dataset(
        key=f"{strategy.slug}-evaluationszyklen", title=f"{strategy.name}: Evaluationszyklen",
        title_en=f"{strategy.name_en or strategy.name}: evaluation cycles",
        description="Evaluationszyklen mit den Rückblicken der Maßnahmenteams und den Entscheidungen der Gremien.",
        keywords=["Evaluation", "Wirkungsmessung", strategy.city], themes=[THEME_GOVERNMENT], frequency="ANNUAL",
        modified=_newest(*(c.modified for c in cycles), default=strategy.updated_at),
        temporal=(min(dates), max(dates)) if dates else None, districts=districts,
        landing_path=reverse("monitoring:cycles"), tables_factory=tables, group="monitoring")


def _panel(strategy, panel, districts) -> Dataset:
    from kompass.lottery.selectors import results

    def tables():
        data = results(panel)
        q = [{"category": r["category"], "value": str(r["value"]), "min": r["min"], "max": r["max"],
              "achieved": r["achieved"]} for r in data["achieved"]]
        p = [{"pseudonym": r.pseudonym, "probability": r.probability, "lottery_probability": r.lottery_probability,
              "status": r.status} for r in data["respondents"]]
        return [
            Table("quotas", "Quoten und erreichte Besetzung",
                  [_s("category", "Merkmal", True), _s("value", "Ausprägung", True), Column("min", "integer", "Min"),
                   Column("max", "integer", "Max"), Column("achieved", "integer", "Erreicht")], q,
                  ["category", "value"]),
            Table("probabilities", "Auswahlwahrscheinlichkeiten (pseudonym)",
                  [_s("pseudonym", "Pseudonym", True), Column("probability", "number", "Wahrscheinlichkeit"),
                   Column("lottery_probability", "number", "Wahrscheinlichkeit der Lotterie"),
                   _s("status", "Status")], p, ["pseudonym"]),
        ]

    return Dataset(
        key=f"stadtgremium-{panel.slug}"[:100], title=f"{panel.title}: Prüfdaten des Losverfahrens",
        title_en=f"{panel.title_en or panel.title}: audit data of the lottery",
        description="Pseudonyme Prüfdaten eines veröffentlichten Losverfahrens: Quoten, erreichte Besetzung und "
                    f"Auswahlwahrscheinlichkeiten. Listen-Hash {panel.list_hash or '–'}, Startwert "
                    f"{panel.seed or '–'}.",
        keywords=["Stadtgremium", "Losverfahren", "Bürgerrat"], themes=[THEME_GOVERNMENT, THEME_SOCIETY],
        frequency="NEVER", modified=panel.modified, issued=panel.published_at, districts=districts,
        landing_path=reverse("lottery:audit", args=[panel.slug]), tables_factory=tables, group="lottery")


def _monitoring(strategy, measures, district_index, base_url, *, only=None) -> list[Dataset]:
    """One monitoring dataset per measure with indicators (`only`: restrict the queries to these measures)."""
    from kompass.monitoring.models import Measurement

    inds = selectors.indicators(strategy).prefetch_related(None)
    targets = selectors.targets(strategy)
    points = (Measurement.objects.filter(indicator__measure__strategy=strategy).select_related("indicator")
              .order_by("indicator__slug", "period", "district_id", "pk"))
    if only is not None:
        inds, targets = inds.filter(measure__in=only), targets.filter(indicator__measure__in=only)
        points = points.filter(indicator__measure__in=only)
    by_measure, targets_by, points_by = defaultdict(list), defaultdict(list), defaultdict(list)
    for i in inds:
        by_measure[i.measure_id].append(i)
    for t in targets:
        targets_by[t.indicator.measure_id].append(t)
    for p in points:
        points_by[p.indicator.measure_id].append(p)
    return [_measure_monitoring(strategy, m, by_measure[m.pk], targets_by[m.pk], points_by[m.pk], district_index,
                                base_url) for m in measures if by_measure.get(m.pk)]


def all_datasets(strategy, base_url: str = "") -> list[Dataset]:
    """Every public dataset of the strategy (a fixed number of queries for the metadata; tables are built when
    first read)."""
    districts = list(selectors.districts(strategy))
    city_districts = [d for d in districts if d.kind == "district"]
    measures = selectors.measures_for_export(strategy)
    out = [_framework(strategy, districts), _measures(strategy, measures, city_districts, base_url)]
    out += _monitoring(strategy, measures, {d.pk: d for d in districts}, base_url)
    out.append(_lessons(strategy, list(selectors.lessons(strategy)), city_districts))
    out.append(_candidates(strategy, list(selectors.candidates(strategy)), city_districts))
    out.append(_cycles(strategy, list(selectors.cycles(strategy)), city_districts))
    for panel in selectors.published_panels():
        out.append(_panel(strategy, panel, city_districts))
    return out


def find(strategy, key: str, base_url: str = "") -> Dataset | None:
    """The dataset with this key, building only that one: a download of one measure's monitoring data must not
    cost the whole catalogue (at 10,000 measures that took 11–15 s). Keys it cannot place fall back to the whole
    list, so the answer is always the entry of `all_datasets`."""
    prefix = f"{strategy.slug}-"
    districts = list(selectors.districts(strategy))
    city_districts = [d for d in districts if d.kind == "district"]
    builders = {
        f"{prefix}strategierahmen": lambda: _framework(strategy, districts),
        f"{prefix}massnahmen": lambda: _measures(strategy, selectors.measures_for_export(strategy), city_districts,
                                                 base_url),
        f"{prefix}lessons-learned": lambda: _lessons(strategy, list(selectors.lessons(strategy)), city_districts),
        f"{prefix}massnahmenvorschlaege": lambda: _candidates(strategy, list(selectors.candidates(strategy)),
                                                              city_districts),
        f"{prefix}evaluationszyklen": lambda: _cycles(strategy, list(selectors.cycles(strategy)), city_districts),
    }
    if key in builders:
        return builders[key]()
    if key.startswith("stadtgremium-"):
        panels = [p for p in selectors.published_panels() if f"stadtgremium-{p.slug}"[:100] == key]
        return _panel(strategy, panels[0], city_districts) if panels else None
    if key.startswith(prefix) and key.endswith("-wirkung"):
        slug = key[len(prefix):-len("-wirkung")]
        measures = selectors.measures_for_export(strategy, slugs=[slug])
        found = _monitoring(strategy, measures, {d.pk: d for d in districts}, base_url, only=measures)
        match = next((d for d in found if d.key == key), None)
        if match is not None:
            return match
    return next((d for d in all_datasets(strategy, base_url) if d.key == key), None)
