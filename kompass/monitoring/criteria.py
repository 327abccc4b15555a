"""Exit criteria the monitoring app contributes to the lifecycle's gate registry."""

from django.utils.translation import gettext_lazy as _

from kompass.lifecycle.criteria import register_many, results_from_done


@register_many("has_indicator", _("At least one indicator is defined"), replace=True)
def has_indicator(measures) -> dict:
    from kompass.monitoring.models import Indicator

    done = set(Indicator.objects.filter(measure__in=measures).values_list("measure_id", flat=True))
    return results_from_done(measures, done, _("Define at least one indicator in the impact chain first."))
