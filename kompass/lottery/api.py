"""Read-only API of the citizens' panel: the public audit data of a published panel (pseudonymous only)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_noop
from ninja import Router, Schema

from kompass.lottery import selectors
from kompass.lottery.models import Panel

router = Router()


class QuotaOut(Schema):
    category: str
    value: str
    min: int
    max: int
    achieved: int


class ProbabilityOut(Schema):
    pseudonym: str
    probability: float | None
    lottery_probability: float | None
    status: str


class ReplacementOut(Schema):
    left: str
    chosen: str | None
    candidates: int
    seed: str


class AuditOut(Schema):
    slug: str
    title: str
    algorithm: str
    size: int
    input_hash: str
    list_hash: str
    hash_published_at: str | None
    seed: str
    panel_index: int | None
    summary: dict
    quotas: list[QuotaOut]
    members: list[str]
    probabilities: list[ProbabilityOut]
    replacements: list[ReplacementOut]


@router.get("/lottery/panels/{slug}/audit", response=AuditOut,
            summary=gettext_noop("Audit data of a published citizens' panel"))
def panel_audit(request, slug: str):
    panel = selectors.panel_get(slug)
    if panel.stage != Panel.Stage.PUBLISHED:
        raise Http404
    data = selectors.results(panel)
    summary = {k: v for k, v in data["summary"].items() if k != "runtime_seconds"}
    return {
        "slug": panel.slug, "title": panel.title, "algorithm": panel.algorithm, "size": panel.size,
        "input_hash": panel.input_hash, "list_hash": panel.list_hash,
        "hash_published_at": panel.hash_published_at.isoformat() if panel.hash_published_at else None,
        "seed": panel.seed, "panel_index": panel.panel_index, "summary": summary,
        "quotas": data["achieved"], "members": [m.pseudonym for m in data["members"]],
        "probabilities": [{"pseudonym": r.pseudonym, "probability": r.probability,
                           "lottery_probability": r.lottery_probability, "status": r.status}
                          for r in data["respondents"]],
        "replacements": [{"left": r.left.pseudonym, "chosen": r.chosen.pseudonym if r.chosen else None,
                          "candidates": len(r.candidates), "seed": r.seed} for r in data["replacements"]],
    }
