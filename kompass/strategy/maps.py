"""The district map as inline SVG, rendered on the server from the districts' GeoJSON geometries.

No map tiles, no JavaScript: every district is a link with an accessible name; the page also lists them."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640


@dataclass
class MapShape:
    district: object
    path: str
    label_x: float
    label_y: float
    highlighted: bool


@dataclass
class DistrictMap:
    width: int
    height: int
    shapes: list[MapShape]
    # The projection, so that a click on the map can be turned back into longitude/latitude:
    # lon = min_lon + x / x_scale, lat = max_lat - y / y_scale
    min_lon: float = 0.0
    max_lat: float = 0.0
    x_scale: float = 1.0
    y_scale: float = 1.0


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def district_map(districts, highlight=None) -> DistrictMap | None:
    with_geo = [d for d in districts if d.geometry]
    if not with_geo:
        return None
    points = [pt for d in with_geo for ring in _rings(d.geometry) for pt in ring]
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    # Equirectangular projection, corrected for latitude, good enough at city scale.
    kx = math.cos(math.radians((min_y + max_y) / 2))
    scale = WIDTH / ((max_x - min_x) * kx)
    height = int((max_y - min_y) * scale) + 1

    def project(pt):
        return (pt[0] - min_x) * kx * scale, (max_y - pt[1]) * scale

    shapes = []
    for district in with_geo:
        parts, xs, ys = [], [], []
        for ring in _rings(district.geometry):
            coords = [project(p) for p in ring]
            xs += [c[0] for c in coords]
            ys += [c[1] for c in coords]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
        shapes.append(MapShape(district, "".join(parts), sum(xs) / len(xs), sum(ys) / len(ys),
                               highlight is not None and district.pk == highlight.pk))
    return DistrictMap(WIDTH, height, shapes, min_lon=min_x, max_lat=max_y, x_scale=kx * scale, y_scale=scale)
