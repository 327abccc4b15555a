"""The feed of changes: the newest changed public records of every kind, merged newest first (one query per kind,
each limited), rendered as Atom 1.0 with Django's feed generator."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from kompass.core.urls import absolute_url
from kompass.opendata import selectors


@dataclass
class Change:
    kind: str
    key: str
    title: str
    path: str
    modified: object


def recent_changes(strategy, since=None, limit: int = 50) -> list[Change]:
    from kompass.measures.models import Measure

    out: list[Change] = []
    measures = Measure.objects.filter(strategy=strategy).only("slug", "title", "updated_at")
    if since:
        measures = measures.filter(updated_at__gt=since)
    for m in measures.order_by("-updated_at")[:limit]:
        out.append(Change("measure", m.slug, f"Maßnahme: {m.title}", reverse("measures:measure", args=[m.slug]),
                          m.updated_at))
    for i in selectors.indicators(strategy, since=since).order_by("-modified")[:limit]:
        out.append(Change("indicator", i.slug, f"Indikator: {i.name}", reverse("monitoring:indicator", args=[i.slug]),
                          i.modified))
    for c in selectors.cycles(strategy, since=since).order_by("-modified")[:limit]:
        out.append(Change("cycle", c.slug, f"Evaluationszyklus: {c.name}", reverse("monitoring:cycle", args=[c.slug]),
                          c.modified))
    for t in selectors.transitions(strategy, since=since).order_by("-occurred_at")[:limit]:
        to = t.to_phase.name if t.to_phase else "abgeschlossen"
        out.append(Change("transition", str(t.pk), f"Phasenwechsel: {t.measure.title} → {to}",
                          reverse("measures:measure", args=[t.measure.slug]), t.occurred_at))
    for x in selectors.lessons(strategy, since=since).order_by("-modified")[:limit]:
        out.append(Change("lesson", str(x.pk), f"Lessons Learned: {x.title}", reverse("lifecycle:lessons"),
                          x.modified))
    for c in selectors.candidates(strategy, since=since).order_by("-modified")[:limit]:
        out.append(Change("candidate", c.slug, f"Maßnahmenvorschlag: {c.title}", reverse("lifecycle:candidates"),
                          c.modified))
    for p in selectors.public_panels(since=since).order_by("-modified")[:limit]:
        out.append(Change("panel", p.slug, f"Stadtgremium: {p.title}", reverse("lottery:audit", args=[p.slug]),
                          p.modified))
    out.sort(key=lambda c: c.modified, reverse=True)
    return out[:limit]


def atom(request, strategy, since=None, limit: int = 50) -> bytes:
    base = absolute_url("/", request).rstrip("/")
    items = recent_changes(strategy, since, limit)
    feed = Atom1Feed(title=f"Änderungen: {strategy.name}", link=f"{base}/data/",
                     description=f"Neue und geänderte offene Daten der Strategie „{strategy.name}“.",
                     language="de", feed_url=f"{base}/api/v1/changes.atom", feed_guid=f"{base}/api/v1/changes.atom",
                     feed_copyright=strategy.data_licence or "")
    for c in items:
        feed.add_item(title=c.title, link=base + c.path, description="", unique_id=f"{base}/#{c.kind}:{c.key}:"
                      f"{c.modified.isoformat()}", updateddate=c.modified, pubdate=c.modified,
                      categories=[c.kind])
    return feed.writeString("utf-8").encode("utf-8")
