from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompass.opendata import opensdg
from kompass.strategy.selectors import current_strategy_or_none


class Command(BaseCommand):
    help = "Export every indicator in the layout of an Open SDG data repository (a folder, or a .zip file)."

    def add_arguments(self, parser):
        parser.add_argument("target", help="Folder to write data/ and meta/ into, or a file name ending in .zip")

    def handle(self, *args, target, **options):
        strategy = current_strategy_or_none()
        if strategy is None:
            raise CommandError("No current strategy: load one first.", returncode=2)
        out = Path(target)
        if out.suffix == ".zip":
            out.write_bytes(opensdg.export_zip(strategy))
            self.stdout.write(self.style.SUCCESS(f"Wrote {out}"))
            return
        files = opensdg.export_files(strategy)
        for rel, body in files.items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(files)} files into {out}"))
