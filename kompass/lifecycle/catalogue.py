"""The lifecycle's `phase` filter of the measure catalogue (portal, API, monitoring dashboard), registered with
`kompass.measures.filters` in `LifecycleConfig.ready()`."""

from __future__ import annotations

from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from kompass.lifecycle.models import MeasureLifecycle, Phase
from kompass.measures.filters import CatalogueFilter


def phases_of(strategy) -> list[Phase]:
    return list(Phase.objects.filter(strategy=strategy).order_by("position", "pk"))


def in_phase(qs, phase: Phase, strategy):
    """Measures in `phase`; measures without a lifecycle record are in the strategy's first phase."""
    current = Q(pk__in=MeasureLifecycle.objects.filter(phase=phase).values("measure_id"))
    earlier = Phase.objects.filter(strategy_id=phase.strategy_id).filter(
        Q(position__lt=phase.position) | Q(position=phase.position, pk__lt=phase.pk))
    no_record = ~Q(pk__in=MeasureLifecycle.objects.filter(measure__strategy=strategy).values("measure_id"))
    return qs.filter(current | (no_record & Q(~Exists(earlier))))


PHASE_FILTER = CatalogueFilter("phase", _("Phase"), options=phases_of, apply=in_phase)
