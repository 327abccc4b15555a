import datetime

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from kompass.core.api_errors import ApiParameterError
from kompass.core.api_filters import ModifiedSince, modified_after
from kompass.core.api_schemas import ErrorResponse, Ref
from kompass.core.fragments import shared_api_answer
from kompass.core.hardening import MAX_OFFSET
from kompass.measures import selectors
from kompass.measures.filters import item_field
from kompass.measures.models import Measure
from kompass.strategy.selectors import current_strategy

router = Router()


class OrganisationRef(Ref):
    abbreviation: str = ""


class StrengthRef(Ref):
    strength: int


class MeasureListItem(Schema):
    slug: str
    type: str
    title: str
    title_en: str = ""
    summary: str = ""
    summary_en: str = ""
    status: str
    is_pilot: bool
    is_example: bool
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    responsible_organisation: OrganisationRef
    districts: list[Ref]
    action_fields: list[Ref]
    phase: Ref | None = Field(None, description=gettext_noop("Current phase of the implementation process"))
    updated_at: datetime.datetime | None = None


class MeasureDetail(MeasureListItem):
    title_ls: str = ""
    summary_ls: str = ""
    description: str = ""
    description_en: str = ""
    description_ls: str = ""
    involved_organisations: list[OrganisationRef]
    values: list[StrengthRef]
    perspectives: list[StrengthRef]
    spatial_level: Ref | None = None
    participation: str = ""
    participation_en: str = ""
    impact: str = ""
    impact_en: str = ""
    contact_role: str = ""
    contact_email: str = ""
    contact_url: str = ""


class MeasurePage(Schema):
    count: int
    items: list[MeasureListItem]


class MeasureFilters(ModifiedSince):
    q: str = Field("", description=gettext_noop("Full-text search (German stemming on PostgreSQL)"))
    type: str = Field("", description=gettext_noop("central, decentral or network"))
    status: str = Field("", description=gettext_noop("planned, running or completed"))
    district: str = Field("", description=gettext_noop("District slug"))
    action_field: str = Field("", description=gettext_noop("Action field slug"))
    value: str = Field("", description=gettext_noop("Value (Leitgedanke) slug"))
    perspective: str = Field("", description=gettext_noop("Future perspective slug"))
    organisation: str = Field("", description=gettext_noop("Organisation slug (responsible or involved)"))
    pilot: str = Field("", description=gettext_noop("yes or no"))
    example: str = Field("", description=gettext_noop("yes or no: illustrative example records"))
    phase: str = Field("", description=gettext_noop("Phase slug of the implementation process (e.g. vorprozess)"))
    sort: str = Field("", description=gettext_noop("title, newest, oldest, status or relevance"))
    limit: int = Field(20, ge=1, le=settings.KOMPASS_API_PAGE_SIZE_MAX)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _ref(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name, "name_en": obj.name_en}


def _org(obj) -> dict:
    return {**_ref(obj), "abbreviation": obj.abbreviation}


def _list_item(m: Measure, phase=None) -> dict:
    return {
        "phase": _ref(phase) if phase else None, "updated_at": m.updated_at,
        "slug": m.slug, "type": m.measure_type, "title": m.title, "title_en": m.title_en, "summary": m.summary,
        "summary_en": m.summary_en, "status": m.status, "is_pilot": m.is_pilot, "is_example": m.is_example,
        "start_date": m.start_date, "end_date": m.end_date,
        "responsible_organisation": _org(m.responsible_organisation),
        "districts": [_ref(d) for d in m.districts.all()], "action_fields": [_ref(a) for a in m.action_fields.all()],
    }


@router.get("measures", response={200: MeasurePage, 400: ErrorResponse},
            summary=gettext_noop("Measures, filtered, searched and paginated like the catalogue"))
@shared_api_answer("measures.list")
def list_measures(request, filters: Query[MeasureFilters]):
    strategy = current_strategy()
    query = selectors.parse_catalogue_params(filters.dict(), selectors.CatalogueOptions(strategy))
    if query.errors:
        raise ApiParameterError(query.errors)
    qs = selectors.catalogue(strategy, query)
    qs = modified_after(qs, filters, "updated_at")
    count = qs.count()
    page = list(selectors.with_card_data(qs)[filters.offset:filters.offset + filters.limit])
    phases = item_field("phase", strategy, [m.pk for m in page])
    return 200, {"count": count, "items": [_list_item(m, phases.get(m.pk)) for m in page]}


@router.get("measures/{slug}", response={200: MeasureDetail, 404: ErrorResponse}, summary=gettext_noop("One measure"))
@shared_api_answer("measures.detail")
def get_measure(request, slug: str):
    strategy = current_strategy()
    try:
        m = selectors.measure_detail(strategy, slug)
    except Http404:
        return 404, {"detail": [{"param": "slug", "loc": ["path", "slug"], "msg": f"No measure '{slug}'."}]}
    return 200, {
        **_list_item(m, item_field("phase", strategy, [m.pk]).get(m.pk)),
        **{k: getattr(m, k) for k in ("title_ls", "summary_ls", "description", "description_en", "description_ls",
                                      "participation", "participation_en", "impact", "impact_en", "contact_role",
                                      "contact_email", "contact_url")},
        "involved_organisations": [_org(o) for o in m.involved_organisations.all()],
        "values": [{**_ref(link.value), "strength": link.strength} for link in m.value_links.all()],
        "perspectives": [{**_ref(link.perspective), "strength": link.strength} for link in m.perspective_links.all()],
        "spatial_level": _ref(m.spatial_level) if m.spatial_level else None,
    }
