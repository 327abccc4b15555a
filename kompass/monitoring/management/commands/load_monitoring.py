from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kompass.core.actors import system_actor
from kompass.monitoring.loader import LABEL, MonitoringFileError, monitoring_load


class Command(BaseCommand):
    help = ("Load monitoring data (impact chains, indicators, targets, measurements, cycles) from a YAML or JSON "
            "file of format kompass-monitoring-v1. Idempotent; a bad file writes nothing (exit code 2).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="actor", metavar="EMAIL", help="Record the changes as this user.")

    def handle(self, *args, file, actor, **options):
        user = system_actor(LABEL)
        if actor:
            user = get_user_model().objects.filter(email=actor.lower()).first()
            if user is None:
                raise CommandError(f"--as: no user with email {actor}", returncode=2)
        try:
            report = monitoring_load(actor=user, path=file)
        except (MonitoringFileError, OSError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"{report.strategy}: monitoring data loaded."))
