"""Helpers of the per-role walk-through tests: log in through the real form, check a page fits the width."""

PASSWORD = "S3cure-pass-word"
WIDTHS = {"phone": 390, "desktop": 1280}
FITS = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def new_tab(browser, width: int):
    context = browser.new_context(bypass_csp=True, locale="de-DE", viewport={"width": width, "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.errors = errors
    return tab


def log_in(tab, site: str, email: str, next_path: str) -> None:
    tab.goto(site + f"/accounts/login/?next={next_path}")
    tab.fill("#id_username", email)
    tab.fill("#id_password", PASSWORD)
    tab.get_by_role("button", name="Anmelden").click()
    tab.wait_for_url(f"**{next_path}")


def check_fits(tab, seen: dict) -> None:
    """Records the page when it scrolls sideways (asserted at the end of the walk-through)."""
    if not tab.evaluate(FITS):
        seen[tab.url] = tab.evaluate("() => document.scrollingElement.scrollWidth")


def panel_set_up(tab, slug: str, title: str, pool_path) -> None:
    """The lottery officer's first steps on /stadtgremium/office/: create the panel, import the respondents and
    set quotas from population shares (suggested, then saved)."""
    import datetime

    tab.fill("#id_title", title)
    tab.fill("#id_slug", slug)
    tab.fill("#id_purpose", "Auswahl des Stadtgremiums für die Digitalstrategie.")
    tab.fill("#id_retention_date", (datetime.date.today() + datetime.timedelta(days=200)).isoformat())
    tab.fill("#id_size", "8")
    tab.fill("#id_categories", "gender: female, male\ndistrict: Mitte, Pankow, Spandau")
    tab.locator("form.edit-form button[type=submit]").click()
    tab.wait_for_url(f"**/stadtgremium/{slug}/manage/")
    tab.set_input_files("#id_file", str(pool_path))
    tab.locator("form[action$='/manage/import/'] button").click()
    tab.wait_for_url("**/manage/")


def quotas_set(tab) -> None:
    for name, share in (("gender__female", "50"), ("gender__male", "50"), ("district__Mitte", "40"),
                        ("district__Pankow", "35"), ("district__Spandau", "25")):
        tab.fill(f"#id_q__{name}__share", share)
    tab.locator("button[value=suggest]").click()


def panel_draw_and_publish(tab, site: str, slug: str, seed: str) -> None:
    """After the lottery was computed: publish its hash, draw with the public seed, publish the panel."""
    tab.goto(site + f"/stadtgremium/{slug}/manage/")
    tab.locator("form[action$='/manage/publish-hash/'] button").click()
    tab.wait_for_url("**/manage/")
    tab.fill("#id_seed", seed)
    tab.locator("form[action$='/manage/draw/'] button").click()
    tab.wait_for_url("**/manage/")
    tab.locator("form[action$='/manage/publish/'] button").click()
    tab.wait_for_url("**/manage/")
