"""The German catalogue is in sync with the sources: `make makemessages` (Django's makemessages, run here on a copy
of the sources) adds no msgid, drops none, and leaves nothing untranslated or fuzzy (docs/translation.md)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = Path("kompass") / "locale" / "de" / "LC_MESSAGES" / "django.po"


def _msgids(path: Path) -> set[tuple[str, str]]:
    """(msgctxt, msgid) of every live entry (the header and obsolete #~ entries left out)."""
    entries, ctx = set(), ""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        fields, key = {}, None
        for line in lines:
            match = re.match(r"^(msgctxt|msgid) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)[1:-1]
            elif line.startswith('"') and key in fields and not line.startswith('"msgstr'):
                fields[key] += line[1:-1]
            elif line.startswith(("msgstr", "msgid_plural")):
                key = None
        if fields.get("msgid"):
            entries.add((fields.get("msgctxt", ctx), fields["msgid"]))
    return entries


def test_makemessages_changes_no_msgid(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext's xgettext is missing: `make makemessages` installs it.")
    for name in ("kompass", "config"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "migrations"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DEBUG": "1", "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "makemessages", "--locale", "de", "--no-obsolete"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    before, after = _msgids(ROOT / PO), _msgids(tmp_path / PO)
    assert len(before) > 2000  # the parser really read the catalogue
    assert sorted(after - before)[:20] == [], "msgids in the sources but not in the catalogue: run make makemessages"
    assert sorted(before - after)[:20] == [], "msgids in the catalogue no source uses: run make makemessages"
    stats = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(tmp_path / PO)],
                           capture_output=True, text=True, check=False)
    assert "untranslated" not in stats.stderr and "fuzzy" not in stats.stderr, stats.stderr
