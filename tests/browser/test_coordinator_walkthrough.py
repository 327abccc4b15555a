"""Walk-through of the district coordinator (issue 13), in German on a phone (390 px) and on a desktop (1280 px):
open "Meine Aufgaben" from the header, edit a milestone, invite a member by email, enter an implausible date and
land on the focused error summary, then record a measurement. axe-core finds nothing on the pages on the way."""

import datetime
import re

import pytest
from django.core import mail

from kompass.core.actors import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "S3cure-pass-word"
EMAIL = "bezirkskoordination@example.org"


def _section(measure, name):
    return re.compile(rf".*/measures/{measure.slug}/process/{name}/(#main)?$")


def _prepare():
    from kompass.accounts.models import Membership, User
    from kompass.lifecycle import services as lifecycle
    from kompass.lifecycle.models import MeasureLifecycle
    from kompass.measures.models import Measure
    from kompass.monitoring import services as monitoring

    measure = (Measure.objects.exclude(pk__in=MeasureLifecycle.objects.values("measure_id"))
               .filter(responsible_organisation__kind="district_office")
               .select_related("responsible_organisation").order_by("slug").first())
    coordinator = User.objects.create_user(email=EMAIL, password=PASSWORD)
    coordinator.display_name = "Bezirkskoordination"
    coordinator.save()
    Membership.objects.create(user=coordinator, organisation=measure.responsible_organisation,
                              role=Membership.Role.COORDINATOR)
    lifecycle.team_member_set(actor=SYSTEM, measure=measure, user=coordinator, role="lead",
                              organisation=measure.responsible_organisation)
    lifecycle.milestone_create(actor=SYSTEM, measure=measure, title="Auftaktwerkstatt im Bezirk",
                               due_on=datetime.date(2025, 2, 1))
    goal, _changes = monitoring.goal_save(actor=SYSTEM, measure=measure, slug=f"{measure.slug}-ziel",
                                          data={"level": "output", "title": "Mehr Angebote im Kiez"})
    indicator = monitoring.indicator_create_with_target(
        actor=SYSTEM, goal=goal, slug=f"{measure.slug}-angebote",
        data={"name": "Angebote im Kiez", "unit": "Anzahl", "baseline_value": 2,
              "baseline_date": datetime.date(2022, 1, 1), "cadence": "yearly",
              "responsible_organisation": measure.responsible_organisation},
        target=(10, datetime.date(2028, 12, 31)))
    return measure, indicator


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_district_coordinator_walkthrough(site, browser, axe, width, height):
    from kompass.lifecycle.models import Milestone, TeamInvitation
    from kompass.monitoring.models import Measurement

    measure, indicator = _prepare()
    context = browser.new_context(bypass_csp=True, locale="de-DE", viewport={"width": width, "height": height})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def no_sideways_scroll():
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url

    page.goto(site + "/accounts/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()

    # 1. "Meine Aufgaben" from the header (on a phone behind the menu button)
    if width < 800:
        page.locator("summary.site-menu__toggle").click()
    page.get_by_role("link", name="Meine Aufgaben").click()
    page.wait_for_url("**/my-tasks/")
    assert page.get_by_role("heading", name="Meine Aufgaben", level=1).is_visible()
    overdue = page.locator("#milestones-title + ul")
    assert "Auftaktwerkstatt im Bezirk" in overdue.inner_text() and "überfällig" in overdue.inner_text()
    assert "Angebote im Kiez" in page.locator("#indicators-title + ul").inner_text()
    assert axe(page) == []
    no_sideways_scroll()

    # 2. edit the overdue milestone: from the task list to the section, then its edit page
    overdue.get_by_role("link", name="Auftaktwerkstatt im Bezirk").click()
    page.wait_for_url(_section(measure, "milestones"))
    page.get_by_role("link", name="„Auftaktwerkstatt im Bezirk“ bearbeiten").click()
    page.fill("#msedit_due_on", "2026-09-30")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(_section(measure, "milestones"))
    assert "Der Meilenstein wurde gespeichert." in page.inner_text("body")
    assert Milestone.objects.get(measure=measure).due_on == datetime.date(2026, 9, 30)
    no_sideways_scroll()

    # 3. invite a new member by email
    page.get_by_role("link", name="Team", exact=True).click()
    page.wait_for_url(_section(measure, "team"))
    page.fill("#invite_email", "neues-mitglied@example.org")
    page.select_option("#invite_role", "member")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url(_section(measure, "team"))
    assert "neues-mitglied@example.org" in page.inner_text("body")
    assert TeamInvitation.objects.filter(measure=measure, email="neues-mitglied@example.org").exists()
    assert mail.outbox[-1].to == ["neues-mitglied@example.org"]
    assert axe(page) == []
    no_sideways_scroll()

    # 4. an implausible date: the error summary comes first, is focused and scrolled into view
    page.get_by_role("link", name="Auftrag und Meilensteine").click()
    page.fill("#ms_title", "Abschlussbericht")
    page.fill("#ms_due_on", "9999-12-31")
    page.get_by_role("button", name="Meilenstein hinzufügen").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "9999" in summary.inner_text() and "Zukunft" in summary.inner_text()
    assert page.url.endswith("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    box = summary.bounding_box()
    assert 0 <= box["y"] < height
    assert not Milestone.objects.filter(title="Abschlussbericht").exists()
    assert axe(page) == []
    no_sideways_scroll()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "ms_due_on"

    # 5. record a measurement of the measure's indicator
    page.goto(site + f"/monitoring/indicators/{indicator.slug}/")
    page.get_by_role("link", name="Einen Wert eingeben").click()
    page.fill("#id_period", "2025")
    page.fill("#id_value", "4")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/monitoring/indicators/{indicator.slug}/")
    assert Measurement.objects.filter(indicator=indicator, value=4).exists()
    assert "Zuletzt aktualisiert" in page.inner_text("body")
    no_sideways_scroll()
    context.close()
    assert not errors, errors
