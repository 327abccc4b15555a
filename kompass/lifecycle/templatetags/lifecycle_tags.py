from django import template

from kompass.lifecycle import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def measure_process(context, measure):
    """The process data of a measure for its public page (a fixed number of queries)."""
    request = context.get("request")
    process = selectors.measure_process(measure)
    user = getattr(request, "user", None)
    process.can_work = bool(user and user.is_authenticated and user.has_perm("lifecycle.view_workspace", measure))
    return process
