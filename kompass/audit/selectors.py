"""Reads of the audit trail."""

from kompass.audit.models import AuditEvent


def latest_event_id(*args, **kwargs) -> str:
    """The newest audit event's id: every service write records one, so this changes whenever any data changes
    (a version stamp for caches of expensive pages)."""
    return str(AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0)
