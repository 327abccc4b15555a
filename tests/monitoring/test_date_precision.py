"""Target and baseline dates keep the precision they were entered with (ADR 0081): forms, the API and the
loader read "2027", "12/2027" or "2027-12" and "31.12.2027"; the precision is stored beside the date, and every
page shows it as entered, in German and English."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from kompass.core.actors import system_actor
from kompass.monitoring import services
from kompass.monitoring.dated import entered, format_dated, parse_dated
from kompass.monitoring.models import Goal, Indicator, TargetVersion

D = datetime.date


@pytest.mark.parametrize("raw,day,precision", [
    ("2027", D(2027, 1, 1), "year"), (2027, D(2027, 1, 1), "year"), (" 2027 ", D(2027, 1, 1), "year"),
    ("12/2027", D(2027, 12, 1), "month"), ("12.2027", D(2027, 12, 1), "month"), ("2027-12", D(2027, 12, 1), "month"),
    ("3/2027", D(2027, 3, 1), "month"), ("31.12.2027", D(2027, 12, 31), "day"), ("2027-12-31", D(2027, 12, 31), "day"),
    ("1.2.2027", D(2027, 2, 1), "day"), (D(2027, 12, 31), D(2027, 12, 31), "day"),
])
def test_dates_are_read_with_their_precision(raw, day, precision):
    value = parse_dated(raw)
    assert value == day and value.precision == precision
    assert parse_dated(entered(value, value.precision)) == value  # what the API hands out reads back the same


@pytest.mark.parametrize("raw", ["", "soon", "13/2027", "2027-13", "31.02.2027", "27", "2027-Q2", "12/31/2027"])
def test_other_text_is_refused_with_a_message(raw):
    with translation.override("de"), pytest.raises(ValueError) as exc:
        parse_dated(raw)
    assert "ist kein" in str(exc.value) and "Datum" in str(exc.value)


def test_each_precision_is_shown_as_entered_in_german_and_english():
    day = D(2027, 12, 1)
    with translation.override("de"):
        assert [format_dated(day, p) for p in ("year", "month", "day")] == ["2027", "Dezember 2027", "01.12.2027"]
    with translation.override("en"):
        assert [format_dated(day, p) for p in ("year", "month", "day")] == ["2027", "December 2027", "12/01/2027"]
    assert format_dated(None, "year") == "–"


pytestmark = pytest.mark.django_db
ADMIN_PASSWORD = "S3cure-pass-word"


def _goal():
    return Goal.objects.get(slug="sensoren-installiert")


def test_the_form_stores_the_precision_and_every_page_shows_it(seeded, client, make_user):
    client.force_login(make_user("admin@example.org", admin=True))
    goal = _goal()
    url = reverse("monitoring:indicator_create", args=[goal.measure.slug, goal.slug])
    from tests.portal.test_kern_components import non_kern

    form = client.get(url).content.decode()
    assert 'name="baseline_date"' in form and "Ein Jahr (2027), ein Monat (12/2027)" in form
    assert non_kern(form) == []  # a KERN text field, no browser date picker that refuses "2027"
    response = client.post(url, {"name": "Bezirke", "unit": "Bezirke", "direction": "1", "baseline_value": "2",
                                 "baseline_date": "2022", "target_value": "12", "target_date": "12/2027",
                                 "method": "linear", "cadence": "yearly"})
    assert response.status_code == 302
    new = Indicator.objects.get(goal=goal, name="Bezirke")
    target = new.target_versions.get()
    assert (new.baseline_date, new.baseline_date_precision) == (D(2022, 1, 1), "year")
    assert (target.target_date, target.target_date_precision) == (D(2027, 12, 1), "month")
    page = client.get(reverse("monitoring:indicator", args=[new.slug]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "2 Bezirke (2022)" in page and "Aktueller Zielwert: 12 Bezirke bis Dezember 2027." in page
    assert "01.12.2027" not in page and "01.01.2022" not in page
    measure_page = client.get(reverse("measures:measure", args=[goal.measure.slug])).content.decode()
    assert "12 Bezirke (Dezember 2027)" in measure_page
    # the edit form offers the baseline as entered; saving it unchanged keeps the year
    edit = reverse("monitoring:indicator_edit", args=[new.slug])
    assert 'value="2022"' in client.get(edit).content.decode()
    assert client.post(edit, {"name": "Bezirke", "unit": "Bezirke", "direction": "1", "baseline_value": "2",
                              "baseline_date": "2022", "cadence": "yearly"}).status_code == 302
    assert Indicator.objects.get(pk=new.pk).baseline_date_precision == "year"
    # a day is a day, also at the end of a year
    client.post(edit, {"name": "Bezirke", "unit": "Bezirke", "direction": "1", "baseline_value": "2",
                       "baseline_date": "31.12.2021", "cadence": "yearly"})
    new.refresh_from_db()
    assert (new.baseline_date, new.baseline_date_precision) == (D(2021, 12, 31), "day")
    assert "2 Bezirke (31.12.2021)" in client.get(reverse("monitoring:indicator", args=[new.slug])).content.decode()
    english = client.get("/en" + reverse("monitoring:indicator", args=[new.slug])).content.decode()
    assert "Current target: 12 Bezirke by December 2027." in english


def test_the_form_refuses_what_is_no_date(seeded, client, make_user):
    client.force_login(make_user("admin@example.org", admin=True))
    goal = _goal()
    url = reverse("monitoring:indicator_create", args=[goal.measure.slug, goal.slug])
    response = client.post(url, {"name": "Bezirke", "unit": "Bezirke", "direction": "1", "baseline_value": "2",
                                 "baseline_date": "bald", "target_value": "12", "target_date": "2027",
                                 "method": "linear", "cadence": "yearly"})
    assert response.status_code == 400 and "„bald“ ist kein Datum" in response.content.decode()


def test_the_loader_reads_years_months_and_days(seeded):
    from kompass.monitoring.loader import _date

    ind = Indicator.objects.get(slug="bsp-gebaeude-erfasst")  # the seed file writes "baseline: {date: 2022}"
    assert ind.baseline_date_precision == "year"
    assert set(ind.target_versions.values_list("target_date_precision", flat=True)) == {"year"}
    for raw, precision in [(2027, "year"), ("12/2027", "month"), ("2027-12", "month"), ("31.12.2027", "day"),
                           (D(2027, 12, 31), "day"), ("2027-Q2", "day")]:
        assert _date(raw, "here", "file.yaml").precision == precision


def test_a_new_value_alone_keeps_the_dates_precision(seeded):
    ind = Indicator.objects.get(slug="bsp-gebaeude-erfasst")
    current = ind.target_versions.order_by("-version").first()
    assert current.target_date_precision == "year"
    # a decision that changes only the value passes the current date on as a plain date
    version = services.target_add(actor=system_actor("test"), indicator=ind, value=55, target_date=current.target_date)
    assert version.version == current.version + 1 and version.target_date_precision == "year"


def test_the_api_round_trips_the_precision(seeded, client, make_user):
    from kompass.accounts.services import api_token_create

    office = make_user("office@example.org", office=True)
    _token, secret = api_token_create(actor=office, user=office, name="t")
    auth = {"Authorization": f"Bearer {secret}"}
    url = "/api/v1/monitoring/indicators/bsp-gebaeude-erfasst"
    got = client.get(url).json()
    assert (got["baseline_date"], got["baseline_date_precision"], got["baseline_date_entered"]) == (
        "2022-01-01", "year", "2022")
    posted = client.post(url + "/targets", {"value": "70", "date": "12/2027", "reason": "Neu geplant"},
                         content_type="application/json", headers=auth)
    assert posted.status_code == 200, posted.content
    assert posted.json()["date_precision"] == "month" and posted.json()["date_entered"] == "2027-12"
    last = client.get(url).json()["targets"][-1]
    assert (last["value"], last["date"], last["date_precision"], last["date_entered"]) == (
        70, "2027-12-01", "month", "2027-12")
    again = client.post(url + "/targets", {"value": 75, "date": last["date_entered"]},
                        content_type="application/json", headers=auth)
    assert again.json()["date_precision"] == "month" and again.json()["date"] == "2027-12-01"
    bad = client.post(url + "/targets", {"value": 75, "date": "irgendwann"}, content_type="application/json",
                      headers=auth)
    assert bad.status_code == 400 and bad.json()["detail"][0]["param"] == "date"
    early = client.post(url + "/targets", {"value": 75, "date": "2020"}, content_type="application/json",
                        headers=auth)
    assert early.status_code == 400 and early.json()["detail"][0]["param"] == "date"
    visitor = client.post(url + "/targets", {"value": 75, "date": "2030"}, content_type="application/json")
    assert visitor.status_code == 401  # no token: not authenticated (a signed-in user without the right gets 403)
    assert TargetVersion.objects.filter(indicator__slug="bsp-gebaeude-erfasst", value=75).count() == 1


def test_the_data_migration_turns_the_old_display_rule_into_stored_years(seeded):
    migration = importlib.import_module("kompass.monitoring.migrations.0003_plain_date_precision")
    ind = Indicator.objects.get(slug="bsp-gebaeude-erfasst")
    Indicator.objects.filter(pk=ind.pk).update(baseline_date=D(2021, 12, 31), baseline_date_precision="day")
    mid = TargetVersion.objects.create(indicator=ind, version=9, value=1, target_date=D(2027, 6, 30))
    end = TargetVersion.objects.create(indicator=ind, version=10, value=1, target_date=D(2027, 12, 31))
    TargetVersion.objects.filter(pk__in=[mid.pk, end.pk]).update(target_date_precision="day")
    migration.set_year_precision(apps, None)
    assert Indicator.objects.get(pk=ind.pk).baseline_date_precision == "year"
    assert TargetVersion.objects.get(pk=mid.pk).target_date_precision == "day"
    assert TargetVersion.objects.get(pk=end.pk).target_date_precision == "year"
