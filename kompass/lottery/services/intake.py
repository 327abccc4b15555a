"""Invitations and respondents: drawing the invitation sample, registration, import."""

from __future__ import annotations

import hashlib
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.algorithms.sortition import (
    invite_sample,
)
from kompass.audit.services import record_event
from kompass.core import tabular
from kompass.core.actors import system_actor
from kompass.core.permissions import require
from kompass.lottery.models import Invitation, Panel, PersonalData, Respondent
from kompass.lottery.services._common import (
    _new_code,
    _new_pseudonym,
    _step,
    household_key,
)

# The register's columns that carry personal data (the first present one of each tuple is read).
NAME_COLUMNS = ("name", "full_name", "vollname")
FIRST_COLUMNS = ("first_name", "vorname", "firstname")
LAST_COLUMNS = ("last_name", "nachname", "surname", "familienname")
ADDRESS_COLUMNS = ("address", "adresse", "street", "strasse", "straße", "address_line_1", "primary_address1")
POSTCODE_COLUMNS = ("postcode", "plz", "zip", "primary_zip")
EMAIL_COLUMNS = ("email", "e_mail", "mail")
PHONE_COLUMNS = ("phone", "telefon", "telephone")


def _read_csv(content: bytes, filename: str):
    """The uploaded register or respondent file (CSV or XLSX) read through core.tabular. A problem becomes a
    ValidationError in the active language naming the file (as the officer named it), the row and the problem —
    never a server path or a Python message."""
    from kompass.lottery import io as lio

    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "upload.csv"
    try:
        return lio.table_from_upload(name, content)
    except tabular.TabularError as exc:
        raise ValidationError(exc.message) from None


def _person_from_row(table, row) -> dict:
    def get(*names):
        c = table.col(*names)
        return row.get(c, "").strip() if c else ""

    name = get(*NAME_COLUMNS) or " ".join(x for x in (get(*FIRST_COLUMNS), get(*LAST_COLUMNS)) if x)
    address = ", ".join(x for x in (get(*ADDRESS_COLUMNS), get(*POSTCODE_COLUMNS)) if x)
    return {"name": name, "address": address, "email": get(*EMAIL_COLUMNS), "phone": get(*PHONE_COLUMNS)}


@transaction.atomic
def invitations_draw(*, actor, panel: Panel, content: bytes, filename: str, count: int, strata: list[str],
                     seed: str, id_column: str = "") -> list[Invitation]:
    """Draw `count` people from a register extract, proportional within the strata, seeded; keep their name and
    address as personal data and give each an invitation code."""
    panel = _step(actor, panel, Panel.Stage.SETUP)
    if not seed.strip():
        raise ValidationError(_("Enter a seed."))
    table = _read_csv(content, filename)
    problems = []
    idc = table.col(id_column) if id_column else table.col("id", "register_id", "person_id", "unique_id")
    if id_column and not idc:
        problems.append(_("row 1, column “%(col)s”: missing id column") % {"col": id_column})
    cols = []
    for s in strata:
        c = table.col(s)
        if not c:
            problems.append(_("row 1, column “%(col)s”: missing stratum column") % {"col": s})
        cols.append(c)
    if problems:
        raise ValidationError(problems)
    ids, keys, seen = [], [], {}
    for r in table.rows:
        row = int(r["__row__"])
        rid = r.get(idc, "") if idc else str(row - 1)
        if not rid:
            problems.append(_("row %(row)s, column “%(col)s”: empty id") % {"row": row, "col": idc})
        elif rid in seen:
            problems.append(_("row %(row)s, column “%(col)s”: duplicate id (also in row %(other)s)")
                            % {"row": row, "col": idc, "other": seen[rid]})
        seen[rid] = row
        for s, c in zip(strata, cols, strict=True):
            if not r.get(c, ""):
                problems.append(_("row %(row)s, column “%(col)s”: empty value") % {"row": row, "col": s})
        ids.append(rid)
        keys.append(tuple(r.get(c, "") for c in cols))
    if not table.rows:
        problems.append(_("The file has no rows."))
    if count < 1 or count > len(ids):
        problems.append(_("Cannot invite %(count)s people from a register of %(n)s.")
                        % {"count": count, "n": len(ids)})
    if problems:
        raise ValidationError(problems[:50])
    chosen = set(invite_sample(ids, keys, count, seed))
    by_id = {rid: r for rid, r in zip(ids, table.rows, strict=True)}
    invitations = []
    for rid in sorted(chosen):
        r = by_id[rid]
        inv = Invitation.objects.create(panel=panel, code=_new_code(), register_id=rid,
                                        strata={s: r.get(c, "") for s, c in zip(strata, cols, strict=True)})
        person = _person_from_row(table, r)
        PersonalData.objects.create(panel=panel, invitation=inv, name=person["name"], address=person["address"],
                                    email=person["email"], phone=person["phone"])
        invitations.append(inv)
    source_hash = hashlib.sha256(content).hexdigest()
    panel.invitation_seed, panel.invitation_strata = seed, list(strata)
    panel.invitation_source_hash, panel.register_size = source_hash, len(ids)
    panel.stage = Panel.Stage.INVITED
    panel.save()
    record_event(actor=actor, action="lottery.invitations_drawn", obj=panel,
                 changes={"count": (None, len(invitations)), "register_size": (None, len(ids)),
                          "seed": (None, seed), "strata": (None, list(strata)), "register_sha256": (None, source_hash)})
    return invitations


def invitations_csv(*, actor, panel: Panel) -> str:
    """The drawn list with names and addresses, for the letters; officer only, audited."""
    require(actor, "lottery.view_personal_data", panel)
    out = io.StringIO()
    invitations = Invitation.objects.filter(panel=panel).select_related("personal").order_by("register_id")
    rows = ([inv.code, inv.register_id, p.name if p else "", p.address if p else "",
             *[inv.strata.get(s, "") for s in panel.invitation_strata]]
            for inv in invitations for p in [getattr(inv, "personal", None)])
    tabular.write_csv_to(out, ["code", "register_id", "name", "address", *panel.invitation_strata], rows,
                         lineterminator="\n")
    with transaction.atomic():
        record_event(actor=actor, action="lottery.invitations_downloaded", obj=panel)
    return out.getvalue()


# --- respondents -----------------------------------------------------------------------------------------------

def _check_features(panel: Panel, features: dict) -> dict:
    clean = {}
    for cat, values in panel.categories.items():
        v = str(features.get(cat, "")).strip()
        if v not in values:
            raise ValidationError(_("Choose a value for “%(cat)s”.") % {"cat": cat})
        clean[cat] = v
    return clean


@transaction.atomic
def respondent_register(*, actor, code: str, name: str, email: str, phone: str, address: str, features: dict,
                        consent: bool) -> Respondent:
    """The public form: an invited person registers with their invitation code and consents."""
    inv = (Invitation.objects.select_for_update().select_related("panel")
           .filter(code=(code or "").strip().upper()).first())
    if inv is None:
        raise ValidationError(_("This invitation code is not valid."))
    panel = inv.panel
    if panel.stage not in (Panel.Stage.INVITED, Panel.Stage.QUOTAS):
        raise ValidationError(_("Registration for this panel is closed."))
    if inv.used_at:
        raise ValidationError(_("This invitation code has been used already."))
    if not consent:
        raise ValidationError(_("Please consent to the processing of your data."))
    clean = _check_features(panel, features)
    taken = set(Respondent.objects.filter(panel=panel).values_list("pseudonym", flat=True))
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    resp = Respondent.objects.create(panel=panel, pseudonym=_new_pseudonym(panel, taken), features=clean,
                                     household=household_key(panel, address), source=Respondent.Source.FORM,
                                     invitation=inv, consent_at=timezone.now(), user=user)
    PersonalData.objects.create(panel=panel, respondent=resp, name=name, email=email, phone=phone, address=address)
    inv.used_at = timezone.now()
    inv.save(update_fields=["used_at"])
    record_event(actor=user or system_actor("public form"), action="lottery.respondent_registered", obj=panel,
                 changes={"respondent": (None, resp.pseudonym)}, label=None if user else "public form")
    return resp


@transaction.atomic
def respondents_import(*, actor, panel: Panel, content: bytes, filename: str) -> int:
    """Import respondents from the registry office's CSV (name, contact, address, one column per category).
    All rows are checked first; nothing is written unless every row is valid."""
    panel = _step(actor, panel, Panel.Stage.INVITED, Panel.Stage.QUOTAS, Panel.Stage.SETUP)
    table = _read_csv(content, filename)
    problems, cols = [], {}
    for cat in panel.categories:
        c = table.col(cat)
        if not c:
            problems.append(_("row 1, column “%(col)s”: missing category column") % {"col": cat})
        cols[cat] = c
    if problems:
        raise ValidationError(problems)
    staged = []
    for r in table.rows:
        row = int(r["__row__"])
        feats = {}
        for cat, values in panel.categories.items():
            v = r.get(cols[cat], "")
            match = [x for x in values if x.lower() == v.strip().lower()]
            if not match:
                problems.append(_("row %(row)s, column “%(col)s”: “%(value)s” is not one of %(values)s")
                                % {"row": row, "col": cols[cat], "value": v, "values": ", ".join(values)})
            else:
                feats[cat] = match[0]
        staged.append((feats, _person_from_row(table, r)))
    if not table.rows:
        problems.append(_("The file has no rows."))
    if problems:
        raise ValidationError(problems[:50])
    taken = set(Respondent.objects.filter(panel=panel).values_list("pseudonym", flat=True))
    now = timezone.now()
    for feats, person in staged:
        resp = Respondent.objects.create(panel=panel, pseudonym=_new_pseudonym(panel, taken), features=feats,
                                         household=household_key(panel, person["address"]),
                                         source=Respondent.Source.IMPORT, consent_at=now)
        PersonalData.objects.create(panel=panel, respondent=resp, **person)
    if panel.stage == Panel.Stage.SETUP:
        panel.stage = Panel.Stage.INVITED
        panel.save(update_fields=["stage"])
    record_event(actor=actor, action="lottery.respondents_imported", obj=panel,
                 changes={"rows": (None, len(staged)), "sha256": (None, hashlib.sha256(content).hexdigest())})
    return len(staged)


# --- quotas ----------------------------------------------------------------------------------------------------
