from django.utils.translation import gettext_noop
from ninja import Router, Schema

from kompass.core.api_schemas import Ref
from kompass.strategy import selectors

router = Router()


class Item(Ref):
    description: str = ""
    description_en: str = ""


class ValueOut(Item):
    summary: str = ""
    summary_en: str = ""


class PerspectiveOut(Item):
    kind: str


class PrincipleGroupOut(Item):
    principles: list[Item]


class ClusterOut(Item):
    action_fields: list[Item]


class DistrictOut(Ref):
    kind: str
    official_key: str = ""


class StrategyOut(Schema):
    slug: str
    name: str
    name_en: str = ""
    short_name: str = ""
    city: str
    version: str
    summary: str = ""
    summary_en: str = ""
    data_licence: str = ""
    values: list[ValueOut]
    perspectives: list[PerspectiveOut]
    principle_groups: list[PrincipleGroupOut]
    clusters: list[ClusterOut]
    spatial_levels: list[Item]
    districts: list[DistrictOut]


@router.get("strategy", response=StrategyOut, summary=gettext_noop("The current strategy's framework"))
def get_strategy(request):
    strategy = selectors.current_strategy()
    return {
        **{k: getattr(strategy, k) for k in ("slug", "name", "name_en", "short_name", "city", "version", "summary",
                                             "summary_en", "data_licence")},
        "values": list(strategy.values.all()),
        "perspectives": list(strategy.perspectives.all()),
        "principle_groups": [{**_item(g), "principles": [_item(p) for p in g.principles.all()]}
                             for g in selectors.principle_groups(strategy)],
        "clusters": [{**_item(c), "action_fields": [_item(a) for a in c.action_fields.all()]}
                     for c in selectors.clusters_with_fields(strategy)],
        "spatial_levels": list(strategy.spatial_levels.all()),
        "districts": list(strategy.districts.all()),
    }


def _item(obj) -> dict:
    return {k: getattr(obj, k) for k in ("slug", "name", "name_en", "description", "description_en")}
