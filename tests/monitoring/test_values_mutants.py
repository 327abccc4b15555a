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
