"""Simplify a district GeoJSON for serving (developer tool; needs the dev dependency shapely).

    .venv/bin/python scripts/simplify_geojson.py SRC DEST [--tolerance 0.0008] [--keep PROP ...]
"""

import argparse
import json

from shapely.geometry import mapping, shape


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("src")
    parser.add_argument("dest")
    parser.add_argument("--tolerance", type=float, default=0.0008)
    parser.add_argument("--keep", nargs="*", default=["Gemeinde_name", "Gemeinde_schluessel", "Schluessel_gesamt"])
    args = parser.parse_args()
    with open(args.src, encoding="utf-8") as fh:
        source = json.load(fh)
    features = []
    for feature in source["features"]:
        geom = shape(feature["geometry"]).simplify(args.tolerance, preserve_topology=True)
        geo = json.loads(json.dumps(mapping(geom)))

        def rnd(coords):
            return [rnd(c) for c in coords] if isinstance(coords[0], list) else [round(coords[0], 5),
                                                                                    round(coords[1], 5)]

        geo["coordinates"] = rnd(geo["coordinates"])
        props = {key: feature["properties"][key] for key in args.keep if key in feature["properties"]}
        features.append({"type": "Feature", "properties": props, "geometry": geo})
    with open(args.dest, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main()
