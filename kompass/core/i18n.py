"""Content in several languages: German is required, English and Leichte Sprache are optional variants.

A translated text field `title` is stored as the German `title` plus `title_en` (and for measures `title_ls`).
`localized(obj, "title")` returns the variant for the active language and falls back to German.
"""

from django.utils.translation import get_language

LEICHTE_SPRACHE = "ls"


def localized(obj, field: str, variant: str | None = None) -> str:
    lang = variant or (get_language() or "de")[:2]
    if lang != "de":
        value = getattr(obj, f"{field}_{lang}", "") or ""
        if value:
            return value
    return getattr(obj, field, "") or ""


def has_variant(obj, field: str, variant: str) -> bool:
    return bool(getattr(obj, f"{field}_{variant}", ""))
