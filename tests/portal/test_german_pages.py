"""Every page type (tests/browser/pages.py) rendered in German shows no English text from the catalogue: no msgid
that has a German translation appears verbatim in the page, and the catalogue has no untranslated or fuzzy entry."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser.pages import ROLES, build_world, fetch

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.browser.urls")]

PO = Path(__file__).resolve().parents[2] / "kompass" / "locale" / "de" / "LC_MESSAGES" / "django.po"
# English msgids that are also ordinary German words or names (their German translation differs only in form).
SAME_IN_GERMAN = {"Monitoring", "Feedback", "Team", "Workshop", "Dashboard", "Status", "Open Data", "API", "Input",
                  "Output", "Outcome", "Impact", "Login", "Design", "E-Mail", "Online", "Name", "Start", "Text",
                  "Ende", "Details", "Name und Adresse", "Tag", "Arena", "Pilot", "Budget", "Thema", "Version",
                  "Leitlinien", "Trend", "Score", "Link", "Code", "Stadtgremium", "Bezirke", "Moderation",
                  "Source",  # "Open Source" is German too
                  "English"}  # the language choice names each language in itself


def _unquote(line: str) -> str:
    return line.strip()[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def catalogue() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every singular entry with a translation different from its msgid."""
    entries, current, key = [], {}, None
    for raw in PO.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if current.get("msgid") and current.get("msgstr"):
                entries.append((current["msgid"], current["msgstr"]))
            if not line:
                current, key = {}, None
            continue
        match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?)\s+(".*")$', line)
        if match:
            key = match.group(1).replace("[0]", "")
            current[key] = _unquote(match.group(2))
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
    return [(i, s) for i, s in entries if i != s]


# Not read as UI text: scripts and styles, literal codes a person types into a file (<code>), and the content of
# fields being edited (the English variant of a text is data there).
VERBATIM = ("script", "style", "code", "textarea")


class _Text(HTMLParser):
    """The text a person reads or hears: element text plus alt, title, aria-label and placeholder values."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._foreign = [], 0, []  # _foreign: tags opened with lang="en" (the switch)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in VERBATIM:
            self._skip += 1
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] += 1
        elif (values.get("lang") or "de")[:2] != "de":
            self._foreign.append([tag, 1])
            self._skip += 1
        if self._skip:
            return
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in VERBATIM:
            self._skip = max(0, self._skip - 1)
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] -= 1
            if self._foreign[-1][1] == 0:
                self._foreign.pop()
                self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", re.sub(r"https?://\S+", " ", " ".join(parser.parts)))


def checkable(msgid: str) -> bool:
    """Sentences and labels without placeholders or markup. A single lowercase word ("value", "phase") is left out:
    it is as often a column name a person types into a file, which pages show literally."""
    if re.search(r"%|\{|<|\n", msgid) or msgid in SAME_IN_GERMAN:
        return False
    if " " not in msgid and msgid[:1].islower():
        return False
    return len(msgid) >= 5 and re.search(r"[A-Za-z]", msgid) is not None


def english_in(text: str, msgids: list[str]) -> list[str]:
    return [m for m in msgids if re.search(r"(?<![\w-])" + re.escape(m) + r"(?![\w-])", text)]


def test_no_catalogue_english_on_any_german_page(client):
    from kompass.accounts.models import User

    # Berlin is loaded once per session (tests/conftest.py django_db_setup); build_world() builds on it.
    msgids = [m for m, _s in catalogue() if checkable(m)]
    assert len(msgids) > 500  # the parser really read the catalogue
    found, checked = {}, 0
    for page in build_world():
        if page.path.startswith("/en/"):
            continue
        client.logout()
        if ROLES[page.role]:
            client.force_login(User.objects.get(email=ROLES[page.role]))
        response = fetch(client, page)
        assert response.status_code == page.status, page
        english = english_in(page_text(response.content.decode()), msgids)
        if english:
            found[page.name] = english
        checked += 1
    assert checked >= 100
    if found:
        Path("/tmp/kompass-english-found.txt").write_text(repr(found))
    assert not found, found


def test_the_check_finds_english_text():
    """Guards the test above: an English catalogue sentence in a page is reported, a German one is not."""
    pairs = dict(catalogue())
    msgid = next(m for m in pairs if checkable(m) and " " in m)
    assert english_in(page_text(f"<p>Vorher {msgid}.</p>"), [msgid]) == [msgid]
    assert english_in(page_text(f"<p>{pairs[msgid]}</p>"), [msgid]) == []
    assert english_in(page_text(f'<img alt="{msgid}">'), [msgid]) == [msgid]


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("GNU gettext's msgfmt is missing: `make messages` installs it.")
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert "translated message" in result.stderr
