"""Reads for participation with a fixed number of SQL queries regardless of data size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q
from django.db.models.functions import Mod
from django.http import Http404

from kompass.core.text import text_search
from kompass.participation.models import (
    Comment,
    Consultation,
    Follow,
    Idea,
    IdempotencyKey,
    Notification,
    Ownership,
    Report,
    Statement,
    Support,
    Vote,
)

SORTS = ("newest", "supported", "discussed", "random")


@dataclass
class IdeaQuery:
    q: str = ""
    kind: str = ""
    status: str = ""
    action_field: str = ""
    district: str = ""
    sort: str = "newest"
    seed: int = 1
    errors: tuple = ()


def parse_idea_params(params, seed: int = 1) -> IdeaQuery:
    """Read filters from GET/API parameters; unknown values are reported in `errors`, never a 500."""
    errors = []
    query = IdeaQuery(q=(params.get("q") or "").strip()[:200], seed=seed)
    for name, allowed in (("kind", Idea.Kind.values), ("status", Idea.Status.values), ("sort", SORTS)):
        value = (params.get(name) or "").strip()
        if value and value not in allowed:
            errors.append((name, value))
        elif value:
            setattr(query, name, value)
    query.action_field = (params.get("action_field") or "").strip()[:100]
    query.district = (params.get("district") or "").strip()[:100]
    query.errors = tuple(errors)
    return query


def idea_list(strategy, query: IdeaQuery, include_hidden: bool = False):
    qs = Idea.objects.filter(strategy=strategy)
    if not include_hidden:
        qs = qs.filter(is_hidden=False)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.status:
        qs = qs.filter(status=query.status)
    if query.action_field:
        qs = qs.filter(action_fields__slug=query.action_field)
    if query.district:
        qs = qs.filter(districts__slug=query.district)
    if query.q:
        qs = text_search(qs, query.q, ("title", "text"))
    if query.sort == "supported":
        qs = qs.order_by("-support_count", "-id")
    elif query.sort == "discussed":
        qs = qs.order_by("-comment_count", "-id")
    elif query.sort == "random":
        # A stable pseudo-random order per visitor session: a hash of the id with the session's seed.
        qs = qs.annotate(shuffle=Mod(F("id") * 7919 + query.seed, 1000003)).order_by("shuffle", "id")
    else:
        qs = qs.order_by("-created_at", "-id")
    return qs


def with_card_data(qs):
    return qs.select_related("author").prefetch_related("action_fields", "districts")


def page_of(qs, page: int, size: int) -> tuple[list, bool]:
    """One page without counting all rows (a COUNT over 100,000 ideas costs more than the page itself)."""
    page = max(1, page)
    rows = list(qs[(page - 1) * size: page * size + 1])
    return rows[:size], len(rows) > size


def idea_detail(strategy, pk: int) -> Idea:
    idea = (Idea.objects.filter(strategy=strategy, pk=pk).select_related("author")
            .prefetch_related("action_fields", "districts", "attachments", "status_changes",
                              Prefetch("ownerships", queryset=Ownership.objects.select_related(
                                  "organisation", "group"))).first())
    if idea is None:
        raise Http404
    return idea


def comment_threads(qs):
    """Top-level comments with their replies and authors in two queries."""
    replies = Comment.objects.select_related("author").order_by("created_at", "id")
    return (qs.filter(parent=None).select_related("author")
            .prefetch_related(Prefetch("replies", queryset=replies)).order_by("created_at", "id"))


def consultation_detail(slug: str) -> Consultation:
    consultation = (Consultation.objects.filter(slug=slug)
                    .prefetch_related("chapters__paragraphs").first())
    if consultation is None:
        raise Http404
    return consultation


def paragraph_comments(consultation) -> dict[int, list]:
    """{paragraph id: [top-level comments with replies]} for a whole draft in two queries."""
    by_paragraph: dict[int, list] = {}
    for comment in comment_threads(Comment.objects.filter(paragraph__chapter__consultation=consultation)):
        by_paragraph.setdefault(comment.paragraph_id, []).append(comment)
    return by_paragraph


def open_statements(consultation, user):
    """Approved statements with the user's own vote (None if not voted) attached as `my_vote`."""
    statements = list(consultation.statements.filter(status=Statement.Status.APPROVED).order_by("pk"))
    mine = {}
    if user.is_authenticated:
        mine = dict(user.votes.filter(statement__consultation=consultation).values_list("statement_id", "value"))
    for s in statements:
        s.my_vote = mine.get(s.pk)
    return statements


def personal_data(user) -> dict:
    """Everything participation stores about a person (accounts' "download my data", PERSONAL_DATA_PROVIDERS)."""
    return {
        "ideas": [{"id": i.pk, "title": i.title, "text": i.text, "kind": i.kind, "status": i.status,
                   "created_at": i.created_at.isoformat(), "latitude": i.latitude, "longitude": i.longitude}
                  for i in Idea.objects.filter(author=user)],
        "comments": [{"id": c.pk, "idea": c.idea_id, "paragraph": c.paragraph_id, "parent": c.parent_id,
                      "text": c.text, "deleted": c.is_deleted, "created_at": c.created_at.isoformat()}
                     for c in Comment.objects.filter(author=user)],
        "supports": [{"idea": s.idea_id, "created_at": s.created_at.isoformat()}
                     for s in Support.objects.filter(user=user)],
        "statements": [{"id": s.pk, "consultation": s.consultation_id, "text": s.text, "status": s.status}
                       for s in Statement.objects.filter(author=user)],
        "votes": [{"statement": v.statement_id, "value": v.value, "created_at": v.created_at.isoformat()}
                  for v in Vote.objects.filter(user=user)],
        "follows": [{"idea": f.idea_id, "consultation": f.consultation_id} for f in Follow.objects.filter(user=user)],
        "reports": [{"reason": r.reason, "created_at": r.created_at.isoformat()}
                    for r in Report.objects.filter(reporter=user)],
        "notifications": [{"text": n.text, "url": n.url, "created_at": n.created_at.isoformat(),
                           "read": n.read_at is not None} for n in Notification.objects.filter(user=user)],
        # kept a day so that a resent form publishes once (ADR 0045)
        "idempotency_keys": [{"action": k.action, "key": k.key, "object": k.object_id,
                              "created_at": k.created_at.isoformat()}
                             for k in IdempotencyKey.objects.filter(user=user).order_by("created_at", "pk")],
    }


def edit_window():
    """How long after writing a comment its author may still edit it (`KOMPASS_COMMENT_EDIT_MINUTES`)."""
    from datetime import timedelta

    from django.conf import settings

    return timedelta(minutes=getattr(settings, "KOMPASS_COMMENT_EDIT_MINUTES", 15))


def moderation_users(q: str = "", blocked: bool = False):
    """Accounts for the moderators' user list: search by display name (or an exact address), optionally only
    blocked ones, with how much each contributed (ideas and comments)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    qs = get_user_model().objects.all()
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(display_name__icontains=q) | Q(email=q.lower()))  # addresses only exactly
    if blocked:
        qs = qs.filter(is_blocked=True)
    return qs.annotate(n_ideas=Count("ideas", distinct=True), n_comments=Count("comments", distinct=True)
                       ).order_by("-is_blocked", "display_name", "pk")


def moderation_profile(user) -> dict:
    """One account as moderators see it: recent contributions and reports about it (a fixed number of queries)."""
    reports = (Report.objects.filter(Q(idea__author=user) | Q(comment__author=user) | Q(statement__author=user))
               .select_related("idea", "comment", "statement").order_by("-created_at")[:20])
    return {
        "ideas": list(Idea.objects.filter(author=user).order_by("-created_at")[:20]),
        "comments": list(Comment.objects.filter(author=user, is_deleted=False)
                         .select_related("paragraph__chapter__consultation").order_by("-created_at")[:20]),
        "reports": list(reports),
    }


def comment_url(comment) -> str:
    """Where a comment stands in its thread: the idea page (the page of the thread, as the comments are paged) or
    the consultation, with the comment's anchor."""
    from django.conf import settings
    from django.urls import reverse

    if comment.idea_id:
        root = comment.parent or comment
        before = Comment.objects.filter(idea_id=comment.idea_id, parent=None).filter(
            Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk)).count()
        page = before // getattr(settings, "KOMPASS_COMMENTS_PAGE_SIZE", 20) + 1
        url = reverse("participation:idea", args=[comment.idea_id]) + (f"?page={page}" if page > 1 else "")
    else:
        url = reverse("participation:consultation", args=[comment.paragraph.chapter.consultation.slug])
    return f"{url}#comment-{comment.pk}"


@dataclass
class OpinionReadiness:
    """What the opinion map needs and what it has (the same counts the computation uses)."""

    n_statements: int  # published statements
    min_statements: int  # the method groups people by at least this many reactions
    votes_needed: int  # reactions a person needs to be grouped (min_statements, or all statements if fewer)
    n_participants: int  # people who reacted at all
    n_ready: int  # people with enough reactions to be grouped
    min_ready: int  # groups need at least this many such people

    @property
    def few_statements(self) -> bool:
        return self.n_statements < self.min_statements

    @property
    def missing_people(self) -> int:
        return max(0, self.min_ready - self.n_ready)


def opinion_readiness(consultation) -> OpinionReadiness:
    from django.db.models import Count

    from kompass.algorithms.opinions import OpinionMapConfig

    cfg = OpinionMapConfig()
    approved = Statement.objects.filter(consultation=consultation, status=Statement.Status.APPROVED)
    n_statements = approved.count()
    per_user = list(Vote.objects.filter(statement__in=approved).exclude(user=None).values("user")
                    .annotate(n=Count("id")).values_list("n", flat=True))
    needed = max(1, min(cfg.min_votes, n_statements))
    return OpinionReadiness(n_statements=n_statements, min_statements=cfg.min_votes, votes_needed=needed,
                            n_participants=len(per_user), n_ready=sum(1 for n in per_user if n >= needed),
                            min_ready=cfg.min_cluster_participants)


def candidate_of_idea(idea):
    """The candidate measure an idea became in lifecycle's selection (None before it was forwarded)."""
    from kompass.lifecycle.models import Candidate
    from kompass.participation.services.ideas import IDEA_SOURCE

    return (Candidate.objects.filter(strategy_id=idea.strategy_id, source_kind=IDEA_SOURCE, source_id=idea.pk)
            .select_related("measure").first())


def participation_reach(strategy) -> int:
    """People who took part: distinct accounts that proposed, supported or commented on an idea, or commented,
    proposed or voted in a consultation (deleted accounts are no longer counted). One query. Registered as the
    strategy figure "participation_reach" (apps.py), which the monitoring dashboard shows."""
    def people(model, field: str, **scope):
        return model.objects.filter(**scope).exclude(**{field: None}).order_by().values(f"{field}_id")

    in_consultation = "paragraph__chapter__consultation__strategy"
    ids = people(Idea, "author", strategy=strategy).union(
        people(Support, "user", idea__strategy=strategy),
        people(Comment, "author", idea__strategy=strategy),
        people(Comment, "author", **{in_consultation: strategy}),
        people(Statement, "author", consultation__strategy=strategy),
        people(Vote, "user", statement__consultation__strategy=strategy),
    )
    return ids.count()
