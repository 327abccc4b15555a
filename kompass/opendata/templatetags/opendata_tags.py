from django import template

from kompass.opendata import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def federation_for(context, measure):
    """What the measure page shows of other cities: similar measures and recorded replications."""
    user = context["request"].user
    return {"similar": selectors.similar_measures(measure), "origins": selectors.replications_of(measure),
            "may_link": user.is_authenticated and user.has_perm("lifecycle.mark_replication", measure)}
