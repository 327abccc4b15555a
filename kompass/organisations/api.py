import datetime

from ninja import Router, Schema

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


@router.get("organisations", response=list[OrganisationOut], summary="All organisations of the current strategy")
def list_organisations(request):
    qs = organisations_with_counts(current_strategy()).prefetch_related("former_names")
    return [
        {**{k: getattr(o, k) for k in ("slug", "name", "name_en", "abbreviation", "kind", "website", "valid_from",
                                       "valid_until", "responsible_count", "involved_count")},
         "district": o.district.slug if o.district else None, "former_names": list(o.former_names.all())}
        for o in qs
    ]


__all__ = ["router", "Organisation"]
