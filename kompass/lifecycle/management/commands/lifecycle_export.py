from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompass.lifecycle.spreadsheets import export_csv, export_xlsx
from kompass.strategy.selectors import current_strategy


class Command(BaseCommand):
    help = "Export the current strategy's measures to an XLSX or CSV file (by the file name's extension)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("the file name must end in .xlsx or .csv", returncode=2)
        strategy = current_strategy()
        body = export_xlsx(strategy) if path.suffix.lower() == ".xlsx" else export_csv(strategy)
        path.write_bytes(body)
        self.stdout.write(self.style.SUCCESS(f"wrote {path}"))
