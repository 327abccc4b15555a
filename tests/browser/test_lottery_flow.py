"""A lottery officer runs a small citizens' panel end to end in the browser; axe-core finds no violation on the
public registration form and on the public audit page."""

import datetime

import pytest

from tests.browser.walkthrough import panel_draw_and_publish, panel_set_up, quotas_set

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.lottery_web.urls")]

PASSWORD = "S3cure-pass-word"


def _officer():
    from kompass.accounts.models import User

    return User.objects.create_user(email="officer-browser@example.org", password=PASSWORD, is_lottery_officer=True)


def test_officer_runs_a_small_panel_end_to_end(site, page, axe, tmp_path):
    from tests.lottery_web.conftest import pool_csv

    _officer()
    page.goto(site + "/accounts/login/?next=/stadtgremium/office/")
    page.fill("#id_username", "officer-browser@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/stadtgremium/office/")
    pool = tmp_path / "pool.csv"
    pool.write_bytes(pool_csv())
    panel_set_up(page, "sg-browser", "Stadtgremium Browser", pool)
    assert axe(page) == []  # the officer's workspace with the quota table
    quotas_set(page)
    assert page.input_value("#id_q__gender__female__min") == "3"
    page.locator("button[value=save]").click()
    page.wait_for_url("**/manage/")
    page.locator("form[action$='/manage/select/'] button").click()
    page.wait_for_url("**/jobs/**")
    panel_draw_and_publish(page, site, "sg-browser", "4 2 6 1 3")
    context = page.context
    context.clear_cookies()
    page.goto(site + "/en/stadtgremium/sg-browser/audit/")  # the English page, to check its heading
    assert page.locator("h1").inner_text().startswith("Audit")
    assert page.locator("svg polyline").count() == 1
    assert "4 2 6 1 3" in page.content()
    assert axe(page) == []
    page.goto(site + "/stadtgremium/sg-browser/")
    assert axe(page) == []


def test_public_registration_form_is_accessible(site, page, axe):
    from kompass.lottery import services
    from tests.lottery_web.conftest import CATEGORIES, register_csv

    officer = _officer()
    panel = services.panel_create(actor=officer, slug="sg-form", title="Stadtgremium Formular", purpose="Zweck.",
                                  retention_date=datetime.date.today() + datetime.timedelta(days=30), size=8,
                                  categories=CATEGORIES)
    inv = services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="r.csv", count=3,
                                    strata=["district"], seed="s")[0]
    page.goto(site + "/stadtgremium/")
    assert axe(page) == []
    page.fill("#id_code", inv.code)
    page.locator("main form button").click()
    page.wait_for_url("**/stadtgremium/register/**")
    assert axe(page) == []
    page.fill("#id_name", "Erika Mustermann")
    page.fill("#id_email", "erika@example.org")
    page.fill("#id_address", "Hauptstraße 1")
    page.select_option("#id_f__gender", "female")
    page.select_option("#id_f__district", "Mitte")
    page.locator("main form button").click()  # without consent: the form explains what is missing
    assert axe(page) == []
    page.check("#id_consent")
    page.locator("main form button").click()
    assert page.locator("h1").inner_text()
    assert panel.respondents.count() == 1
