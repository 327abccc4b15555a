"""Synthetic measures for benchmarks and query-count tests.

Bulk inserts (no audit events: this is generated load, not user work). Every measure gets a responsible
organisation, 1-3 involved organisations, 1-2 districts, 1-3 action fields, values and perspectives, so pages
exercise all their relations. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime
import random

from kompass.measures.models import Measure, MeasurePerspective, MeasureValue
from kompass.organisations.models import Organisation

WORDS = ["Daten", "Kiez", "Wasser", "Beteiligung", "Verwaltung", "Mobilität", "Klima", "Bildung", "Sensoren",
         "Plattform", "Energie", "Nachbarschaft", "Schule", "Gesundheit", "Open Source", "Service", "Labor",
         "Wärme", "Grün", "Lernen", "Sicherheit", "Netz", "Karte", "Dialog"]
KINDS = [k for k, _label in Organisation.Kind.choices]


def generate_organisations(strategy, count: int, seed: int = 1) -> list[Organisation]:
    rng = random.Random(seed)
    start = Organisation.objects.filter(strategy=strategy, slug__startswith="gen-org-").count()
    orgs = [Organisation(strategy=strategy, slug=f"gen-org-{start + i}", name=f"Generierte Organisation {start + i}",
                         abbreviation=f"GO{start + i}", kind=rng.choice(KINDS)) for i in range(count)]
    return Organisation.objects.bulk_create(orgs, batch_size=1000)


def generate_measures(strategy, count: int, *, organisations: int = 0, seed: int = 1) -> int:
    rng = random.Random(seed)
    if organisations:
        generate_organisations(strategy, organisations, seed)
    org_ids = list(Organisation.objects.filter(strategy=strategy).values_list("id", flat=True))
    district_ids = list(strategy.districts.values_list("id", flat=True))
    field_ids = list(strategy.action_fields.values_list("id", flat=True))
    value_ids = list(strategy.values.values_list("id", flat=True))
    perspective_ids = list(strategy.perspectives.values_list("id", flat=True))
    offset = Measure.objects.filter(strategy=strategy, slug__startswith="gen-").count()
    types = [t for t, _l in Measure.Type.choices]
    statuses = [s for s, _l in Measure.Status.choices]
    measures = []
    for i in range(offset, offset + count):
        words = rng.sample(WORDS, 3)
        title = f"{words[0]} und {words[1]} im Fokus {i}"
        summary = f"Eine generierte Maßnahme zu {words[0]}, {words[1]} und {words[2]}."
        start = datetime.date(2020 + rng.randrange(6), 1 + rng.randrange(12), 1)
        measures.append(Measure(
            strategy=strategy, slug=f"gen-{i}", measure_type=rng.choice(types), title=title, summary=summary,
            description=summary * 3, responsible_organisation_id=rng.choice(org_ids), status=rng.choice(statuses),
            start_date=start, end_date=start + datetime.timedelta(days=365 * (1 + rng.randrange(4))),
            is_pilot=rng.random() < 0.05, is_example=True,
            search_document=f"{title}\n{summary}".lower(),
        ))
    created = Measure.objects.bulk_create(measures, batch_size=1000)
    involved, districts, fields, values, perspectives = [], [], [], [], []
    Involved = Measure.involved_organisations.through
    Districts = Measure.districts.through
    Fields = Measure.action_fields.through
    for m in created:
        for org in rng.sample(org_ids, min(len(org_ids), rng.randint(1, 3))):
            involved.append(Involved(measure_id=m.pk, organisation_id=org))
        for d in rng.sample(district_ids, min(len(district_ids), rng.randint(1, 2))):
            districts.append(Districts(measure_id=m.pk, district_id=d))
        for f in rng.sample(field_ids, min(len(field_ids), rng.randint(1, 3))):
            fields.append(Fields(measure_id=m.pk, actionfield_id=f))
        for v in rng.sample(value_ids, min(len(value_ids), rng.randint(1, 2))):
            values.append(MeasureValue(measure_id=m.pk, value_id=v, strength=rng.randint(1, 3)))
        for p in rng.sample(perspective_ids, min(len(perspective_ids), 1)):
            perspectives.append(MeasurePerspective(measure_id=m.pk, perspective_id=p, strength=rng.randint(1, 3)))
    for model, rows in ((Involved, involved), (Districts, districts), (Fields, fields), (MeasureValue, values),
                        (MeasurePerspective, perspectives)):
        model.objects.bulk_create(rows, batch_size=2000)
    return len(created)
