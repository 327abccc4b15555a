"""The monitoring report of an evaluation cycle: one print-friendly HTML document, also rendered to PDF
(WeasyPrint). Used by the report page, the background job and the `monitoring_report` command."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone

from kompass.monitoring import selectors
from kompass.monitoring.models import EvaluationCycle

SVG_LIMIT = 400  # indicators up to which the HTML report draws one SVG chart per indicator


def report_html(cycle: EvaluationCycle, *, progress: Callable[[int, int, str], None] | None = None,
                charts: bool = True, for_pdf: bool = False) -> str:
    """Render the report. `progress(done, total, message)` is called while measures are rendered.

    The HTML version has one SVG chart per indicator. The PDF version (`for_pdf`) is laid out compactly with
    one PNG chart per measure (achievement against elapsed time for every indicator, the target path being the
    diagonal): WeasyPrint needs about 0.07 s per inline SVG, too slow for thousands of indicators."""
    view = selectors.cycle_view(cycle)
    total = view.figures.get("measures_monitored") or 0
    # Large strategies get the compact layout on the web as well: one SVG per indicator would make the page
    # hundreds of megabytes (20,000 indicators: 160 MB).
    compact = for_pdf or (view.figures.get("indicators") or 0) > SVG_LIMIT
    parts = []
    done = 0
    for measure in selectors.report_measures(cycle.strategy):
        goals = []
        for goal in measure.monitoring_goals.all():
            rows = []
            for ind in goal.indicators.all():
                targets = sorted(ind.target_versions.all(), key=lambda t: t.version)
                chart = selectors.indicator_chart(ind, targets, ind.series, compact=False, width=420,
                                                  height=160) if charts and not compact else ""
                rows.append({"indicator": ind, "target": targets[-1] if targets else None, "chart": chart,
                             "status": getattr(ind, "computed", None)})
            goals.append({"goal": goal, "status": getattr(goal, "computed", None), "indicators": rows})
        template = "monitoring/report/_measure_pdf.html" if compact else "monitoring/report/_measure.html"
        parts.append(render_to_string(template, {
            "measure": measure, "goals": goals, "status": getattr(measure, "monitoring_status", None),
            "png": measure_chart_png(goals) if charts and compact else ""}))
        done += 1
        if progress and (done % 25 == 0 or done == total):
            progress(done, max(total, done), measure.title[:80])
    return render_to_string("monitoring/report/report.html", {
        "cycle": cycle, "view": view, "for_pdf": compact, "measures_html": "".join(parts),
        "generated_at": timezone.now(),
        "aggregates": selectors.aggregates(cycle.strategy), "counts": selectors.status_counts(cycle.strategy)})


def measure_chart_png(goals: list[dict], width: int = 560, height: int = 150) -> str:
    """A data: URI of a PNG: for each indicator with a target, achievement (0 = baseline, 1 = target) against the
    share of time elapsed (0 = baseline date, 1 = target date); the dashed diagonal is the path to the target."""
    import base64
    import io

    from PIL import Image, ImageDraw

    from kompass.monitoring.values import year_fraction

    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    left, right, top, bottom = 30, 8, 6, 16

    def xy(share: float, achieved: float) -> tuple[float, float]:
        share = min(max(share, 0.0), 1.2)
        achieved = min(max(achieved, -0.5), 1.5)
        return (left + (width - left - right) * share / 1.2,
                top + (height - top - bottom) * (1.5 - achieved) / 2.0)

    for level in (0.0, 1.0):
        draw.line([xy(0, level), xy(1.2, level)], fill=200, width=1)
    draw.text((2, xy(0, 1)[1] - 6), "100%", fill=60)
    draw.text((2, xy(0, 0)[1] - 6), "0%", fill=60)
    draw.text((left, height - 13), "0", fill=60)
    draw.text((xy(1, 0)[0] - 10, height - 13), "T", fill=60)
    steps = 20  # dashed diagonal: the path to the target
    for k in range(0, steps, 2):
        draw.line([xy(k / steps, k / steps), xy((k + 1) / steps, (k + 1) / steps)], fill=0, width=2)
    for g in goals:
        for row in g["indicators"]:
            ind, target = row["indicator"], row["target"]
            if target is None or target.value == ind.baseline_value:
                continue
            b, t_end = year_fraction(ind.baseline_date), year_fraction(target.target_date)
            if t_end <= b:
                continue
            span, gap = t_end - b, target.value - ind.baseline_value
            points = [xy(0, 0)] + [xy((year_fraction(period) - b) / span, (value - ind.baseline_value) / gap)
                                   for period, value, _provisional in ind.series]
            if len(points) > 1:
                draw.line(points, fill=70, width=1)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def report_pdf(html: str, base_url: str = "") -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=base_url or None).write_pdf()
