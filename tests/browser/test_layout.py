"""Every page type (tests/browser/pages.py), public and logged in, German UI: no page scrolls sideways at 320, 390,
768 or 1280 px (also with the phone menu open), and axe-core reports no WCAG 2.1 A/AA violation at phone (390 px)
and desktop (1280 px) width. The menu and the catalogue/dashboard filters fold on phones, with and without
JavaScript."""

from collections import defaultdict

import pytest

from tests.browser.pages import build_world, log_in, visit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.browser.urls")]

WIDTHS = (1280, 768, 390, 320)
AXE_WIDTHS = (1280, 390)
OVERFLOW = """() => {
    const limit = window.innerWidth;
    const width = document.scrollingElement.scrollWidth;
    if (width <= limit) return null;
    const wide = [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > limit + 1)
        .slice(-3).map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
            ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
    return {scrollWidth: width, innerWidth: limit, widest: wide};
}"""


def _context(browser, **kwargs):
    return browser.new_context(bypass_csp=True, locale="de-DE", viewport={"width": 1280, "height": 900}, **kwargs)


def test_every_page_type_fits_every_width_and_has_no_axe_violations(site, browser, axe):
    pages = build_world()
    by_role = defaultdict(list)
    for p in pages:
        by_role[p.role].append(p)
    overflow, violations, statuses, errors = {}, {}, {}, []
    for role, role_pages in by_role.items():
        context = _context(browser)
        log_in(context, site, role)
        tab = context.new_page()
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        for p in role_pages:
            tab.set_viewport_size({"width": 1280, "height": 900})
            response = visit(tab, site, p)
            if response.status != p.status:
                statuses[p.name] = response.status
                continue
            assert tab.evaluate("document.documentElement.lang") == ("en" if p.path.startswith("/en/") else "de")
            for width in WIDTHS:
                tab.set_viewport_size({"width": width, "height": 900})
                found = tab.evaluate(OVERFLOW)
                if found:
                    overflow[f"{p.name}@{width}"] = found
                if width in AXE_WIDTHS:
                    result = axe(tab)
                    if result:
                        violations[f"{p.name}@{width}"] = result
            menu = tab.locator("summary.site-menu__toggle")
            if menu.count():  # the phone menu, opened, must fit too
                menu.click()
                found = tab.evaluate(OVERFLOW)
                if found:
                    overflow[f"{p.name}@320-menu"] = found
        context.close()
    assert len(pages) >= 105
    problems = {"status": statuses, "overflow": overflow, "axe": violations, "errors": errors}
    assert not any(problems.values()), problems


def test_the_overflow_check_does_detect_a_page_wider_than_the_screen(page):
    """Guards the test above: a fixed-width element wider than the viewport must be reported."""
    page.set_viewport_size({"width": 320, "height": 600})
    page.set_content('<html><body><div style="width:500px">breit</div></body></html>')
    found = page.evaluate(OVERFLOW)
    assert found and found["scrollWidth"] >= 500


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_menu_and_filters_fold_on_phones_and_open_on_desktop(site, browser, javascript):
    build_world()
    context = _context(browser, java_script_enabled=javascript)
    tab = context.new_page()
    for path, filter_field in (("/measures/", "#id_district"), ("/monitoring/", "#id_q")):
        tab.set_viewport_size({"width": 1280, "height": 900})
        tab.goto(site + path)
        assert tab.locator(filter_field).is_visible()
        assert tab.get_by_role("link", name="Wertekompass").is_visible()
        assert not tab.locator("summary.site-menu__toggle").is_visible()
        tab.set_viewport_size({"width": 390, "height": 800})
        tab.goto(site + path)
        assert not tab.locator(filter_field).is_visible(), path
        assert not tab.get_by_role("link", name="Wertekompass").is_visible()
        tab.locator("summary.site-menu__toggle").click()
        assert tab.get_by_role("link", name="Wertekompass").is_visible()
        tab.locator("details.filter-panel > summary").click()
        assert tab.locator(filter_field).is_visible()
    context.close()
