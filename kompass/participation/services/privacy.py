"""Account deletion (registered with accounts.ACCOUNT_DELETE_HOOKS in apps.py)."""

from __future__ import annotations

from kompass.participation.models import Comment, Idea, Report, Statement, Support, Vote


def anonymise_contributions(user) -> None:
    """Contributions stay but lose their author; supports and votes keep counting, unlinked from the person.
    (Candidates handed to selection keep only a reference to the author, which the deletion clears.)"""
    Idea.objects.filter(author=user).update(author=None)
    Comment.objects.filter(author=user).update(author=None)
    Statement.objects.filter(author=user).update(author=None)
    Support.objects.filter(user=user).update(user=None)
    Vote.objects.filter(user=user).update(user=None)
    Report.objects.filter(reporter=user).update(reporter=None)
