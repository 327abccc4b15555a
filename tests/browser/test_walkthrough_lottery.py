"""Walk-through of the lottery officer (issue 13), German UI, on a phone (390 px) and on a desktop (1280 px): set up
a citizens' panel, import the respondents, set quotas, compute and draw with a public seed, publish, and read the
public audit page. No page on the way scrolls sideways."""

import datetime

import pytest

from tests.browser.walkthrough import PASSWORD, WIDTHS, check_fits, log_in, new_tab

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.lottery_web.urls")]


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_lottery_officer_walk_through(site, browser, device, tmp_path):
    from kompass.accounts.models import User
    from kompass.lottery.models import Panel
    from tests.lottery_web.conftest import pool_csv

    User.objects.create_user(email="officer-walk@example.org", password=PASSWORD, is_lottery_officer=True)
    wide: dict = {}
    tab = new_tab(browser, WIDTHS[device])
    log_in(tab, site, "officer-walk@example.org", "/stadtgremium/office/")
    check_fits(tab, wide)
    tab.fill("#id_title", "Stadtgremium Rundgang")
    tab.fill("#id_slug", "sg-rundgang")
    tab.fill("#id_purpose", "Auswahl des Stadtgremiums für die Digitalstrategie.")
    tab.fill("#id_retention_date", (datetime.date.today() + datetime.timedelta(days=200)).isoformat())
    tab.fill("#id_size", "8")
    tab.fill("#id_categories", "gender: female, male\ndistrict: Mitte, Pankow, Spandau")
    tab.locator("form.edit-form button[type=submit]").click()
    tab.wait_for_url("**/stadtgremium/sg-rundgang/manage/")
    pool = tmp_path / "pool.csv"
    pool.write_bytes(pool_csv())
    tab.set_input_files("#id_file", str(pool))
    tab.locator("form[action$='/manage/import/'] button").click()
    tab.wait_for_url("**/manage/")
    panel = Panel.objects.get(slug="sg-rundgang")
    assert panel.respondents.count() == 30
    check_fits(tab, wide)
    tab.goto(site + "/stadtgremium/sg-rundgang/manage/respondents/")
    check_fits(tab, wide)
    tab.goto(site + "/stadtgremium/sg-rundgang/manage/")
    for name, share in (("gender__female", "50"), ("gender__male", "50"), ("district__Mitte", "40"),
                        ("district__Pankow", "35"), ("district__Spandau", "25")):
        tab.fill(f"#id_q__{name}__share", share)
    tab.locator("button[value=suggest]").click()
    tab.locator("button[value=save]").click()
    tab.wait_for_url("**/manage/")
    tab.locator("form[action$='/manage/select/'] button").click()
    tab.wait_for_url("**/jobs/**")
    assert "erledigt" in tab.locator("#job-status").inner_text()
    check_fits(tab, wide)
    tab.goto(site + "/stadtgremium/sg-rundgang/manage/")
    tab.locator("form[action$='/manage/publish-hash/'] button").click()
    tab.wait_for_url("**/manage/")
    tab.fill("#id_seed", "7 1 9 3 5")
    tab.locator("form[action$='/manage/draw/'] button").click()
    tab.wait_for_url("**/manage/")
    tab.locator("form[action$='/manage/publish/'] button").click()
    tab.wait_for_url("**/manage/")
    panel.refresh_from_db()
    assert panel.stage == Panel.Stage.PUBLISHED
    assert panel.respondents.filter(status="selected").count() == 8
    check_fits(tab, wide)
    # The audit, as anyone sees it: German heading, the seed, the probabilities.
    tab.goto(site + "/stadtgremium/sg-rundgang/audit/")
    assert tab.locator("html").get_attribute("lang") == "de"
    audit = tab.locator("main").inner_text()
    assert "7 1 9 3 5" in audit and "%" in audit
    assert tab.locator("svg polyline").count() == 1
    check_fits(tab, wide)
    assert not wide, wide
    assert not tab.errors, tab.errors
    tab.context.close()
