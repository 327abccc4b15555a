"""Clicking the district map on the idea form places the idea's point (JavaScript enhancement)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_clicking_the_map_sets_the_point_of_a_new_idea(site, page, axe):
    from kompass.accounts.models import User
    from kompass.participation.models import Idea

    User.objects.create_user(email="karte@example.org", password="S3cure-pass-word", display_name="Karte")
    page.goto(site + "/accounts/login/?next=/ideas/new/")
    page.fill("#id_username", "karte@example.org")
    page.fill("#id_password", "S3cure-pass-word")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/ideas/new/")
    assert axe(page) == []
    mitte = page.locator("svg.map-picker path", has=page.locator("title", has_text="Mitte")).first
    mitte.click()  # Playwright clicks the centre of the shape's box
    latitude, longitude = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
    assert 52.48 < latitude < 52.57 and 13.30 < longitude < 13.43  # Mitte lies around 52.52 N, 13.37 E
    expect(page.locator(".map-picker-marker")).not_to_have_attribute("cx", "-20")
    page.fill("#id_title", "Trinkbrunnen-Karte")
    page.fill("#id_text", "Eine Karte aller Trinkbrunnen im Bezirk, offen und aktuell.")
    page.locator("input[name='kind']").first.check()
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url("**/ideas/*/")
    idea = Idea.objects.get(title="Trinkbrunnen-Karte")
    assert abs(idea.latitude - latitude) < 1e-4 and abs(idea.longitude - longitude) < 1e-4
