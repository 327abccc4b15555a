"""Writes of the citizens' panel process, by sub-domain. Each public function runs in one transaction, takes
the acting user or a `SystemActor` explicitly, checks the permission with `kompass.core.permissions.require`
and records an audit event. The services and the shared helpers are re-exported here, so
`from kompass.lottery import services` keeps working (the register's column names live in `intake`, their only
user)."""

from kompass.lottery.services._common import (
    CODE_ALPHABET,
    RESERVED_SLUGS,
    _locked,
    _new_code,
    _new_pseudonym,
    _stage,
    household_key,
)
from kompass.lottery.services.intake import (
    _check_features,
    _person_from_row,
    _read_csv,
    invitations_csv,
    invitations_draw,
    respondent_register,
    respondents_import,
)
from kompass.lottery.services.members import _members, _rank, group_sync, member_replace, replacement_candidates
from kompass.lottery.services.privacy import personal_data_purge, personal_data_viewed, respondent_export
from kompass.lottery.services.selection import (
    _pool,
    feasibility_of,
    hash_publish,
    input_hash,
    lottery_store,
    panel_draw,
    panel_publish,
    quotas_set,
    selection_failed,
    selection_start,
    suggest_quotas,
)
from kompass.lottery.services.setup import panel_create, parse_categories

__all__ = [
    "CODE_ALPHABET", "RESERVED_SLUGS", "_check_features", "_locked", "_members", "_new_code",
    "_new_pseudonym", "_person_from_row", "_pool", "_rank", "_read_csv", "_stage",
    "feasibility_of", "group_sync", "hash_publish", "household_key", "input_hash", "invitations_csv",
    "invitations_draw", "lottery_store", "member_replace", "panel_create", "panel_draw", "panel_publish",
    "parse_categories", "personal_data_purge", "personal_data_viewed", "quotas_set", "replacement_candidates",
    "respondent_export", "respondent_register", "respondents_import", "selection_failed", "selection_start",
    "suggest_quotas",
]
