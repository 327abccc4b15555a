from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kompass.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a `kompass backup` archive into an empty database (default: the configured one) and the "
            "configured file storages.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="restore into this database instead (it must be empty)")
        parser.add_argument("--force", action="store_true", help="overwrite a database that is not empty")

    def handle(self, *args, archive, database_url, force, **options):
        db = dj_database_url.parse(database_url) if database_url else connection.settings_dict
        connection.close()
        try:
            result = restore(Path(archive), db, force=force)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        files = result["restored_files"]
        self.stdout.write(f"restored {result['manifest']['created_at']}: database {db['NAME']}, "
                          f"{files['media']} media and {files['private']} private files")
