"""Row validation, the all-or-nothing import and the upload job (monitoring/services/measurements.py and
uploads.py), pinned where mutation testing found them loose (docs/mutation/monitoring.md): each row error's column
and message, the bounds of the period, what a re-import updates, what the audit event and the job result say."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kompass.audit.models import AuditEvent
from kompass.core import formats
from kompass.core.actors import SYSTEM
from kompass.measures.models import Measure
from kompass.monitoring import services
from kompass.monitoring.models import Indicator, IndicatorStatus, Measurement
from kompass.strategy.models import District

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MEASURE = "open-source-baukasten-fachverfahren"
COUNT = "bsp-komponenten-veroeffentlicht"  # count, baseline 2022-01-01, no districts
BY_DISTRICT = "bsp-nachnutzungen"  # count with a breakdown by district
SHARE = "bsp-innovative-zuschlaege"  # a percentage of another measure


@pytest.fixture
def measure(seeded):
    return Measure.objects.get(slug=MEASURE)


def _errors(seeded, rows, measure=None):
    _clean, errors = services.validate_rows(rows, strategy=seeded, measure=measure)
    return [(e.row, e.column, e.message) for e in errors]


def test_each_bad_cell_is_named_by_row_and_column(seeded, measure):
    long_slug, long_value, long_unit = "k" * 100, "z" * 60, "u" * 60
    rows = [
        {"_row": 2, "indicator": long_slug, "period": "2024", "value": "1"},
        {"_row": 3, "indicator": COUNT, "period": "2024", "value": long_value},
        {"_row": 4, "indicator": COUNT, "period": "2024-Q7", "value": "1"},
        {"_row": 5, "indicator": COUNT, "period": "2024", "value": "-3"},
        {"_row": 6, "indicator": COUNT, "period": "2024", "value": "1", "unit": long_unit},
        {"_row": 7, "indicator": COUNT, "period": "2024", "value": "1", "district": "d" * 100},
        {"_row": 8, "indicator": COUNT, "period": "2024", "value": "1", "provisional": "vielleicht"},
    ]
    district = District.objects.filter(strategy=seeded).order_by("pk").first()
    rows.append({"_row": 9, "indicator": COUNT, "period": "2024", "value": "1", "district": district.slug})
    assert _errors(seeded, rows, measure) == [
        (2, "indicator", f"Unknown indicator “{'k' * 80}” of this measure."),
        (3, "value", f"“{'z' * 40}” is not a number."),
        (4, "period", "“2024-Q7” is not a period (use 2024, 2024-Q2, 2024-05 or 2024-05-17)."),
        (5, "value", "A count or amount cannot be negative."),
        (6, "unit", f"The unit “{'u' * 40}” disagrees with the indicator's unit “Komponenten”."),
        (7, "district", f"Unknown district “{'d' * 80}”."),
        (8, "provisional", "Use yes or no."),
        (9, "district", "This indicator has no breakdown by district."),
    ]


def test_a_row_can_have_several_errors_and_a_row_without_number_counts_as_row_0(seeded):
    assert _errors(seeded, [{"indicator": "", "period": "", "value": None, "provisional": "?"}]) == [
        (0, "indicator", "Unknown indicator “” in this strategy."),
        (0, "value", "“” is not a number."),
        (0, "period", "“” is not a period (use 2024, 2024-Q2, 2024-05 or 2024-05-17)."),
        (0, "provisional", "Use yes or no."),
    ]


def test_a_period_may_lie_from_the_baseline_date_to_today(seeded, measure):
    indicator = Indicator.objects.get(slug=COUNT)
    today = timezone.localdate()
    inside = [indicator.baseline_date, today]
    outside = [indicator.baseline_date - datetime.timedelta(days=1), today + datetime.timedelta(days=1)]
    rows = [{"_row": n, "indicator": COUNT, "period": day.isoformat(), "value": "1"}
            for n, day in enumerate(inside + outside, start=2)]
    errors = _errors(seeded, rows, measure)
    assert [(row, column) for row, column, _message in errors] == [(4, "period"), (5, "period")]
    before = formats.date(indicator.baseline_date - datetime.timedelta(days=1))
    assert errors[0][2] == f"{before} lies outside the indicator's range ({formats.date(indicator.baseline_date)} " \
                           "to today)."


def test_a_unit_that_matches_or_is_left_out_is_accepted(seeded, measure):
    rows = [{"_row": 2, "indicator": COUNT, "period": "2023", "value": "1", "unit": " Komponenten "},
            {"_row": 3, "indicator": COUNT, "period": "2024", "value": "1", "unit": ""}]
    assert _errors(seeded, rows, measure) == []


def test_the_same_indicator_period_and_district_twice_is_refused_naming_the_first_row(seeded):
    district = District.objects.filter(strategy=seeded).order_by("pk").first()
    rows = [{"_row": 2, "indicator": BY_DISTRICT, "period": "2024", "value": "1"},
            {"_row": 3, "indicator": BY_DISTRICT, "period": "2024", "value": "1", "district": district.slug},
            {"_row": 4, "indicator": BY_DISTRICT, "period": "2024-01-01", "value": "2"},
            {"_row": 5, "indicator": BY_DISTRICT, "period": "2024", "value": "2", "district": district.slug},
            {"_row": 6, "indicator": BY_DISTRICT, "period": "2023", "value": "2", "district": district.slug}]
    assert _errors(seeded, rows) == [(4, "period", "Same indicator, period and district as row 2."),
                                     (5, "period", "Same indicator, period and district as row 3.")]


def test_a_clean_row_carries_what_the_import_writes(seeded):
    district = District.objects.filter(strategy=seeded).order_by("pk").first()
    rows = [{"_row": 2, "indicator": f" {BY_DISTRICT} ", "period": "2024-Q2", "value": "1.234,5",
             "district": f" {district.slug} ", "provisional": "ja", "source_note": "  " + "n" * 400}]
    clean, errors = services.validate_rows(rows, strategy=seeded, measure=None)
    assert errors == []
    assert clean == [{"indicator": Indicator.objects.get(slug=BY_DISTRICT), "period": datetime.date(2024, 4, 1),
                      "period_precision": "quarter", "value": 1234.5, "district": district, "is_provisional": True,
                      "source_note": "n" * 300}]


def test_a_rejected_import_names_the_first_five_errors_and_writes_nothing(seeded, measure):
    rows = [{"_row": n, "indicator": COUNT, "period": "2024", "value": "x"} for n in range(2, 9)]
    count = Measurement.objects.count()
    with pytest.raises(services.ImportRejected) as error:
        services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=measure)
    assert len(error.value.errors) == 7
    assert str(error.value) == "; ".join(f"Row {n}, column “value”: “x” is not a number." for n in range(2, 7))
    assert Measurement.objects.count() == count


def test_an_import_without_a_measure_needs_the_permission_on_every_measure_it_touches(seeded, measure, make_user):
    member = make_user("member@example.org", member_of=[measure.responsible_organisation])
    own = [{"_row": 2, "indicator": COUNT, "period": "2023-06", "value": "3"}]
    foreign = [{"_row": 3, "indicator": SHARE, "period": "2023-06", "value": "3"}]
    count = Measurement.objects.count()
    with pytest.raises(PermissionDenied):
        services.measurements_import(actor=member, strategy=seeded, rows=own + foreign)
    assert Measurement.objects.count() == count
    result = services.measurements_import(actor=member, strategy=seeded, rows=own)
    assert (result.created, Measurement.objects.count()) == (1, count + 1)
    assert Measurement.objects.get(indicator__slug=COUNT, period=datetime.date(2023, 6, 1)).entered_by == member


def test_a_re_import_updates_what_changed_and_counts_what_did_not(seeded, measure, make_user):
    member = make_user("member@example.org", member_of=[measure.responsible_organisation])
    rows = [{"_row": 2, "indicator": COUNT, "period": "2023-06", "value": "3"},
            {"_row": 3, "indicator": COUNT, "period": "2023-07", "value": "4"},
            {"_row": 4, "indicator": COUNT, "period": "2023-08", "value": "5"},
            {"_row": 5, "indicator": COUNT, "period": "2023-09", "value": "6"},
            {"_row": 6, "indicator": COUNT, "period": "2023-10", "value": "7"}]
    services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=measure)
    first = Measurement.objects.get(indicator__slug=COUNT, period=datetime.date(2023, 6, 1))
    again = [{**rows[0], "value": "30"}, {**rows[1], "provisional": "ja"}, {**rows[2], "source_note": "Amt"},
             {**rows[3], "period": "2023-09-01"}, rows[4]]
    result = services.measurements_import(actor=member, strategy=seeded, rows=again, measure=measure,
                                          source="api", audit_label="Test")
    assert (result.created, result.updated, result.unchanged) == (0, 4, 1)
    stored = {m.period.month: m for m in Measurement.objects.filter(indicator__slug=COUNT, period__year=2023,
                                                                    period__month__gte=6)}
    assert (stored[6].value, stored[7].is_provisional, stored[8].source_note, stored[9].period_precision) == (
        30, True, "Amt", "day")
    assert stored[6].entered_by == member and stored[6].entered_at > first.entered_at
    assert stored[10].entered_by is None  # unchanged: still the first import's
    event = AuditEvent.objects.filter(action="monitoring.measurements_imported").order_by("-pk").first()
    assert event.changes == {"source": [None, "api"], "created": [0, 0], "updated": [0, 4],
                             "indicators": [None, [COUNT]]}
    assert (event.actor, event.actor_label) == (member, "Test")


def test_an_import_that_changes_nothing_records_nothing_and_one_that_writes_refreshes_the_status(seeded, measure):
    rows = [{"_row": 2, "indicator": COUNT, "period": "2023-06", "value": "3"}]
    services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=measure)
    status = IndicatorStatus.objects.get(indicator__slug=COUNT)
    assert status.n_points == Measurement.objects.filter(indicator__slug=COUNT, district__isnull=True).count()
    events = AuditEvent.objects.filter(action="monitoring.measurements_imported").count()
    services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=measure)
    assert AuditEvent.objects.filter(action="monitoring.measurements_imported").count() == events


def test_an_upload_reports_at_most_200_row_errors_and_how_many_there_were(seeded, measure):
    lines = ["indicator,period,value"] + [f"{COUNT},2024,x{n}" for n in range(250)]
    result = services.upload_import(actor=SYSTEM, strategy=seeded, measure=measure, name="werte.csv",
                                    content="\n".join(lines).encode())
    assert (result["rows"], result["n_errors"], len(result["errors"])) == (0, 250, 200)
    assert result["errors"][0] == {"row": 2, "column": "value", "message": "“x0” is not a number."}
    assert result["errors"][-1]["row"] == 201


def test_an_upload_reports_its_progress_and_counts(seeded, measure):
    content = f"indicator,period,value,comment\n{COUNT},2023-06,3,x\n{COUNT},2023-07,4,y\n".encode()
    calls = []
    result = services.upload_import(actor=SYSTEM, strategy=seeded, measure=measure, name="werte.csv",
                                    content=content, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 2), (2, 2)]
    assert result == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "n_errors": 0, "errors": []}
    event = AuditEvent.objects.filter(action="monitoring.measurements_imported").order_by("-pk").first()
    assert event.changes["source"] == [None, "upload werte.csv"]
    long_name = "w" * 120 + ".csv"
    again = services.upload_import(actor=SYSTEM, strategy=seeded, measure=measure, name=long_name,
                                   content=content + f"{COUNT},2023-08,5,z\n".encode())
    assert (again["rows"], again["created"], again["unchanged"]) == (3, 1, 2)
    event = AuditEvent.objects.filter(action="monitoring.measurements_imported").order_by("-pk").first()
    assert event.changes["source"] == [None, ("upload " + long_name)[:100]]


def test_an_unreadable_upload_is_one_error_naming_row_and_column_where_known(seeded, measure):
    missing = services.upload_import(actor=SYSTEM, strategy=seeded, measure=measure, name="werte.csv",
                                     content=b"period,value\n2024,1\n")
    assert missing == {"rows": 0, "n_errors": 1, "errors": [
        {"row": 1, "column": "indicator", "message": "This required column is missing."}]}
    other = services.upload_import(actor=SYSTEM, strategy=seeded, measure=measure, name="werte.ods", content=b"x")
    assert other == {"rows": 0, "n_errors": 1, "errors": [
        {"row": 0, "column": "-", "message": "Only .xlsx and .csv files can be read."}]}


def test_read_table_keeps_the_known_columns_and_the_row_number(seeded):
    rows = services.read_table("werte.csv", f"indicator;period;value;comment\n{COUNT};2024;1;x\n".encode())
    assert rows == [{"_row": 2, "indicator": COUNT, "period": "2024", "value": "1"}]


@pytest.mark.parametrize(("n_periods", "by_period"), [(200, True), (201, False)])
def test_an_import_reads_the_stored_values_of_its_periods_only_while_they_fit_one_query(seeded, measure, n_periods,
                                                                                          by_period):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = datetime.date(2022, 2, 1)
    rows = [{"_row": n + 2, "indicator": COUNT, "period": (start + datetime.timedelta(days=n)).isoformat(),
             "value": "1"} for n in range(n_periods)]
    with CaptureQueriesContext(connection) as queries:
        result = services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=measure)
    assert result.created == n_periods
    [read] = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith('SELECT "monitoring_measurement"."id"')]
    assert ('"monitoring_measurement"."period" IN (' in read) is by_period


def test_an_upload_is_kept_privately_and_its_job_named_after_the_file(seeded, measure, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kompass.lifecycle.models import private_storage

    member = make_user("member@example.org", member_of=[measure.responsible_organisation])
    name = "w" * 120 + ".XLSX"
    job = services.measurements_upload_start(actor=member, strategy=seeded, measure=measure,
                                             upload=SimpleUploadedFile(f"ordner/{name}", b"x"))
    assert (job.kind, job.title) == ("monitoring.upload", f"Measurements from {name[:100]}")
    strategy_pk, measure_pk, actor_pk, stored, short = job.task_args
    assert (strategy_pk, measure_pk, actor_pk, short) == (seeded.pk, measure.pk, member.pk, name[:100])
    assert stored.startswith("monitoring/uploads/") and stored.endswith(".xlsx")
    assert private_storage().exists(stored)
    private_storage().delete(stored)  # the job, which would remove it, does not run inside this test
    with pytest.raises(PermissionDenied):
        services.measurements_upload_start(actor=make_user("x@example.org"), strategy=seeded, measure=measure,
                                           upload=SimpleUploadedFile("a.csv", b"x"))


def test_an_import_result_starts_empty_and_ok():
    result = services.ImportResult()
    assert (result.created, result.updated, result.unchanged, result.errors, result.ok) == (0, 0, 0, [], True)
    assert services.ImportResult(errors=[services.RowError(2, "value", "x")]).ok is False


def test_the_audit_event_of_a_large_import_names_at_most_50_indicators(seeded, measure):
    base = Indicator.objects.filter(measure=measure, by_district=False).order_by("pk").first()
    Indicator.objects.bulk_create([Indicator(goal=base.goal, measure=measure, slug=f"viele-{n}", name=f"Viele {n}",
                                             unit="Anzahl", baseline_value=1.0, baseline_date=base.baseline_date)
                                   for n in range(51)])
    rows = [{"_row": n + 2, "indicator": f"viele-{n}", "period": "2023", "value": "2"} for n in range(51)]
    result = services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=measure)
    assert result.created == 51
    named = AuditEvent.objects.get(action="monitoring.measurements_imported").changes["indicators"][1]
    assert len(named) == 50 and set(named) < {f"viele-{n}" for n in range(51)}
