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
NAME_COLUMNS = ("name", "full_name", "vollname")
FIRST_COLUMNS = ("first_name", "vorname", "firstname")
LAST_COLUMNS = ("last_name", "nachname", "surname", "familienname")
ADDRESS_COLUMNS = ("address", "adresse", "street", "strasse", "straße", "address_line_1", "primary_address1")
POSTCODE_COLUMNS = ("postcode", "plz", "zip", "primary_zip")
EMAIL_COLUMNS = ("email", "e_mail", "mail")
PHONE_COLUMNS = ("phone", "telefon", "telephone")



def _check(actor, perm: str, obj=None) -> None:
    """The shared permission check (a SystemActor holds every permission; None is refused)."""
    require(actor, perm, obj)


def _stage(panel: Panel, *allowed: str) -> None:
    if panel.stage not in allowed:
        raise ValidationError(_("This step is not possible in the stage “%(stage)s”.")
                              % {"stage": panel.get_stage_display()})


def _locked(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().get(pk=panel.pk)


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
