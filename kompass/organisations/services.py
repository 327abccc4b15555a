"""Writes to organisations: the `organisations` section of a strategy file (registered with the strategy loader
in `OrganisationsConfig.ready()`). Every change is counted in the load report and audited."""

from __future__ import annotations

from kompass.audit.services import record_event
from kompass.organisations.models import FormerName, Organisation
from kompass.strategy.models import District
from kompass.strategy.sections import by_slug, parse_date, texts, touch, upsert


def organisations_load_section(strategy, document: dict, actor, label: str | None, report) -> None:
    """Create or update the organisations named in `document` (matched by slug) and their former names.

    Runs inside `strategy_load`'s transaction and permission check."""
    districts = by_slug(District.objects.filter(strategy=strategy))
    for item in document.get("organisations", []):
        org = upsert(report, "organisation", Organisation, {"strategy": strategy, "slug": item["slug"]}, {
            **texts(item), "abbreviation": item.get("abbreviation", ""), "kind": item["kind"],
            "district": districts.get(item.get("district")), "website": item.get("website", ""),
            "valid_from": parse_date(item.get("valid_from")), "valid_until": parse_date(item.get("valid_until")),
        }, actor, label)
        _sync_former_names(org, item.get("former_names", []), actor, label, report)


def _sync_former_names(org: Organisation, names: list[dict], actor, label, report) -> None:
    wanted = [(n["name"], n.get("abbreviation", ""), parse_date(n.get("valid_from")),
               parse_date(n.get("valid_until"))) for n in names]
    current = [(f.name, f.abbreviation, f.valid_from, f.valid_until)
               for f in org.former_names.order_by("id")]
    if current == wanted:
        return
    org.former_names.all().delete()
    FormerName.objects.bulk_create([
        FormerName(organisation=org, name=a, abbreviation=b, valid_from=c, valid_until=d) for a, b, c, d in wanted
    ])
    touch(org)
    record_event(actor=actor, action="organisation.former_names_changed", obj=org,
                 changes={"former_names": ([c[0] for c in current], [w[0] for w in wanted])}, label=label)
    report.count("former_names", "updated")
