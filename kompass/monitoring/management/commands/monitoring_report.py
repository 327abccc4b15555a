from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kompass.monitoring.models import EvaluationCycle
from kompass.monitoring.reports import report_html, report_pdf
from kompass.strategy.selectors import current_strategy_or_none


class Command(BaseCommand):
    help = "Write the monitoring report of an evaluation cycle as PDF (default) or HTML, with a progress display."

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="Short name (slug) of the evaluation cycle")
        parser.add_argument("--output", "-o", help="Output file (default: monitoring-<cycle>.pdf or .html)")
        parser.add_argument("--html", action="store_true", help="Write HTML instead of PDF.")
        parser.add_argument("--language", default="de", choices=["de", "en"])
        parser.add_argument("--no-charts", action="store_true", help="Leave out the charts (faster).")

    def handle(self, *args, cycle, output, html, language, no_charts, **options):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        strategy = current_strategy_or_none()
        found = EvaluationCycle.objects.filter(strategy=strategy, slug=cycle).first() if strategy else None
        if found is None:
            raise CommandError(f"No evaluation cycle '{cycle}'.", returncode=2)
        target = Path(output or f"monitoring-{found.slug}.{'html' if html else 'pdf'}")
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with translation.override(language), Progress(*columns, console=None, transient=False) as bar:
            task = bar.add_task("measures", total=None)
            set_bar = bar.update  # rich's progress display (not a model write)

            def progress(done, total, message):
                set_bar(task, completed=done, total=total, description=f"measures: {message[:40]}")

            document = report_html(found, progress=progress, charts=not no_charts, for_pdf=not html)
            if html:
                target.write_text(document, encoding="utf-8")
            else:
                pdf_task = bar.add_task("PDF (WeasyPrint)", total=1)
                target.write_bytes(report_pdf(document))
                set_bar(pdf_task, completed=1)
        self.stdout.write(self.style.SUCCESS(f"Wrote {target} ({target.stat().st_size:,} bytes)."))
