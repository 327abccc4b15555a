"""`make screenshots`: every page type (tests/browser/pages.py) at phone (390 px) and desktop (1280 px) width, German
UI, written to docs/screenshots/<page>-<phone|desktop>.png. Skipped in the normal suite (it only takes pictures);
the layout test checks the same pages."""

import os
from collections import defaultdict
from pathlib import Path

import pytest

from tests.browser.pages import build_world, log_in, visit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.browser.urls"),
              pytest.mark.skipif(not os.environ.get("KOMPASS_SCREENSHOTS"), reason="run by `make screenshots`")]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _shrink(path: Path) -> None:
    """256-colour PNG (median cut keeps KERN's light greys): about a third of the size, same look."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def test_screenshots_of_every_page_type(site, browser):
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    by_role = defaultdict(list)
    for p in build_world():
        by_role[p.role].append(p)
    written = 0
    for role, pages in by_role.items():
        context = browser.new_context(locale="de-DE", viewport=SIZES["phone"], device_scale_factor=1,
                                      reduced_motion="reduce")
        log_in(context, site, role)
        tab = context.new_page()
        for p in pages:
            for n, (size_name, size) in enumerate(SIZES.items()):
                tab.set_viewport_size(size)
                if n == 0 or p.post is None:  # a posted form is sent once (a second post is another answer)
                    visit(tab, site, p)
                    tab.wait_for_load_state("networkidle")
                target = OUT / f"{p.name}-{size_name}.png"
                tab.screenshot(path=str(target), full_page=True)
                _shrink(target)
                written += 1
        context.close()
    assert written == 2 * sum(len(v) for v in by_role.values())
