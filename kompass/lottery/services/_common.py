"""Shared helpers of the lottery services: permission check, stage guard, row lock, codes."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompass.core.permissions import require
from kompass.lottery.models import Invitation, Panel

RESERVED_SLUGS = {"office", "register"}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I



def _stage(panel: Panel, *allowed: str) -> None:
    if panel.stage not in allowed:
        raise ValidationError(_("This step is not possible in the stage “%(stage)s”.")
                              % {"stage": panel.get_stage_display()})


def _locked(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().get(pk=panel.pk)


def _step(actor, panel: Panel, *allowed: str, perm: str = "lottery.run_process") -> Panel:
    """The start of a step of the process: the permission check, the panel locked and read again, its stage one
    of `allowed`. Returns the locked panel."""
    require(actor, perm, panel)
    panel = _locked(panel)
    _stage(panel, *allowed)
    return panel


def _advance(panel: Panel, stage: str, **fields) -> None:
    """Move `panel` to `stage`, writing `fields` with it (only these columns and the stage)."""
    for name, value in fields.items():
        setattr(panel, name, value)
    panel.stage = stage
    panel.save(update_fields=[*fields, "stage"])


def household_key(panel: Panel, address: str) -> str:
    norm = " ".join((address or "").lower().split())
    if not norm:
        return ""
    return hashlib.sha256(f"{panel.slug}\x1f{norm}".encode()).hexdigest()[:32]


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not Invitation.objects.filter(code=code).exists():
            return code


def _new_pseudonym(panel: Panel, taken: set[str]) -> str:
    while True:
        p = "R-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if p not in taken:
            taken.add(p)
            return p
