"""Writes to participation, by sub-domain. Every public function runs in one transaction, takes the acting user
(or a SystemActor for jobs and commands) explicitly, checks the permission with `kompass.core.permissions.require`
(rules in `participation/rules.py`) and records an audit event. Contribution writes also apply rate limits per
account and per IP (`RateLimited`).

Callers import from here (`from kompass.participation import services`); the modules below are the implementation."""

from kompass.participation.drafts import parse_draft
from kompass.participation.geo import city_bbox, validate_point
from kompass.participation.idempotency import IdempotencyConflict
from kompass.participation.selectors import personal_data
from kompass.participation.services.comments import comment_create, comment_delete, comment_edit, edit_window
from kompass.participation.services.consultations import (
    consultation_create,
    opinion_map_start,
    opinion_map_store,
    statement_add,
    vote_cast,
)
from kompass.participation.services.ideas import (
    IDEA_SOURCE,
    idea_create,
    idea_set_status,
    idea_url,
    on_candidate_decided,
    ownership_declare,
)
from kompass.participation.services.idempotency import idempotency_keys_purge
from kompass.participation.services.moderation import (
    moderation_hide,
    report_create,
    report_dismiss,
    statement_moderate,
    user_block,
)
from kompass.participation.services.notifications import (
    UNSUBSCRIBE_SALT,
    digest_send,
    notifications_mark_read,
    notify_followers,
    unsubscribe,
    unsubscribe_token,
)
from kompass.participation.services.privacy import anonymise_contributions
from kompass.participation.services.ratelimit import DEFAULT_RATE_LIMITS, RateLimited, check_rate
from kompass.participation.services.supports import follow_set, support_add, support_withdraw
from kompass.participation.uploads import ATTACHMENT_TYPES, validate_attachment

__all__ = [
    "ATTACHMENT_TYPES", "DEFAULT_RATE_LIMITS", "IDEA_SOURCE", "UNSUBSCRIBE_SALT", "IdempotencyConflict", "RateLimited",
    "anonymise_contributions", "check_rate", "city_bbox", "comment_create", "comment_delete", "comment_edit",
    "consultation_create", "digest_send", "edit_window", "follow_set", "idea_create", "idea_set_status", "idea_url",
    "idempotency_keys_purge",
    "moderation_hide", "notifications_mark_read", "notify_followers", "on_candidate_decided", "opinion_map_start",
    "opinion_map_store", "ownership_declare", "parse_draft", "personal_data", "report_create", "report_dismiss",
    "statement_add", "statement_moderate", "support_add", "support_withdraw", "unsubscribe", "unsubscribe_token",
    "user_block", "validate_attachment", "validate_point", "vote_cast",
]
