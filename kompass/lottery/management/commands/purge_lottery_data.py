"""Delete citizens' panel personal data past each panel's retention date (run daily, e.g. from cron)."""

import datetime

from django.core.management.base import BaseCommand

from kompass.core.actors import system_actor
from kompass.lottery.services import personal_data_purge


class Command(BaseCommand):
    help = "Delete personal data (name, contact, address) of panels past their retention date."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat,
                            help="act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        done = personal_data_purge(actor=system_actor("purge_lottery_data"), today=options.get("today"))
        for slug, n in sorted(done.items()):
            self.stdout.write(f"{slug}: {n} personal data records deleted")
        if not done:
            self.stdout.write("nothing to delete")
