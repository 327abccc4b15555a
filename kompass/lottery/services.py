"""Writes of the citizens' panel process. Each public function runs in one transaction, takes the acting user
explicitly (None for a system process), checks the permission and records an audit event."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import secrets
import tempfile
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.algorithms.sortition import (
    Respondent as SRespondent,
)
from kompass.algorithms.sortition import (
    SortitionError,
    build_instance,
    check_feasible,
    draw,
    invite_sample,
)
from kompass.audit.services import record_event
from kompass.lottery.bundle import household_labels
from kompass.lottery.models import Invitation, Panel, PersonalData, Replacement, Respondent

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
    if actor is None:
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


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
        if cat in out or len(set(values)) != len(values):
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
    _check(actor, "lottery.run_process")
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved; choose another one."))
    if Panel.objects.filter(slug=slug).exists():
        raise ValidationError(_("A panel with this short name exists already."))
    panel = Panel.objects.create(slug=slug, title=title, purpose=purpose, retention_date=retention_date, size=size,
                                 categories=categories, description=description, algorithm=algorithm,
                                 lottery_panels=lottery_panels,
                                 created_by=actor if actor is not None and actor.pk else None)
    record_event(actor=actor, action="lottery.panel_created", obj=panel,
                 changes={"size": (None, size), "categories": (None, categories)})
    return panel


# --- invitation draw -------------------------------------------------------------------------------------------

def _read_csv(content: bytes, filename: str):
    from kompass.lottery import io as lio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(filename or "upload.csv").name or "upload.csv")
        path.write_bytes(content)
        try:
            table = lio.read_table(path)
        except lio.InputError as exc:
            raise ValidationError(str(exc)) from None
    return table


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
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.SETUP)
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
    _check(actor, "lottery.view_personal_data", panel)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "register_id", "name", "address", *panel.invitation_strata])
    rows = (Invitation.objects.filter(panel=panel).select_related("personal").order_by("register_id"))
    for inv in rows:
        p = getattr(inv, "personal", None)
        w.writerow([inv.code, inv.register_id, p.name if p else "", p.address if p else "",
                    *[inv.strata.get(s, "") for s in panel.invitation_strata]])
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
    record_event(actor=user, action="lottery.respondent_registered", obj=panel,
                 changes={"respondent": (None, resp.pseudonym)}, label=None if user else "public form")
    return resp


@transaction.atomic
def respondents_import(*, actor, panel: Panel, content: bytes, filename: str) -> int:
    """Import respondents from the registry office's CSV (name, contact, address, one column per category).
    All rows are checked first; nothing is written unless every row is valid."""
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.INVITED, Panel.Stage.QUOTAS, Panel.Stage.SETUP)
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

def suggest_quotas(shares: dict[str, dict[str, float]], size: int, tolerance: int = 1) -> dict:
    """Population share per value -> suggested [min, max] = round(share·k) ∓ tolerance (min ≥ 0, max ≤ k)."""
    out: dict[str, dict[str, list[int]]] = {}
    for cat, vals in shares.items():
        out[cat] = {}
        for val, share in vals.items():
            target = int(round(float(share) * size))
            out[cat][val] = [max(0, target - tolerance), min(size, target + tolerance)]
    return out


def _pool(panel: Panel, exclude_left: bool = True) -> list[SRespondent]:
    qs = Respondent.objects.filter(panel=panel)
    if exclude_left:
        qs = qs.exclude(status=Respondent.Status.LEFT)
    return [SRespondent(r.pseudonym, r.features, r.household or None)
            for r in qs.order_by("pseudonym").only("pseudonym", "features", "household")]


def feasibility_of(panel: Panel, quotas: dict, size: int) -> dict:
    pool = _pool(panel)
    try:
        inst = build_instance(pool, {c: {v: tuple(b) for v, b in vals.items()} for c, vals in quotas.items()}, size)
    except SortitionError as exc:
        return {"ok": False, "message": str(exc), "conflicts": [], "relaxation": []}
    if not pool:
        return {"ok": False, "message": _("The pool is empty."), "conflicts": [], "relaxation": []}
    inf = check_feasible(inst, time_limit=30.0)
    if inf is None:
        return {"ok": True, "message": "", "conflicts": [], "relaxation": [], "n": len(pool)}
    return {"ok": False, "message": inf.message, "conflicts": inf.conflicts, "relaxation": inf.relaxation,
            "n": len(pool)}


@transaction.atomic
def quotas_set(*, actor, panel: Panel, quotas: dict, shares: dict | None = None, size: int | None = None) -> dict:
    """Save the quotas (and the population shares they came from) and run the feasibility check."""
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    from kompass.jobs.models import Job

    stuck = panel.stage == Panel.Stage.COMPUTING and (
        panel.job_id is None or Job.objects.filter(pk=panel.job_id, status=Job.Status.FAILED).exists())
    if not stuck:  # a crashed computation (e.g. the worker died) can be retried after saving the quotas again
        _stage(panel, Panel.Stage.INVITED, Panel.Stage.QUOTAS, Panel.Stage.COMPUTED)
    clean: dict[str, dict[str, list[int]]] = {}
    for cat, values in panel.categories.items():
        clean[cat] = {}
        for v in values:
            lo, hi = (quotas.get(cat) or {}).get(v, (None, None))
            if lo is None or hi is None or int(lo) < 0 or int(hi) < int(lo):
                raise ValidationError(_("Quota %(cat)s = %(value)s: need 0 ≤ min ≤ max.") % {"cat": cat, "value": v})
            clean[cat][v] = [int(lo), int(hi)]
    old = panel.quotas
    if size is not None:
        panel.size = int(size)
    panel.quotas = clean
    if shares is not None:
        panel.population_shares = shares
    panel.feasibility = feasibility_of(panel, clean, panel.size)
    if panel.stage == Panel.Stage.COMPUTED:  # new quotas invalidate a computed (unpublished) lottery
        panel.lottery, panel.list_hash, panel.summary = None, "", {}
    panel.stage = Panel.Stage.QUOTAS
    panel.save()
    record_event(actor=actor, action="lottery.quotas_set", obj=panel,
                 changes={"quotas": (old, clean), "feasible": (None, panel.feasibility["ok"])})
    return panel.feasibility


# --- selection -------------------------------------------------------------------------------------------------

def input_hash(pool: list[SRespondent], quotas: dict, size: int, algorithm: str, panels: int) -> str:
    data = {"respondents": [[r.id, dict(sorted(r.features.items())), r.household or ""] for r in pool],
            "quotas": quotas, "k": size, "algorithm": algorithm, "panels": panels}
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@transaction.atomic
def selection_start(*, actor, panel: Panel):
    """Start the long computation as a background job (after the feasibility check passed)."""
    from django.urls import reverse

    from kompass.jobs.services import job_start
    from kompass.lottery.tasks import compute_lottery

    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.QUOTAS)
    panel.feasibility = feasibility_of(panel, panel.quotas, panel.size)
    if not panel.feasibility["ok"]:
        panel.save(update_fields=["feasibility"])
        raise ValidationError(panel.feasibility["message"])
    job = job_start(actor=actor, kind="lottery.select", title=_("Panel lottery: %(title)s") % {"title": panel.title},
                    task=compute_lottery, args=[panel.pk, actor.pk if actor is not None else None],
                    result_url=reverse("lottery:manage", args=[panel.slug]))
    panel.stage, panel.job = Panel.Stage.COMPUTING, job
    panel.save(update_fields=["stage", "job"])
    record_event(actor=actor, action="lottery.selection_started", obj=panel, changes={"job": (None, str(job.pk))})
    return job


@transaction.atomic
def selection_failed(*, panel: Panel) -> None:
    """The computation failed (solver error, worker crash): back to the quotas stage so the officer can retry."""
    if Panel.objects.filter(pk=panel.pk, stage=Panel.Stage.COMPUTING).update(stage=Panel.Stage.QUOTAS):
        record_event(actor=None, action="lottery.selection_failed", obj=panel, label="lottery job")


@transaction.atomic
def lottery_store(*, actor, panel: Panel, result, digest: str) -> Panel:
    """Keep the computed lottery, its hash and every respondent's selection probability (called by the task)."""
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.COMPUTING)
    if not result.ok:
        panel.stage = Panel.Stage.QUOTAS
        panel.feasibility = {"ok": False, "message": result.infeasible.message,
                             "conflicts": result.infeasible.conflicts, "relaxation": result.infeasible.relaxation}
        panel.save()
        record_event(actor=actor, action="lottery.selection_infeasible", obj=panel)
        return panel
    summary = result.summary()
    summary.pop("panel_index", None)
    panel.lottery, panel.list_hash, panel.summary, panel.input_hash = result.lottery, result.list_hash, summary, digest
    panel.stage = Panel.Stage.COMPUTED
    panel.save()
    rows = list(Respondent.objects.filter(panel=panel))
    for r in rows:
        r.probability = result.probabilities.get(r.pseudonym)
        r.lottery_probability = result.lottery_probabilities.get(r.pseudonym)
    Respondent.objects.bulk_update(rows, ["probability", "lottery_probability"])
    record_event(actor=actor, action="lottery.lottery_computed", obj=panel,
                 changes={"list_hash": (None, result.list_hash), "input_hash": (None, digest),
                          "min_probability": (None, summary["min_probability"])})
    return panel


@transaction.atomic
def hash_publish(*, actor, panel: Panel) -> Panel:
    """Publish the lottery's hash before the draw: from now on the list cannot change unnoticed."""
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.COMPUTED)
    panel.hash_published_at = timezone.now()
    panel.stage = Panel.Stage.HASH_PUBLISHED
    panel.save(update_fields=["hash_published_at", "stage"])
    record_event(actor=actor, action="lottery.hash_published", obj=panel,
                 changes={"list_hash": (None, panel.list_hash)})
    return panel


@transaction.atomic
def panel_draw(*, actor, panel: Panel, seed: str) -> list[str]:
    """The public seed (e.g. from a live dice roll) picks one panel of the published lottery."""
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.HASH_PUBLISHED)
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError(_("Enter the public seed."))
    index, members = draw(panel.lottery, seed, panel.list_hash)
    panel.seed, panel.panel_index, panel.drawn_at = seed, index, timezone.now()
    panel.stage = Panel.Stage.DRAWN
    panel.save(update_fields=["seed", "panel_index", "drawn_at", "stage"])
    Respondent.objects.filter(panel=panel, pseudonym__in=members).update(status=Respondent.Status.SELECTED)
    record_event(actor=actor, action="lottery.panel_drawn", obj=panel,
                 changes={"seed": (None, seed), "panel_index": (None, index), "members": (None, members)})
    return members


@transaction.atomic
def panel_publish(*, actor, panel: Panel) -> Panel:
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.DRAWN)
    panel.published_at = timezone.now()
    panel.stage = Panel.Stage.PUBLISHED
    panel.save(update_fields=["published_at", "stage"])
    record_event(actor=actor, action="lottery.published", obj=panel)
    return panel


def _members(panel: Panel) -> list[Respondent]:
    return list(Respondent.objects.filter(
        panel=panel, status__in=[Respondent.Status.SELECTED, Respondent.Status.REPLACEMENT]).select_related("personal"))


def replacement_candidates(panel: Panel, leaving: Respondent) -> list[Respondent]:
    """Respondents in the pool whose features keep every quota when they take the leaving member's seat (and who
    share no household with a remaining member)."""
    remaining = [m for m in _members(panel) if m.pk != leaving.pk]
    counts = Counter((c, m.features.get(c)) for m in remaining for c in panel.categories)
    households = {m.household for m in remaining if m.household}
    out = []
    for r in Respondent.objects.filter(panel=panel, status=Respondent.Status.POOL).order_by("pseudonym"):
        if r.household and r.household in households:
            continue
        ok = True
        for cat, vals in panel.quotas.items():
            for val, (lo, hi) in vals.items():
                n = counts[(cat, val)] + (1 if r.features.get(cat) == val else 0)
                if not lo <= n <= hi:
                    ok = False
        if ok:
            out.append(r)
    return out


def _rank(seed: str, list_hash: str, pseudonym: str) -> int:
    return int(hashlib.sha256(f"replacement\x1f{seed}\x1f{list_hash}\x1f{pseudonym}".encode()).hexdigest(), 16)


@transaction.atomic
def member_replace(*, actor, panel: Panel, respondent: Respondent, seed: str) -> Replacement:
    """A member leaves; among the respondents that keep all quotas, one is drawn uniformly with the public seed
    (each candidate's probability is 1 / number of candidates, shown on the audit page)."""
    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.DRAWN, Panel.Stage.PUBLISHED)
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk, panel=panel)
    if respondent.status not in (Respondent.Status.SELECTED, Respondent.Status.REPLACEMENT):
        raise ValidationError(_("Only a member of the panel can be replaced."))
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError(_("Enter the public seed."))
    candidates = replacement_candidates(panel, respondent)
    respondent.status = Respondent.Status.LEFT
    respondent.save(update_fields=["status"])
    chosen = min(candidates, key=lambda r: (_rank(seed, panel.list_hash, r.pseudonym), r.pseudonym),
                 default=None)
    if chosen is None:
        raise ValidationError(_("No respondent in the pool keeps all quotas. Relax the quotas or leave the seat "
                                "empty."))
    chosen.status = Respondent.Status.REPLACEMENT
    chosen.save(update_fields=["status"])
    rep = Replacement.objects.create(panel=panel, left=respondent, chosen=chosen, seed=seed,
                                     candidates=[c.pseudonym for c in candidates])
    record_event(actor=actor, action="lottery.member_replaced", obj=panel,
                 changes={"left": (respondent.pseudonym, None), "chosen": (None, chosen.pseudonym),
                          "candidates": (None, len(candidates)), "seed": (None, seed)})
    return rep


# --- the panel as a user group ---------------------------------------------------------------------------------

@transaction.atomic
def group_sync(*, actor, panel: Panel):
    """Create or update the UserGroup (kind "panel") of the members who have an account."""
    from kompass.accounts.models import UserGroup

    _check(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    _stage(panel, Panel.Stage.DRAWN, Panel.Stage.PUBLISHED)
    group = panel.group or UserGroup.objects.filter(slug=f"panel-{panel.slug}"[:80]).first()
    if group is None:
        group = UserGroup.objects.create(slug=f"panel-{panel.slug}"[:80], name=panel.title, name_en=panel.title_en,
                                         kind=UserGroup.Kind.PANEL)
    members = _members(panel)
    linked = []
    emails = {m.pk: m.personal.email.strip().lower() for m in members
              if not m.user_id and hasattr(m, "personal") and m.personal.email.strip()}
    if emails:
        match = Q()
        for e in set(emails.values()):
            match |= Q(email__iexact=e)
        by_email = {u.email.lower(): u for u in get_user_model().objects.filter(match, is_active=True)}
        for m in members:
            user = by_email.get(emails.get(m.pk, ""))
            if user is not None:
                m.user = user
                m.save(update_fields=["user"])
                linked.append(m.pseudonym)
    users = [m.user_id for m in members if m.user_id]
    before = sorted(group.members.values_list("pk", flat=True))
    group.members.set(users)
    if panel.group_id != group.pk:
        panel.group = group
        panel.save(update_fields=["group"])
    record_event(actor=actor, action="lottery.group_synced", obj=panel,
                 changes={"group": (None, group.slug), "members": (before, sorted(users)),
                          "linked_by_email": (None, linked)})
    return group


# --- privacy ---------------------------------------------------------------------------------------------------

def personal_data_viewed(*, actor, panel: Panel) -> None:
    """Record that someone opened the list of respondents with their personal data."""
    _check(actor, "lottery.view_personal_data", panel)
    with transaction.atomic():
        record_event(actor=actor, action="lottery.personal_data_viewed", obj=panel)


def respondent_export(*, actor, respondent: Respondent) -> dict:
    """Everything stored about one respondent, for a data-subject request (officer only, audited)."""
    _check(actor, "lottery.view_personal_data", respondent.panel)
    p = PersonalData.objects.filter(respondent=respondent).first()
    data = {
        "format": "kompass-lottery-respondent/1",
        "panel": {"slug": respondent.panel.slug, "title": respondent.panel.title,
                  "purpose": respondent.panel.purpose, "retention_date": respondent.panel.retention_date.isoformat()},
        "pseudonym": respondent.pseudonym, "features": respondent.features, "source": respondent.source,
        "status": respondent.status, "consent_at": respondent.consent_at.isoformat() if respondent.consent_at else None,
        "selection_probability": respondent.probability,
        "invitation_code": respondent.invitation.code if respondent.invitation_id else None,
        "personal_data": ({"name": p.name, "email": p.email, "phone": p.phone, "address": p.address,
                           "extra": p.extra} if p else None),
    }
    with transaction.atomic():
        record_event(actor=actor, action="lottery.respondent_exported", obj=respondent.panel,
                     changes={"respondent": (None, respondent.pseudonym)})
    return data


@transaction.atomic
def personal_data_purge(*, actor, panel: Panel | None = None, today: datetime.date | None = None,
                        force: bool = False) -> dict[str, int]:
    """Delete personal data of panels past their retention date (or of one panel now, when `force`). The
    pseudonymous features, probabilities and the lottery stay for the audit."""
    if panel is not None:
        _check(actor, "lottery.run_process", panel)
    today = today or timezone.localdate()
    panels = Panel.objects.all() if panel is None else Panel.objects.filter(pk=panel.pk)
    if not force:
        panels = panels.filter(retention_date__lt=today)
    out = {}
    for p in panels.select_for_update():
        n, _detail = PersonalData.objects.filter(panel=p).delete()
        Respondent.objects.filter(panel=p, user__isnull=False).update(user=None)  # no link to accounts either
        # keep who shares a household (needed to recompute the lottery), but not the address hash
        labels = household_labels(list(Respondent.objects.filter(panel=p).values_list("pseudonym", "household")))
        Respondent.objects.filter(panel=p).exclude(household="").exclude(household__startswith="H-").update(
            household="")
        for pseudonym, label in labels.items():
            if label:
                Respondent.objects.filter(panel=p, pseudonym=pseudonym).update(household=label)
        Invitation.objects.filter(panel=p).exclude(register_id__startswith="deleted-").update(
            register_id=Concat(Value("deleted-"), Cast("pk", output_field=CharField())))
        if n or not p.personal_data_purged_at:
            p.personal_data_purged_at = timezone.now()
            p.save(update_fields=["personal_data_purged_at"])
            record_event(actor=actor, action="lottery.personal_data_purged", obj=p, changes={"deleted": (None, n)},
                         label=None if actor is not None else "purge_lottery_data")
        out[p.slug] = n
    return out
