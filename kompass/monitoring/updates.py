"""When an indicator's next value is due, from its update rhythm (cadence), and which ones are overdue (ADR 0075).

The latest value describes the period that starts at `latest_period` (the baseline date when there is no
measurement yet). The next period starts one interval later and its value is due when that period has ended:
`latest_period + 2 intervals`. A value is overdue the day after. Irregular indicators are never due. The owner
is reminded `REMIND_DAYS` before the due date, once per due date (`Indicator.reminded_for`).

Reads only; the reminder email is `services.indicator_reminders_send`."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Max

from kompass.monitoring.models import Indicator, Measurement

INTERVAL_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
REMIND_DAYS = 14


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(cadence: str, latest_period: datetime.date | None, baseline_date: datetime.date) -> datetime.date | None:
    months = INTERVAL_MONTHS.get(cadence)
    if months is None:
        return None
    return add_months(latest_period or baseline_date, 2 * months)


@dataclass(frozen=True)
class UpdateState:
    last_period: datetime.date | None  # the period of the latest value
    last_entered: datetime.datetime | None  # when a value was last entered or changed
    due: datetime.date | None
    overdue: bool
    remind: bool  # within REMIND_DAYS of the due date (or past it)


def update_state(indicator: Indicator, *, latest_period, last_entered=None,
                 today: datetime.date | None = None) -> UpdateState:
    today = today or datetime.date.today()
    due = next_due(indicator.cadence, latest_period, indicator.baseline_date)
    return UpdateState(latest_period, last_entered, due, due is not None and today > due,
                       due is not None and today >= due - datetime.timedelta(days=REMIND_DAYS))


def _with_latest(qs):
    """Indicators annotated with the period of their latest value and when one was last entered (one query)."""
    return qs.annotate(latest_period_=Max("measurements__period"), last_entered_=Max("measurements__entered_at"))


def states(qs, today: datetime.date | None = None) -> list[tuple[Indicator, UpdateState]]:
    return [(ind, update_state(ind, latest_period=ind.latest_period_, last_entered=ind.last_entered_, today=today))
            for ind in _with_latest(qs)]


def indicator_update_state(indicator: Indicator, today: datetime.date | None = None) -> UpdateState:
    latest = Measurement.objects.filter(indicator=indicator).aggregate(p=Max("period"), e=Max("entered_at"))
    return update_state(indicator, latest_period=latest["p"], last_entered=latest["e"], today=today)


def overdue_by_organisation(strategy, today: datetime.date | None = None) -> list[dict]:
    """For the strategy office: the overdue indicators grouped by responsible organisation (the indicator's own,
    else its measure's), organisations with the most overdue first. Two queries whatever the data size."""
    qs = (Indicator.objects.filter(measure__strategy=strategy).exclude(cadence="irregular")
          .select_related("measure", "owner", "responsible_organisation", "measure__responsible_organisation"))
    groups: dict = {}
    for ind, state in states(qs, today):
        if not state.overdue:
            continue
        org = ind.responsible_organisation or ind.measure.responsible_organisation
        group = groups.setdefault(org.pk if org else None, {"organisation": org, "rows": []})
        group["rows"].append((ind, state))
    for group in groups.values():
        group["rows"].sort(key=lambda row: (row[1].due, row[0].slug))
    return sorted(groups.values(), key=lambda g: (-len(g["rows"]), str(g["organisation"] or "")))


def due_for_reminder(today: datetime.date | None = None) -> list[tuple[Indicator, UpdateState]]:
    """Indicators whose owner should be reminded now and was not yet reminded of this due date."""
    qs = (Indicator.objects.filter(owner__isnull=False, owner__is_active=True).exclude(cadence="irregular")
          .select_related("owner", "measure"))
    return [(ind, state) for ind, state in states(qs, today) if state.remind and ind.reminded_for != state.due]
