from django.db.models import Count
from django.http import Http404

from kompass.organisations.models import Organisation


def organisations_with_counts(strategy, kind: str | None = None):
    qs = Organisation.objects.filter(strategy=strategy).select_related("district").annotate(
        responsible_count=Count("responsible_for", distinct=True),
        involved_count=Count("involved_in", distinct=True),
    ).order_by("name", "pk")  # GROUP BY queries ignore Meta.ordering; pagination needs a fixed order
    return qs.filter(kind=kind) if kind else qs


def organisation_detail(strategy, slug: str) -> Organisation:
    org = (Organisation.objects.filter(strategy=strategy, slug=slug)
           .select_related("district").prefetch_related("former_names").first())
    if org is None:
        raise Http404
    return org
