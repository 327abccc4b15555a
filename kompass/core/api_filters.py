"""`modified_since` for every public list (incremental sync): the query parameter, its reading as an aware moment,
and the filter on a row's last change (its own timestamp, or the newest audit event about it)."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DateTimeField, Expression, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field, Schema

from kompass.audit.models import AuditEvent

MODIFIED_SINCE_DESCRIPTION = gettext_noop("Only items changed after this moment (ISO 8601; without a zone it is UTC)")


class ModifiedSince(Schema):
    """Mix into a list's query schema to offer `modified_since`; a malformed value answers 400 naming it."""

    modified_since: datetime.datetime | None = Field(
        None, description=MODIFIED_SINCE_DESCRIPTION, examples=["2025-01-01T00:00:00Z"])


def since(params) -> datetime.datetime | None:
    """The `modified_since` of a query schema as an aware moment (naive values are UTC), or None."""
    value = params.modified_since
    if value is None:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    # Compare in UTC: PostgreSQL refuses zone offsets beyond ±15:59 that ISO 8601 and Python allow (+18:15),
    # and a moment next to year 1 or 9999 may not fit once shifted; such a moment means "everything"/"nothing".
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        edge = datetime.datetime.min if value.year < 5000 else datetime.datetime.max
        return edge.replace(tzinfo=datetime.UTC)


def last_audit(model) -> Subquery:
    """The time of the newest audit event about each row (a correlated subquery on the audit log)."""
    ct = ContentType.objects.get_for_model(model)
    events = AuditEvent.objects.filter(content_type=ct, object_id=Cast(OuterRef("pk"), CharField()))
    return Subquery(events.order_by("-occurred_at").values("occurred_at")[:1], output_field=DateTimeField())


def modified_after(qs: QuerySet, params, modified: str | Expression) -> QuerySet:
    """`qs` narrowed to rows whose last change (`modified`: a field name or an expression) is after the list's
    `modified_since`; unchanged when the parameter is absent."""
    moment = since(params)
    if moment is None:
        return qs
    if isinstance(modified, str):
        return qs.filter(**{f"{modified}__gt": moment})
    return qs.alias(_modified=modified).filter(_modified__gt=moment)
