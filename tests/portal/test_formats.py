"""German formats for people: numbers, percentages, money and dates (kompass.core.formats and its filters)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from kompass.core import formats


@pytest.mark.parametrize(("value", "german", "english"), [
    (1.247, "1,247", "1.247"), (1.25, "1,25", "1.25"), (120000, "120.000", "120,000"), (3, "3", "3"),
    (0.000123, "0,000123", "0.000123"), (-2.5, "-2,5", "-2.5"), (2.0, "2", "2"), (None, "–", "–"),
    (float("nan"), "–", "–"), ("n. a.", "n. a.", "n. a."),
])
def test_numbers(value, german, english):
    with translation.override("de"):
        assert formats.number(value) == german
    with translation.override("en"):
        assert formats.number(value) == english


def test_percent_money_date_in_german():
    with translation.override("de"):
        assert formats.percent(58.8) == "58,8\u00a0%"
        assert formats.share(0.588) == "58,8\u00a0%"
        assert formats.money(120000) == "120.000\u00a0€"
        assert formats.money("12.5") == "12,50\u00a0€"
        assert formats.date("2027-12-31") == "31.12.2027"
        assert formats.date(datetime.date(2027, 1, 5)) == "05.01.2027"
        assert formats.number(1.25, 2) == "1,25"


def test_template_filters_and_the_monitoring_number_filter():
    template = Template("{% load kompass monitoring_tags %}{{ a|num }}|{{ b|percent }}|{{ c|money }}|{{ a|number }}"
                        "|{{ t|number }}")
    with translation.override("de"):
        assert template.render(Context({"a": 1.247, "b": 58.8, "c": 120000, "t": True})) == \
            "1,247|58,8\u00a0%|120.000\u00a0€|1,247|ja"


def test_chart_axis_labels_are_german():
    from kompass.monitoring.charts import _fmt

    with translation.override("de"):
        assert _fmt(2.5) == "2,5" and _fmt(12000) == "12.000"
