"""Reads of the implementation process. Every function runs a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime
import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from kompass.core.text import text_search
from kompass.lifecycle import criteria as criteria_registry
from kompass.lifecycle.charts import phase_bars_svg
from kompass.lifecycle.models import (
    DESCRIPTION_SECTIONS,
    Assessment,
    Candidate,
    DescriptionVersion,
    LessonLearned,
    LogbookEntry,
    Mandate,
    MeasureLifecycle,
    MeetingFormat,
    Milestone,
    Phase,
    PhaseTransition,
    ProcessSettings,
    SelectionCriterion,
    TeamInvitation,
    TeamMember,
)
from kompass.measures.models import Measure
from kompass.organisations.models import Organisation


def phases(strategy) -> list[Phase]:
    return list(Phase.objects.filter(strategy=strategy).order_by("position", "pk"))


def current_phase(measure) -> Phase | None:
    """The measure's phase; a measure without a lifecycle row is in the first phase (None: no process)."""
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).select_related("phase").first()
    if lifecycle is not None:
        return lifecycle.phase
    return Phase.objects.filter(strategy_id=measure.strategy_id).order_by("position", "pk").first()


def reviewer_group_for(strategy, source: str) -> str:
    """The slug of the user group that reviews candidates from `source` ("" when none is configured)."""
    settings_row = ProcessSettings.objects.filter(strategy=strategy).first()
    return (settings_row.reviewer_groups if settings_row else {}).get(source, "")


def selection_criteria(strategy) -> list[SelectionCriterion]:
    return list(SelectionCriterion.objects.filter(strategy=strategy))


def team(measure) -> list[TeamMember]:
    return list(TeamMember.objects.filter(measure=measure).select_related("user"))


def meeting_formats(strategy) -> list[MeetingFormat]:
    return list(MeetingFormat.objects.filter(strategy=strategy))


@dataclass
class MeasureProcess:
    """What the public measure page shows of the process."""

    phases: list
    phase: Phase | None
    lifecycle: MeasureLifecycle | None
    transitions: list
    description: DescriptionVersion | None
    lessons: list
    mandate: Mandate | None
    team: list
    replications: list = field(default_factory=list)
    candidate: Candidate | None = None

    @property
    def completed(self) -> bool:
        return bool(self.lifecycle and self.lifecycle.completed_at)

    @property
    def steps(self) -> list[dict]:
        here = self.phase.pk if self.phase else None
        index = next((i for i, p in enumerate(self.phases) if p.pk == here), -1)
        return [{"phase": p, "current": p.pk == here, "done": i < index or (self.completed and i == index)}
                for i, p in enumerate(self.phases)]


def measure_process(measure) -> MeasureProcess:
    """Nine queries, whatever the number of transitions, lessons or team members."""
    all_phases = phases(measure.strategy_id)
    lifecycle = (MeasureLifecycle.objects.filter(measure=measure)
                 .select_related("phase", "replication_of").first())
    phase = lifecycle.phase if lifecycle else (all_phases[0] if all_phases else None)
    transitions = list(PhaseTransition.objects.filter(measure=measure).select_related("from_phase", "to_phase"))
    description = DescriptionVersion.objects.filter(measure=measure).order_by("-number").first()
    lessons = list(LessonLearned.objects.filter(measure=measure).select_related("phase"))
    mandate = Mandate.objects.filter(measure=measure).first()
    team = list(TeamMember.objects.filter(measure=measure).select_related("organisation"))
    replications = list(Measure.objects.filter(lifecycle__replication_of=measure).only("slug", "title", "title_en"))
    candidate = Candidate.objects.filter(measure=measure).only("slug", "title", "measure_id").first()
    return MeasureProcess(all_phases, phase, lifecycle, transitions, description, lessons, mandate, team,
                          replications, candidate)


def workspace(measure) -> dict:
    """Everything the team's workspace shows, in a fixed number of queries."""
    process = measure_process(measure)
    return {
        "process": process,
        "team": list(TeamMember.objects.filter(measure=measure).select_related("user", "organisation")),
        "mandates": list(Mandate.objects.filter(measure=measure)),
        "logbook": list(LogbookEntry.objects.filter(measure=measure).select_related("meeting_format")
                        .prefetch_related("organisations", "attachments")),
        "milestones": list(Milestone.objects.filter(measure=measure).select_related("owner")),
        "invitations": list(TeamInvitation.objects.filter(measure=measure, accepted_at__isnull=True)),
        "formats": meeting_formats(measure.strategy_id),
        "criteria": criteria_registry.evaluate(process.phase.exit_criteria, measure) if process.phase else [],
    }


def description_history(measure) -> list[DescriptionVersion]:
    return list(DescriptionVersion.objects.filter(measure=measure).select_related("author"))


def description_diff(old: DescriptionVersion | None, new: DescriptionVersion) -> list[dict]:
    """Per section: the lines removed and added between two versions (for an accessible list, not a colour table)."""
    out = []
    for key, label in DESCRIPTION_SECTIONS:
        a = (old.sections.get(key, "") if old else "").splitlines()
        b = new.sections.get(key, "").splitlines()
        if a == b:
            continue
        lines = []
        for line in difflib.ndiff(a, b):
            tag = line[:2]
            if tag == "- ":
                lines.append(("removed", line[2:]))
            elif tag == "+ ":
                lines.append(("added", line[2:]))
            elif tag == "  ":
                lines.append(("same", line[2:]))
        out.append({"key": key, "label": label, "lines": lines})
    return out


def lessons_library(strategy, q: str = "", tag: str = "", phase: str = ""):
    qs = LessonLearned.objects.filter(measure__strategy=strategy).select_related("measure", "phase")
    qs = text_search(qs, q, ("search_text",))
    if tag:
        qs = qs.filter(tags__icontains=tag.lower())
    if phase:
        qs = qs.filter(phase__slug=phase)
    return qs.defer("search_text")


def candidates(strategy, status: str = ""):
    qs = Candidate.objects.filter(strategy=strategy).select_related("organisation", "measure")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(n_assessors=Count("assessments__assessor", distinct=True)).order_by("-created_at", "-id")


def assessor_count(candidate) -> int:
    """How many people have assessed a candidate (one person scoring five criteria counts once)."""
    return Assessment.objects.filter(candidate=candidate).values("assessor").distinct().count()


def min_assessments(strategy) -> int:
    """The strategy's minimum number of assessors before the CDO may admit or reject (ProcessSettings)."""
    row = ProcessSettings.objects.filter(strategy=strategy).only("min_assessments").first()
    return row.min_assessments if row else ProcessSettings._meta.get_field("min_assessments").default


def own_assessments(candidate, user) -> dict:
    """The scores a reviewer saved on a candidate, as initial values of the assessment form."""
    if not getattr(user, "is_authenticated", False):
        return {}
    initial = {}
    for a in Assessment.objects.filter(candidate=candidate, assessor=user).select_related("criterion"):
        initial[f"score_{a.criterion.slug}"], initial[f"why_{a.criterion.slug}"] = a.score, a.justification
    return initial


@dataclass
class CriterionScore:
    criterion: SelectionCriterion
    mean: float | None
    count: int
    assessments: list


def candidate_detail(strategy, slug: str) -> tuple[Candidate, list[CriterionScore], float | None]:
    """A candidate with its assessments aggregated per criterion and an overall weighted mean (0–4)."""
    candidate = (Candidate.objects.filter(strategy=strategy, slug=slug)
                 .select_related("organisation", "measure", "decided_by", "submitted_by").first())
    if candidate is None:
        raise Http404
    from kompass.accounts.models import UserGroup

    group = UserGroup.objects.filter(slug=candidate.reviewer_group).first() if candidate.reviewer_group else None
    candidate.reviewer_group_name = group.name if group else candidate.reviewer_group
    by_criterion = defaultdict(list)
    for a in Assessment.objects.filter(candidate=candidate).select_related("assessor"):
        by_criterion[a.criterion_id].append(a)
    scores = []
    for criterion in SelectionCriterion.objects.filter(strategy=strategy):
        items = by_criterion.get(criterion.pk, [])
        mean = sum(a.score for a in items) / len(items) if items else None
        scores.append(CriterionScore(criterion, mean, len(items), items))
    return candidate, scores, aggregate_score(scores)


def aggregate_score(scores: list[CriterionScore]) -> float | None:
    """Weighted mean of the per-criterion means over the criteria that were assessed."""
    rated = [(s.mean, s.criterion.weight) for s in scores if s.mean is not None]
    total = sum(w for _m, w in rated)
    if not total:
        return None
    return round(sum(m * w for m, w in rated) / total, 2)


def decisions(strategy):
    return (Candidate.objects.filter(strategy=strategy, decided_at__isnull=False)
            .select_related("measure").order_by("-decided_at"))


# --- collaboration ------------------------------------------------------------------------------------------

SENATE_KINDS = {Organisation.Kind.SENATE_CHANCELLERY, Organisation.Kind.SENATE_DEPARTMENT}
DISTRICT_KINDS = {Organisation.Kind.DISTRICT_OFFICE}


MEASURES_PER_PAIR = 5


def collaboration(strategy, edge_limit: int = 150) -> dict:
    """Organisations linked by shared measures, with the figures the strategy office watches.

    Five queries of plain tuples (no model instances per measure): fast at thousands of measures."""
    from kompass.strategy.models import District

    rows = Measure.objects.filter(strategy=strategy).values_list("id", "slug", "title", "title_en",
                                                                 "responsible_organisation_id")
    measures = {pk: SimpleNamespace(pk=pk, slug=slug, title=title, title_en=title_en, responsible=resp)
                for pk, slug, title, title_en, resp in rows}
    members: dict[int, set[int]] = {pk: {m.responsible} for pk, m in measures.items()}
    through = Measure.involved_organisations.through
    for measure_id, org_id in through.objects.filter(measure__strategy=strategy).values_list("measure_id",
                                                                                           "organisation_id"):
        members[measure_id].add(org_id)
    reached = set(Measure.districts.through.objects.filter(measure__strategy=strategy, district__kind="district")
                  .values_list("district_id", flat=True).distinct())
    orgs = {o.pk: o for o in Organisation.objects.filter(strategy=strategy).only(
        "id", "slug", "name", "name_en", "abbreviation", "kind", "strategy_id")}
    links: Counter = Counter()
    shared_by: dict[tuple[int, int], list] = defaultdict(list)
    multi = senate_and_district = 0
    for pk, ids in members.items():
        kinds = {orgs[i].kind for i in ids if i in orgs}
        if len(ids) >= 2:
            multi += 1
        if kinds & SENATE_KINDS and kinds & DISTRICT_KINDS:
            senate_and_district += 1
        ordered = sorted(ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                links[(a, b)] += 1
                if len(shared_by[(a, b)]) < MEASURES_PER_PAIR:
                    shared_by[(a, b)].append(measures[pk])
    total = len(measures)
    ranked = sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))
    edges = [{"a": orgs[a], "b": orgs[b], "weight": w, "measures": shared_by[(a, b)][:MEASURES_PER_PAIR],
              "more": max(0, w - MEASURES_PER_PAIR)} for (a, b), w in ranked[:edge_limit]]
    degree: Counter = Counter()
    for (a, b), w in links.items():
        degree[a] += w
        degree[b] += w
    nodes = sorted((o for o in orgs.values() if degree[o.pk]), key=lambda o: (-degree[o.pk], o.name))
    districts_total = District.objects.filter(strategy=strategy, kind="district").count()
    return {
        "edges": edges, "nodes": nodes, "degree": degree, "pairs": len(links),
        "figures": {
            "measures": total,
            "multi": multi, "multi_share": round(100 * multi / total) if total else 0,
            "senate_and_district": senate_and_district,
            "senate_and_district_share": round(100 * senate_and_district / total) if total else 0,
            "districts_reached": len(reached), "districts_total": districts_total,
        },
    }


def replication_trees(strategy) -> list[dict]:
    """Original measures with their replications as nested trees (one query)."""
    rows = list(MeasureLifecycle.objects.filter(measure__strategy=strategy, replication_of__isnull=False)
                .select_related("measure", "replication_of").only(
                    "measure__slug", "measure__title", "measure__title_en", "replication_of__slug",
                    "replication_of__title", "replication_of__title_en"))
    children = defaultdict(list)
    nodes = {}
    for row in rows:
        children[row.replication_of.pk].append(row.measure)
        nodes[row.measure.pk] = row.measure
        nodes[row.replication_of.pk] = row.replication_of
    roots = [nodes[pk] for pk in children if pk not in {r.measure.pk for r in rows}]

    def build(measure, seen):
        if measure.pk in seen:
            return {"measure": measure, "children": []}
        seen = seen | {measure.pk}
        return {"measure": measure, "children": [build(c, seen) for c in
                                                  sorted(children.get(measure.pk, []), key=lambda m: m.title)]}

    return [build(r, frozenset()) for r in sorted(roots, key=lambda m: m.title)]


# --- strategy office overview -------------------------------------------------------------------------------

def office_overview(strategy, now: datetime.datetime | None = None) -> dict:
    """Measures per phase, mean days spent in each phase and measures stuck longer than the configured time."""
    now = now or timezone.now()
    all_phases = phases(strategy)
    settings_row = ProcessSettings.objects.filter(strategy=strategy).first()
    stuck_days = settings_row.stuck_after_days if settings_row else 365
    first = all_phases[0] if all_phases else None
    # Plain tuples, not model instances: this page reads every measure and every transition of the strategy.
    lifecycles = {m: (phase_id, since, completed) for m, phase_id, since, completed in
                  MeasureLifecycle.objects.filter(measure__strategy=strategy).values_list(
                      "measure_id", "phase_id", "phase_since", "completed_at")}
    counts: Counter = Counter()
    stuck = []
    for pk, slug, title, title_en, created in Measure.objects.filter(strategy=strategy).values_list(
            "id", "slug", "title", "title_en", "created_at"):
        phase_id, since, completed = lifecycles.get(pk) or (first.pk if first else None, created, None)
        counts[phase_id] += 1
        if completed:
            continue
        days = (now - since).days
        if days > stuck_days:
            stuck.append({"measure": SimpleNamespace(pk=pk, slug=slug, title=title, title_en=title_en),
                          "phase_id": phase_id, "days": days})
    total = sum(counts.values())
    durations: dict[int, list[float]] = defaultdict(list)
    previous: dict[int, tuple] = {}
    for measure_id, to_phase_id, at in (PhaseTransition.objects.filter(measure__strategy=strategy)
                                        .order_by("measure_id", "occurred_at", "id")
                                        .values_list("measure_id", "to_phase_id", "occurred_at")):
        before = previous.get(measure_id)
        if before is not None and before[0]:
            durations[before[0]].append((at - before[1]).total_seconds() / 86400)
        previous[measure_id] = (to_phase_id, at)
    for measure_id, (to_phase_id, at) in previous.items():
        state = lifecycles.get(measure_id)
        if to_phase_id and state and not state[2]:
            durations[to_phase_id].append((now - at).total_seconds() / 86400)
    by_id = {p.pk: p for p in all_phases}
    rows = [{"phase": p, "count": counts.get(p.pk, 0),
             "mean_days": round(sum(durations[p.pk]) / len(durations[p.pk])) if durations.get(p.pk) else None,
             "stays": len(durations.get(p.pk, []))} for p in all_phases]
    for item in stuck:
        item["phase"] = by_id.get(item["phase_id"])
    stuck.sort(key=lambda s: -s["days"])
    overdue = list(Milestone.objects.filter(measure__strategy=strategy, done_on__isnull=True,
                                            due_on__lt=now.date()).select_related("measure", "owner"))
    return {"rows": rows, "chart": phase_bars_svg(rows), "stuck": stuck, "stuck_days": stuck_days,
            "total": total, "overdue": overdue,
            "completed": sum(1 for state in lifecycles.values() if state[2])}


def pending_candidates_for(user, strategy):
    """Candidates awaiting review that this reviewer's groups are assigned to."""
    groups = list(user.user_groups.values_list("slug", flat=True)) if user.is_authenticated else []
    return (Candidate.objects.filter(strategy=strategy, status__in=["submitted", "in_review", "deferred"])
            .filter(Q(reviewer_group__in=groups) | Q(reviewer_group="")).exclude(assessments__assessor=user)
            .order_by("created_at", "id"))


def measures_for_export(strategy):
    return (Measure.objects.filter(strategy=strategy).select_related("responsible_organisation", "external_id",
                                                                     "lifecycle__phase")
            .prefetch_related("involved_organisations", "districts", "action_fields")
            .order_by("slug"))

