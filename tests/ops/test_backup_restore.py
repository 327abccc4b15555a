"""Backup, restore drill and backup expiry (issue 12)."""

import json
import os
import subprocess
import sys
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from kompass.ops import backup as ops_backup
from kompass.ops.drill import drill_urls, snapshot

ROOT = Path(__file__).resolve().parents[2]
DRILL_DB = "kompass_cluster_restore_drill"  # a scratch database name this project reserves for ops


def _target_url(tmp_path: Path) -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    import psycopg

    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DRILL_DB}"')
        conn.execute(f'CREATE DATABASE "{DRILL_DB}"')
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{DRILL_DB}"


def _drop_target():
    if connection.vendor != "postgresql":
        return
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DRILL_DB}"')


def _run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


# Visitor page types of tests/browser/pages.py the drill leaves out, with the reason.
NOT_IN_DRILL = {"invitation": "a personal invitation link (secret token), not a public page",
                "not-found": "the 404 page (drilled by its status elsewhere)",
                "unsubscribe": "a personal link (signed token of one account), not a public page",
                "email-verify": "a personal link (signed token of one account), not a public page",
                "password-reset-confirm": "a personal link (one-time token of one account), not a public page",
                "password-reset-sent": "a fixed confirmation text that reads no stored data",
                "password-reset-complete": "a fixed confirmation text that reads no stored data"}
LOGGED_IN = {"citizen": ["/accounts/settings/", "/notifications/", "/ideas/new/"],
             "admin": ["/measures/{fresh}/process/", "/measures/{fresh}/process/team/",
                       "/measures/{fresh}/process/milestones/", "/my-tasks/", "/office/process/"]}


def _publish_panel_and_opinion_map():
    """The panel's public pages and the opinion map exist only once drawn/published and computed."""
    from kompass.accounts.models import User
    from kompass.lottery import services as lottery
    from kompass.lottery.models import Panel
    from kompass.participation.models import Consultation
    from kompass.participation.services import opinion_map_start
    from tests.browser.pages import ROLES

    admin = User.objects.get(email=ROLES["admin"])
    panel = Panel.objects.get(slug="stadtgremium-2027")
    lottery.selection_start(actor=admin, panel=panel)  # the tests' task backend runs it at once
    panel.refresh_from_db()
    lottery.hash_publish(actor=admin, panel=panel)
    lottery.panel_draw(actor=admin, panel=panel, seed="3 1 4 1 5 9")
    panel.refresh_from_db()
    lottery.panel_publish(actor=admin, panel=panel)
    opinion_map_start(actor=admin, consultation=Consultation.objects.get(slug="leitlinien-offene-daten"))


def _logged_in_urls(pages) -> dict[str, list[str]]:
    workspace = next(p.path for p in pages if p.name == "workspace")
    fresh = workspace.split("/")[2]
    return {role: [u.format(fresh=fresh) for u in urls] for role, urls in LOGGED_IN.items()}


@pytest.mark.django_db(transaction=True)
def test_restore_drill_every_page_and_api_answer_identical(berlin_committed, tmp_path, settings):
    from django.core.files.storage import storages
    from django.urls import resolve

    from kompass.lifecycle.models import private_storage
    from kompass.ops.drill import api_urls
    from tests.browser.pages import PASSWORD, ROLES, build_world

    settings.MEDIA_ROOT = tmp_path / "media"
    private_root = tmp_path / "private"
    settings.KOMPASS_PRIVATE_ROOT = private_root
    storages["default"].save("jobs/2026/12/report.pdf", ContentFile(b"%PDF-1.4 report"))
    private_storage().save("lifecycle/2026/12/protokoll.txt", ContentFile(b"Protokoll"))
    from tests.factories import add_measures

    pages = build_world()  # every page type's data: ideas, consultation, monitoring, lottery panel, candidate, ...
    _publish_panel_and_opinion_map()
    add_measures(berlin_committed, 30)
    urls = drill_urls()
    # every public page type of the page registry is drilled, and every GET operation of the API
    def view(url: str) -> str:
        path = url.split("?")[0]
        return resolve(path[3:] if path.startswith("/en/") else path).view_name

    drilled_views = {view(u) for u in urls}
    # The drill compares what a GET of a public page answers: refusals and errors (a status other than 200, one of
    # them a test-only address) and the answers to a posted form are checked by their own tests.
    missing = [p.name for p in pages if p.role == "visitor" and p.name not in NOT_IN_DRILL
               and p.status == 200 and p.post is None and view(p.path) not in drilled_views]
    assert missing == [], missing
    api, uncovered = api_urls()
    assert uncovered == [] and len(api) >= 30
    for needed in ("/ideas/map/", "/monitoring/cycles/", "/candidates/", "/impressum/", "/catalog.ttl",
                   "/stadtgremium/", "/api/v1/lottery/panels"):
        assert any(u.startswith(needed) for u in urls), needed
    assert any(u.endswith("/audit/") for u in urls) and any(u.endswith(".csv") and "/opendata/" in u for u in urls)
    original = snapshot(urls)
    assert all(v.startswith("200:") for v in original.values()), {u: v for u, v in original.items()
                                                                   if not v.startswith("200:")}
    personal = _logged_in_urls(pages)
    original_personal = {role: snapshot(role_urls, login=(ROLES[role], PASSWORD))
                         for role, role_urls in personal.items()}
    for role, answers in original_personal.items():
        assert all(v.startswith("200:") for v in answers.values()), (role, answers)

    archive = ops_backup.backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "media/jobs/2026/12/report.pdf", "private/lifecycle/2026/12/protokoll.txt"} <= names

    target = _target_url(tmp_path)
    restored_var = tmp_path / "restored-var"
    env = {**os.environ, "KOMPASS_TESTING": "1", "DATABASE_URL": target, "KOMPASS_VAR_DIR": str(restored_var)}
    try:
        result = _run(["-m", "kompass.cli", "restore", str(archive)], env)
        assert result.returncode == 0, result.stderr
        assert (restored_var / "media/jobs/2026/12/report.pdf").read_bytes() == b"%PDF-1.4 report"
        assert (restored_var / "private/lifecycle/2026/12/protokoll.txt").read_text() == "Protokoll"
        code = ("import django, json, sys; django.setup(); from kompass.ops.drill import snapshot; "
                "spec = json.loads(sys.argv[1]); "
                "print(json.dumps({k: snapshot(u, login=tuple(l) if l else None) for k, (u, l) in spec.items()}))")
        spec = {"anonymous": (urls, None),
                **{role: (role_urls, (ROLES[role], PASSWORD)) for role, role_urls in personal.items()}}
        result = _run(["-c", code, json.dumps(spec)], {**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
        assert result.returncode == 0, result.stderr
        restored = json.loads(result.stdout.strip().splitlines()[-1])
        differing = [u for u in urls if restored["anonymous"][u] != original[u]]
        assert differing == []
        for role in personal:
            assert restored[role] == original_personal[role], role
        again = _run(["-m", "kompass.cli", "restore", str(archive)], env)
        assert again.returncode == 2 and "is not empty" in again.stderr  # never over existing data by accident
    finally:
        _drop_target()


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(ops_backup.BackupError, match="not a Kompass backup"):
        ops_backup.restore(bogus, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db")})
    with pytest.raises(ops_backup.BackupError, match="no such file"):
        ops_backup.restore(tmp_path / "missing.tar.gz", {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})


def test_backups_expire_after_keep_days(tmp_path):
    now = datetime(2026, 12, 1, 3, 15, tzinfo=UTC)
    for days in (0, 10, 29, 31, 400):
        (tmp_path / f"kompass-{now - timedelta(days=days):%Y%m%d-%H%M%S}.tar.gz").write_bytes(b"x")
    (tmp_path / "kompass-notes.tar.gz").write_bytes(b"keep: not a backup name")
    removed = ops_backup.prune(tmp_path, 30, now=now)
    assert sorted(p.name for p in removed) == ["kompass-20251027-031500.tar.gz", "kompass-20261031-031500.tar.gz"]
    assert len(list(tmp_path.glob("kompass-*.tar.gz"))) == 4


@pytest.mark.django_db
def test_backup_command_rejects_bad_keep_days(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as info:
        call_command("backup", output_dir=str(tmp_path), keep_days=0)
    assert info.value.returncode == 2


@pytest.mark.django_db(transaction=True)
def test_backup_archive_is_owner_only_whatever_the_umask(tmp_path, settings, monkeypatch):
    """An archive holds the whole database and the private files: 0600 even under umask 0000, and the
    database dump inside the temporary directory too (checked while it exists)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    modes = {}
    real_dump = ops_backup._dump_database

    def dump_and_look(db, target_dir):
        name = real_dump(db, target_dir)
        modes["dump"] = (target_dir / name).stat().st_mode & 0o777
        return name

    monkeypatch.setattr(ops_backup, "_dump_database", dump_and_look)
    old = os.umask(0)
    try:
        archive = ops_backup.backup(tmp_path / "backups")
    finally:
        os.umask(old)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert modes["dump"] & 0o077 == 0, oct(modes["dump"])
    assert os.umask(old) == old  # the process umask is given back


@pytest.mark.django_db(transaction=True)
def test_backup_streams_files_instead_of_reading_them_whole(tmp_path, settings, monkeypatch):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    payload = os.urandom(3 * 2**20 + 17)
    storages["default"].save("jobs/big.bin", ContentFile(payload))
    reads = []
    real_open = storages["default"].open

    class Tracking:
        def __init__(self, fh):
            self.fh = fh

        def read(self, size=-1):
            reads.append(size)
            return self.fh.read(size)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    def tracking_open(name, mode="rb"):
        return Tracking(real_open(name, mode))

    monkeypatch.setattr(storages["default"], "open", tracking_open)
    archive = ops_backup.backup(tmp_path / "backups")
    assert reads and all(0 < size < len(payload) for size in reads), reads[:5]  # chunks, never read() whole
    with tarfile.open(archive) as tar:
        assert tar.extractfile("media/jobs/big.bin").read() == payload
