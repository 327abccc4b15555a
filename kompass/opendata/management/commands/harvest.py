from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kompass.core.actors import system_actor
from kompass.opendata import services
from kompass.opendata.models import Source


class Command(BaseCommand):
    help = ("Harvest the measures and lessons learned of every followed city whose interval has passed (run it "
            "hourly from cron). --force harvests all now; --source harvests one.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")
        parser.add_argument("--source", type=int, help="Id of one source")

    def handle(self, *args, force, source, **options):
        qs = Source.objects.filter(is_active=True)
        if source is not None:
            qs = qs.filter(pk=source)
            if not qs.exists():
                raise CommandError(f"--source: no followed source with id {source}", returncode=2)
        now = timezone.now()
        actor = system_actor("harvest")
        failed = 0
        for src in qs.order_by("pk"):
            age = (now - src.last_harvest_at).total_seconds() if src.last_harvest_at else None
            due = age is None or age >= src.interval_hours * 3600
            if not (force or source is not None or due):
                continue
            report = services.harvest(actor=actor, source=src)
            if report.error:
                failed += 1
                self.stderr.write(f"{src.name}: {report.error}")
            else:
                self.stdout.write(f"{src.name}: {src.last_message}")
        if failed:
            raise CommandError(f"{failed} source(s) failed", returncode=1)
