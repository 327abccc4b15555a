"""Monitoring in the browser: axe-core finds no violation on the public monitoring pages (German and English), and a
team member enters a value by form, which changes the indicator page."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "S3cure-pass-word"


@pytest.fixture
def monitored(site):
    from kompass.core.actors import system_actor
    from kompass.monitoring.loader import monitoring_load
    from tests.monitoring.conftest import SEED

    monitoring_load(actor=system_actor("monitoring seed loader"), path=SEED)
    return site


PATHS = ["/monitoring/", "/monitoring/?district=mitte", "/monitoring/cycles/", "/monitoring/cycles/zyklus-2024/",
         "/monitoring/cycles/zyklus-2025/", "/monitoring/indicators/bsp-gebaeude-erfasst/",
         "/monitoring/indicators/bsp-nachnutzungen/", "/monitoring/indicators/bsp-bauteile-wiederverwendet/",
         "/measures/bodenfeuchte-sensoren-strassenbaeume/", "/monitoring/cycles/zyklus-2024/report/",
         "/en/monitoring/", "/en/monitoring/indicators/bsp-sensoren-installiert/"]


def test_public_monitoring_pages_have_no_axe_violations(monitored, page, axe):
    failures = {}
    for path in PATHS:
        page.goto(monitored + path)
        violations = axe(page)
        if violations:
            failures[path] = violations
    assert not failures, failures


def test_team_member_enters_a_value(monitored, page, axe):
    from kompass.accounts.models import Membership, User
    from kompass.monitoring.models import IndicatorStatus, Measurement

    indicator_slug = "bsp-nachnutzungen"
    status = IndicatorStatus.objects.select_related("indicator__measure__responsible_organisation").get(
        indicator__slug=indicator_slug)
    user = User.objects.create_user(email="team-mon@example.org", password=PASSWORD)
    Membership.objects.create(user=user, organisation=status.indicator.measure.responsible_organisation)
    page.goto(monitored + f"/accounts/login/?next=/monitoring/indicators/{indicator_slug}/measurements/new/")
    page.fill("#id_username", "team-mon@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**/monitoring/indicators/{indicator_slug}/measurements/new/")
    assert axe(page) == []
    page.fill("#id_period", "2026")
    page.fill("#id_value", "abc")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_role("alert").is_visible()  # a clear error, nothing saved
    assert not Measurement.objects.filter(indicator__slug=indicator_slug, period="2026-01-01").exists()
    page.fill("#id_value", "35")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/monitoring/indicators/{indicator_slug}/")
    assert page.get_by_role("row", name="2026 35 nein").is_visible()
    assert IndicatorStatus.objects.get(indicator__slug=indicator_slug).latest_value == 35
