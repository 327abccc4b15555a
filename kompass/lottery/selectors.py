"""Reads of the panel process, each with a fixed number of SQL queries regardless of the pool's size."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from kompass.core.formats import share
from kompass.lottery.models import Invitation, Panel, Replacement, Respondent

PUBLIC_STAGES = (Panel.Stage.HASH_PUBLISHED, Panel.Stage.DRAWN, Panel.Stage.PUBLISHED)
MEMBER = (Respondent.Status.SELECTED, Respondent.Status.REPLACEMENT)


def panel_list():
    return list(Panel.objects.annotate(n_respondents=Count("respondents", distinct=True)).order_by("-created_at"))


def public_panels():
    return list(Panel.objects.filter(stage__in=PUBLIC_STAGES).order_by("-created_at"))


def panel_get(slug: str) -> Panel:
    return get_object_or_404(Panel.objects.select_related("job", "group"), slug=slug)


def panel_counts(panel: Panel) -> dict:
    inv = Invitation.objects.filter(panel=panel).aggregate(
        invited=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False)))
    resp = Respondent.objects.filter(panel=panel).aggregate(
        respondents=Count("pk"), members=Count("pk", filter=Q(status__in=MEMBER)),
        left=Count("pk", filter=Q(status=Respondent.Status.LEFT)))
    return {**inv, **resp}


def respondents_with_personal_data(panel: Panel):
    """For the lottery officer only (the view checks lottery.view_personal_data)."""
    return Respondent.objects.filter(panel=panel).select_related("personal", "user").order_by("pseudonym")


def pool_composition(panel: Panel) -> dict[str, dict[str, int]]:
    counts = Counter()
    for feats in Respondent.objects.filter(panel=panel).exclude(status=Respondent.Status.LEFT).values_list(
            "features", flat=True):
        for c, v in feats.items():
            counts[(c, v)] += 1
    return {c: {v: counts[(c, v)] for v in vals} for c, vals in panel.categories.items()}


def quotas_achieved(panel: Panel, members: list[Respondent]) -> list[dict]:
    counts = Counter((c, m.features.get(c)) for m in members for c in panel.categories)
    rows = []
    for cat, vals in panel.quotas.items():
        for val, (lo, hi) in vals.items():
            n = counts[(cat, val)]
            rows.append({"category": cat, "value": val, "min": lo, "max": hi, "achieved": n,
                         "ok": lo <= n <= hi})
    return rows


def probability_curve(probabilities: list[float], width: int = 600, height: int = 240, pad: int = 56) -> dict:
    """Points of the sorted probability curve for a server-rendered SVG (y axis 0..max(1.2·top, 0.05))."""
    ps = sorted(p for p in probabilities if p is not None)
    if not ps:
        return {"points": "", "width": width, "height": height, "ticks": []}
    top = max(ps[-1] * 1.2, 0.05)
    n = len(ps)
    iw, ih = width - 2 * pad, height - 2 * pad
    pts = []
    for i, p in enumerate(ps):
        x = pad + (iw * i / max(n - 1, 1))
        y = pad + ih - ih * p / top
        pts.append(f"{x:.1f},{y:.1f}")
    ticks = []
    for j in range(5):
        v = top * j / 4
        ticks.append({"y": f"{pad + ih - ih * v / top:.1f}", "label": share(v)})
    return {"points": " ".join(pts), "width": width, "height": height, "ticks": ticks, "pad": pad,
            "x0": pad, "x1": pad + iw, "y0": pad, "y1": pad + ih, "n": n}


def results(panel: Panel) -> dict:
    """Pseudonymous results: summary, probabilities, members, quotas achieved, replacements (3 queries)."""
    respondents = list(Respondent.objects.filter(panel=panel).only(
        "pseudonym", "features", "status", "probability", "lottery_probability").order_by("probability", "pseudonym"))
    members = [r for r in respondents if r.status in MEMBER]
    replacements = list(Replacement.objects.filter(panel=panel).select_related("left", "chosen"))
    for rep in replacements:
        rep.probability = 1 / len(rep.candidates) if rep.candidates else None
    return {
        "panel": panel,
        "summary": panel.summary or {},
        "respondents": respondents,
        "members": sorted(members, key=lambda r: r.pseudonym),
        "achieved": quotas_achieved(panel, members) if members else [],
        "curve": probability_curve([r.probability for r in respondents]),
        "replacements": replacements,
    }


def invitation_by_code(code: str) -> Invitation | None:
    return Invitation.objects.select_related("panel").filter(code=(code or "").strip().upper()).first()


def respondent_by_pseudonym(panel: Panel, pseudonym: str) -> Respondent | None:
    return (Respondent.objects.select_related("panel", "invitation")
            .filter(panel=panel, pseudonym=(pseudonym or "").strip()).first())
