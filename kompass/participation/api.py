"""Participation API: read ideas, comments, consultations and opinion maps; write ideas, comments, supports and
votes (WRITE_AUTH: token or session with CSRF) with the same permissions and rate limits as the pages.

Creating writes accept an optional `Idempotency-Key` header (ADR 0045): a retry with the same key from the same
account gets the first answer again (status and object, with `Idempotent-Replayed: true`) and writes nothing; the
same key with a different request is a 422 naming the header."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateTimeField, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Header, Query, Router, Schema, Status

from kompass.accounts.api_auth import WRITE_AUTH
from kompass.accounts.forms import client_ip
from kompass.accounts.models import blocked_message
from kompass.core.api_errors import ApiParameterError
from kompass.core.api_filters import ModifiedSince, last_audit, modified_after
from kompass.core.api_schemas import ErrorResponse, Ref
from kompass.core.hardening import MAX_OFFSET
from kompass.participation import selectors, services
from kompass.participation.idempotency import KEY_HEADER, REPLAYED_HEADER, clean_key
from kompass.participation.models import Comment, Consultation, Idea, OpinionMapResult, Statement
from kompass.strategy.selectors import current_strategy

router = Router()


class IdeaItem(Schema):
    id: int
    kind: str
    title: str
    text: str
    status: str
    status_reason: str = ""
    author: str
    created_at: datetime.datetime
    support_count: int
    comment_count: int
    latitude: float | None = None
    longitude: float | None = None
    action_fields: list[Ref]
    districts: list[Ref]


class IdeaPage(Schema):
    items: list[IdeaItem]
    next_offset: int | None = None


class IdeaFilters(ModifiedSince):
    q: str = Field("", description=gettext_noop("Words that must occur in title or text"))
    kind: str = Field("", description=gettext_noop("idea or challenge"))
    status: str = Field("", description=gettext_noop("submitted, qualifying, admitted or not_admitted"))
    action_field: str = Field("", description=gettext_noop("Action field slug"))
    district: str = Field("", description=gettext_noop("District slug"))
    sort: str = Field("newest", description=gettext_noop("newest, supported, discussed or random"))
    seed: int = Field(1, ge=1, le=1_000_000, description=gettext_noop("Seed for sort=random (same seed, same order)"))
    limit: int = Field(20, ge=1, le=settings.KOMPASS_API_PAGE_SIZE_MAX)
    offset: int = Field(0, ge=0, le=100_000)


class CommentItem(Schema):
    id: int
    parent: int | None = None
    author: str
    text: str
    state: str
    hidden_reason: str = ""
    created_at: datetime.datetime
    edited_at: datetime.datetime | None = None


class CommentFilters(ModifiedSince):
    limit: int = Field(20, ge=1, le=100, description=gettext_noop("Number of threads"))
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=gettext_noop("Number of threads to skip"))


class ConsultationFilters(ModifiedSince):
    limit: int = Field(200, ge=1, le=200, description=gettext_noop("Page size (1–200)"))
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=gettext_noop("Number of consultations to skip"))


class CommentPage(Schema):
    items: list[CommentItem]
    next_offset: int | None = None


class ConsultationItem(Schema):
    slug: str
    kind: str
    title: str
    title_en: str = ""
    description: str = ""
    state: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime


class ParagraphItem(Schema):
    id: int
    number: str
    text: str


class ChapterItem(Schema):
    title: str
    paragraphs: list[ParagraphItem]


class StatementItem(Schema):
    id: int
    text: str


class ConsultationDetail(ConsultationItem):
    chapters: list[ChapterItem] = []
    statements: list[StatementItem] = []


class OpinionMapOut(Schema):
    computed_at: datetime.datetime
    n_participants: int
    n_statements: int
    k: int
    message: str = ""
    statements: list[StatementItem]
    groups: list[dict]
    consensus: list[dict]


class IdeaIn(Schema):
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=10000)
    kind: str = "idea"
    action_fields: list[str] = []
    districts: list[str] = []
    latitude: float | None = None
    longitude: float | None = None


class CommentIn(Schema):
    text: str = Field(..., max_length=5000)
    parent: int | None = None


class VoteIn(Schema):
    vote: str = Field(..., description=gettext_noop("agree, disagree or pass"))


class SupportOut(Schema):
    supported: bool
    changed: bool
    support_count: int


class VoteOut(Schema):
    statement: int
    vote: str


def _ref(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name, "name_en": obj.name_en}


def _author(user) -> str:
    return user.public_name if user is not None else "deleted account"


def _idea(i: Idea) -> dict:
    return {"id": i.pk, "kind": i.kind, "title": i.title, "text": i.text, "status": i.status,
            "status_reason": i.status_reason, "author": _author(i.author), "created_at": i.created_at,
            "support_count": i.support_count, "comment_count": i.comment_count, "latitude": i.latitude,
            "longitude": i.longitude, "action_fields": [_ref(a) for a in i.action_fields.all()],
            "districts": [_ref(d) for d in i.districts.all()]}


def _comment(c: Comment) -> dict:
    state = "deleted" if c.is_deleted else ("hidden" if c.is_hidden else "published")
    return {"id": c.pk, "parent": c.parent_id, "author": _author(c.author) if state == "published" else "",
            "text": c.text if state == "published" else "", "state": state, "hidden_reason": c.hidden_reason,
            "created_at": c.created_at, "edited_at": c.edited_at}


def _thread_modified():
    """A thread's last change: its comment's or any reply's creation or edit."""
    own = Coalesce(F("edited_at"), F("created_at"))
    replies = (Comment.objects.filter(parent=OuterRef("pk")).annotate(m=Coalesce(F("edited_at"), F("created_at")))
               .order_by("-m").values("m")[:1])
    return Greatest(own, Coalesce(Subquery(replies, output_field=DateTimeField()), own))


def _visible_idea(request, pk: int) -> Idea:
    idea = get_object_or_404(Idea.objects.select_related("author").prefetch_related("action_fields", "districts"),
                             pk=pk, strategy=current_strategy())
    if idea.is_hidden:
        raise Http404
    return idea


def _errors(exc: ValidationError, param: str = "body") -> Status:
    return Status(400, {"detail": [{"param": param, "loc": ["body"], "msg": m} for m in exc.messages]})


def _denied(request, exc: PermissionDenied | None = None) -> Status:
    """403 with the reason: a blocked account is told why; otherwise the service's message, if any."""
    user = getattr(request, "auth", None)
    if user is not None and getattr(user, "is_blocked", False):
        msg = blocked_message(user)
    else:
        msg = str(exc) if exc is not None and str(exc) else "You may not do this."
    return Status(403, {"detail": [{"param": "", "loc": [], "msg": msg}]})


def _limited(exc) -> Status:
    return Status(429, {"detail": [{"param": "", "loc": [], "msg": str(exc)}]})


KEY_DOC = gettext_noop("Optional: a key of your choice (8–64 letters, digits, `_.:-`, e.g. a UUID) per write; a retry "
                       "with the same key returns the first answer and writes nothing (ADR 0045).")


def _key_problem(msg: str, status: int = 400) -> Status:
    return Status(status, {"detail": [{"param": KEY_HEADER, "loc": ["header", KEY_HEADER], "msg": msg}]})


def _header_key(raw: str | None) -> tuple[str | None, Status | None]:
    """The header's key (None without one), or the 400 naming the header for a malformed one."""
    try:
        return clean_key(raw), None
    except ValidationError:
        return None, _key_problem(_("Idempotency-Key must be 8 to 64 characters: letters, digits, “_”, “.”, “:” "
                                    "or “-”."))


def _mark_replay(response: HttpResponse, obj) -> None:
    if getattr(obj, "idempotent_replay", False):
        response[REPLAYED_HEADER] = "true"


@router.get("ideas", response={200: IdeaPage, 400: ErrorResponse},
            summary=gettext_noop("Ideas and challenges of the Arena"))
def list_ideas(request, filters: Query[IdeaFilters]):
    query = selectors.parse_idea_params(filters.dict(), seed=filters.seed)
    if query.errors:
        name, value = query.errors[0]
        raise ApiParameterError({name: f"unknown value {value!r}"})
    qs = modified_after(selectors.with_card_data(selectors.idea_list(current_strategy(), query)), filters,
                        "updated_at")
    rows = list(qs[filters.offset: filters.offset + filters.limit + 1])
    has_next = len(rows) > filters.limit
    return {"items": [_idea(i) for i in rows[: filters.limit]],
            "next_offset": filters.offset + filters.limit if has_next else None}


@router.get("ideas/{idea_id}", response={200: IdeaItem, 404: ErrorResponse}, summary=gettext_noop("One idea"))
def get_idea(request, idea_id: int):
    return _idea(_visible_idea(request, idea_id))


@router.get("ideas/{idea_id}/comments", response={200: CommentPage, 400: ErrorResponse, 404: ErrorResponse},
            summary=gettext_noop("Comments of an idea, threads in order (replies follow their comment)"))
def list_comments(request, idea_id: int, filters: Query[CommentFilters]):
    idea = _visible_idea(request, idea_id)
    limit, offset = filters.limit, filters.offset
    changed = modified_after(idea.comments.all(), filters, _thread_modified())
    threads = list(selectors.comment_threads(changed)[offset: offset + limit + 1])
    items = []
    for c in threads[:limit]:
        items.append(_comment(c))
        items.extend(_comment(r) for r in c.replies.all())
    return {"items": items, "next_offset": offset + limit if len(threads) > limit else None}


@router.get("consultations", response={200: list[ConsultationItem], 400: ErrorResponse},
            summary=gettext_noop("Consultations"))
def list_consultations(request, filters: Query[ConsultationFilters]):
    qs = modified_after(Consultation.objects.filter(strategy=current_strategy()), filters,
                        Coalesce(last_audit(Consultation), F("created_at")))
    return 200, [_consultation(c) for c in qs[filters.offset:filters.offset + filters.limit]]


def _consultation(c: Consultation) -> dict:
    return {"slug": c.slug, "kind": c.kind, "title": c.title, "title_en": c.title_en,
            "description": c.description, "state": c.state, "opens_at": c.opens_at, "closes_at": c.closes_at}


@router.get("consultations/{slug}", response={200: ConsultationDetail, 404: ErrorResponse},
            summary=gettext_noop("A consultation with its draft (chapters, paragraphs) or its published statements"))
def get_consultation(request, slug: str):
    c = selectors.consultation_detail(slug)
    data = _consultation(c)
    data["chapters"] = [{"title": ch.title, "paragraphs": [
        {"id": p.pk, "number": f"{ch.position}.{p.position}", "text": p.text} for p in ch.paragraphs.all()]}
        for ch in c.chapters.all()]
    data["statements"] = [{"id": s.pk, "text": s.text}
                          for s in c.statements.filter(status=Statement.Status.APPROVED).order_by("pk")]
    return data


@router.get("consultations/{slug}/opinion-map", response={200: OpinionMapOut, 404: ErrorResponse},
            summary=gettext_noop("The newest opinion map of a consultation (groups, representative and consensus "
                                 "statements)"))
def get_opinion_map(request, slug: str):
    result = OpinionMapResult.objects.filter(consultation__slug=slug).first()
    if result is None:
        raise Http404
    d = result.data
    return {"computed_at": result.computed_at, "n_participants": d.get("n_participants", 0),
            "n_statements": d.get("n_statements", 0), "k": d.get("k", 0), "message": d.get("message", ""),
            "statements": d.get("statements", []), "groups": d.get("groups", []),
            "consensus": d.get("consensus", [])}


@router.post("ideas", auth=WRITE_AUTH, response={201: IdeaItem, 400: ErrorResponse, 403: ErrorResponse,
                                                   422: ErrorResponse, 429: ErrorResponse},
                                                       summary=gettext_noop("Submit an idea"))
def create_idea(request, payload: IdeaIn, response: HttpResponse,
                idempotency_key: str | None = Header(None, alias=KEY_HEADER, description=KEY_DOC)):
    key, problem = _header_key(idempotency_key)
    if problem:
        return problem
    strategy = current_strategy()
    action_fields = list(strategy.action_fields.filter(slug__in=payload.action_fields))
    districts = list(strategy.districts.filter(slug__in=payload.districts))
    if len(action_fields) != len(set(payload.action_fields)):
        raise ApiParameterError({"action_fields": "unknown action field slug"})
    if len(districts) != len(set(payload.districts)):
        raise ApiParameterError({"districts": "unknown district slug"})
    try:
        idea = services.idea_create(actor=request.auth, strategy=strategy, title=payload.title, text=payload.text,
                                    kind=payload.kind, action_fields=action_fields, districts=districts,
                                    latitude=payload.latitude, longitude=payload.longitude, ip=client_ip(request),
                                    idempotency_key=key)
    except PermissionDenied as exc:
        return _denied(request, exc)
    except services.IdempotencyConflict:
        return _key_problem(_("This key was already used for a different request."), 422)
    except ValidationError as exc:
        return _errors(exc)
    except services.RateLimited as exc:
        return _limited(exc)
    _mark_replay(response, idea)
    return Status(201, _idea(_visible_idea(request, idea.pk)))


@router.post("ideas/{idea_id}/comments", auth=WRITE_AUTH, response={
    201: CommentItem, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse,
    429: ErrorResponse}, summary=gettext_noop("Comment on an idea (or reply with `parent`)"))
def create_comment(request, idea_id: int, payload: CommentIn, response: HttpResponse,
                   idempotency_key: str | None = Header(None, alias=KEY_HEADER, description=KEY_DOC)):
    key, problem = _header_key(idempotency_key)
    if problem:
        return problem
    idea = _visible_idea(request, idea_id)
    parent = get_object_or_404(Comment, pk=payload.parent, idea=idea) if payload.parent else None
    try:
        comment = services.comment_create(actor=request.auth, idea=idea, parent=parent, text=payload.text,
                                          ip=client_ip(request), idempotency_key=key)
    except PermissionDenied as exc:
        return _denied(request, exc)
    except services.IdempotencyConflict:
        return _key_problem(_("This key was already used for a different request."), 422)
    except ValidationError as exc:
        return _errors(exc, "text")
    except services.RateLimited as exc:
        return _limited(exc)
    _mark_replay(response, comment)
    return Status(201, _comment(comment))


def _support(request, idea_id: int, add: bool, key: str | None = None):
    idea = _visible_idea(request, idea_id)
    try:
        if add:
            changed = services.support_add(actor=request.auth, idea=idea, ip=client_ip(request),
                                           idempotency_key=key)
        else:
            changed = services.support_withdraw(actor=request.auth, idea=idea)
    except PermissionDenied as exc:
        return _denied(request, exc)
    except services.IdempotencyConflict:
        return _key_problem(_("This key was already used for a different request."), 422)
    except services.RateLimited as exc:
        return _limited(exc)
    idea.refresh_from_db(fields=["support_count"])
    return Status(200, {"supported": add, "changed": changed, "support_count": idea.support_count})


@router.post("ideas/{idea_id}/support", auth=WRITE_AUTH, response={
    200: SupportOut, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse,
    429: ErrorResponse}, summary=gettext_noop("Support an idea (once per account)"))
def support_idea(request, idea_id: int,
                 idempotency_key: str | None = Header(None, alias=KEY_HEADER, description=KEY_DOC)):
    key, problem = _header_key(idempotency_key)
    if problem:
        return problem
    return _support(request, idea_id, True, key)


@router.api_operation(["DELETE"], "ideas/{idea_id}/support", auth=WRITE_AUTH, response={
    200: SupportOut, 403: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse},
    summary=gettext_noop("Withdraw the support"))
def withdraw_support(request, idea_id: int):
    return _support(request, idea_id, False)


@router.post("statements/{statement_id}/vote", auth=WRITE_AUTH, response={
    200: VoteOut, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse},
    summary=gettext_noop("Vote on a statement of an opinion-mapping consultation"))
def vote(request, statement_id: int, payload: VoteIn):
    statement = get_object_or_404(Statement.objects.select_related("consultation"), pk=statement_id,
                                  status=Statement.Status.APPROVED)
    value = {"agree": 1, "disagree": -1, "pass": 0}.get(payload.vote)
    if value is None:
        raise ApiParameterError({"vote": "agree, disagree or pass"})
    try:
        services.vote_cast(actor=request.auth, statement=statement, value=value, ip=client_ip(request))
    except PermissionDenied as exc:
        return _denied(request, exc)
    except ValidationError as exc:
        return _errors(exc, "vote")
    except services.RateLimited as exc:
        return _limited(exc)
    return Status(200, {"statement": statement.pk, "vote": payload.vote})
