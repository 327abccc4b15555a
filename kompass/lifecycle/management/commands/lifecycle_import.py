from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kompass.core.actors import system_actor
from kompass.lifecycle.services import measures_import
from kompass.strategy.selectors import current_strategy


class Command(BaseCommand):
    help = ("Import measures from an XLSX or CSV file. Every row is validated first; nothing is written unless all "
            "rows are valid. Rows are matched by external_id, so importing the same file twice changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, write nothing.")
        parser.add_argument("--as", dest="actor", metavar="EMAIL", help="Record the changes as this user.")

    def handle(self, *args, file, dry_run, actor, **options):
        user = system_actor("lifecycle-import command")
        if actor:
            user = get_user_model().objects.filter(email=actor.lower()).first()
            if user is None:
                raise CommandError(f"--as: no user with email {actor}", returncode=2)
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot read: {exc}", returncode=2) from exc
        try:
            report = measures_import(actor=user, strategy=current_strategy(), name=path.name, content=content,
                                     dry_run=dry_run)
        except PermissionDenied as exc:
            raise CommandError(f"--as: {actor} may not import measures", returncode=2) from exc
        if report.problems:
            lines = [f"{file}: {len(report.problems)} problem(s), nothing was written:"]
            lines += [f"  {file}: {p}" for p in report.problems]
            raise CommandError("\n".join(lines), returncode=2)
        verb = "would create" if dry_run else "created"
        self.stdout.write(self.style.SUCCESS(
            f"{report.rows} row(s): {verb} {report.created}, updated {report.updated}, unchanged {report.unchanged}"
            f"{' (dry run, nothing written)' if dry_run else ''}."))
