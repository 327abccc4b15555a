from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kompass.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and all files (media and private) into one archive; optionally expire old ones."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(Path(settings.VAR_DIR) / "backups"))
        parser.add_argument("--keep-days", type=int, default=None,
                            help="delete archives in the output directory older than this many days")

    def handle(self, *args, output_dir, keep_days, **options):
        if keep_days is not None and keep_days < 1:
            raise CommandError("--keep-days must be at least 1", returncode=2)
        try:
            archive = backup(Path(output_dir), keep_days=keep_days)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(str(archive))
