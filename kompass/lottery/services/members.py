"""Panel members: replacements and the participation group."""

from __future__ import annotations

import hashlib
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.lottery.models import Panel, Replacement, Respondent
from kompass.lottery.services._common import (
    _step,
)


def _members(panel: Panel) -> list[Respondent]:
    return list(Respondent.objects.filter(
        panel=panel, status__in=[Respondent.Status.SELECTED, Respondent.Status.REPLACEMENT]).select_related("personal"))


def replacement_candidates(panel: Panel, leaving: Respondent) -> list[Respondent]:
    """Respondents in the pool whose features keep every quota when they take the leaving member's seat (and who
    share no household with a remaining member)."""
    remaining = [m for m in _members(panel) if m.pk != leaving.pk]
    counts = Counter((c, m.features.get(c)) for m in remaining for c in panel.categories)
    households = {m.household for m in remaining if m.household}
    out = []
    for r in Respondent.objects.filter(panel=panel, status=Respondent.Status.POOL).order_by("pseudonym"):
        if r.household and r.household in households:
            continue
        ok = True
        for cat, vals in panel.quotas.items():
            for val, (lo, hi) in vals.items():
                n = counts[(cat, val)] + (1 if r.features.get(cat) == val else 0)
                if not lo <= n <= hi:
                    ok = False
        if ok:
            out.append(r)
    return out


def _rank(seed: str, list_hash: str, pseudonym: str) -> int:
    return int(hashlib.sha256(f"replacement\x1f{seed}\x1f{list_hash}\x1f{pseudonym}".encode()).hexdigest(), 16)


@transaction.atomic
def member_replace(*, actor, panel: Panel, respondent: Respondent, seed: str) -> Replacement:
    """A member leaves; among the respondents that keep all quotas, one is drawn uniformly with the public seed
    (each candidate's probability is 1 / number of candidates, shown on the audit page)."""
    panel = _step(actor, panel, Panel.Stage.DRAWN, Panel.Stage.PUBLISHED)
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk, panel=panel)
    if respondent.status not in (Respondent.Status.SELECTED, Respondent.Status.REPLACEMENT):
        raise ValidationError(_("Only a member of the panel can be replaced."))
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError(_("Enter the public seed."))
    candidates = replacement_candidates(panel, respondent)
    respondent.status = Respondent.Status.LEFT
    respondent.save(update_fields=["status"])
    chosen = min(candidates, key=lambda r: (_rank(seed, panel.list_hash, r.pseudonym), r.pseudonym),
                 default=None)
    if chosen is None:
        raise ValidationError(_("No respondent in the pool keeps all quotas. Relax the quotas or leave the seat "
                                "empty."))
    chosen.status = Respondent.Status.REPLACEMENT
    chosen.save(update_fields=["status"])
    rep = Replacement.objects.create(panel=panel, left=respondent, chosen=chosen, seed=seed,
                                     candidates=[c.pseudonym for c in candidates])
    record_event(actor=actor, action="lottery.member_replaced", obj=panel,
                 changes={"left": (respondent.pseudonym, None), "chosen": (None, chosen.pseudonym),
                          "candidates": (None, len(candidates)), "seed": (None, seed)})
    return rep


# --- the panel as a user group ---------------------------------------------------------------------------------

@transaction.atomic
def group_sync(*, actor, panel: Panel):
    """Create or update the UserGroup (kind "panel") of the members who have an account."""
    from kompass.accounts.models import UserGroup

    panel = _step(actor, panel, Panel.Stage.DRAWN, Panel.Stage.PUBLISHED)
    group = panel.group or UserGroup.objects.filter(slug=f"panel-{panel.slug}"[:80]).first()
    if group is None:
        group = UserGroup.objects.create(slug=f"panel-{panel.slug}"[:80], name=panel.title, name_en=panel.title_en,
                                         kind=UserGroup.Kind.PANEL)
    members = _members(panel)
    linked = []
    emails = {m.pk: m.personal.email.strip().lower() for m in members
              if not m.user_id and hasattr(m, "personal") and m.personal.email.strip()}
    if emails:
        match = Q()
        for e in set(emails.values()):
            match |= Q(email__iexact=e)
        by_email = {u.email.lower(): u for u in get_user_model().objects.filter(match, is_active=True)}
        for m in members:
            user = by_email.get(emails.get(m.pk, ""))
            if user is not None:
                m.user = user
                m.save(update_fields=["user"])
                linked.append(m.pseudonym)
    users = [m.user_id for m in members if m.user_id]
    before = sorted(group.members.values_list("pk", flat=True))
    group.members.set(users)
    if panel.group_id != group.pk:
        panel.group = group
        panel.save(update_fields=["group"])
    record_event(actor=actor, action="lottery.group_synced", obj=panel,
                 changes={"group": (None, group.slug), "members": (before, sorted(users)),
                          "linked_by_email": (None, linked)})
    return group


# --- privacy ---------------------------------------------------------------------------------------------------
