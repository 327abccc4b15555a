"""Staff and public pages use the KERN UX components: every button, table, text field, select and alert on every
page type (tests/browser/pages.py, as a visitor, a citizen and staff) carries its KERN class."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.portal.test_no_english_words import rendered_pages

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.browser.urls")]

# Documents outside the page frame with their own print styles (the cycle report, also rendered to PDF).
STANDALONE = {"monitoring-report"}
TEXT_INPUTS = {"text", "email", "password", "number", "date", "datetime-local", "url", "search", "tel", "file", ""}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.missing: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        kind = (a.get("type") or "").lower()
        if tag == "button" or (tag == "input" and kind in ("submit", "button", "reset")):
            if not classes & {"kern-btn", "kern-link"}:
                self.missing.append(f"<{tag} {a.get('name') or a.get('value') or ''}> without kern-btn")
        elif tag == "table" and "kern-table" not in classes:
            self.missing.append("<table> without kern-table")
        elif tag == "input" and kind in TEXT_INPUTS and not any(c.startswith("kern-form-input") for c in classes):
            self.missing.append(f"<input {a.get('name')}> without kern-form-input__input")
        elif tag == "select" and not any(c.startswith("kern-form-input") for c in classes):
            self.missing.append(f"<select {a.get('name')}> without kern-form-input__select")
        elif tag == "textarea" and not any(c.startswith("kern-form-input") for c in classes):
            self.missing.append(f"<textarea {a.get('name')}> without kern-form-input__input")


def non_kern(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(re.sub(r"<svg.*?</svg>", "", html, flags=re.S))
    return sorted(set(parser.missing))


def test_every_page_type_uses_kern_components(client):
    found = {}
    for page, html in rendered_pages(client, english=True, skip=STANDALONE):
        missing = non_kern(html)
        if missing:
            found[page.name] = missing
    if found:
        Path("/tmp/kompass-kern-found.txt").write_text(repr(found))
    assert not found, found


def test_the_check_finds_bare_elements():
    assert non_kern('<button type="submit">Go</button><table></table><input name="q">') == [
        "<button > without kern-btn", "<input q> without kern-form-input__input", "<table> without kern-table"]
    assert non_kern('<button class="kern-btn">Go</button><table class="kern-table"></table>'
                    '<input class="kern-form-input__input" name="q">') == []
