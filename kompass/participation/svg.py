"""The opinion map as server-rendered SVG: one dot per participant, coloured and shaped by group."""

from django.utils.html import escape
from django.utils.translation import gettext as _

COLOURS = ["#1f5fa8", "#b3470c", "#2d7a2d", "#7a2d7a", "#6b5b00"]
SHAPES = ["circle", "square", "diamond", "triangle", "cross"]


def _mark(shape: str, x: float, y: float, r: float) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}"/>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}"/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - r:.1f} {x + r:.1f},{y + r:.1f} {x - r:.1f},{y + r:.1f}"/>'
    return (f'<path d="M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x + r:.1f},{y - r:.1f}'
            f'L{x - r:.1f},{y + r:.1f}" stroke-width="2"/>')


def opinion_map_svg(data: dict, width: int = 560, height: int = 420, max_points: int = 5000) -> str:
    points = data.get("points", [])[:max_points]
    pad = 20
    if points:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    else:
        min_x = max_x = min_y = max_y = 0.0
    span_x = (max_x - min_x) or 1.0
    span_y = (max_y - min_y) or 1.0
    label = _("Opinion map: %(n)s participants in %(k)s groups. The same data is in the tables below.") % {
        "n": data.get("n_participants", 0), "k": data.get("k", 0)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="opinion-map-title" class="opinion-map">',
             f'<title id="opinion-map-title">{escape(label)}</title>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff" stroke="#767676"/>']
    by_group: dict[int, list] = {}
    for x, y, g in points:
        by_group.setdefault(g, []).append((pad + (x - min_x) / span_x * (width - 2 * pad),
                                           height - pad - (y - min_y) / span_y * (height - 2 * pad)))
    for g, coords in sorted(by_group.items()):
        colour = "#767676" if g < 0 else COLOURS[g % len(COLOURS)]
        shape = "circle" if g < 0 else SHAPES[g % len(SHAPES)]
        fill = "none" if g < 0 else colour
        parts.append(f'<g fill="{fill}" stroke="{colour}" fill-opacity="0.7">')
        parts.extend(_mark(shape, x, y, 4) for x, y in coords)
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
