from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kompass.core.actors import system_actor
from kompass.opendata import services
from kompass.opendata.models import Source


class Command(BaseCommand):
    help = ("Harvest the measures and lessons learned of every followed city whose interval has passed, in this "
            "process. --force harvests all now; --source harvests one. --schedule instead makes sure every followed "
            "source has its recurring harvest job queued for the task worker (idempotent; run at deployment).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")
        parser.add_argument("--source", type=int, help="Id of one source")
        parser.add_argument("--schedule", action="store_true",
                            help="Queue the recurring harvest job of every followed source that has none")

    def handle(self, *args, force, source, schedule=False, **options):
        qs = Source.objects.filter(is_active=True)
        if schedule:
            return self._schedule(qs)
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

    def _schedule(self, qs):
        from kompass.jobs.services import can_schedule

        if not can_schedule():
            raise CommandError("--schedule: the task backend cannot run jobs later (TASKS_BACKEND); use the "
                               "database backend and `kompass db_worker`", returncode=2)
        actor = system_actor("harvest")
        for src in qs.order_by("pk"):
            due = src.last_harvest_at + timedelta(hours=src.interval_hours) if src.last_harvest_at else None
            job = services.harvest_schedule(actor=actor, source=src, run_after=due)
            self.stdout.write(f"{src.name}: {'queued' if job else 'already queued'}")
