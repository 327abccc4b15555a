"""Reads of measures: the catalogue query (shared by the portal and the API), the measure page, related measures.

The number of SQL queries of every function here is independent of the number of measures."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, When, prefetch_related_objects
from django.db.models import Value as V
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kompass.core.text import fold, folded, search_terms
from kompass.measures.filters import catalogue_filter, catalogue_filters
from kompass.measures.models import Measure, MeasurePerspective, MeasureValue
from kompass.organisations.models import Organisation
from kompass.strategy.models import ActionField, District, FuturePerspective, Value

SORTS = {
    "title": (_("Title (A–Z)"), ["title", "pk"]),
    "newest": (_("Newest start first"), [F("start_date").desc(nulls_last=True), "title", "pk"]),
    "oldest": (_("Oldest start first"), [F("start_date").asc(nulls_last=True), "title", "pk"]),
    "status": (_("Status"), ["status", "title", "pk"]),
    "relevance": (_("Relevance (with a search)"), None),
}
BOOLEAN_CHOICES = {"yes": True, "no": False}
PARAM_LABELS = {
    "type": _("Type"), "status": _("Status"), "district": _("District"), "action_field": _("Action field"),
    "value": _("Value"), "perspective": _("Future perspective"), "organisation": _("Organisation"),
    "pilot": _("Pilot measure"), "example": _("Illustrative example"),
}
# The built-in filters; apps above measures add theirs through `kompass.measures.filters` (e.g. `phase`).
FILTER_PARAMS = ("type", "status", "district", "action_field", "value", "perspective", "organisation", "pilot",
                 "example")


def filter_params() -> tuple[str, ...]:
    return FILTER_PARAMS + tuple(f.param for f in catalogue_filters())


def param_label(param: str):
    registered = catalogue_filter(param)
    return registered.label if registered else PARAM_LABELS[param]


class CatalogueOptions:
    """The choices for every catalogue filter of one strategy (one query per option list, loaded lazily)."""

    def __init__(self, strategy):
        self.strategy = strategy
        self._extra: dict[str, list] = {}

    @cached_property
    def districts(self):
        return list(District.objects.filter(strategy=self.strategy).defer("geometry", "description",
                                                                            "description_en"))

    @cached_property
    def action_fields(self):
        return list(ActionField.objects.filter(strategy=self.strategy).select_related("cluster")
                    .order_by("cluster__position", "position"))

    @cached_property
    def values(self):
        return list(Value.objects.filter(strategy=self.strategy))

    @cached_property
    def perspectives(self):
        return list(FuturePerspective.objects.filter(strategy=self.strategy))

    @cached_property
    def organisations(self):
        return list(Organisation.objects.filter(strategy=self.strategy).only("id", "slug", "name", "name_en",
                                                                                "abbreviation", "strategy_id"))

    def extra(self, param: str) -> list:
        """The options of a registered filter (one query, cached)."""
        if param not in self._extra:
            self._extra[param] = list(catalogue_filter(param).options(self.strategy))
        return self._extra[param]

    @property
    def phases(self):
        """The lifecycle's phases when the lifecycle registered its filter, else an empty list."""
        return self.extra("phase") if catalogue_filter("phase") else []

    def by_slug(self, param: str) -> dict:
        builtin = {"district": "districts", "action_field": "action_fields", "value": "values",
                   "perspective": "perspectives", "organisation": "organisations"}
        items = getattr(self, builtin[param]) if param in builtin else self.extra(param)
        return {item.slug: item for item in items}


@dataclass
class CatalogueQuery:
    """A validated catalogue request. `errors` maps a parameter to a message; invalid filters are ignored."""

    q: str = ""
    sort: str = "title"
    filters: dict = field(default_factory=dict)  # param -> value (model instance, choice or bool)
    errors: dict = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.q or self.filters)


def parse_catalogue_params(params, options: CatalogueOptions) -> CatalogueQuery:
    """Validate query parameters (a QueryDict or dict of strings). Empty values mean "no filter"."""
    query = CatalogueQuery()
    query.q = (params.get("q") or "").strip()[:200]
    sort = (params.get("sort") or "").strip()
    if sort and sort not in SORTS:
        query.errors["sort"] = _("Unknown sort order “%(value)s”.") % {"value": sort}
    query.sort = sort if sort in SORTS else ("relevance" if query.q else "title")
    if query.sort == "relevance" and not query.q:
        query.sort = "title"
    choices = {"type": dict(Measure.Type.choices), "status": dict(Measure.Status.choices)}
    for param in filter_params():
        raw = (params.get(param) or "").strip()
        if not raw:
            continue
        if param in choices:
            valid = raw in choices[param]
            value = raw
        elif param in ("pilot", "example"):
            valid = raw in BOOLEAN_CHOICES
            value = BOOLEAN_CHOICES.get(raw)
        else:
            value = options.by_slug(param).get(raw)
            valid = value is not None
        if valid:
            query.filters[param] = value
        else:
            query.errors[param] = _("Unknown value “%(value)s” for filter “%(param)s”.") % {
                "value": raw[:80], "param": param_label(param)}
    return query


SEARCH_CONFIG = "german"


def search_vector() -> SearchVector:
    """The measure's text as a German tsvector. The GIN index of migration measures/0003 is built from this very
    expression, so PostgreSQL can use it."""
    return SearchVector("search_document", config=SEARCH_CONFIG)


def _search(qs: QuerySet, q: str, rank: bool) -> QuerySet:
    if connection.vendor == "postgresql":
        # websearch syntax: "exact phrase", OR, -excluded; German stemming and stop words.
        # Both the stored document and the query are umlaut-folded ("buerger" finds "Bürger", ADR 0078).
        query = SearchQuery(fold(q), search_type="websearch", config=SEARCH_CONFIG)
        qs = qs.alias(search=search_vector()).filter(search=query)
        return qs.annotate(rank=SearchRank(search_vector(), query)) if rank else qs
    # Elsewhere: every query stem must occur in the folded document; rank by how many occur in the title.
    terms = search_terms(q)
    for term in terms:
        qs = qs.filter(search_document__contains=term)
    if rank:
        qs = qs.annotate(_title_lower=folded("title")).annotate(rank=sum(
            (Case(When(_title_lower__contains=t, then=V(1)), default=V(0), output_field=IntegerField())
             for t in terms), V(0)))
    return qs


def catalogue(strategy, query: CatalogueQuery) -> QuerySet:
    """Measures of `strategy` matching the query, ordered, with what a catalogue card shows prefetched."""
    qs = Measure.objects.filter(strategy=strategy)
    f = query.filters
    if "type" in f:
        qs = qs.filter(measure_type=f["type"])
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if "pilot" in f:
        qs = qs.filter(is_pilot=f["pilot"])
    if "example" in f:
        qs = qs.filter(is_example=f["example"])
    if "district" in f:
        qs = qs.filter(pk__in=Measure.districts.through.objects.filter(district=f["district"])
                       .values("measure_id"))
    if "action_field" in f:
        qs = qs.filter(pk__in=Measure.action_fields.through.objects.filter(actionfield=f["action_field"])
                       .values("measure_id"))
    if "value" in f:
        qs = qs.filter(pk__in=MeasureValue.objects.filter(value=f["value"]).values("measure_id"))
    if "perspective" in f:
        qs = qs.filter(pk__in=MeasurePerspective.objects.filter(perspective=f["perspective"])
                       .values("measure_id"))
    if "organisation" in f:
        org = f["organisation"]
        involved = Measure.involved_organisations.through.objects.filter(organisation=org).values("measure_id")
        qs = qs.filter(Q(responsible_organisation=org) | Q(pk__in=involved))
    for registered in catalogue_filters():
        if registered.param in f:
            qs = registered.apply(qs, f[registered.param], strategy)
    if query.q:
        qs = _search(qs, query.q, rank=query.sort == "relevance")
    order = SORTS[query.sort][1] or ["-rank", "title", "pk"]
    return qs.order_by(*order)


def with_card_data(qs: QuerySet) -> QuerySet:
    """What a catalogue card or an API list item needs, in a fixed number of queries."""
    return qs.select_related("responsible_organisation", "spatial_level").prefetch_related(
        "districts", Prefetch("action_fields", queryset=ActionField.objects.select_related("cluster"))
    ).defer("search_document", "description", "description_en", "description_ls")


def _detail_prefetches() -> list:
    return [
        "involved_organisations", "districts",
        Prefetch("action_fields", queryset=ActionField.objects.select_related("cluster")),
        Prefetch("value_links", queryset=MeasureValue.objects.select_related("value")
                 .order_by("-strength", "value__position")),
        Prefetch("perspective_links", queryset=MeasurePerspective.objects.select_related("perspective")
                 .order_by("-strength", "perspective__position")),
    ]


def measure_head(strategy, slug: str) -> Measure:
    """The measure row with its responsible organisation, spatial level and strategy (one query; 404 when there
    is none). `with_detail_relations` adds what the measure page shows."""
    measure = (Measure.objects.filter(strategy=strategy, slug=slug)
               .select_related("responsible_organisation", "spatial_level", "strategy").first())
    if measure is None:
        raise Http404
    return measure


def with_detail_relations(measure: Measure) -> Measure:
    """Prefetch the relations of the measure page onto `measure` (five queries)."""
    prefetch_related_objects([measure], *_detail_prefetches())
    return measure


def measure_detail(strategy, slug: str) -> Measure:
    return with_detail_relations(measure_head(strategy, slug))


def related_measures(measure: Measure, limit: int = 6) -> list[Measure]:
    """Measures sharing action fields (weight 2) and districts (weight 1) with `measure`, best first.

    Uses the prefetched relations of `measure`; two queries whatever the size of the catalogue."""
    field_ids = [a.pk for a in measure.action_fields.all()]
    district_ids = [d.pk for d in measure.districts.all()]
    if not field_ids and not district_ids:
        return []
    af_table = Measure.action_fields.through._meta.db_table
    d_table = Measure.districts.through._meta.db_table
    parts, params = [], []
    if field_ids:
        parts.append(f"SELECT measure_id, 2 AS w FROM {af_table} WHERE actionfield_id IN "
                     f"({', '.join(['%s'] * len(field_ids))})")
        params += field_ids
    if district_ids:
        parts.append(f"SELECT measure_id, 1 AS w FROM {d_table} WHERE district_id IN "
                     f"({', '.join(['%s'] * len(district_ids))})")
        params += district_ids
    sql = (f"SELECT measure_id, SUM(w) AS score FROM ({' UNION ALL '.join(parts)}) AS shared "
           f"WHERE measure_id <> %s GROUP BY measure_id ORDER BY score DESC, measure_id LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, measure.pk, limit])
        ranked = [row[0] for row in cursor.fetchall()]
    found = Measure.objects.filter(pk__in=ranked).select_related("responsible_organisation").defer(
        "search_document", "description", "description_en", "description_ls")
    by_pk = {m.pk: m for m in found}
    return [by_pk[pk] for pk in ranked if pk in by_pk]


def measures_for_organisation(strategy, organisation) -> QuerySet:
    return catalogue(strategy, CatalogueQuery(filters={"organisation": organisation}))


def measures_for_district(strategy, district) -> QuerySet:
    return catalogue(strategy, CatalogueQuery(filters={"district": district}))


def key_figures(strategy) -> dict:
    """Numbers for the home page, in one query."""
    agg = Measure.objects.filter(strategy=strategy).aggregate(
        total=Count("pk"),
        running=Count("pk", filter=Q(status=Measure.Status.RUNNING)),
        completed=Count("pk", filter=Q(status=Measure.Status.COMPLETED)),
        pilots=Count("pk", filter=Q(is_pilot=True)),
        examples=Count("pk", filter=Q(is_example=True)),
        organisations=Count("responsible_organisation", distinct=True),
    )
    return agg
