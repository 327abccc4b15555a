from django.core.management.base import BaseCommand

from kompass.core.actors import system_actor
from kompass.lifecycle.services import digest_send


class Command(BaseCommand):
    help = ("Queue notifications for overdue milestones, then send every person one email with all their pending "
            "lifecycle notifications (phase changes, decisions, overdue milestones).")

    def handle(self, *args, **options):
        result = digest_send(actor=system_actor("lifecycle digest"))
        self.stdout.write(self.style.SUCCESS(
            f"{result['emails']} email(s) with {result['notifications']} notification(s) sent; "
            f"{result['overdue_milestones']} newly overdue milestone(s)."))
