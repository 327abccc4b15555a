"""`kompass jobs_sweep`: mark failed the jobs whose worker died (cron, e.g. every minute)."""

from django.core.management.base import BaseCommand

from kompass.jobs.services import jobs_sweep


class Command(BaseCommand):
    help = "Mark failed the background jobs whose worker stopped sending heartbeats; remove their temporary files."

    def handle(self, *args, **options):
        failed = jobs_sweep()
        self.stdout.write(f"{len(failed)} job(s) marked failed" + (f": {', '.join(failed)}" if failed else ""))
