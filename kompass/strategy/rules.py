"""Who may change the strategy framework: the strategy office and admins (`strategy.edit_framework`, also the
permission of the back office)."""

import rules

from kompass.accounts.rules import is_office

rules.add_perm("strategy.edit_framework", is_office)
