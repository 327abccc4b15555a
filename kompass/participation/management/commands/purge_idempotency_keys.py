from django.core.management.base import BaseCommand

from kompass.core.actors import system_actor
from kompass.participation.services import idempotency_keys_purge
from kompass.participation.services.idempotency import key_lifetime


class Command(BaseCommand):
    help = ("Delete idempotency keys of citizens' writes older than KOMPASS_IDEMPOTENCY_HOURS (default 24; ADR "
            "0045). `participation_digest daily` runs the same purge, so the daily job needs no extra line.")

    def handle(self, *args, **options):
        deleted = idempotency_keys_purge(actor=system_actor("idempotency key purge"))
        self.stdout.write(f"{deleted} idempotency key(s) older than {key_lifetime()} deleted.")
