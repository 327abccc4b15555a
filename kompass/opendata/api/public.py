"""Public lists outside monitoring: phase transitions, citizens' panels, districts as GeoJSON, and the Atom feed of
changes across all public data."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpResponse
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from kompass.opendata import changes, selectors
from kompass.opendata.api.common import ListParams, public_list, since
from kompass.strategy.selectors import current_strategy

router = Router()


class TransitionItem(Schema):
    measure: str
    from_phase: str | None = None
    to_phase: str | None = None
    kind: str = Field(..., examples=["forward"],
                      description=gettext_noop("initial, forward, override, back or complete"))
    reason: str = ""
    criteria: list[dict[str, Any]] = Field(..., description=gettext_noop("The exit criteria and whether each was met"))
    occurred_at: datetime.datetime



class TransitionFilters(ListParams):
    measure: str = Field("", description=gettext_noop("Measure slug"), max_length=120)


public_list(router, "transitions", module=__name__, name="list_transitions", item=TransitionItem,
            page_name="TransitionPage", filters=TransitionFilters,
            summary=gettext_noop("Phase transitions of all measures"),
            tags=["lifecycle"],
            text=gettext_noop("Every phase move with its kind, reason and the exit criteria at the time."),
            example="transitions?measure=bodenfeuchte-sensoren-strassenbaeume",
            rows=lambda f: selectors.transitions(current_strategy(), measure=f.measure, since=since(f)),
            serialize=lambda t: {
                "measure": t.measure.slug, "from_phase": t.from_phase.slug if t.from_phase else None,
                "to_phase": t.to_phase.slug if t.to_phase else None, "kind": t.kind, "reason": t.reason,
                "criteria": [{k: c.get(k) for k in ("name", "label", "met")} for c in (t.criteria or [])
                             if isinstance(c, dict)], "occurred_at": t.occurred_at})


class PanelItem(Schema):
    slug: str
    title: str
    title_en: str = ""
    stage: str = Field(..., examples=["published"])
    size: int
    algorithm: str
    list_hash: str = ""
    hash_published_at: datetime.datetime | None = None
    seed: str = ""
    drawn_at: datetime.datetime | None = None
    published_at: datetime.datetime | None = None
    audit: str | None = Field(None, description=gettext_noop("URL of the audit data (published panels)"))
    modified: datetime.datetime



public_list(router, "lottery/panels", module=__name__, name="list_panels", item=PanelItem, page_name="PanelPage",
            summary=gettext_noop("Citizens' panels"), tags=["lottery"],
            text=gettext_noop("Panels whose list hash is public, with hash, seed and the link to the audit."),
            example="lottery/panels", rows=lambda f: selectors.public_panels(since=since(f)),
            serialize=lambda p: {
                "slug": p.slug, "title": p.title, "title_en": p.title_en, "stage": p.stage, "size": p.size,
                "algorithm": p.algorithm, "list_hash": p.list_hash, "hash_published_at": p.hash_published_at,
                "seed": p.seed, "drawn_at": p.drawn_at, "published_at": p.published_at, "modified": p.modified,
                "audit": f"/api/v1/lottery/panels/{p.slug}/audit" if p.stage == "published" else None})


class DistrictProperties(Schema):
    slug: str
    name: str
    name_en: str = ""
    kind: str = Field(..., examples=["district"], description=gettext_noop("district or citywide"))
    official_key: str = Field("", examples=["11000001"], description=gettext_noop("The official key of the district"))


class DistrictFeature(Schema):
    type: Literal["Feature"]
    id: str
    geometry: dict[str, Any] | None
    properties: DistrictProperties


class DistrictCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[DistrictFeature]


@router.get("districts.geojson", response={200: DistrictCollection, 304: None}, tags=["strategy"],
            summary=gettext_noop("Districts as GeoJSON"),
            description=gettext_noop("The districts of the current strategy with their official keys and simplified "
                                     "boundaries "
                        "(WGS84), as a GeoJSON FeatureCollection.\n\nExample: `GET /api/v1/districts.geojson`"))
def districts_geojson(request):
    from kompass.opendata.datasets import districts_geojson as build

    return 200, build(current_strategy())


class ChangeFilters(Schema):
    modified_since: datetime.datetime | None = Field(None,
                                                     description=gettext_noop("Only changes after this moment (ISO "
                                                                              "8601)"))
    limit: int = Field(50, ge=1, le=500, description=gettext_noop("Number of entries (newest first)"))


@router.get("changes.atom", response={200: None, 304: None, 400: Any}, tags=["changes"],
            summary=gettext_noop("Atom feed of changes"),
            description=gettext_noop("The newest changes across all public data (measures, indicators, targets, "
                                     "measurements, "
                        "cycles, reviews, decisions, phase moves, lessons, candidates, panels), newest first, as "
                        "an Atom 1.0 feed.\n\nExample: `GET /api/v1/changes.atom?limit=20`"),
            openapi_extra={"responses": {"200": {"description": "Atom 1.0 feed",
                                                 "content": {"application/atom+xml": {}}}}})
def changes_atom(request, filters: Query[ChangeFilters]):
    params = ListParams(limit=filters.limit, modified_since=filters.modified_since)
    body = changes.atom(request, current_strategy(), since=since(params), limit=filters.limit)
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
