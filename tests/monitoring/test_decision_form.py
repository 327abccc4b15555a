"""The cycle decision form (issue 13): it shows the current target and the team's proposal, keeps the date when
only the value changes (and the value when only the date does); the diff since the last cycle names titles."""

import datetime

import pytest

from kompass.monitoring.models import GoalAssessment, Indicator

pytestmark = pytest.mark.django_db

URL = "/monitoring/cycles/zyklus-2025/measures/schulhoefe-digital-buchen/decision/"


@pytest.fixture
def office_client(client, make_user):
    client.force_login(make_user("decide-office@example.org", office=True))
    return client


def test_the_form_shows_the_current_target_and_the_teams_proposal(seeded, office_client):
    ind = Indicator.objects.get(slug="bsp-schulhoefe-buchbar")
    current = ind.target_versions.order_by("-version").first()
    html = office_client.get(URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    # the date as entered (ADR 0081): the seed's "2027" is a year, never "01.01.2027"
    assert current.target_date_precision == "year"
    assert f"Aktuelles Ziel: {current.value:g} {ind.unit} bis {current.target_date.year}." in html
    assert current.target_date.strftime("%d.%m.%Y") not in html
    assert "Keine Zieländerung; Reinigungsregeln in die Nutzungsbedingungen aufnehmen." in html
    assert "Die Buchung ist angenommen" in html
    # the team's assessment of the indicator's goal stands beside the target it concerns
    assessment = GoalAssessment.objects.get(review__cycle__slug="zyklus-2025", goal=ind.goal)
    fieldset = html.split(f'name="target_{ind.pk}"', 1)[0].rsplit("<fieldset", 1)[1]
    assert f"Einschätzung des Teams zu diesem Ziel: {assessment.get_rating_display()}." in fieldset
    # a text field that takes a year, a month or a day, not the browser's date picker
    assert f'name="date_{ind.pk}"' in html and 'type="date"' not in html


def test_changing_only_the_value_keeps_the_date(seeded, office_client):
    ind = Indicator.objects.get(slug="bsp-schulhoefe-buchbar")
    current = ind.target_versions.order_by("-version").first()
    response = office_client.post(URL, {"kind": "adjust_goals", "reason": "Mehr Höfe", f"target_{ind.pk}": "45"})
    assert response.status_code == 302
    latest = ind.target_versions.order_by("-version").first()
    assert (latest.version, latest.value, latest.target_date) == (current.version + 1, 45, current.target_date)
    assert latest.target_date_precision == current.target_date_precision == "year"  # still "2027"


def test_a_new_date_is_stored_as_entered(seeded, office_client):
    ind = Indicator.objects.get(slug="bsp-schulhoefe-buchbar")
    response = office_client.post(URL, {"kind": "adjust_goals", "reason": "Später", f"date_{ind.pk}": "2031"})
    assert response.status_code == 302
    latest = ind.target_versions.order_by("-version").first()
    assert (latest.target_date, latest.target_date_precision) == (datetime.date(2031, 1, 1), "year")
    refused = office_client.post(URL, {"kind": "adjust_goals", "reason": "x", f"date_{ind.pk}": "irgendwann"},
                                 HTTP_ACCEPT_LANGUAGE="de")
    assert refused.status_code == 400 and "ist kein Datum" in refused.content.decode()


def test_changing_only_the_date_keeps_the_value(seeded, office_client):
    ind = Indicator.objects.get(slug="bsp-schulhoefe-buchbar")
    current = ind.target_versions.order_by("-version").first()
    response = office_client.post(URL, {"kind": "adjust_goals", "reason": "Später",
                                        f"date_{ind.pk}": "2031-06-30"})
    assert response.status_code == 302
    latest = ind.target_versions.order_by("-version").first()
    assert (latest.value, latest.target_date) == (current.value, datetime.date(2031, 6, 30))


def test_changes_since_the_last_cycle_name_titles_not_slugs(seeded, client):
    html = client.get("/monitoring/cycles/zyklus-2024/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    diff = html.split('id="diff-title"', 1)[1].split("</section>", 1)[0]
    ind = Indicator.objects.get(slug="bsp-gebaeude-erfasst")
    assert f">{ind.name}</a></th>" in diff
    assert ">bsp-gebaeude-erfasst</a>" not in diff and ">bsp-gebaeude-erfasst<" not in diff
