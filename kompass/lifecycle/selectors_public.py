"""Public reads of the lifecycle for other apps' lists (a new module beside selectors.py)."""

from __future__ import annotations

from kompass.lifecycle.models import MeasureLifecycle, Phase


def phase_of_measures(strategy, measure_ids) -> dict[int, Phase | None]:
    """Each measure's current phase; measures without a lifecycle record are in the first phase (2 queries)."""
    ids = list(measure_ids)
    first = Phase.objects.filter(strategy=strategy).order_by("position", "pk").first()
    found = {lc.measure_id: lc.phase for lc in
             MeasureLifecycle.objects.filter(measure_id__in=ids).select_related("phase")}
    return {mid: found.get(mid, first) for mid in ids}
