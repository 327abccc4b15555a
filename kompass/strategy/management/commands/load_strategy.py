from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kompass.strategy.loader import StrategyFileError
from kompass.strategy.models import Strategy
from kompass.strategy.services import STRATEGY_LOADER, strategy_load


class Command(BaseCommand):
    help = "Load a strategy from a YAML or JSON file (validated against the published schema; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, write nothing.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already holds a strategy.")
        parser.add_argument("--as", dest="actor", metavar="EMAIL",
                            help="Record the changes as this user (default: the system).")

    def handle(self, *args, file, dry_run, if_empty, actor, **options):
        if if_empty and Strategy.objects.exists():
            self.stdout.write("A strategy is already loaded; nothing to do.")
            return
        user = STRATEGY_LOADER  # the system, unless --as names a person
        if actor:
            user = get_user_model().objects.filter(email=actor.lower()).first()
            if user is None:
                raise CommandError(f"--as: no user with email {actor}", returncode=2)
        try:
            report = strategy_load(actor=user, path=file, dry_run=dry_run)
        except StrategyFileError as exc:
            raise CommandError(exc.render(), returncode=2) from exc
        verb = "would change" if dry_run else "changed"
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(
            f"{report.strategy}: {verb} {report.changed} record(s){' (dry run, nothing written)' if dry_run else ''}."
        ))
