"""Signals lifecycle sends so that apps in higher layers can react without lifecycle importing them.

`candidate_decided(sender=Candidate, candidate, actor, old_status)` is sent by `candidate_decide` inside its
transaction, after the decision is saved: a receiver's writes commit or roll back together with the decision
(participation sets the status of the citizen idea the candidate came from). Receivers must not swallow errors.
"""

from django.dispatch import Signal

candidate_decided = Signal()
