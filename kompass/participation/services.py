"""Writes to participation. Every public function runs in one transaction, takes the acting user explicitly,
checks the permission (rules.py) and records an audit event. Contribution writes also apply rate limits per
account and per IP (`RateLimited`)."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.participation.models import (
    Attachment,
    Chapter,
    Comment,
    Consultation,
    Follow,
    Idea,
    IdeaStatusChange,
    Notification,
    OpinionMapResult,
    Ownership,
    Paragraph,
    Report,
    Statement,
    Support,
    Vote,
)

# --- rate limits ---------------------------------------------------------------------------------------------

DEFAULT_RATE_LIMITS = {  # action: (events per account, window in seconds); per IP the limit is 4x
    "idea": (5, 3600),
    "comment": (20, 600),
    "support": (60, 600),
    "vote": (300, 600),
    "statement": (10, 3600),
}


class RateLimited(Exception):
    """The account or address reached the limit for an action; `str(exc)` is a message for people."""


def _limits(action: str) -> tuple[int, int]:
    return getattr(settings, "KOMPASS_PARTICIPATION_RATE_LIMITS", {}).get(action, DEFAULT_RATE_LIMITS[action])


def check_rate(actor, action: str, ip: str | None = None) -> None:
    """Count one event of `action` for the account (and the IP); raise RateLimited when over the limit."""
    limit, window = _limits(action)
    bucket = int(timezone.now().timestamp() // window)
    keys = [(f"rl:{action}:u:{actor.pk}:{bucket}", limit)]
    if ip:
        keys.append((f"rl:{action}:ip:{ip}:{bucket}", limit * getattr(settings, "KOMPASS_RATE_IP_FACTOR", 4)))
    for key, allowed in keys:
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        if count > allowed:
            minutes = max(1, math.ceil(window / 60))
            raise RateLimited(_("You have reached the limit of %(limit)s for this action. Please try again "
                                "in up to %(minutes)s minutes.") % {"limit": allowed, "minutes": minutes})


def _check(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied


# --- ideas ---------------------------------------------------------------------------------------------------

def city_bbox(strategy) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) over all district geometries of the strategy, or None."""
    key = f"participation:bbox:{strategy.pk}"
    box = cache.get(key)
    if box is not None:
        return tuple(box) or None
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords):
        if coords and isinstance(coords[0], int | float):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        else:
            for c in coords or []:
                walk(c)

    for geometry in strategy.districts.exclude(geometry=None).values_list("geometry", flat=True):
        if isinstance(geometry, dict):
            if geometry.get("type") == "Feature":
                geometry = geometry.get("geometry") or {}
            walk(geometry.get("coordinates"))
    box = (min(xs), min(ys), max(xs), max(ys)) if xs else ()
    cache.set(key, box, 3600)
    return box or None


def validate_point(strategy, latitude, longitude) -> None:
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError(_("Give both latitude and longitude, or neither."))
    box = city_bbox(strategy)
    if box is None:
        raise ValidationError(_("This city has no map; choose a district instead."))
    min_lon, min_lat, max_lon, max_lat = box
    if not (min_lat <= latitude <= max_lat and min_lon <= longitude <= max_lon):
        raise ValidationError(_("The point lies outside the city. Choose a point on the district map."))


ATTACHMENT_TYPES = {  # content type: (extensions, magic bytes prefix or None)
    "application/pdf": ((".pdf",), b"%PDF"),
    "image/png": ((".png",), b"\x89PNG"),
    "image/jpeg": ((".jpg", ".jpeg"), b"\xff\xd8\xff"),
    "text/plain": ((".txt",), None),
}


def validate_attachment(upload) -> str:
    """Return the checked content type of an uploaded file or raise ValidationError."""
    max_bytes = getattr(settings, "KOMPASS_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
    if upload.size > max_bytes:
        raise ValidationError(_("The file %(name)s is larger than %(mb)s MB.")
                              % {"name": upload.name, "mb": max_bytes // (1024 * 1024)})
    name = upload.name.lower()
    head = upload.read(8)
    upload.seek(0)
    for content_type, (extensions, magic) in ATTACHMENT_TYPES.items():
        if name.endswith(extensions) and (magic is None or head.startswith(magic)):
            if magic is None and b"\x00" in head:
                break
            return content_type
    raise ValidationError(_("The file %(name)s is not a PDF, PNG, JPEG or plain-text file.") % {"name": upload.name})


@transaction.atomic
def idea_create(*, actor, strategy, title: str, text: str, kind: str = Idea.Kind.IDEA, action_fields=(),
                districts=(), latitude=None, longitude=None, attachments=(), ip: str | None = None) -> Idea:
    _check(actor, "participation.add_idea")
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise ValidationError(_("Give the idea a title and a text."))
    if kind not in Idea.Kind.values:
        raise ValidationError(_("Unknown kind."))
    validate_point(strategy, latitude, longitude)
    checked = [(upload, validate_attachment(upload)) for upload in attachments]
    for obj in list(action_fields) + list(districts):
        if obj.strategy_id != strategy.pk:
            raise ValidationError(_("Action fields and districts must belong to the strategy."))
    check_rate(actor, "idea", ip)
    idea = Idea.objects.create(strategy=strategy, author=actor, kind=kind, title=title[:200], text=text,
                               latitude=latitude, longitude=longitude)
    idea.action_fields.set(action_fields)
    idea.districts.set(districts)
    for upload, content_type in checked:
        Attachment.objects.create(idea=idea, file=upload, name=upload.name[:200], content_type=content_type,
                                  size=upload.size)
    IdeaStatusChange.objects.create(idea=idea, status=idea.status)
    Follow.objects.create(user=actor, idea=idea)
    record_event(actor=actor, action="idea.created", obj=idea, changes={"title": (None, idea.title)})
    return idea


@transaction.atomic
def idea_set_status(actor, idea: Idea, status: str, reason: str = "") -> Idea:
    """Move an idea along its path (submitted → being qualified → admitted / not admitted). Called by the
    lifecycle app as well; `actor=None` means a system process. "not admitted" needs a public reason."""
    if actor is not None:
        _check(actor, "participation.set_idea_status", idea)
    if status not in Idea.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Idea.Status.NOT_ADMITTED and not (reason or "").strip():
        raise ValidationError(_("Give the public reason why the idea was not admitted."))
    old = idea.status
    idea.status, idea.status_reason = status, (reason or "").strip()
    idea.save(update_fields=["status", "status_reason", "updated_at"])
    IdeaStatusChange.objects.create(idea=idea, status=status, reason=idea.status_reason)
    if status == Idea.Status.QUALIFYING and old != status:
        _forward_to_selection(actor, idea)
    record_event(actor=actor, action="idea.status_changed", obj=idea, changes={"status": (old, status)},
                 label=None if actor else "lifecycle")
    _notify_followers(actor, idea=idea, text=_("New status of “%(title)s”: %(status)s")
                      % {"title": idea.title[:120], "status": idea.get_status_display()})
    return idea


def idea_url(idea: Idea) -> str:
    """The idea's absolute public URL (settings.KOMPASS_SITE_URL); the lifecycle app keeps it as the source URL."""
    from django.urls import reverse
    from django.utils import translation

    base = getattr(settings, "KOMPASS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    with translation.override("de"):
        return base + reverse("participation:idea", args=[idea.pk])


def idea_for_source_url(url: str) -> Idea | None:
    """The idea behind a candidate's source URL (for the lifecycle app to report its decision back)."""
    import re

    match = re.search(r"/ideas/(\d+)/$", url or "")
    return Idea.objects.filter(pk=int(match.group(1))).first() if match else None


def _forward_to_selection(actor, idea: Idea) -> None:
    """Hand the idea to the selection pipeline (kompass.lifecycle) as a candidate measure."""
    from kompass.lifecycle.services import candidate_from_idea

    text = idea.text
    if idea.author is not None:
        text += "\n\n" + _("Submitted by %(name)s, supported by %(n)s people.") % {
            "name": idea.author.public_name, "n": idea.support_count}
    candidate = candidate_from_idea(title=idea.title, text=text, url=idea_url(idea), strategy=idea.strategy,
                                    actor=actor)
    record_event(actor=actor, action="idea.forwarded", obj=idea, changes={"candidate": (None, candidate.pk)},
                 label=None if actor else "lifecycle")


@transaction.atomic
def support_add(*, actor, idea: Idea, ip: str | None = None) -> bool:
    """Support an idea; returns False if this account already supports it. Counts stay exact under
    concurrency: the unique constraint decides, the counter moves with F() in the same transaction."""
    _check(actor, "participation.support_idea", idea)
    if idea.is_hidden:
        raise PermissionDenied
    check_rate(actor, "support", ip)
    # One statement instead of SAVEPOINT/INSERT/RELEASE: the unique constraint decides, no exception needed.
    # (PostgreSQL and SQLite >= 3.35 both support ON CONFLICT … RETURNING.)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Support._meta.db_table} (idea_id, user_id, created_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (idea_id, user_id) DO NOTHING RETURNING id", [idea.pk, actor.pk, timezone.now()])
        row = cursor.fetchone()
    if row is None:
        return False
    record_event(actor=actor, action="support.created", obj=idea, changes={"support": (None, row[0])})
    # Last statement before COMMIT: the idea's row lock (the hot spot for popular ideas) is held briefly.
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def support_withdraw(*, actor, idea: Idea) -> bool:
    _check(actor, "participation.support_idea", idea)
    deleted, _detail = Support.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        record_event(actor=actor, action="support.withdrawn", obj=idea)
    return bool(deleted)


@transaction.atomic
def follow_set(*, actor, idea: Idea | None = None, consultation: Consultation | None = None,
               follow: bool = True) -> bool:
    _check(actor, "participation.follow")
    target = {"idea": idea} if idea is not None else {"consultation": consultation}
    if follow:
        _obj, created = Follow.objects.get_or_create(user=actor, **target)
        if created:
            record_event(actor=actor, action="follow.created", obj=idea or consultation)
        return created
    deleted, _detail = Follow.objects.filter(user=actor, **target).delete()
    if deleted:
        record_event(actor=actor, action="follow.deleted", obj=idea or consultation)
    return bool(deleted)


def _may_speak_for(actor, organisation=None, group=None) -> bool:
    if actor.has_perm("participation.manage_consultation"):
        return True
    if organisation is not None:
        return actor.memberships.filter(organisation=organisation).exists()
    return group is not None and group.members.filter(pk=actor.pk).exists()


@transaction.atomic
def ownership_declare(*, actor, idea: Idea, organisation=None, group=None, note: str = "") -> Ownership:
    """An organisation or group (the actor must belong to it) takes ownership; later ones join as partners."""
    _check(actor, "participation.declare_ownership", idea)
    if (organisation is None) == (group is None):
        raise ValidationError(_("Choose an organisation or a group."))
    if not _may_speak_for(actor, organisation, group):
        raise PermissionDenied
    Idea.objects.select_for_update().filter(pk=idea.pk).first()  # serialise the owner/partner decision
    if Ownership.objects.filter(idea=idea, organisation=organisation, group=group).exists():
        raise ValidationError(_("This party already takes part."))
    role = Ownership.Role.PARTNER if idea.ownerships.exists() else Ownership.Role.OWNER
    ownership = Ownership.objects.create(idea=idea, organisation=organisation, group=group, role=role,
                                         declared_by=actor, note=note.strip())
    record_event(actor=actor, action="idea.ownership_declared", obj=idea,
                 changes={role: (None, str(organisation or group))})
    _notify_followers(actor, idea=idea, text=_("%(party)s wants to implement “%(title)s”.")
                      % {"party": str(organisation or group), "title": idea.title[:120]})
    return ownership


# --- comments ------------------------------------------------------------------------------------------------

def edit_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "KOMPASS_COMMENT_EDIT_MINUTES", 15))


@transaction.atomic
def comment_create(*, actor, text: str, idea: Idea | None = None, paragraph: Paragraph | None = None,
                   parent: Comment | None = None, ip: str | None = None) -> Comment:
    _check(actor, "participation.add_comment")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment first."))
    if len(text) > 5000:
        raise ValidationError(_("A comment may have at most 5,000 characters."))
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent  # replies go two levels deep: a reply to a reply joins the thread
        idea, paragraph = parent.idea, parent.paragraph
    if (idea is None) == (paragraph is None):
        raise ValidationError(_("Comment on an idea or a paragraph."))
    if idea is not None and idea.is_hidden:
        raise PermissionDenied
    if paragraph is not None and not paragraph.chapter.consultation.is_open:
        raise ValidationError(_("The consultation is closed."))
    check_rate(actor, "comment", ip)
    comment = Comment.objects.create(idea=idea, paragraph=paragraph, parent=parent, author=actor, text=text)
    if idea is not None:
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        _notify_followers(actor, idea=idea, text=_("New comment on “%(title)s”.") % {"title": idea.title[:120]})
    else:
        consultation = paragraph.chapter.consultation
        _notify_followers(actor, consultation=consultation,
                          text=_("New comment in “%(title)s”.") % {"title": consultation.title[:120]})
    record_event(actor=actor, action="comment.created", obj=comment)
    return comment


@transaction.atomic
def comment_edit(*, actor, comment: Comment, text: str) -> Comment:
    _check(actor, "participation.change_comment", comment)
    if comment.is_deleted or comment.is_hidden or timezone.now() - comment.created_at > edit_window():
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment first."))
    old = comment.text
    comment.text, comment.edited_at = text, timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    record_event(actor=actor, action="comment.edited", obj=comment, changes={"text": (old, text)})
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> Comment:
    """Delete the text; a placeholder ("comment deleted") keeps replies in place."""
    _check(actor, "participation.delete_comment", comment)
    if comment.is_deleted:
        return comment
    comment.is_deleted, comment.text = True, ""
    comment.save(update_fields=["is_deleted", "text"])
    record_event(actor=actor, action="comment.deleted", obj=comment, changes={"is_deleted": (False, True)})
    return comment


# --- moderation ----------------------------------------------------------------------------------------------

@transaction.atomic
def report_create(*, actor, target, reason: str) -> Report:
    _check(actor, "participation.report")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say briefly what breaks the guidelines."))
    field = {Idea: "idea", Comment: "comment", Statement: "statement"}[type(target)]
    report = Report.objects.create(reporter=actor, reason=reason[:2000], **{field: target})
    record_event(actor=actor, action="report.created", obj=report, changes={field: (None, target.pk)})
    return report


def _resolve_reports(actor, target, resolution: str) -> None:
    field = {Idea: "idea", Comment: "comment", Statement: "statement"}[type(target)]
    Report.objects.filter(resolved_at=None, **{field: target}).update(
        resolved_at=timezone.now(), resolution=resolution[:300])


@transaction.atomic
def moderation_hide(*, actor, target, reason: str, hide: bool = True):
    """Hide (or show again) an idea or comment; the public sees the reason in its place."""
    _check(actor, "participation.moderate")
    if hide and not (reason or "").strip():
        raise ValidationError(_("Give the reason that will be shown in place of the contribution."))
    old = target.is_hidden
    target.is_hidden, target.hidden_reason = hide, (reason or "").strip()[:300] if hide else ""
    target.save(update_fields=["is_hidden", "hidden_reason"])
    _resolve_reports(actor, target, _("hidden: %(reason)s") % {"reason": reason} if hide else _("shown again"))
    record_event(actor=actor, action="moderation.hidden" if hide else "moderation.shown", obj=target,
                 changes={"is_hidden": (old, hide), "hidden_reason": ("", target.hidden_reason)})
    return target


@transaction.atomic
def report_dismiss(*, actor, report: Report) -> Report:
    _check(actor, "participation.moderate")
    report.resolved_at, report.resolution = timezone.now(), _("no violation")
    report.save(update_fields=["resolved_at", "resolution"])
    record_event(actor=actor, action="moderation.report_dismissed", obj=report)
    return report


@transaction.atomic
def user_block(*, actor, user, reason: str, block: bool = True):
    _check(actor, "participation.moderate")
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."))
    if block and not (reason or "").strip():
        raise ValidationError(_("Give a reason for the block."))
    old = user.is_blocked
    user.is_blocked, user.blocked_reason = block, (reason or "").strip()[:300] if block else ""
    user.save(update_fields=["is_blocked", "blocked_reason"])
    record_event(actor=actor, action="moderation.blocked" if block else "moderation.unblocked", obj=user,
                 changes={"is_blocked": (old, block)})
    return user


@transaction.atomic
def statement_moderate(*, actor, statement: Statement, status: str) -> Statement:
    _check(actor, "participation.moderate")
    if status not in Statement.Status.values:
        raise ValidationError(_("Unknown status."))
    old = statement.status
    statement.status = status
    statement.save(update_fields=["status"])
    _resolve_reports(actor, statement, status)
    record_event(actor=actor, action="moderation.statement", obj=statement, changes={"status": (old, status)})
    return statement


# --- consultations -------------------------------------------------------------------------------------------

def parse_draft(body: str) -> list[dict]:
    """A draft as text: lines starting with '# ' begin a chapter; blank lines separate paragraphs."""
    chapters: list[dict] = []
    current: list[str] = []

    def flush():
        if current and chapters:
            chapters[-1]["paragraphs"].append("\n".join(current).strip())
        current.clear()

    for line in (body or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("# "):
            flush()
            chapters.append({"title": line[2:].strip(), "paragraphs": []})
        elif not line.strip():
            flush()
        else:
            if not chapters:
                chapters.append({"title": "", "paragraphs": []})
            current.append(line)
    flush()
    return chapters


@transaction.atomic
def consultation_create(*, actor, strategy, slug: str, title: str, opens_at, closes_at, kind: str = "text",
                        description: str = "", chapters: list[dict] | None = None,
                        statements: list[str] | None = None, title_en: str = "",
                        description_en: str = "") -> Consultation:
    _check(actor, "participation.manage_consultation")
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
    Statement.objects.bulk_create([Statement(consultation=consultation, author=actor, text=text[:400],
                                             status=Statement.Status.APPROVED) for text in statements or []])
    record_event(actor=actor, action="consultation.created", obj=consultation,
                 changes={"title": (None, title), "kind": (None, kind)})
    return consultation


@transaction.atomic
def statement_add(*, actor, consultation: Consultation, text: str, ip: str | None = None) -> Statement:
    """A participant proposes a statement; it is shown after a moderator approved it."""
    _check(actor, "participation.add_statement")
    text = (text or "").strip()
    if not text or len(text) > 400:
        raise ValidationError(_("A statement has 1 to 400 characters."))
    if consultation.kind != Consultation.Kind.STATEMENTS or not consultation.is_open:
        raise ValidationError(_("The consultation is closed."))
    check_rate(actor, "statement", ip)
    statement = Statement.objects.create(consultation=consultation, author=actor, text=text)
    record_event(actor=actor, action="statement.created", obj=statement)
    return statement


@transaction.atomic
def vote_cast(*, actor, statement: Statement, value: int, ip: str | None = None) -> Vote:
    _check(actor, "participation.vote", statement)
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

    _check(actor, "participation.manage_consultation")
    return job_start(actor=actor, kind="participation.opinion_map",
                     title=_("Opinion map for “%(title)s”") % {"title": consultation.title[:150]},
                     task=opinion_map_task, args=[consultation.pk],
                     result_url=reverse("participation:opinion_map", args=[consultation.slug]))


def opinion_map_store(consultation: Consultation, data: dict) -> OpinionMapResult:
    """Store a computed map (called by the job task, a system process)."""
    with transaction.atomic():
        result = OpinionMapResult.objects.create(consultation=consultation, data=data)
        record_event(actor=None, action="opinion_map.computed", obj=consultation, label="opinion-map job",
                     changes={"groups": (None, data.get("k", 0))})
    return result


# --- notifications -------------------------------------------------------------------------------------------

def _notify_followers(actor, *, text: str, idea: Idea | None = None, consultation: Consultation | None = None):
    from django.urls import reverse

    if idea is not None:
        follows, url = Follow.objects.filter(idea=idea), reverse("participation:idea", args=[idea.pk])
    else:
        follows = Follow.objects.filter(consultation=consultation)
        url = reverse("participation:consultation", args=[consultation.slug])
    if actor is not None:
        follows = follows.exclude(user=actor)
    user_ids = list(follows.values_list("user_id", flat=True)[:5000])
    Notification.objects.bulk_create([Notification(user_id=uid, text=text[:300], url=url) for uid in user_ids])


@transaction.atomic
def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    qs = Notification.objects.filter(user=actor, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


UNSUBSCRIBE_SALT = "kompass.participation.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


@transaction.atomic
def unsubscribe(*, token: str):
    """Turn off digest emails for the person named in a signed link (no login needed). Returns the user."""
    from kompass.accounts.models import User

    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is not None and user.email_digest != User.Digest.NONE:
        old = user.email_digest
        user.email_digest = User.Digest.NONE
        user.save(update_fields=["email_digest"])
        record_event(actor=user, action="account.unsubscribed", obj=user, changes={"email_digest": (old, "none")})
    return user


def digest_send(*, period: str, base_url: str = "") -> int:
    """Email each person with this digest period their notifications not yet emailed. Returns emails sent."""
    from django.core.mail import send_mail
    from django.urls import reverse

    from kompass.accounts.models import User

    sent = 0
    users = User.objects.filter(is_active=True, email_digest=period,
                                notifications__emailed_at=None).distinct().order_by("pk")
    for user in users.iterator(chunk_size=200):
        with transaction.atomic():
            items = list(Notification.objects.select_for_update().filter(user=user, emailed_at=None)
                         .order_by("created_at")[:100])
            if not items:
                continue
            link = base_url + reverse("participation:unsubscribe", args=[unsubscribe_token(user)])
            body = "\n".join(f"- {n.text} {base_url}{n.url}" for n in items)
            body += "\n\n" + _("Unsubscribe from these emails: %(link)s") % {"link": link}
            send_mail(_("News from the participation platform"), body, None, [user.email])
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
            record_event(actor=None, action="notification.digest_sent", obj=user, label="digest",
                         changes={"count": (None, len(items))})
            sent += 1
    return sent


# --- personal data and account deletion (registered with the accounts app) ---------------------------------

def personal_data(user) -> dict:
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
    }


def anonymise_contributions(user) -> None:
    """Contributions stay but lose their author; supports and votes keep counting, unlinked from the person."""
    Idea.objects.filter(author=user).update(author=None)
    Comment.objects.filter(author=user).update(author=None)
    Statement.objects.filter(author=user).update(author=None)
    Support.objects.filter(user=user).update(user=None)
    Vote.objects.filter(user=user).update(user=None)
    Report.objects.filter(reporter=user).update(reporter=None)
