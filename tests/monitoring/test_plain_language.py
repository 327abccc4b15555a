"""Statuses in plain language (monitoring.explain) and reasons in German (monitoring.reasons)."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from kompass.algorithms.progress import compute_status
from kompass.monitoring.explain import status_explanation
from kompass.monitoring.reasons import reason_text
from kompass.monitoring.templatetags.monitoring_tags import component_value


def _status(method):
    result = compute_status([(2023.0, 40), (2024.0, 45), (2025.0, 52)], method=method, direction=1,
                            baseline=(40, 2023.0), target=(80, 2027.0)).to_dict()
    return SimpleNamespace(status=result["status"], components=result["components"], reason=result["reason"])


def test_a_status_says_what_was_compared_and_what_it_means():
    assert status_explanation(_status("linear"), "Stück") == (
        "Der Wert ist von 40 Stück im Jahr 2023 auf 52 Stück im Jahr 2025 gestiegen. Für das Ziel 80 Stück bis "
        "2027 wären 2025 etwa 60 Stück nötig gewesen: etwas im Rückstand, es muss schneller vorangehen.")
    # A growth-rate method compares with the required growth path, not a straight line.
    assert "etwa 56,6 nötig gewesen" in status_explanation(_status("open_sdg"))
    assert status_explanation(SimpleNamespace(status="not_computable", components={})) == ""


def test_algorithm_reasons_and_component_values_are_german():
    reason = _status("destatis").reason
    assert reason == "at least 4 data points are needed, got 3"
    assert reason_text(reason) == "Diese Methode braucht mindestens 4 Werte; bisher gibt es 3."
    assert reason_text("the target time (2020) must be later than the baseline (2023.5)") == (
        "Das Zieljahr (2020) muss nach dem Ausgangsjahr (2023,5) liegen.")
    assert reason_text("something new") == "Aus diesen Werten lässt sich der Status noch nicht berechnen."
    assert component_value("with_target") == "mit Ziel"
    assert component_value({"on_track": 0.95, "limited": 0}) == "Auf Kurs: 0,95; Geringer Fortschritt: 0"


@pytest.mark.django_db
def test_the_indicator_page_explains_its_status(client, berlin):
    from kompass.core.actors import system_actor
    from kompass.monitoring.loader import monitoring_load
    from kompass.monitoring.models import Indicator
    from tests.monitoring.conftest import SEED

    monitoring_load(actor=system_actor("test"), path=SEED)
    indicator = Indicator.objects.filter(computed__status="on_track").select_related("computed").first()
    body = client.get(reverse("monitoring:indicator", args=[indicator.slug])).content.decode()
    assert 'class="status-explanation"' in body and "auf Kurs." in body


def test_target_and_baseline_years_are_shown_as_entered():
    import datetime

    from kompass.core.formats import year_or_date

    assert year_or_date(datetime.date(2027, 12, 31)) == "2027"
    assert year_or_date(datetime.date(2027, 1, 1)) == "2027"
    assert year_or_date(datetime.date(2027, 6, 30)) == "30.06.2027"
    assert year_or_date(None) == "–"


@pytest.mark.django_db
def test_the_indicator_page_shows_a_year_target_as_the_year(client, berlin):
    import datetime

    from kompass.core.actors import system_actor
    from kompass.monitoring import services
    from kompass.monitoring.loader import monitoring_load
    from kompass.monitoring.models import Indicator
    from tests.monitoring.conftest import SEED

    monitoring_load(actor=system_actor("test"), path=SEED)
    indicator = Indicator.objects.order_by("slug").first()
    from kompass.monitoring.dated import parse_dated

    services.target_add(actor=system_actor("test"), indicator=indicator, value=80,
                        target_date=parse_dated("2029"), reason="Jahresziel")
    body = client.get(reverse("monitoring:indicator", args=[indicator.slug])).content.decode()
    assert "01.01.2029" not in body and "80 " in body and "bis 2029" in body
    # a day entered as a day stays a day, even the last of the year (the precision is stored, ADR 0081)
    services.target_add(actor=system_actor("test"), indicator=indicator, value=90,
                        target_date=datetime.date(2029, 12, 31), reason="Stichtag")
    body = client.get(reverse("monitoring:indicator", args=[indicator.slug])).content.decode()
    assert "90 Abrufe bis 31.12.2029" in body
