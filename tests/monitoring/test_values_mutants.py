"""Period labels and value parsing of monitoring/values.py, pinned where mutation testing found them loose
(docs/mutation/monitoring.md)."""

import datetime

import pytest

from kompass.monitoring.values import parse_period, period_label


def runtime(text: str) -> str:
    """The cadence as it arrives from a database row or a spreadsheet cell: a new string object, not the
    interned literal of the source (so an `is` comparison in place of `==` would not hold)."""
    return "".join(list(text))


@pytest.mark.parametrize(("day", "cadence", "label"), [
    (datetime.date(2024, 1, 1), "yearly", "2024"),
    (datetime.date(2024, 1, 2), "yearly", "2024-01-02"),
    (datetime.date(2024, 2, 1), "yearly", "2024-02-01"),
    (datetime.date(2024, 1, 1), "quarterly", "2024-Q1"),
    (datetime.date(2024, 4, 1), "quarterly", "2024-Q2"),
    (datetime.date(2024, 7, 1), "quarterly", "2024-Q3"),
    (datetime.date(2024, 10, 1), "quarterly", "2024-Q4"),
    (datetime.date(2024, 5, 1), "quarterly", "2024-05-01"),
    (datetime.date(2024, 4, 2), "quarterly", "2024-04-02"),
    (datetime.date(2024, 12, 1), "monthly", "2024-12"),
    (datetime.date(2024, 3, 1), "monthly", "2024-03"),
    (datetime.date(2024, 3, 15), "monthly", "2024-03-15"),
    (datetime.date(2024, 1, 1), "daily", "2024-01-01"),
    (datetime.date(2024, 4, 1), "yearly", "2024-04-01"),
    (datetime.date(2024, 4, 1), "monthly", "2024-04"),
    (datetime.date(2024, 1, 1), "zweijaehrlich", "2024-01-01"),  # an unknown cadence: the date
])
def test_a_period_label_follows_the_cadence_read_from_data(day, cadence, label):
    assert period_label(day, runtime(cadence)) == label


@pytest.mark.parametrize(("raw", "first_day"), [
    ("2024-Q1", datetime.date(2024, 1, 1)),
    ("2024-Q2", datetime.date(2024, 4, 1)),
    ("2024-Q3", datetime.date(2024, 7, 1)),
    ("2024-Q4", datetime.date(2024, 10, 1)),
    ("2024", datetime.date(2024, 1, 1)),
    ("2024-05", datetime.date(2024, 5, 1)),
    ("2024-05-17", datetime.date(2024, 5, 17)),
])
def test_a_period_is_read_as_its_first_day(raw, first_day):
    assert parse_period(raw) == first_day


@pytest.mark.parametrize(("raw", "first_day"), [
    (datetime.datetime(2024, 5, 17, 13, 30), datetime.date(2024, 5, 17)),
    (datetime.date(2023, 2, 3), datetime.date(2023, 2, 3)),
    (2024, datetime.date(2024, 1, 1)),
    (2024.0, datetime.date(2024, 1, 1)),
    ("  2024-5-7 ", datetime.date(2024, 5, 7)),
])
def test_periods_from_dates_numbers_and_loose_text(raw, first_day):
    assert parse_period(raw) == first_day


@pytest.mark.parametrize(("raw", "message"), [
    ("2024-Q2-01", "is not a period."), ("2024-Q5", "is not a period"), ("24", "is not a period"),
    ("2024-13", "is not a valid date"), ("2024-02-30", "is not a valid date"), (None, "is not a period"),
    (True, "is not a period"), (2024.5, "is not a period"), ("x" * 60, "x" * 40 + "”"),
])
def test_what_is_not_a_period_is_refused_with_the_value(raw, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValueError, match=message):
        parse_period(raw)


def test_a_date_as_a_fractional_year():
    from kompass.monitoring.values import year_fraction

    assert year_fraction(datetime.date(2024, 1, 1)) == 2024.0
    assert year_fraction(datetime.date(2024, 7, 2)) == pytest.approx(2024 + 183 / 366)  # leap year
    assert year_fraction(datetime.date(2023, 12, 31)) == pytest.approx(2023 + 364 / 365)


@pytest.mark.parametrize(("raw", "number"), [
    (12, 12.0), (12.5, 12.5), ("12.5", 12.5), ("12,5", 12.5), ("-12,5", -12.5), ("1.234,5", 1234.5),
    ("1.234.567", 1234567.0), ("1.234", 1.234), (" 1 234,5 ", 1234.5), ("1\u00a0234,5", 1234.5),
    ("-1.234.567", -1234567.0),
])
def test_numbers_in_german_and_english_notation(raw, number):
    from kompass.monitoring.values import parse_number

    assert parse_number(raw) == number


@pytest.mark.parametrize("raw", [True, False, "nan", "inf", float("inf"), "", None, "zwölf"])
def test_what_is_not_a_finite_number_is_refused(raw):
    from kompass.monitoring.values import parse_number

    with pytest.raises((ValueError, TypeError)):
        parse_number(raw)


@pytest.mark.parametrize(("raw", "flag"), [
    ("Ja", True), (" yes ", True), ("1", True), (1, True), ("x", True), ("vorläufig", True), ("Provisional", True),
    ("nein", False), ("0", False), (0, False), ("", False), (None, False), ("endgültig", False), ("final", False),
    ("vielleicht", None), ("2", None)])
def test_yes_no_cells(raw, flag):
    from kompass.monitoring.values import parse_flag

    assert parse_flag(raw) is flag


@pytest.mark.parametrize(("raw", "precision"), [
    ("2024", "year"), (2024, "year"), ("2024-Q2", "quarter"), ("2024-04", "month"), ("2024-04-01", "day"),
    (datetime.date(2024, 4, 1), "day"), (datetime.datetime(2024, 4, 1, 12), "day"),
])
def test_a_period_keeps_how_it_was_entered(raw, precision):
    from kompass.monitoring.values import parse_period_entered

    entered = parse_period_entered(raw)
    assert entered.precision == precision and parse_period_entered(entered) is entered


def test_a_dated_value_is_taken_as_it_is():
    from kompass.monitoring.dated import QUARTER, Dated
    from kompass.monitoring.values import parse_period_entered

    quarter = Dated(2024, 4, 1, precision=QUARTER)
    assert parse_period_entered(quarter) is quarter
    assert parse_period(quarter) == datetime.date(2024, 4, 1) and type(parse_period(quarter)) is datetime.date


@pytest.mark.parametrize(("raw", "shown"), [(True, "True"), ("x" * 60, "x" * 40), (" 24 ", "24")])
def test_a_refused_period_shows_what_was_entered_cut_at_40_characters(raw, shown):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValueError) as error:
        parse_period(raw)
    assert str(error.value) == f"“{shown}” is not a period (use 2024, 2024-Q2, 2024-05 or 2024-05-17)."
