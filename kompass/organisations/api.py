import datetime

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from kompass.core.api_filters import ModifiedSince, last_audit, modified_after
from kompass.core.api_schemas import ErrorResponse
from kompass.core.hardening import MAX_OFFSET
from kompass.organisations.models import Organisation
from kompass.organisations.selectors import organisations_with_counts
from kompass.strategy.selectors import current_strategy

router = Router()


class FormerNameOut(Schema):
    name: str
    abbreviation: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


class OrganisationOut(Schema):
    slug: str
    name: str
    name_en: str = ""
    abbreviation: str = ""
    kind: str
    district: str | None = None
    website: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    former_names: list[FormerNameOut]
    responsible_count: int
    involved_count: int


class OrganisationFilters(ModifiedSince):
    limit: int = Field(500, ge=1, le=500, description=gettext_noop("Page size (1–500)"))
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=gettext_noop("Number of organisations to skip"))


@router.get("organisations", response={200: list[OrganisationOut], 400: ErrorResponse},
            summary=gettext_noop("All organisations of the current strategy"))
def list_organisations(request, filters: Query[OrganisationFilters]):
    qs = organisations_with_counts(current_strategy()).prefetch_related("former_names")
    # Its own `modified_at`; rows from before that column: the newest audit event about it, else the strategy's.
    qs = modified_after(qs, filters, Coalesce(F("modified_at"), last_audit(Organisation), F("strategy__updated_at")))
    return 200, [
        {**{k: getattr(o, k) for k in ("slug", "name", "name_en", "abbreviation", "kind", "website", "valid_from",
                                       "valid_until", "responsible_count", "involved_count")},
         "district": o.district.slug if o.district else None, "former_names": list(o.former_names.all())}
        for o in qs[filters.offset:filters.offset + filters.limit]
    ]


__all__ = ["router", "Organisation"]
