"""What a team member or coordinator has to do next ("Meine Aufgaben"): reviews due in open evaluation cycles,
overdue and upcoming milestones, exit criteria of the current phase still open, and indicators whose next value
is due or overdue. A fixed number of queries whatever the number of measures (asserted in tests).

It lives in monitoring because it reads both apps (monitoring sits above lifecycle in the layers)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from kompass.accounts.models import Membership
from kompass.lifecycle import criteria as criteria_registry
from kompass.lifecycle.models import Milestone, Phase
from kompass.measures.models import Measure
from kompass.monitoring import updates
from kompass.monitoring.models import EvaluationCycle, Indicator, Review

SOON_DAYS = 14


@dataclass
class Tasks:
    measures: list = field(default_factory=list)
    reviews: list = field(default_factory=list)  # [(cycle, measure)]
    milestones: list = field(default_factory=list)  # [Milestone] overdue first, then due within SOON_DAYS
    gates: list = field(default_factory=list)  # [(measure, phase, [unmet criteria])]
    indicators: list = field(default_factory=list)  # [(indicator, UpdateState)] overdue first

    @property
    def count(self) -> int:
        return len(self.reviews) + len(self.milestones) + len(self.gates) + len(self.indicators)


def my_measures(user, strategy) -> list[Measure]:
    """The measures `user` works on: on the measure team, or coordinator of the responsible organisation."""
    coordinated = Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values("organisation_id")
    return list(Measure.objects.filter(strategy=strategy)
                .filter(Q(team_members__user=user) | Q(responsible_organisation_id__in=coordinated))
                .distinct().select_related("lifecycle__phase").order_by("title", "pk"))


def my_tasks(user, strategy, today: datetime.date | None = None) -> Tasks:
    today = today or datetime.date.today()
    measures = my_measures(user, strategy)
    tasks = Tasks(measures=measures)
    if not measures:
        return tasks
    ids = [m.pk for m in measures]
    by_id = {m.pk: m for m in measures}

    cycles = list(EvaluationCycle.objects.filter(strategy=strategy, state=EvaluationCycle.State.OPEN)
                  .order_by("deadline", "pk"))
    if cycles:
        done = set(Review.objects.filter(cycle__in=cycles, measure_id__in=ids).values_list("cycle_id", "measure_id"))
        tasks.reviews = [(c, m) for c in cycles for m in measures if (c.pk, m.pk) not in done]

    tasks.milestones = list(Milestone.objects.filter(measure_id__in=ids, done_on__isnull=True,
                                                     due_on__lte=today + datetime.timedelta(days=SOON_DAYS))
                            .select_related("measure", "owner").order_by("due_on", "pk"))

    first = Phase.objects.filter(strategy=strategy).order_by("position", "pk").first()
    phase_of = {}
    for m in measures:
        lifecycle = getattr(m, "lifecycle", None)
        if lifecycle is not None and lifecycle.completed_at is not None:
            continue
        phase_of[m.pk] = lifecycle.phase if lifecycle is not None else first
    results = criteria_registry.evaluate_many([(by_id[pk], phase.exit_criteria) for pk, phase in phase_of.items()
                                               if phase is not None and phase.exit_criteria])
    tasks.gates = [(by_id[pk], phase_of[pk], [c for c in found if c["met"] is False])
                   for pk, found in results.items() if any(c["met"] is False for c in found)]

    states = updates.states(Indicator.objects.filter(measure_id__in=ids).exclude(cadence="irregular")
                            .select_related("measure", "owner"), today)
    tasks.indicators = sorted([(ind, state) for ind, state in states if state.remind],
                              key=lambda row: (not row[1].overdue, row[1].due, row[0].slug))
    return tasks
