from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kompass.core.actors import system_actor
from kompass.monitoring.services import ImportRejected
from kompass.opendata import opensdg, services
from kompass.strategy.selectors import current_strategy_or_none


class Command(BaseCommand):
    help = ("Import indicators from an Open SDG data repository (folder or .zip) into a measure's impact chain. "
            "Indicators whose metadata name a known kompass_slug are updated; the others are created. A bad file "
            "writes nothing (exit code 2).")

    def add_arguments(self, parser):
        parser.add_argument("source", help="Folder with data/ and meta/, or a .zip of it")
        parser.add_argument("--measure", required=True, help="Slug of the measure that receives new indicators")
        parser.add_argument("--level", default="impact", choices=["output", "outcome", "impact"])
        parser.add_argument("--goal", default="", help="Title of the goal for new indicators")

    def handle(self, *args, source, measure, level, goal, **options):
        strategy = current_strategy_or_none()
        if strategy is None:
            raise CommandError("No current strategy: load one first.", returncode=2)
        target = strategy.measures.filter(slug=measure).first()
        if target is None:
            raise CommandError(f"--measure: no measure '{measure}'", returncode=2)
        path = Path(source)
        try:
            files = opensdg.read_files(path.read_bytes() if path.is_file() else path)
            indicators = opensdg.parse(files)
            report = services.opensdg_import(actor=system_actor("opensdg-import"), strategy=strategy,
                                             measure=target, indicators=indicators, level=level, goal_title=goal)
        except opensdg.OpenSdgError as exc:
            raise CommandError(f"{source}: {exc}", returncode=2) from exc
        except ImportRejected as exc:
            first = exc.errors[0]
            raise CommandError(f"{source}: row {first.row}, {first.column}: {first.message}", returncode=2) from exc
        except (ValidationError, OSError) as exc:
            raise CommandError(f"{source}: {exc}", returncode=2) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{report.indicators_created} indicators created, {report.indicators_updated} updated, "
            f"{report.targets} targets, {report.measurements} measurements, {report.skipped_rows} rows skipped"))
