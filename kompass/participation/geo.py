"""Where an idea may be placed (inside the bounding box of the strategy's district geometries) and ideas drawn
on the district map."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def bounding_box(geometries) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) over GeoJSON geometries or features (pure), None when empty."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords):
        if coords and isinstance(coords[0], int | float):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        else:
            for c in coords or []:
                walk(c)

    for geometry in geometries:
        if isinstance(geometry, dict):
            if geometry.get("type") == "Feature":
                geometry = geometry.get("geometry") or {}
            walk(geometry.get("coordinates"))
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def city_bbox(strategy) -> tuple[float, float, float, float] | None:
    """The bounding box of all district geometries of the strategy (cached for an hour), or None."""
    key = f"participation:bbox:{strategy.pk}"
    box = cache.get(key)
    if box is not None:
        return tuple(box) or None
    box = bounding_box(strategy.districts.exclude(geometry=None).values_list("geometry", flat=True))
    cache.set(key, box or (), 3600)
    return box


def validate_point(strategy, latitude, longitude) -> None:
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError(_("Give both latitude and longitude, or neither."))
    box = city_bbox(strategy)
    if box is None:
        raise ValidationError(_("This city has no map; choose a district instead."))
    min_lon, min_lat, max_lon, max_lat = box
    if not (min_lat <= latitude <= max_lat and min_lon <= longitude <= max_lon):
        raise ValidationError(_("The point lies outside the city. Choose a point on the district map."))


# --- Ideas on the district map (server-rendered SVG, no JavaScript) -----------------------------------------------

@dataclass
class Marker:
    x: float
    y: float
    idea: object


@dataclass
class Tile:
    href: str
    x: float
    y: float
    width: float
    height: float


def project(dmap, longitude: float, latitude: float) -> tuple[float, float]:
    """The map's own projection (kompass.strategy.maps): longitude/latitude to SVG x/y."""
    return (longitude - dmap.min_lon) * dmap.x_scale, (dmap.max_lat - latitude) * dmap.y_scale


def markers(dmap, ideas) -> list[Marker]:
    """One marker per idea that has a point inside the drawn map (ideas outside it are listed, not drawn)."""
    out = []
    for idea in ideas:
        if idea.latitude is None or idea.longitude is None:
            continue
        x, y = project(dmap, idea.longitude, idea.latitude)
        if -1 <= x <= dmap.width + 1 and -1 <= y <= dmap.height + 1:
            out.append(Marker(x, y, idea))
    return out


def _tile_lon(x: int, z: int) -> float:
    return x / 2 ** z * 360.0 - 180.0


def _tile_lat(y: int, z: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2 ** z))))


def tiles(dmap, url_template: str, max_tiles: int = 30) -> list[Tile]:
    """Background tiles from a configured tile server ("https://tiles.example/{z}/{x}/{y}.png"; there is no
    default, so no third party is contacted unless the operator names one). The zoom is the largest at which the
    map needs at most `max_tiles` tiles; each tile is placed by the map's own projection (at city scale the
    difference to Web Mercator inside one tile is below a pixel or two)."""
    if not url_template or dmap is None:
        return []
    min_lon = dmap.min_lon
    max_lon = dmap.min_lon + dmap.width / dmap.x_scale
    max_lat = dmap.max_lat
    min_lat = dmap.max_lat - dmap.height / dmap.y_scale

    def tile_range(z):
        n = 2 ** z

        def tx(lon):
            return min(n - 1, max(0, int((lon + 180.0) / 360.0 * n)))

        def ty(lat):
            r = math.radians(max(-85.0, min(85.0, lat)))
            return min(n - 1, max(0, int((1 - math.asinh(math.tan(r)) / math.pi) / 2 * n)))

        return tx(min_lon), tx(max_lon), ty(max_lat), ty(min_lat)

    zoom = 1
    for z in range(1, 19):
        x0, x1, y0, y1 = tile_range(z)
        if (x1 - x0 + 1) * (y1 - y0 + 1) > max_tiles:
            break
        zoom = z
    x0, x1, y0, y1 = tile_range(zoom)
    out = []
    for tx in range(x0, x1 + 1):
        for ty in range(y0, y1 + 1):
            left, top = project(dmap, _tile_lon(tx, zoom), _tile_lat(ty, zoom))
            right, bottom = project(dmap, _tile_lon(tx + 1, zoom), _tile_lat(ty + 1, zoom))
            href = url_template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
            out.append(Tile(href, left, top, right - left, bottom - top))
    return out


def tile_url() -> str:
    from django.conf import settings

    url = getattr(settings, "KOMPASS_MAP_TILE_URL", "") or ""
    return url if url.startswith("https://") else ""  # the CSP admits only an https tile origin


def idea_map(strategy, ideas, highlight=None) -> dict | None:
    """Everything the idea map templates draw: district outlines, idea markers and (when configured) tiles."""
    from kompass.strategy.maps import district_map

    dmap = district_map(list(strategy.districts.all()), highlight=highlight)
    if dmap is None:
        return None
    return {"map": dmap, "markers": markers(dmap, ideas), "tiles": tiles(dmap, tile_url())}
