"""Who may run the citizens' panel process and who sees what.

Only the lottery officer (and an admin) runs the process and sees personal data; the strategy office sees the
pseudonymous results; the public sees the audit page after publication (checked in the selectors/views)."""

import rules

from kompass.accounts.rules import is_admin, is_lottery_officer, is_strategy_office

runs_lottery = is_lottery_officer | is_admin

rules.add_perm("lottery.run_process", runs_lottery)
rules.add_perm("lottery.view_personal_data", runs_lottery)
rules.add_perm("lottery.view_results", runs_lottery | is_strategy_office)
