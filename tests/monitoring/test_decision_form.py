"""The cycle decision form (issue 13): it shows the current target and the team's proposal, keeps the date when
only the value changes (and the value when only the date does); the diff since the last cycle names titles."""

import datetime

import pytest

from kompass.monitoring.models import Indicator

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
    day = current.target_date.strftime("%d.%m.%Y")
    assert f"Aktuelles Ziel: {current.value:g} {ind.unit} bis {day}." in html
    assert "Keine Zieländerung; Reinigungsregeln in die Nutzungsbedingungen aufnehmen." in html
    assert "Die Buchung ist angenommen" in html


def test_changing_only_the_value_keeps_the_date(seeded, office_client):
    ind = Indicator.objects.get(slug="bsp-schulhoefe-buchbar")
    current = ind.target_versions.order_by("-version").first()
    response = office_client.post(URL, {"kind": "adjust_goals", "reason": "Mehr Höfe", f"target_{ind.pk}": "45"})
    assert response.status_code == 302
    latest = ind.target_versions.order_by("-version").first()
    assert (latest.version, latest.value, latest.target_date) == (current.version + 1, 45, current.target_date)


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
