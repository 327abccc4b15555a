"""Server-rendered SVG charts (no JavaScript): an indicator's time series with its target line.

Print-friendly: black/grey strokes, dashed target line, data points as distinct markers; the same data is always
published as a table next to the chart."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kompass.monitoring.dated import format_dated


@dataclass
class ChartTarget:
    start: tuple[datetime.date, float]
    end: tuple[datetime.date, float]
    current: bool
    label: str


def _nice(low: float, high: float) -> tuple[float, float, list[float]]:
    if high == low:
        high, low = high + 1, low - 1
    span = high - low
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    start = (low // step) * step
    ticks, value = [], start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks[0], ticks[-1], ticks


def _fmt(value: float) -> str:
    """Axis labels in the active language ("2,5", "12.000")."""
    from kompass.core.formats import number

    return number(value, significant=10)


def _f(value: float) -> str:
    return f"{value:.1f}"


def line_chart(points: list[tuple[datetime.date, float, bool]], targets: list[ChartTarget], *, unit: str,
               title: str, width: int = 640, height: int = 280, compact: bool = False) -> SafeString:
    """`points`: (date, value, provisional); `targets`: target lines (the current one solid-dashed, superseded
    ones grey). Returns an accessible <svg> (role img with a title and a description)."""
    if not points and not targets:
        return mark_safe("")
    left, right, top, bottom = (8, 8, 8, 8) if compact else (56, 16, 26, 36)
    dates = [p[0] for p in points] + [d for t in targets for d in (t.start[0], t.end[0])]
    values = [p[1] for p in points] + [v for t in targets for v in (t.start[1], t.end[1])]
    d0, d1 = min(dates), max(dates)
    if d0 == d1:
        d1 = d0 + datetime.timedelta(days=365)
    low, high, ticks = _nice(min(values), max(values))
    span_days = (d1 - d0).days

    def x(day: datetime.date) -> float:
        return left + (width - left - right) * (day - d0).days / span_days

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    parts = []
    desc = _("%(n)s values from %(start)s to %(end)s.") % {
        "n": len(points), "start": points[0][0].isoformat() if points else "-",
        "end": points[-1][0].isoformat() if points else "-"}
    parts.append(format_html('<svg class="mon-chart{}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
                             'xmlns="http://www.w3.org/2000/svg"><title>{}</title><desc>{}</desc>',
                             " mon-chart-compact" if compact else "", width, height, title, title, desc))
    if not compact:
        for tick in ticks:
            parts.append(format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
                                     '<text x="{}" y="{}" class="axis" text-anchor="end">{}</text>',
                                     left, width - right, _f(y(tick)), _f(y(tick)), left - 6, _f(y(tick) + 4),
                                     _fmt(tick)))
        for year in range(d0.year + (0 if d0.month == 1 and d0.day == 1 else 1), d1.year + 1):
            day = datetime.date(year, 1, 1)
            if d0 <= day <= d1:
                parts.append(format_html('<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>',
                                         _f(x(day)), height - 12, year))
        parts.append(format_html('<text x="4" y="12" class="axis">{}</text>', unit))
    for target in sorted(targets, key=lambda t: t.current):
        cls = "target" if target.current else "target old"
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"/>'
                                 '<circle cx="{}" cy="{}" r="4" class="{}"><title>{}</title></circle>',
                                 _f(x(target.start[0])), _f(y(target.start[1])), _f(x(target.end[0])),
                                 _f(y(target.end[1])), cls,
                                 _f(x(target.end[0])), _f(y(target.end[1])), cls, target.label))
    if points:
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v, _p in points)
        parts.append(format_html('<polyline points="{}" class="series"/>', path))
        if not compact:
            for day, value, provisional in points:
                parts.append(format_html(
                    '<circle cx="{}" cy="{}" r="3.5" class="{}"><title>{}: {} {}</title></circle>',
                    _f(x(day)), _f(y(value)), "point provisional" if provisional else "point",
                    format_dated(day, getattr(day, "precision", "day")),
                    _fmt(value), unit))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def status_symbol(status: str) -> str:
    """A text symbol per status so that status never depends on colour alone."""
    return {"achieved": "★", "on_track": "▲", "acceleration_needed": "◆", "limited_progress": "▼",
            "deterioration": "✖", "not_achieved": "▼", "not_computable": "–"}.get(status or "", "–")


__all__ = ["ChartTarget", "escape", "line_chart", "status_symbol"]
