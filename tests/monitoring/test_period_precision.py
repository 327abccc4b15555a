"""Measurement periods keep the precision they were entered with (year, quarter, month, day), like target and
baseline dates (ADR 0081): the form, uploads, the API and the seed loader store it beside the period, the API
returns it, and public pages show a year as "2025", never "01.01.2025"."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from kompass.core.actors import SYSTEM
from kompass.monitoring import services
from kompass.monitoring.dated import entered, format_dated
from kompass.monitoring.models import Indicator, Measurement
from kompass.monitoring.values import parse_period, parse_period_entered

pytestmark = pytest.mark.django_db

D = datetime.date
SLUG = "bsp-gebaeude-erfasst"  # yearly, series 2023–2025, baseline 2022


@pytest.mark.parametrize("raw,day,precision", [
    ("2024", D(2024, 1, 1), "year"), (2024, D(2024, 1, 1), "year"), (2024.0, D(2024, 1, 1), "year"),
    ("2024-Q2", D(2024, 4, 1), "quarter"), ("2024-05", D(2024, 5, 1), "month"),
    ("2024-05-17", D(2024, 5, 17), "day"), ("2024-01-01", D(2024, 1, 1), "day"), (D(2024, 1, 1), D(2024, 1, 1), "day"),
])
def test_periods_are_read_with_their_precision(raw, day, precision):
    value = parse_period_entered(raw)
    assert value == day and value.precision == precision
    assert parse_period(raw) == day and type(parse_period(raw)) is datetime.date
    assert parse_period_entered(entered(value, value.precision)).precision == precision  # reads back the same


def test_each_period_precision_is_shown_as_entered_in_german_and_english():
    with translation.override("de"):
        shown = [format_dated(D(2024, 4, 1), p) for p in ("year", "quarter", "month", "day")]
        assert shown == ["2024", "2. Quartal 2024", "April 2024", "01.04.2024"]
    with translation.override("en"):
        assert format_dated(D(2024, 4, 1), "quarter") == "Q2 2024"


def _rows(*periods, value=40):
    return [{"_row": n, "indicator": SLUG, "period": p, "value": value + n} for n, p in enumerate(periods, 1)]


def test_the_import_stores_the_precision_and_a_new_precision_is_a_change(seeded):
    strategy = Indicator.objects.get(slug=SLUG).measure.strategy
    result = services.measurements_import(actor=SYSTEM, strategy=strategy, rows=_rows("2022-Q3", "2022-11"))
    assert result.created == 2
    stored = dict(Measurement.objects.filter(indicator__slug=SLUG, period__year=2022, district__isnull=True)
                  .values_list("period", "period_precision"))
    assert stored == {D(2022, 7, 1): "quarter", D(2022, 11, 1): "month"}
    again = services.measurements_import(actor=SYSTEM, strategy=strategy, rows=_rows("2022-Q3", "2022-11"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # the same day entered as a day is a different statement about the period: an update, not a duplicate
    day = services.measurements_import(actor=SYSTEM, strategy=strategy, rows=_rows("2022-07-01", value=40))
    assert (day.created, day.updated) == (0, 1)
    assert Measurement.objects.get(indicator__slug=SLUG, period=D(2022, 7, 1)).period_precision == "day"


def test_the_form_stores_a_year_and_the_public_page_shows_the_year(seeded, client, make_user):
    client.force_login(make_user("admin@example.org", admin=True))
    Measurement.objects.filter(indicator__slug=SLUG, period__year=2025).delete()
    response = client.post(reverse("monitoring:measurement_add", args=[SLUG]), {"period": "2025", "value": "41"})
    assert response.status_code == 302, response.content.decode()[:500]
    m = Measurement.objects.get(indicator__slug=SLUG, period=D(2025, 1, 1), district__isnull=True)
    assert (m.value, m.period_precision) == (41, "year")
    client.post(reverse("monitoring:measurement_add", args=[SLUG]), {"period": "2025-05", "value": "43"})
    page = client.get(reverse("monitoring:indicator", args=[SLUG]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<th scope="row" class="kern-table__header">2025</th>' in page
    assert '<th scope="row" class="kern-table__header">Mai 2025</th>' in page
    assert "01.01.2025" not in page and "2025-01-01" not in page  # neither in the table nor in the chart


def test_the_api_takes_and_returns_the_precision(seeded, client, make_user):
    from kompass.accounts.services import api_token_create

    office = make_user("office@example.org", office=True)
    _token, secret = api_token_create(actor=office, user=office, name="t")
    url = f"/api/v1/monitoring/indicators/{SLUG}"
    posted = client.post(url + "/measurements", {"measurements": [{"period": "2022-Q4", "value": 5}]},
                         content_type="application/json", headers={"Authorization": f"Bearer {secret}"})
    assert posted.status_code == 200 and posted.json()["created"] == 1, posted.content
    got = {m["period"]: m for m in client.get(url).json()["measurements"]}
    assert (got["2022-10-01"]["period_precision"], got["2022-10-01"]["period_entered"]) == ("quarter", "2022-Q4")
    assert (got["2023-01-01"]["period_precision"], got["2023-01-01"]["period_entered"]) == ("year", "2023")
    listed = client.get(f"/api/v1/monitoring/measurements?indicator={SLUG}").json()
    items = listed.get("items", listed.get("results", []))
    assert {i["period"]: i["period_precision"] for i in items}["2022-10-01"] == "quarter"


def test_the_seed_loader_stores_years(seeded):
    assert set(Measurement.objects.filter(indicator__slug=SLUG).values_list("period_precision", flat=True)) == {
        "year"}


def test_the_data_migration_turns_the_old_display_rule_into_stored_precision(seeded):
    migration = importlib.import_module("kompass.monitoring.migrations.0004_ux_measurement_period_precision")
    ind = Indicator.objects.get(slug=SLUG)
    mid_year = Measurement.objects.create(indicator=ind, period=D(2022, 6, 30), value=1)
    Measurement.objects.filter(indicator=ind).update(period_precision="day")
    migration.set_period_precision(apps, None)
    stored = dict(Measurement.objects.filter(indicator=ind, district__isnull=True)
                  .values_list("period", "period_precision"))
    assert stored[D(2023, 1, 1)] == "year" and stored[mid_year.period] == "day"
