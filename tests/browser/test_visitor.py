"""A visitor walks through the portal as a person would."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_filters_searches_opens_a_measure_and_switches_to_english(site, page):
    from kompass.measures.models import Measure

    page.goto(site + "/")
    expect(page.locator("h1")).to_contain_text("Gemeinsam Digital")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Maßnahmen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/measures/$"))

    measure = Measure.objects.filter(is_pilot=True).exclude(districts__kind="citywide").order_by("slug").first()
    district = measure.districts.first()
    field = measure.action_fields.first()
    page.select_option("#id_district", district.slug)
    expect(page).to_have_url(re.compile(rf"district={district.slug}"))  # htmx pushed a shareable URL
    page.select_option("#id_action_field", field.slug)
    expect(page).to_have_url(re.compile(rf"action_field={field.slug}"))
    expected = Measure.objects.filter(districts=district, action_fields=field).distinct().count()
    expect(page.locator(".measure-list > li")).to_have_count(min(expected, 20))

    word = max(measure.title.split(), key=len)
    page.fill("#id_q", word)
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"q="))
    page.get_by_role("link", name=measure.title).click()
    expect(page.locator("h1")).to_have_text(measure.title)

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(rf"/en/measures/{measure.slug}/"))
    expect(page.locator("h1")).to_have_text(measure.title_en)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_catalogue_filters_work_without_javascript(site, browser):
    from kompass.strategy.models import District

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/measures/")
    page.select_option("#id_district", "mitte")
    page.get_by_role("button", name="Anwenden").click()
    expect(page).to_have_url(re.compile(r"district=mitte"))
    count = District.objects.get(slug="mitte").measures.count()
    expect(page.locator(".results-head .count")).to_contain_text(str(count))
    context.close()


def test_keyboard_user_reaches_content_with_the_skip_link(site, page):
    page.goto(site + "/measures/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_coordinator_edits_own_measure_in_the_browser(site, page):
    from kompass.accounts.models import Membership, User
    from kompass.measures.models import Measure

    measure = Measure.objects.filter(is_pilot=True).order_by("slug").first()
    user = User.objects.create_user(email="koordination@example.org", password="S3cure-pass-word")
    Membership.objects.create(user=user, organisation=measure.responsible_organisation, role="coordinator")
    page.goto(site + "/accounts/login/?next=/measures/" + measure.slug + "/")
    page.fill("#id_username", "koordination@example.org")
    page.fill("#id_password", "S3cure-pass-word")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    page.fill("#id_summary", "Neue Kurzbeschreibung aus dem Browser.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".lead")).to_have_text("Neue Kurzbeschreibung aus dem Browser.")
