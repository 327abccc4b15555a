"""Every page type in German as a visitor, a citizen and staff: no English UI words that never went through
gettext (a word list of typical English UI words in the visible text) and no internal codes (snake_case enum
values, status slugs). Complements test_german_pages.py, which catches English catalogue msgids."""

import re
from pathlib import Path

import pytest

from tests.browser.pages import ROLES, build_world, fetch
from tests.portal.test_german_pages import page_text

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.browser.urls")]

# Words that occur in English UI text and are not German words (nor names or abbreviations Kompass uses).
ENGLISH_WORDS = frozenset("""
the and with which this that from have has been were will would should could your you our please click
save cancel delete edit submit search unknown invalid required error errors rows row problems problem level
profiles fixed reading votes progress done failed pending running succeeded queued none true false null
item items page next previous back show hide more less loading select choose upload download file files
yes of to for is are not no or on at be its as an than then there their they them what when where who why
how can may must only all any each every some other such into over under about after before between
value values target baseline indicator indicators measure measures measurement measurements goal goals
review reviews decision decisions cycle cycles report reports comment comments idea ideas user users
created updated changed added removed missing date dates year years title description
""".split())
# English-looking words that are German too, or names the strategy data uses.
ALLOWED = frozenset("""
an in so also hat man will was die mit am um
""".split())
CODE = re.compile(r"(?<![\w./:@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])")


def english_words(text: str) -> list[str]:
    words = re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", text)
    return sorted({w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in ALLOWED})


def internal_codes(text: str) -> list[str]:
    return sorted(set(CODE.findall(text)))


def rendered_pages(client, *, english: bool = False, skip=()):
    """(page, HTML) of every page type of tests/browser/pages.py, each fetched as its role, in German."""
    from kompass.accounts.models import User

    for page in build_world():
        if page.name in skip or (page.path.startswith("/en/") and not english):
            continue
        client.logout()
        if ROLES[page.role]:
            client.force_login(User.objects.get(email=ROLES[page.role]))
        response = fetch(client, page)
        assert response.status_code == page.status, page
        yield page, response.content.decode()


def test_no_english_words_and_no_internal_codes_on_german_pages(client):
    found = {}
    for page, html in rendered_pages(client):
        text = page_text(html)
        problems = english_words(text) + internal_codes(text)
        if problems:
            found[page.name] = problems
    if found:
        Path("/tmp/kompass-english-words.txt").write_text("\n".join(f"{k}: {v}" for k, v in found.items()))
    assert not found, found


def test_the_word_check_finds_english_and_codes():
    text = page_text("<p>40 rows: 2 problems, unknown organisation</p><p>Auf Kurs (substantial_progress)</p>"
                     "<code>not_me</code>")
    assert english_words(text) == ["problems", "rows", "unknown"]
    assert internal_codes(text) == ["substantial_progress"]
    assert english_words(page_text("<p>Die Werte sind seit 2023 gestiegen, mit Ziel 2027.</p>")) == []
