"""Writes of the implementation process and of selection, by sub-domain. Each public function runs in one
transaction, takes the acting user or a SystemActor explicitly, checks the permission with
`kompass.core.permissions.require` (rules in `lifecycle/rules.py`) and records an audit event.

Callers import from here (`from kompass.lifecycle import services`); the modules below are the implementation."""

from kompass.lifecycle.selectors import current_phase, phases, reviewer_group_for
from kompass.lifecycle.services.descriptions import description_save
from kompass.lifecycle.services.imports import (
    confirmable,
    external_id_set,
    measures_import,
    spreadsheet_import_confirm,
    spreadsheet_import_start,
)
from kompass.lifecycle.services.invitations import (
    invitation_accept,
    invitation_from_token,
    invitation_send,
    invitation_token,
)
from kompass.lifecycle.services.lessons import lesson_create, normalise_tags, replication_set, would_cycle
from kompass.lifecycle.services.logbook import logbook_entry_create
from kompass.lifecycle.services.milestones import (
    digest_send,
    milestone_create,
    milestone_delete,
    milestone_done,
    milestone_update,
    overdue_milestones_queue,
)
from kompass.lifecycle.services.phases import gate_check, phase_move, phase_set_initial
from kompass.lifecycle.services.process import load_process
from kompass.lifecycle.services.selection import (
    acting_with,
    assessment_save,
    candidate_decide,
    candidate_from_idea,
    candidate_submit,
)
from kompass.lifecycle.services.team import (
    mandate_delete,
    mandate_record,
    mandate_update,
    team_member_remove,
    team_member_set,
)
from kompass.lifecycle.uploads import ATTACHMENT_TYPES, attachment_max_bytes, validate_attachment

phases_of = phases  # the name services used before the package split

__all__ = [
    "ATTACHMENT_TYPES", "acting_with", "assessment_save", "attachment_max_bytes", "candidate_decide",
    "candidate_from_idea", "candidate_submit", "current_phase", "description_save", "digest_send",
    "external_id_set", "gate_check", "lesson_create", "load_process", "logbook_entry_create", "mandate_record",
    "measures_import", "milestone_create", "milestone_done", "normalise_tags", "overdue_milestones_queue",
    "phase_move", "phase_set_initial", "phases", "phases_of", "replication_set", "reviewer_group_for",
    "spreadsheet_import_start", "team_member_remove", "team_member_set", "validate_attachment", "would_cycle",
    # coordinators' workspace: edit and delete, invitations
    "invitation_accept", "invitation_from_token", "invitation_send", "invitation_token", "mandate_delete",
    "mandate_update", "milestone_delete", "milestone_update",
]
__all__ += ["confirmable", "spreadsheet_import_confirm"]  # the spreadsheet preview (kept apart: fewer conflicts)
