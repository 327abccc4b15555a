"""The plain-language status (monitoring.explain) wherever a status is shown: the dashboard, the measure page's
impact chain and the cycle report (HTML and PDF layout), in German, without internal codes, and at a number of
queries that does not grow with the number of indicators."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kompass.monitoring import services
from kompass.monitoring.explain import indicator_explanation, rollup_explanation
from kompass.monitoring.models import EvaluationCycle, Indicator, Measurement, TargetVersion

KNOWN = "bsp-gebaeude-erfasst"  # seed: 0 → 36 Gebäude (2022–2025), target 60 by 2027: on track
MEASURE = "barrierefreie-wegeinformationen-aemter"
SUMMARY = "36 Gebäude im Jahr 2025, nötig waren etwa 36 Gebäude: auf Kurs."
DETAILS = ("Der Wert ist von 0 Gebäude im Jahr 2022 auf 36 Gebäude im Jahr 2025 gestiegen. Für das Ziel 60 Gebäude "
           "bis 2027 wären 2025 etwa 36 Gebäude nötig gewesen: auf Kurs.")
MEASURE_SUMMARY = "3 von 3 Zielen bewertet (Auf Kurs: 2, Beschleunigung nötig: 1)"
CODES = re.compile(r"\b(on_track|acceleration_needed|limited_progress|deterioration|not_achieved|not_computable|"
                   r"base_value|current_value|cagr_required|n_included|n_children|roll_up)\b")


def _visible(html: str) -> str:
    """The text a reader sees (tags, class names and attributes removed), whitespace folded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_short_and_long_form_in_german_number_format_and_plurals():
    status = SimpleNamespace(status="acceleration_needed", components={
        "base_value": 50, "base_time": 2020.0, "current_value": 58.8, "current_time": 2024.0,
        "target_value": 70, "target_time": 2030.0})
    with translation.override("de"):
        ex = indicator_explanation(status, "%")
        assert ex.summary == "58,8 % im Jahr 2024, nötig waren etwa 58 %: etwas im Rückstand, es muss schneller " \
                             "vorangehen."
        assert ex.details.startswith("Der Wert ist von 50 % im Jahr 2020 auf 58,8 % im Jahr 2024 gestiegen.")
        one = rollup_explanation({"n_children": 1, "n_included": 1, "score": 3.75, "status": "on_track",
                                  "counts": {"on_track": 1}}, "measure")
        assert one.summary == "1 von 1 Ziel bewertet (Auf Kurs: 1)"
        two = rollup_explanation({"n_children": 3, "n_included": 1, "score": -1.25, "status": "limited_progress",
                                  "counts": {"limited_progress": 1, "not_computable": 2}}, "goal")
        assert two.summary == "1 von 3 Indikatoren bewertet (Geringer Fortschritt: 1)"
        assert two.details == ("Jeder bewertete Indikator bekommt eine Punktzahl von −5 (entfernt sich vom Ziel) bis "
                               "5 (Ziel erreicht). Der Mittelwert dieser Punktzahlen ist -1,25: deutlich im "
                               "Rückstand. 2 lassen sich noch nicht bewerten und zählen nicht mit.")
        none = rollup_explanation({"n_children": 2, "n_included": 0, "counts": {"not_computable": 2}}, "value")
        assert none.summary == "0 von 2 Maßnahmen bewertet" and "noch keinen Status" in none.details
        assert not rollup_explanation({}, "measure") and not indicator_explanation(None)
    with translation.override("en"):
        assert indicator_explanation(status, "%").summary.startswith("58.8 % in 2024, about 58 % needed")
        assert rollup_explanation({"n_children": 1, "n_included": 1, "score": 5, "status": "achieved",
                                   "counts": {"achieved": 1}}, "strategy").summary == \
            "1 of 1 measure assessed (Target achieved: 1)"


pytestmark = pytest.mark.django_db


def test_the_measure_page_explains_each_indicator_and_the_measure(seeded, client):
    body = client.get(reverse("measures:measure", args=[MEASURE]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    text = _visible(body)
    assert SUMMARY in text and DETAILS in text and MEASURE_SUMMARY in text
    assert "Wie wird das berechnet?" in text and '<details class="status-how">' in body  # no JavaScript needed
    assert not CODES.search(text)


def test_the_dashboard_explains_each_measure_and_the_strategy(seeded, client):
    text = _visible(client.get(reverse("monitoring:dashboard"), HTTP_ACCEPT_LANGUAGE="de").content.decode())
    assert MEASURE_SUMMARY in text and "Die Punktzahl eines Ziels ist der Mittelwert" in text
    assert re.search(r"\d+ von \d+ Maßnahmen bewertet \(", text)  # the strategy as a whole
    assert not CODES.search(text)


@pytest.mark.parametrize("for_pdf", [False, True])
def test_the_report_explains_each_indicator(seeded, for_pdf):
    from kompass.monitoring.reports import report_html

    cycle = EvaluationCycle.objects.filter(strategy=seeded).first()
    with translation.override("de"):
        text = _visible(report_html(cycle, charts=False, for_pdf=for_pdf))
    assert (SUMMARY if for_pdf else DETAILS) in text and MEASURE_SUMMARY in text
    assert not CODES.search(text)


def _more_indicators(n: int):
    """`n` more indicators on the known indicator's goal, each with a target, values and a computed status."""
    known = Indicator.objects.select_related("goal").get(slug=KNOWN)
    new = Indicator.objects.bulk_create([
        Indicator(goal=known.goal, measure_id=known.measure_id, slug=f"more-{k}", name=f"Weiterer {k}",
                  unit="%", baseline_value=10, baseline_date=datetime.date(2020, 1, 1)) for k in range(n)])
    TargetVersion.objects.bulk_create([TargetVersion(indicator=i, version=1, value=80,
                                                     target_date=datetime.date(2030, 12, 31)) for i in new])
    Measurement.objects.bulk_create([Measurement(indicator=i, period=datetime.date(2021 + k, 1, 1),
                                                 value=12.5 + k) for i in new for k in range(3)])
    services.refresh_statuses(strategy=known.measure.strategy)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_number_of_indicators(seeded, client):
    from kompass.monitoring.reports import report_html

    cycle = EvaluationCycle.objects.filter(strategy=seeded).first()
    pages = [reverse("measures:measure", args=[MEASURE]), reverse("monitoring:dashboard")]

    def measure():
        return {url: _queries(lambda u=url: client.get(u)) for url in pages} | {
            "report": _queries(lambda: report_html(cycle, charts=False)),
            "pdf": _queries(lambda: report_html(cycle, charts=False, for_pdf=True))}

    measure()  # warm caches (sessions, content types)
    _more_indicators(1)
    small = measure()
    Indicator.objects.filter(slug__startswith="more-").delete()
    _more_indicators(25)
    large = measure()
    assert small == large
    text = _visible(client.get(pages[0]).content.decode())
    assert text.count("14,5 % im Jahr 2023, nötig waren etwa") == 25  # every new indicator, short form
