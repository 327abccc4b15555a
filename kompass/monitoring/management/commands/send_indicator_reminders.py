from django.core.management.base import BaseCommand, CommandError

from kompass.core.actors import system_actor
from kompass.monitoring.services import indicator_reminders_schedule, indicator_reminders_send


class Command(BaseCommand):
    help = ("Email every indicator owner whose next value is due within two weeks or overdue, once per due date, "
            "in this process. --schedule instead makes sure the daily reminder job is queued for the task worker "
            "(one schedule; idempotent; run at deployment and by `make run`).")

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="Queue the recurring daily reminder job unless it is queued already")

    def handle(self, *args, schedule=False, **options):
        actor = system_actor("indicator reminders")
        if schedule:
            from kompass.jobs.services import can_schedule

            if not can_schedule():
                raise CommandError("--schedule: the task backend cannot run jobs later (TASKS_BACKEND); use the "
                                   "database backend and `kompass db_worker`", returncode=2)
            job = indicator_reminders_schedule(actor=actor)
            self.stdout.write("indicator reminders: " + ("queued" if job else "already queued"))
            return
        count = indicator_reminders_send(actor=actor)
        self.stdout.write(self.style.SUCCESS(f"{count} reminder(s) sent."))
