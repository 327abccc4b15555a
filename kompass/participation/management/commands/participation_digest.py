from django.core.management.base import BaseCommand

from kompass.core.actors import system_actor
from kompass.core.urls import site_url
from kompass.participation.services import digest_send, idempotency_keys_purge


class Command(BaseCommand):
    help = ("Email the daily or weekly digest of notifications (run from cron: daily every day, weekly on Mondays). "
            "The daily run also deletes expired idempotency keys (as `purge_idempotency_keys`).")

    def add_arguments(self, parser):
        parser.add_argument("period", choices=["daily", "weekly"])
        parser.add_argument("--base-url", default="", help="Absolute site URL for links (default: KOMPASS_SITE_URL)")

    def handle(self, *args, period, base_url, **options):
        sent = digest_send(actor=system_actor("participation digest"), period=period,
                           base_url=(base_url or site_url()).rstrip("/"))
        self.stdout.write(f"{sent} digest email(s) sent.")
        if period == "daily":
            purged = idempotency_keys_purge(actor=system_actor("idempotency key purge"))
            self.stdout.write(f"{purged} expired idempotency key(s) deleted.")
