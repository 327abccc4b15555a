"""Where an idea may be placed: inside the bounding box of the strategy's district geometries."""

from __future__ import annotations

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
