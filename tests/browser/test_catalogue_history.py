"""The catalogue's filters stay in sync with the browser's back button (htmx pushes the address; "back" reloads
it, so filters and results come from the same query string). Fails with htmx's snapshot history."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_button_restores_filters_and_results_together(site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/measures/")
    count = page.locator(".results-head .count")
    everything = count.inner_text()
    page.select_option("#id_status", "running")
    page.wait_for_url("**/measures/?*status=running*")
    expect(count).not_to_have_text(everything)
    running = count.inner_text()
    page.select_option("#id_status", "completed")
    page.wait_for_url("**/measures/?*status=completed*")
    expect(count).not_to_have_text(running)
    page.go_back()
    page.wait_for_url("**/measures/?*status=running*")
    expect(page.locator("#id_status")).to_have_value("running")
    expect(count).to_have_text(running)
    page.go_back()
    expect(page.locator("#id_status")).to_have_value("")
    expect(count).to_have_text(everything)
