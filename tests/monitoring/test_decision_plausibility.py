"""The cycle decision form refuses implausible new targets itself (ADR 0074): a target date in year 9999, before
1900 or not after the baseline date, and a negative count, each with a German message on the form (400), nothing
written, never a 500."""

import pytest

from kompass.monitoring.models import Decision, Indicator, TargetVersion

pytestmark = pytest.mark.django_db

URL = "/monitoring/cycles/zyklus-2025/measures/schulhoefe-digital-buchen/decision/"


@pytest.fixture
def office_client(client, make_user):
    client.force_login(make_user("decide-office@example.org", office=True))
    return client


@pytest.fixture
def indicator(seeded):
    return Indicator.objects.get(slug="bsp-schulhoefe-buchbar")  # a count ("Anzahl"), baseline 2022-01-01


def _decide(client, indicator, **fields):
    data = {"kind": "adjust_goals", "reason": "Neue Planung"}
    data.update({f"{name}_{indicator.pk}": value for name, value in fields.items()})
    return client.post(URL, data, HTTP_ACCEPT_LANGUAGE="de")


@pytest.mark.parametrize(("fields", "message"), [
    ({"target": "40", "date": "9999-12-31"}, "Das Jahr 9999 liegt zu weit in der Zukunft (spätestens"),
    ({"date": "9999-12-31"}, "Das Jahr 9999 liegt zu weit in der Zukunft (spätestens"),  # the value is kept
    ({"target": "40", "date": "1850-01-01"}, "Das Jahr 1850 liegt zu weit in der Vergangenheit (frühestens 1900)"),
    ({"target": "40", "date": "2021-12-31"}, "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen."),
    ({"target": "40", "date": "2022-01-01"}, "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen."),
    ({"target": "-5", "date": "2030-12-31"}, "Eine Anzahl oder Menge kann nicht negativ sein."),
    ({"target": "-5"}, "Eine Anzahl oder Menge kann nicht negativ sein."),  # the date is kept
], ids=["year-9999", "only-date-9999", "year-1850", "before-baseline", "on-baseline", "negative", "only-negative"])
def test_implausible_new_target_is_a_form_message_and_nothing_is_written(office_client, indicator, fields, message):
    versions = TargetVersion.objects.filter(indicator=indicator).count()
    response = _decide(office_client, indicator, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="error-summary"' in html  # the summary above the form links to the field
    assert TargetVersion.objects.filter(indicator=indicator).count() == versions
    assert not Decision.objects.filter(measure=indicator.measure, cycle__slug="zyklus-2025").exists()


def test_a_plausible_new_target_is_still_recorded(office_client, indicator):
    response = _decide(office_client, indicator, target="40", date="2030-12-31")
    assert response.status_code == 302
    latest = indicator.target_versions.order_by("-version").first()
    assert (latest.value, latest.target_date.isoformat()) == (40, "2030-12-31")


def test_a_service_refusal_naming_its_own_fields_lands_above_the_form(indicator):
    """Should the service still refuse (its limits moved, a race), the form shows it instead of failing with
    "no field named 'target_date'"."""
    from django.core.exceptions import ValidationError

    from kompass.monitoring.forms import DecisionForm

    form = DecisionForm({"kind": "adjust_goals", "reason": "x"}, indicators=[indicator])
    assert form.is_valid()
    form.add_error(None, ValidationError({"target_date": "Zu spät.", "reason": "Zu kurz."}))
    assert form.non_field_errors() == ["Zu spät."] and form.errors["reason"] == ["Zu kurz."]
