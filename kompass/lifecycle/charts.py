"""The SVG drawings of the office pages (organisation network, measures per phase), drawn on the server from
what the selectors read. Each is a decorative duplicate of the table beside it."""

from __future__ import annotations

import html
import math
from collections import Counter

from django.utils.translation import gettext, ngettext


def network_desc(count: int) -> str:
    return ngettext("%(n)s organisation linked by shared measures; the table below lists every link.",
                    "%(n)s organisations linked by shared measures; the table below lists every link.",
                    count) % {"n": count}


def network_svg(nodes: list, edges: list, degree: Counter, size: int = 640, limit: int = 40) -> str:
    """The organisation network as SVG: nodes on a circle (largest first), edges with width by shared measures.

    Decorative duplicate of the table next to it; labels are in <title> elements for pointer users."""
    nodes = nodes[:limit]
    keep = {o.pk for o in nodes}
    centre, radius = size / 2, size / 2 - 110
    pos = {}
    for i, o in enumerate(nodes):
        angle = 2 * math.pi * i / max(1, len(nodes)) - math.pi / 2
        pos[o.pk] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
             f'aria-labelledby="network-title network-desc" class="network">']
    parts.append(f'<title id="network-title">{html.escape(gettext("Organisation network"))}</title>')
    parts.append(f'<desc id="network-desc">{html.escape(network_desc(len(nodes)))}</desc>')
    for e in edges:
        a, b = e["a"].pk, e["b"].pk
        if a in keep and b in keep:
            x1, y1, _ = pos[a]
            x2, y2, _ = pos[b]
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="network-edge" '
                         f'stroke-width="{min(8, 1 + e["weight"]):.0f}"/>')
    for o in nodes:
        x, y, angle = pos[o.pk]
        r = 4 + min(10, degree[o.pk])
        label = html.escape(o.abbreviation or o.name[:24])
        lx, ly = x + (r + 4) * math.cos(angle), y + (r + 4) * math.sin(angle)
        anchor = "start" if math.cos(angle) >= 0 else "end"
        parts.append(f'<g class="network-node kind-{o.kind}"><title>{html.escape(o.name)}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}"/>'
                     f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{label}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def phase_bars_svg(rows: list[dict], width: int = 560, bar: int = 26) -> str:
    """Measures per phase as horizontal bars (SVG, server-side). The table next to it holds the same numbers."""
    top = max([r["count"] for r in rows] + [1])
    label_w, gap = 150, 8
    height = len(rows) * (bar + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="phase-bars" '
             f'aria-hidden="true" focusable="false">']
    for i, r in enumerate(rows):
        y = gap + i * (bar + gap)
        w = (width - label_w - 50) * r["count"] / top
        name = html.escape(r["phase"].display_name)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar * 0.68:.1f}" text-anchor="end">{name}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + bar * 0.68:.1f}">{r["count"]}</text>')
    parts.append("</svg>")
    return "".join(parts)
