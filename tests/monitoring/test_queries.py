"""Pages cost a fixed number of SQL queries whatever the number of measures, indicators and measurements."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kompass.measures.models import Measure
from kompass.monitoring import services
from kompass.monitoring.models import Goal, Indicator, Measurement, TargetVersion

pytestmark = pytest.mark.django_db


def grow(strategy, measures: int, per_indicator: int):
    """Give `measures` more measures a chain of three goals and `per_indicator` measurements per indicator."""
    from bench.generate import generate_measures

    generate_measures(strategy, measures, seed=7)
    new = list(Measure.objects.filter(strategy=strategy, slug__startswith="gen-").order_by("-pk")[:measures])
    goals = Goal.objects.bulk_create([Goal(measure=m, slug=f"g{level}", level=level, title=f"Ziel {level}",
                                           assumption="Annahme") for m in new
                                      for level in ("output", "outcome", "impact")])
    inds = Indicator.objects.bulk_create([
        Indicator(goal=g, measure_id=g.measure_id, slug=f"gen-{g.measure_id}-{g.level}", name="Indikator",
                  unit="Anzahl", baseline_value=10, baseline_date=datetime.date(2000, 1, 1)) for g in goals])
    TargetVersion.objects.bulk_create([TargetVersion(indicator=i, version=1, value=50,
                                                     target_date=datetime.date(2030, 1, 1)) for i in inds])
    Measurement.objects.bulk_create([Measurement(indicator=i, period=datetime.date(2001 + k, 1, 1), value=10 + k)
                                     for i in inds for k in range(per_indicator)], batch_size=2000)
    services.refresh_statuses(strategy=strategy)


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_and_indicator_page_queries_do_not_grow(seeded, client):
    urls = ["/monitoring/", "/monitoring/?type=central&sort=newest", "/monitoring/indicators/bsp-nachnutzungen/",
            "/monitoring/indicators/bsp-sensoren-installiert/", "/monitoring/cycles/zyklus-2024/",
            "/measures/bodenfeuchte-sensoren-strassenbaeume/"]
    for url in urls:  # warm caches (content types, sessions)
        client.get(url)
    small = {url: count(client, url) for url in urls}
    grow(seeded, 60, 20)
    ind = Indicator.objects.get(slug="bsp-nachnutzungen")
    Measurement.objects.bulk_create([Measurement(indicator=ind, period=datetime.date(2022, m, 1), value=m)
                                     for m in range(2, 13)])
    large = {url: count(client, url) for url in urls}
    assert small == large
