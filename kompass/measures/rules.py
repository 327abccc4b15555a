"""Who may write measures (adhocracy4 style `measures.<verb>_measure`), from the role predicates of accounts.

The strategy office and admins edit every measure; a coordinator adds measures and edits those whose responsible
organisation they coordinate; only the office deletes.
"""

import rules

from kompass.accounts.rules import is_coordinator_anywhere, is_coordinator_of_measure, is_office

rules.add_perm("measures.add_measure", is_office | is_coordinator_anywhere)
rules.add_perm("measures.change_measure", is_office | is_coordinator_of_measure)
rules.add_perm("measures.delete_measure", is_office)
