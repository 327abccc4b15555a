"""The DCAT-AP.de licence vocabulary (http://dcat-ap.de/def/licenses) and how a strategy's licence maps onto it.

A strategy states its data licence as a name and URL (strategy file: `data_licence`, `data_licence_url`); the
catalogue, the CKAN API and harvested records need the vocabulary's URI and CKAN-style id. Unknown or empty
licences fall back to the default of German public open data, Datenlizenz Deutschland – Namensnennung 2.0."""

from __future__ import annotations

from dataclasses import dataclass

VOCABULARY = "http://dcat-ap.de/def/licenses"


@dataclass(frozen=True)
class Licence:
    id: str  # the CKAN / GovData licence id
    uri: str  # the DCAT-AP.de vocabulary URI
    title: str
    url: str  # the licence text
    attribution: bool = True


LICENCES = [
    Licence("dl-by-de/2.0", f"{VOCABULARY}/dl-by-de/2.0", "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0"),
    Licence("dl-zero-de/2.0", f"{VOCABULARY}/dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0", attribution=False),
    Licence("cc-by/4.0", f"{VOCABULARY}/cc-by/4.0", "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/"),
    Licence("cc-by-sa/4.0", f"{VOCABULARY}/cc-by-sa/4.0",
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International (CC BY-SA 4.0)",
            "https://creativecommons.org/licenses/by-sa/4.0/"),
    Licence("cc-zero", f"{VOCABULARY}/cc-zero", "Creative Commons CC Zero License (CC 0 1.0)",
            "https://creativecommons.org/publicdomain/zero/1.0/", attribution=False),
    Licence("odbl", f"{VOCABULARY}/odbl", "Open Data Commons Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/1-0/"),
]
DEFAULT = LICENCES[0]

# Spellings a strategy file may use for each licence (compared lower-case, without spaces).
_ALIASES = {
    "dl-by-de/2.0": ["dl-de/by-2-0", "dl-de-by-2.0", "dl-by-de/2.0", "datenlizenzdeutschland–namensnennung–version2.0",
                     "govdata.de/dl-de/by-2-0"],
    "dl-zero-de/2.0": ["dl-de/zero-2-0", "dl-de-zero-2.0", "dl-zero-de/2.0", "govdata.de/dl-de/zero-2-0"],
    "cc-by/4.0": ["ccby4.0", "cc-by-4.0", "cc-by/4.0", "creativecommons.org/licenses/by/4.0"],
    "cc-by-sa/4.0": ["ccby-sa4.0", "cc-by-sa-4.0", "cc-by-sa/4.0", "creativecommons.org/licenses/by-sa/4.0"],
    "cc-zero": ["cc0", "cc01.0", "cc-zero", "creativecommons.org/publicdomain/zero/1.0"],
    "odbl": ["odbl", "opendatacommons.org/licenses/odbl"],
}
BY_ID = {lic.id: lic for lic in LICENCES}


def _norm(text: str) -> str:
    return "".join(text.lower().split()).removeprefix("https://").removeprefix("http://").removeprefix("www.")


def resolve(name: str = "", url: str = "") -> Licence:
    """The vocabulary entry for a licence given by name and/or URL; the default when nothing matches."""
    for candidate in (url, name):
        key = _norm(candidate or "")
        if not key:
            continue
        for lic in LICENCES:
            if key in {_norm(lic.uri), _norm(lic.id)}:
                return lic
        for lic_id, aliases in _ALIASES.items():
            if any(key.rstrip("/") == alias.rstrip("/") or key.rstrip("/").endswith(alias.rstrip("/"))
                   for alias in aliases):
                return BY_ID[lic_id]
    return DEFAULT


def for_strategy(strategy) -> Licence:
    return resolve(strategy.data_licence, strategy.data_licence_url)


def from_uri(uri: str) -> Licence | None:
    for lic in LICENCES:
        if uri.rstrip("/") == lic.uri:
            return lic
    return None
