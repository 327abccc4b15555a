"""Exit criteria the monitoring app contributes to the lifecycle's gate registry."""

from django.utils.translation import gettext_lazy as _

from kompass.lifecycle.criteria import CriterionResult, register_criterion


@register_criterion("has_indicator", _("At least one indicator is defined"), replace=True)
def has_indicator(measure) -> CriterionResult:
    from kompass.monitoring.models import Indicator

    if Indicator.objects.filter(measure=measure).exists():
        return CriterionResult(True)
    return CriterionResult(False, _("Define at least one indicator in the impact chain first."))
