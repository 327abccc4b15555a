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
