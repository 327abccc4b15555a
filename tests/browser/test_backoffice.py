"""The back office (Django admin, /backoffice/) on KERN UX (ADR 0080), in Debian's Chromium against the live
server: it loads KERN and its theme layer, runs under the strict Content-Security-Policy without a single
violation, stays usable (login, change list with filter and search, add form, change form, delete confirmation),
fits a 390 px phone without sideways scrolling and has no axe-core WCAG 2.1 A/AA violation at phone and desktop
width on the index and a change list."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_layout import OVERFLOW

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL, PASSWORD = "backoffice-ui@example.org", "S3cure-pass-word"
PAGES = {"index": "/backoffice/", "measures": "/backoffice/measures/measure/",
         "organisations": "/backoffice/organisations/organisation/"}


@pytest.fixture
def office(site):
    from kompass.accounts.models import User

    User.objects.create_superuser(email=EMAIL, password=PASSWORD)
    return site


def _log_in(tab, site):
    tab.goto(site + "/backoffice/login/")
    assert tab.locator("link[href$='vendor/kern/kern.min.css']").count() == 1
    tab.fill("#id_username", EMAIL)
    tab.fill("#id_password", PASSWORD)
    tab.get_by_role("button", name="Anmelden").click()
    tab.wait_for_load_state()
    assert tab.url.rstrip("/").endswith("/backoffice"), tab.url


def test_backoffice_is_usable_under_the_strict_csp(office, browser):
    """No bypass here: the browser enforces the policy the server sends, and any blocked style or script fails."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    blocked, errors = [], []
    tab.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    _log_in(tab, office)
    response = tab.goto(office + PAGES["index"])
    assert "style-src 'self'" in response.headers["content-security-policy"]
    assert tab.locator(".kern-kopfzeile__label").inner_text() == "Gemeinsam Digital: Berlin"
    # KERN's tokens reach the admin: the primary colour is KERN's action colour, the font Fira Sans.
    assert "Fira Sans" in tab.evaluate("getComputedStyle(document.body).fontFamily")
    assert tab.evaluate("getComputedStyle(document.body).getPropertyValue('--primary').trim()") == tab.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--kern-color-action-default').trim()")

    tab.goto(office + PAGES["measures"])
    tab.get_by_role("link", name="abgeschlossen").first.click()  # the status filter (Kiezbox 2.0 is completed)
    expect(tab).to_have_url(re.compile(r"status__exact=completed"))
    tab.fill("#searchbar", "Kiezbox")
    tab.get_by_role("button", name="Suchen").click()
    expect(tab).to_have_url(re.compile(r"q=Kiezbox"))
    expect(tab.locator("#result_list tbody tr")).to_have_count(1)  # filter and search both apply
    tab.get_by_role("link", name="Kiezbox 2.0").first.click()
    expect(tab).to_have_url(re.compile(r"/change/"))
    tab.fill("#id_contact_role", "Projektleitung")
    tab.locator("input[name=_save]").click()
    # Back on the filtered change list. A click returns once the next page commits; Django admin's change list
    # has a parser-blocking <script src=jsi18n> in its head, so its body may not exist yet: wait for it.
    expect(tab).to_have_url(re.compile(r"/measure/\?q=Kiezbox&status__exact=completed$"))
    expect(tab.locator(".messagelist .success")).to_have_count(1)

    tab.goto(office + "/backoffice/organisations/organisation/add/")
    tab.select_option("#id_strategy", index=1)
    tab.fill("#id_slug", "testamt")
    tab.fill("#id_name", "Testamt")
    tab.select_option("#id_kind", "external_partner")
    tab.locator("input[name=_save]").click()
    expect(tab.locator(".messagelist .success")).to_have_count(1)
    tab.get_by_role("link", name="Testamt").first.click()
    tab.locator("a.deletelink").click()
    expect(tab).to_have_url(re.compile(r"/delete/"))
    tab.get_by_role("button", name="Ja, ich bin sicher").click()
    expect(tab.locator(".messagelist .success")).to_have_count(1)
    expect(tab.get_by_role("link", name="Testamt")).to_have_count(0)
    context.close()
    assert blocked == [] and errors == [], (blocked, errors)
    from kompass.measures.models import Measure
    from kompass.organisations.models import Organisation

    assert Measure.objects.get(title="Kiezbox 2.0").contact_role == "Projektleitung"
    assert not Organisation.objects.filter(slug="testamt").exists()


def test_backoffice_fits_a_phone_and_has_no_axe_violations(office, browser, axe):
    context = browser.new_context(bypass_csp=True, locale="de-DE", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    _log_in(tab, office)
    overflow, violations = {}, {}
    for name, path in PAGES.items():
        for width in (390, 1280):
            tab.set_viewport_size({"width": width, "height": 900})
            tab.goto(office + path)
            found = tab.evaluate(OVERFLOW)
            if found:
                overflow[f"{name}@{width}"] = found
            result = axe(tab)
            if result:
                violations[f"{name}@{width}"] = result
    context.close()
    assert not overflow and not violations, {"overflow": overflow, "axe": violations}
