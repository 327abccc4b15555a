"""Setting up a panel: categories and the panel itself."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.lottery.models import Panel
from kompass.lottery.services._common import (
    RESERVED_SLUGS,
)


def parse_categories(text: str) -> dict[str, list[str]]:
    """`gender: female, male, diverse` per line -> {"gender": ["female", "male", "diverse"]}."""
    out: dict[str, list[str]] = {}
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if ":" not in line:
            raise ValidationError(_("Line %(n)s: expected “category: value, value, …”.") % {"n": n})
        cat, vals = line.split(":", 1)
        cat = cat.strip()
        values = [v.strip() for v in vals.split(",") if v.strip()]
        if not cat or not values:
            raise ValidationError(_("Line %(n)s: a category needs a name and at least one value.") % {"n": n})
        if cat in out or len({v.casefold() for v in values}) != len(values):  # files match values ignoring case
            raise ValidationError(_("Line %(n)s: duplicate category or value.") % {"n": n})
        out[cat] = values
    if not out:
        raise ValidationError(_("Name at least one category."))
    return out


# --- panel -----------------------------------------------------------------------------------------------------

@transaction.atomic
def panel_create(*, actor, slug: str, title: str, purpose: str, retention_date: datetime.date, size: int = 70,
                 categories: dict[str, list[str]], description: str = "", algorithm: str = "leximin",
                 lottery_panels: int = 1000) -> Panel:
    require(actor, "lottery.run_process")
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved; choose another one."))
    if Panel.objects.filter(slug=slug).exists():
        raise ValidationError(_("A panel with this short name exists already."))
    panel = Panel.objects.create(slug=slug, title=title, purpose=purpose, retention_date=retention_date, size=size,
                                 categories=categories, description=description, algorithm=algorithm,
                                 lottery_panels=lottery_panels,
                                 created_by=person(actor))
    record_event(actor=actor, action="lottery.panel_created", obj=panel,
                 changes={"size": (None, size), "categories": (None, categories)})
    return panel


# --- invitation draw -------------------------------------------------------------------------------------------
