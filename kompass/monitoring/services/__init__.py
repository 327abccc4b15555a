"""Writes to monitoring data, one module per sub-domain, re-exported here (`from kompass.monitoring import
services; services.target_add(...)`).

Every public function runs in one transaction, takes the acting user or a `SystemActor` explicitly (never
None), checks its permission with `kompass.core.permissions.require` (rules in `monitoring/rules.py`) and
records an audit event naming the actor. After every write that can change a status, `refresh_statuses`
rewrites the denormalised status tables in bulk.

- `chains`: inputs, goals, indicators
- `targets`: target versions and progress methods
- `measurements`: row validation and the all-or-nothing import
- `uploads`: bounded CSV/XLSX reading and the upload job
- `statuses`: `refresh_statuses`
- `cycles`: evaluation cycles, reviews, board comments, decisions
- `reminders`: indicator owners and the reminder before each update is due
"""

from kompass.monitoring.services.chains import (
    GOAL_FIELDS,
    INDICATOR_FIELDS,
    goal_save,
    indicator_create_with_target,
    indicator_save,
    inputs_set,
)
from kompass.monitoring.services.cycles import (
    board_ensure,
    comment_add,
    cycle_close,
    cycle_open,
    decision_record,
    review_submit,
)
from kompass.monitoring.services.measurements import (
    COLUMNS,
    ImportRejected,
    ImportResult,
    RowError,
    measurements_import,
    validate_rows,
)
from kompass.monitoring.services.reminders import (
    REMINDER_JOB,
    indicator_owner_set,
    indicator_reminders_schedule,
    indicator_reminders_send,
    next_reminder_run,
)
from kompass.monitoring.services.statuses import compute_indicator, refresh_statuses
from kompass.monitoring.services.targets import add_target_version, method_change, set_method, target_add
from kompass.monitoring.services.uploads import measurements_upload_start, read_table, upload_import
from kompass.monitoring.values import parse_period, period_label, year_fraction

__all__ = [
    "COLUMNS",
    "REMINDER_JOB",
    "GOAL_FIELDS",
    "INDICATOR_FIELDS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "add_target_version",
    "board_ensure",
    "comment_add",
    "compute_indicator",
    "cycle_close",
    "cycle_open",
    "decision_record",
    "goal_save",
    "indicator_create_with_target",
    "indicator_owner_set",
    "indicator_reminders_schedule",
    "indicator_reminders_send",
    "next_reminder_run",
    "indicator_save",
    "inputs_set",
    "measurements_import",
    "measurements_upload_start",
    "method_change",
    "parse_period",
    "period_label",
    "read_table",
    "refresh_statuses",
    "review_submit",
    "set_method",
    "target_add",
    "upload_import",
    "validate_rows",
    "year_fraction",
]
