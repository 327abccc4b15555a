"""Text consultations and opinion maps: creation, statements, votes and the clustering job."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.participation.models import Chapter, Consultation, OpinionMapResult, Paragraph, Statement, Vote
from kompass.participation.services.ratelimit import check_rate

MAX_STATEMENT_LENGTH = 400


@transaction.atomic
def consultation_create(*, actor, strategy, slug: str, title: str, opens_at, closes_at, kind: str = "text",
                        description: str = "", chapters: list[dict] | None = None,
                        statements: list[str] | None = None, title_en: str = "",
                        description_en: str = "") -> Consultation:
    require(actor, "participation.manage_consultation")
    if closes_at <= opens_at:
        raise ValidationError(_("The consultation must close after it opens."))
    if Consultation.objects.filter(slug=slug).exists():
        raise ValidationError(_("The address %(slug)s is taken.") % {"slug": slug})
    consultation = Consultation.objects.create(
        strategy=strategy, slug=slug, kind=kind, title=title, title_en=title_en, description=description,
        description_en=description_en, opens_at=opens_at, closes_at=closes_at, created_by=actor)
    for c_pos, chapter in enumerate(chapters or [], start=1):
        ch = Chapter.objects.create(consultation=consultation, position=c_pos, title=chapter["title"][:300])
        Paragraph.objects.bulk_create([Paragraph(chapter=ch, position=p_pos, text=text)
                                       for p_pos, text in enumerate(chapter["paragraphs"], start=1)])
    Statement.objects.bulk_create([Statement(consultation=consultation, author=actor,
                                             text=text[:MAX_STATEMENT_LENGTH], status=Statement.Status.APPROVED)
                                   for text in statements or []])
    record_event(actor=actor, action="consultation.created", obj=consultation,
                 changes={"title": (None, title), "kind": (None, kind)})
    return consultation


@transaction.atomic
def statement_add(*, actor, consultation: Consultation, text: str, ip: str | None = None) -> Statement:
    """A participant proposes a statement; it is shown after a moderator approved it."""
    require(actor, "participation.add_statement")
    text = (text or "").strip()
    if not text or len(text) > MAX_STATEMENT_LENGTH:
        raise ValidationError(_("A statement has 1 to 400 characters."))
    if consultation.kind != Consultation.Kind.STATEMENTS or not consultation.is_open:
        raise ValidationError(_("The consultation is closed."))
    check_rate(actor, "statement", ip)
    statement = Statement.objects.create(consultation=consultation, author=actor, text=text)
    record_event(actor=actor, action="statement.created", obj=statement)
    return statement


@transaction.atomic
def vote_cast(*, actor, statement: Statement, value: int, ip: str | None = None) -> Vote:
    require(actor, "participation.vote", statement)
    if value not in (-1, 0, 1):
        raise ValidationError(_("A vote is agree, disagree or pass."))
    if statement.status != Statement.Status.APPROVED or not statement.consultation.is_open:
        raise ValidationError(_("This statement is not open for votes."))
    check_rate(actor, "vote", ip)
    vote, created = Vote.objects.get_or_create(statement=statement, user=actor, defaults={"value": value})
    old = None if created else vote.value
    if not created and vote.value != value:
        vote.value, vote.created_at = value, timezone.now()
        vote.save(update_fields=["value", "created_at"])
    record_event(actor=actor, action="vote.cast", obj=statement, changes={"value": (old, value)})
    return vote


def opinion_map_start(*, actor, consultation: Consultation):
    """Start the clustering job (kompass.jobs); the result page shows the newest result."""
    from django.urls import reverse

    from kompass.jobs.services import job_start
    from kompass.participation.tasks import opinion_map_task

    require(actor, "participation.manage_consultation")
    return job_start(actor=actor, kind="participation.opinion_map",
                     title=_("Opinion map for “%(title)s”") % {"title": consultation.title[:150]},
                     task=opinion_map_task, args=[consultation.pk],
                     result_url=reverse("participation:opinion_map", args=[consultation.slug]))


@transaction.atomic
def opinion_map_store(*, actor, consultation: Consultation, data: dict) -> OpinionMapResult:
    """Store a computed map (called by the job task with its SystemActor)."""
    require(actor, "participation.manage_consultation")
    result = OpinionMapResult.objects.create(consultation=consultation, data=data)
    record_event(actor=actor, action="opinion_map.computed", obj=consultation,
                 changes={"groups": (None, data.get("k", 0))})
    return result
