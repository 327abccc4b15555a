"""Backup and restore of the database and the files together (`kompass backup`, `kompass restore`).

An archive `kompass-YYYYmmdd-HHMMSS.tar.gz` holds `manifest.json`, the database (`database.dump` from pg_dump's
custom format, or `database.sqlite3` from SQLite's online backup) and every file of the media storage (`media/`,
read through the storage API, so S3 works too) and of the private storage (`private/`). Old archives are deleted
by `--keep-days`: deleted personal data then lives on in backups for at most that many days."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import Storage, storages

FORMAT = 1
PRIVATE_MODE = 0o600  # archives and dumps hold the whole database and the private files: owner only


@contextlib.contextmanager
def _private_umask():
    """Every file created inside (archive, pg_dump output, SQLite copy) is owner-only, whatever the umask."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def _walk(storage: Storage, prefix: str = ""):
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}{name}"
    for name in dirs:
        yield from _walk(storage, f"{prefix}{name}/")


def _private_storage() -> Storage:
    from kompass.lifecycle.models import private_storage

    return private_storage()


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _dump_database(db: dict, target_dir: Path) -> str:
    if db["ENGINE"] == "django.db.backends.postgresql":
        args, env = _pg_env(db)
        out = target_dir / "database.dump"
        result = subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(out), db["NAME"]],
                                env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return out.name
    if db["ENGINE"] == "django.db.backends.sqlite3":
        out = target_dir / "database.sqlite3"
        os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
        source = sqlite3.connect(str(db["NAME"]))
        dest = sqlite3.connect(str(out))
        with dest:
            source.backup(dest)
        source.close()
        dest.close()
        return out.name
    raise BackupError(f"unsupported database engine {db['ENGINE']}")


def _migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    return applied


def _add_streamed(tar: tarfile.TarFile, storage: Storage, name: str, arcname: str) -> None:
    """Copy one stored file into the archive in chunks (tarfile copies from the file object; nothing is read
    into memory as a whole). The size comes from the storage, as the tar header needs it first."""
    info = tarfile.TarInfo(arcname)
    info.size = storage.size(name)
    info.mtime = int(time.time())
    with storage.open(name, "rb") as fh:
        tar.addfile(info, fh)


def backup(output_dir: Path, *, keep_days: int | None = None, now: datetime | None = None) -> Path:
    from django.db import connection

    now = now or datetime.now(UTC)
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    archive = output_dir / f"kompass-{now:%Y%m%d-%H%M%S}.tar.gz"
    db = connection.settings_dict
    with _private_umask(), tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db_file = _dump_database(db, tmp_path)
        partial = archive.with_suffix(".partial")
        counts = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
        os.fchmod(fd, PRIVATE_MODE)  # also when a stale .partial of another mode was left behind
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(tmp_path / db_file, arcname=db_file)
            for label, storage in (("media", storages["default"]), ("private", _private_storage())):
                counts[label] = 0
                for name in _walk(storage):
                    _add_streamed(tar, storage, name, f"{label}/{name}")
                    counts[label] += 1
            manifest = json.dumps({"format": FORMAT, "created_at": now.isoformat(), "vendor": connection.vendor,
                                   "database": db_file, "files": counts, "migrations": _migrations()},
                                  indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(manifest)
            tar.addfile(info, io.BytesIO(manifest))
        partial.rename(archive)  # never a half-written archive under the final name
    if keep_days is not None:
        prune(output_dir, keep_days, now=now)
    return archive


def prune(output_dir: Path, keep_days: int, *, now: datetime | None = None) -> list[Path]:
    """Delete archives older than `keep_days` (by the timestamp in their name)."""
    now = now or datetime.now(UTC)
    removed = []
    for path in sorted(output_dir.glob("kompass-*.tar.gz")):
        try:
            stamp = datetime.strptime(path.name[len("kompass-"):-len(".tar.gz")], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            continue
        if (now - stamp).total_seconds() > keep_days * 86400:
            path.unlink()
            removed.append(path)
    return removed


def _target_is_empty(db: dict) -> bool:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(db["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(str(path)) as conn:
            return conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0] == 0
    import psycopg

    args, env = _pg_env(db)
    with psycopg.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                         user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None,
                         dbname=db["NAME"]) as conn:
        return conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def restore(archive: Path, db: dict, *, force: bool = False) -> dict:
    """Restore `archive` into the database `db` (a settings dict) and the configured storages."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a Kompass backup ({exc})") from exc
    with tar, tempfile.TemporaryDirectory() as tmp:
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{archive}: manifest.json missing or unreadable") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive}: backup format {manifest.get('format')} is not supported")
        if not force and not _target_is_empty(db):
            raise BackupError(f"database {db['NAME']} is not empty; restore into a new database or use --force")
        db_member = manifest["database"]
        tar.extract(db_member, tmp, filter="data")
        source = Path(tmp) / db_member
        if db_member == "database.dump":
            if db["ENGINE"] != "django.db.backends.postgresql":
                raise BackupError("this backup is of PostgreSQL; the target database is not")
            args, env = _pg_env(db)
            result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                     *(["--clean", "--if-exists"] if force else []), *args, "-d", db["NAME"],
                                     str(source)], env=env, capture_output=True, text=True)
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            if db["ENGINE"] != "django.db.backends.sqlite3":
                raise BackupError("this backup is of SQLite; the target database is not")
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, db["NAME"])
        counts = {"media": 0, "private": 0}
        targets = {"media": storages["default"], "private": _private_storage()}
        for member in tar.getmembers():
            label, _, name = member.name.partition("/")
            if label not in targets or not member.isfile() or not name or ".." in Path(name).parts:
                continue
            storage = targets[label]
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(tar.extractfile(member), name=name))  # streamed, not read whole
            if saved != name:
                raise BackupError(f"{label}/{name} was stored as {saved}")
            counts[label] += 1
    return {"manifest": manifest, "restored_files": counts}
