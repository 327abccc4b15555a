"""Walk-through of the lottery officer (issue 13), German UI, on a phone (390 px) and on a desktop (1280 px): set up
a citizens' panel, import the respondents, set quotas, compute and draw with a public seed, publish, and read the
public audit page. No page on the way scrolls sideways."""

import pytest

from tests.browser.walkthrough import (
    PASSWORD,
    WIDTHS,
    check_fits,
    log_in,
    new_tab,
    panel_draw_and_publish,
    panel_set_up,
    quotas_set,
)

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
    pool = tmp_path / "pool.csv"
    pool.write_bytes(pool_csv())
    panel_set_up(tab, "sg-rundgang", "Stadtgremium Rundgang", pool)
    panel = Panel.objects.get(slug="sg-rundgang")
    assert panel.respondents.count() == 30
    check_fits(tab, wide)
    tab.goto(site + "/stadtgremium/sg-rundgang/manage/respondents/")
    check_fits(tab, wide)
    tab.goto(site + "/stadtgremium/sg-rundgang/manage/")
    quotas_set(tab)
    tab.locator("button[value=save]").click()
    tab.wait_for_url("**/manage/")
    tab.locator("form[action$='/manage/select/'] button").click()
    tab.wait_for_url("**/jobs/**")
    assert "erledigt" in tab.locator("#job-status").inner_text()
    check_fits(tab, wide)
    panel_draw_and_publish(tab, site, "sg-rundgang", "7 1 9 3 5")
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
