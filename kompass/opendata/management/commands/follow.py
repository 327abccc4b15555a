from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kompass.core.actors import system_actor
from kompass.opendata import services


class Command(BaseCommand):
    help = "Follow another Kompass instance (its base address) or a DCAT-AP catalogue (--kind dcat)."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--name", required=True, help="Usually the city")
        parser.add_argument("--kind", default="kompass", choices=["kompass", "dcat"])
        parser.add_argument("--every", type=int, default=24, help="Harvest interval in hours")

    def handle(self, *args, url, name, kind, every, **options):
        try:
            source = services.source_follow(actor=system_actor("follow"), name=name, url=url, kind=kind,
                                            interval_hours=every)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items()),
                               returncode=2) from exc
        self.stdout.write(self.style.SUCCESS(f"Following {source.name} ({source.url}) as source {source.pk}"))
