"""Quotas, feasibility, the lottery computation, hash publication and the draw."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
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
)
from kompass.audit.services import record_event
from kompass.core.actors import actor_ref, system_actor
from kompass.core.permissions import require
from kompass.lottery import wording
from kompass.lottery.models import Panel, Respondent
from kompass.lottery.services._common import (
    _advance,
    _locked,
    _stage,
    _step,
)


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
        return {"ok": False, "message": str(exc), "conflicts": [], "relaxation": [],
                "error": {"code": exc.code, **{k: str(v) for k, v in exc.params.items()}}}
    if not pool:
        return {"ok": False, "message": _("The pool is empty."), "conflicts": [], "relaxation": []}
    inf = check_feasible(inst, time_limit=30.0)
    if inf is None:
        return {"ok": True, "message": "", "conflicts": [], "relaxation": [], "n": len(pool)}
    return {"ok": False, "message": inf.message, "conflicts": inf.conflicts, "relaxation": inf.relaxation,
            "details": inf.details, "n": len(pool)}


@transaction.atomic
def quotas_set(*, actor, panel: Panel, quotas: dict, shares: dict | None = None, size: int | None = None) -> dict:
    """Save the quotas (and the population shares they came from) and run the feasibility check."""
    require(actor, "lottery.run_process", panel)
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
    panel.solver_state = None
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
    """Start the long computation as a background job (after the feasibility check passed). A lottery that
    stopped at the time limit (computed, not yet fully optimal) is continued from its saved solver state."""
    from django.urls import reverse

    from kompass.jobs.services import job_start
    from kompass.lottery.tasks import compute_lottery

    require(actor, "lottery.run_process", panel)
    panel = _locked(panel)
    resume = panel.stage == Panel.Stage.COMPUTED and panel.summary.get("complete") is False and panel.solver_state
    if not resume:
        _stage(panel, Panel.Stage.QUOTAS)
    panel.feasibility = feasibility_of(panel, panel.quotas, panel.size)
    if not panel.feasibility["ok"]:
        panel.save(update_fields=["feasibility"])
        raise ValidationError(wording.feasibility(panel.feasibility)["message"])
    job = job_start(actor=actor, kind="lottery.select", title=_("Panel lottery: %(title)s") % {"title": panel.title},
                    task=compute_lottery, args=[panel.pk, actor_ref(actor)],
                    result_url=reverse("lottery:manage", args=[panel.slug]))
    panel.stage, panel.job = Panel.Stage.COMPUTING, job
    panel.save(update_fields=["stage", "job"])
    record_event(actor=actor, action="lottery.selection_resumed" if resume else "lottery.selection_started", obj=panel,
                 changes={"job": (None, str(job.pk))})
    return job


@transaction.atomic
def selection_failed(*, panel: Panel) -> None:
    """The computation failed (solver error, worker crash): back to the quotas stage so the officer can retry."""
    if Panel.objects.filter(pk=panel.pk, stage=Panel.Stage.COMPUTING).update(stage=Panel.Stage.QUOTAS,
                                                                              solver_state=None):
        record_event(actor=system_actor("lottery job"), action="lottery.selection_failed", obj=panel)


@transaction.atomic
def lottery_store(*, actor, panel: Panel, result, digest: str) -> Panel:
    """Keep the computed lottery, its hash and every respondent's selection probability (called by the task)."""
    panel = _step(actor, panel, Panel.Stage.COMPUTING)
    if not result.ok:
        panel.stage = Panel.Stage.QUOTAS
        panel.feasibility = {"ok": False, "message": result.infeasible.message,
                             "conflicts": result.infeasible.conflicts, "relaxation": result.infeasible.relaxation,
                             "details": result.infeasible.details}
        panel.save()
        record_event(actor=actor, action="lottery.selection_infeasible", obj=panel)
        return panel
    summary = result.summary()
    summary.pop("panel_index", None)
    panel.lottery, panel.list_hash, panel.summary, panel.input_hash = result.lottery, result.list_hash, summary, digest
    # stopped at the time limit: the lottery is valid but not yet proven optimal; keep what the officer needs to
    # continue from where it stopped
    panel.solver_state = None if result.complete else result.distribution.state
    panel.stage = Panel.Stage.COMPUTED
    panel.save()
    rows = list(Respondent.objects.filter(panel=panel))
    for r in rows:
        r.probability = result.probabilities.get(r.pseudonym)
        r.lottery_probability = result.lottery_probabilities.get(r.pseudonym)
    Respondent.objects.bulk_update(rows, ["probability", "lottery_probability"])
    record_event(actor=actor, action="lottery.lottery_computed", obj=panel,
                 changes={"list_hash": (None, result.list_hash), "input_hash": (None, digest),
                          "min_probability": (None, summary["min_probability"]),
                          "complete": (None, result.complete)})
    return panel


@transaction.atomic
def hash_publish(*, actor, panel: Panel) -> Panel:
    """Publish the lottery's hash before the draw: from now on the list cannot change unnoticed."""
    panel = _step(actor, panel, Panel.Stage.COMPUTED)
    _advance(panel, Panel.Stage.HASH_PUBLISHED, hash_published_at=timezone.now())
    record_event(actor=actor, action="lottery.hash_published", obj=panel,
                 changes={"list_hash": (None, panel.list_hash)})
    return panel


@transaction.atomic
def panel_draw(*, actor, panel: Panel, seed: str) -> list[str]:
    """The public seed (e.g. from a live dice roll) picks one panel of the published lottery."""
    panel = _step(actor, panel, Panel.Stage.HASH_PUBLISHED)
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError(_("Enter the public seed."))
    index, members = draw(panel.lottery, seed, panel.list_hash)
    _advance(panel, Panel.Stage.DRAWN, seed=seed, panel_index=index, drawn_at=timezone.now())
    Respondent.objects.filter(panel=panel, pseudonym__in=members).update(status=Respondent.Status.SELECTED)
    record_event(actor=actor, action="lottery.panel_drawn", obj=panel,
                 changes={"seed": (None, seed), "panel_index": (None, index), "members": (None, members)})
    return members


@transaction.atomic
def panel_publish(*, actor, panel: Panel) -> Panel:
    panel = _step(actor, panel, Panel.Stage.DRAWN)
    _advance(panel, Panel.Stage.PUBLISHED, published_at=timezone.now())
    record_event(actor=actor, action="lottery.published", obj=panel)
    return panel
