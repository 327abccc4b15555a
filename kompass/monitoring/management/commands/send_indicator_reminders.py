from django.core.management.base import BaseCommand

from kompass.core.actors import system_actor
from kompass.monitoring.services import indicator_reminders_send


class Command(BaseCommand):
    help = ("Email every indicator owner whose next value is due within two weeks or overdue, once per due date "
            "(safe to run daily, e.g. from cron or a recurring job).")

    def handle(self, *args, **options):
        count = indicator_reminders_send(actor=system_actor("indicator reminders"))
        self.stdout.write(self.style.SUCCESS(f"{count} reminder(s) sent."))
