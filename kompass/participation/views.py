import random

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.accounts.forms import client_ip
from kompass.core.hardening import MAX_PAGE, bounded_int, pk_or_404
from kompass.participation import exports, selectors, services
from kompass.participation.forms import IdeaForm
from kompass.participation.models import (
    Attachment,
    Comment,
    Consultation,
    Idea,
    Notification,
    OpinionMapResult,
    Paragraph,
    Report,
    Statement,
)
from kompass.participation.svg import opinion_map_svg
from kompass.strategy.selectors import current_strategy


def _strategy(request):
    strategy = current_strategy()
    request._kompass_strategy = strategy
    return strategy


def _page_number(request) -> int:
    return bounded_int(request.GET.get("page"), 1, minimum=1, maximum=MAX_PAGE)


def _act(request, fn, *, success: str = "", fallback: str = "/"):
    """Run a service call from a form post: validation errors and rate limits become messages."""
    back = request.POST.get("next") or request.headers.get("Referer") or fallback
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = fallback
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    except services.RateLimited as exc:
        return render(request, "participation/rate_limited.html", {"message": str(exc), "back": back}, status=429)
    if success:
        messages.success(request, success)
    return redirect(back)


# --- ideas ---------------------------------------------------------------------------------------------------

@require_GET
def idea_list(request):
    strategy = _strategy(request)
    seed = request.session.get("idea_seed")
    if seed is None and request.GET.get("sort") == "random":
        seed = request.session["idea_seed"] = random.randint(1, 1_000_000)  # noqa: S311 - ordering, not security
    query = selectors.parse_idea_params(request.GET, seed=seed or 1)
    size = getattr(settings, "KOMPASS_IDEAS_PAGE_SIZE", 20)
    page = _page_number(request)
    ideas, has_next = selectors.page_of(selectors.with_card_data(selectors.idea_list(strategy, query)), page, size)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "participation/idea_list.html", {
        "ideas": ideas, "query": query, "page": page, "has_next": has_next, "querystring": params.urlencode(),
        "action_fields": strategy.action_fields.order_by("name"), "districts": strategy.districts.order_by("name"),
        "kinds": Idea.Kind.choices, "statuses": Idea.Status.choices,
        "sorts": [("newest", _("newest")), ("supported", _("most supported")),
                  ("discussed", _("most discussed")), ("random", _("random"))],
    }, status=400 if query.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request):
    strategy = _strategy(request)
    if not request.user.has_perm("participation.add_idea"):
        raise PermissionDenied
    form = IdeaForm(request.POST or None, request.FILES or None, strategy=strategy)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_create(
                    actor=request.user, strategy=strategy, title=data["title"], text=data["text"],
                    kind=data["kind"], action_fields=list(data["action_fields"]),
                    districts=list(data["districts"]), latitude=data["latitude"], longitude=data["longitude"],
                    attachments=request.FILES.getlist("attachments"), ip=client_ip(request))
            except ValidationError as exc:
                form.add_error(None, exc)
            except services.RateLimited as exc:
                return render(request, "participation/rate_limited.html",
                              {"message": str(exc), "back": reverse("participation:ideas")}, status=429)
            else:
                messages.success(request, _("Thank you! Your idea was published."))
                return redirect("participation:idea", pk=idea.pk)
        status = 400
    from kompass.portal.maps import district_map

    return render(request, "participation/idea_form.html",
                  {"form": form, "map": district_map(list(strategy.districts.all()))}, status=status)


@require_GET
def idea_detail(request, pk):
    strategy = _strategy(request)
    idea = selectors.idea_detail(strategy, pk)
    can_moderate = request.user.has_perm("participation.moderate")
    if idea.is_hidden and not (can_moderate or (request.user.is_authenticated and idea.author_id == request.user.pk)):
        return render(request, "participation/hidden.html", {"idea": idea}, status=410)
    threads = selectors.comment_threads(idea.comments.all())
    page = Paginator(threads, getattr(settings, "KOMPASS_COMMENTS_PAGE_SIZE", 20)).get_page(request.GET.get("page"))
    user = request.user
    supported = following = False
    if user.is_authenticated:
        supported = idea.supports.filter(user=user).exists()
        following = idea.follows.filter(user=user).exists()
    organisations = user.memberships.select_related("organisation") if user.is_authenticated else []
    return render(request, "participation/idea_detail.html", {
        "idea": idea, "page": page, "supported": supported, "following": following,
        "can_contribute": user.has_perm("participation.add_comment"), "can_moderate": can_moderate,
        "can_set_status": user.has_perm("participation.set_idea_status", idea), "statuses": Idea.Status.choices,
        "organisations": organisations, "groups": user.user_groups.all() if user.is_authenticated else [],
        "edit_until": timezone.now() - services.edit_window(),
    })


def _idea(request, pk) -> Idea:
    return get_object_or_404(Idea, pk=pk, strategy=_strategy(request))


@login_required
@require_POST
def idea_support(request, pk):
    idea = _idea(request, pk)
    if request.POST.get("action") == "withdraw":
        return _act(request, lambda: services.support_withdraw(actor=request.user, idea=idea),
                    success=_("Your support was withdrawn."))
    return _act(request, lambda: services.support_add(actor=request.user, idea=idea, ip=client_ip(request)),
                success=_("Thank you for your support."))


@login_required
@require_POST
def idea_follow(request, pk):
    idea = _idea(request, pk)
    follow = request.POST.get("action") != "unfollow"
    return _act(request, lambda: services.follow_set(actor=request.user, idea=idea, follow=follow),
                success=_("You follow this idea.") if follow else _("You no longer follow this idea."))


@login_required
@require_POST
def idea_comment(request, pk):
    idea = _idea(request, pk)
    parent = None
    if request.POST.get("parent"):
        parent = get_object_or_404(Comment, pk=pk_or_404(request.POST["parent"]), idea=idea)
    return _act(request, lambda: services.comment_create(actor=request.user, idea=idea, parent=parent,
                                                         text=request.POST.get("text", ""), ip=client_ip(request)),
                success=_("Your comment was published."))


@login_required
@require_POST
def idea_ownership(request, pk):
    idea = _idea(request, pk)
    organisation = group = None
    party = request.POST.get("party", "")
    if party.startswith("org:"):
        organisation = get_object_or_404(request.user.memberships.select_related("organisation"),
                                         organisation_id=pk_or_404(party[4:])).organisation
    elif party.startswith("group:"):
        group = get_object_or_404(request.user.user_groups.all(), pk=pk_or_404(party[6:]))
    return _act(request, lambda: services.ownership_declare(actor=request.user, idea=idea, organisation=organisation,
                                                            group=group, note=request.POST.get("note", "")),
                success=_("Your declaration was published."))


@login_required
@require_POST
def idea_status(request, pk):
    idea = _idea(request, pk)
    return _act(request, lambda: services.idea_set_status(request.user, idea, request.POST.get("status", ""),
                                                          request.POST.get("reason", "")),
                success=_("The status was changed."))


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    if not request.user.has_perm("participation.change_comment", comment):
        raise PermissionDenied
    back = (reverse("participation:idea", args=[comment.idea_id]) if comment.idea_id else
            reverse("participation:consultation", args=[comment.paragraph.chapter.consultation.slug]))
    if request.method == "POST":
        return _act(request, lambda: services.comment_edit(actor=request.user, comment=comment,
                                                           text=request.POST.get("text", "")),
                    success=_("Your comment was changed."), fallback=back)
    return render(request, "participation/comment_edit.html", {"comment": comment, "back": back})


@login_required
@require_POST
def comment_delete(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    return _act(request, lambda: services.comment_delete(actor=request.user, comment=comment),
                success=_("The comment was deleted."))


@login_required
@require_POST
def report(request, kind, pk):
    model = {"idea": Idea, "comment": Comment, "statement": Statement}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    return _act(request, lambda: services.report_create(actor=request.user, target=target,
                                                        reason=request.POST.get("reason", "")),
                success=_("Thank you. The moderators will look at it."))


@require_GET
def attachment(request, pk):
    item = get_object_or_404(Attachment.objects.select_related("idea"), pk=pk)
    idea = item.idea
    if idea.is_hidden and not (request.user.has_perm("participation.moderate")
                               or (request.user.is_authenticated and idea.author_id == request.user.pk)):
        raise PermissionDenied
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, as_attachment=True,
                            filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def guidelines(request):
    return render(request, "participation/guidelines.html")


# --- moderation ----------------------------------------------------------------------------------------------

def _moderator(request):
    if not request.user.is_authenticated:
        return False
    if not request.user.has_perm("participation.moderate"):
        raise PermissionDenied
    return True


@login_required
@require_GET
def moderation_queue(request):
    _moderator(request)
    reports = (Report.objects.filter(resolved_at=None).select_related(
        "idea", "comment", "statement", "reporter", "comment__author", "idea__author", "statement__author")
               .order_by("created_at")[:200])
    reports = list(reports)
    for r in reports:
        r.offender = (r.comment.author if r.comment else r.idea.author if r.idea else r.statement.author)
    pending = Statement.objects.filter(status=Statement.Status.PENDING).select_related(
        "consultation", "author")[:200]
    blocked = get_user_model().objects.filter(is_blocked=True).order_by("email")[:200]
    return render(request, "participation/moderation.html",
                  {"reports": reports, "pending": pending, "blocked": blocked})


@login_required
@require_POST
def moderation_hide(request, kind, pk):
    _moderator(request)
    model = {"idea": Idea, "comment": Comment}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    hide = request.POST.get("action") != "show"
    return _act(request, lambda: services.moderation_hide(actor=request.user, target=target, hide=hide,
                                                          reason=request.POST.get("reason", "")),
                success=_("Done."), fallback=reverse("participation:moderation"))


@login_required
@require_POST
def moderation_block(request, pk):
    _moderator(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    block = request.POST.get("action") != "unblock"
    return _act(request, lambda: services.user_block(actor=request.user, user=user, block=block,
                                                     reason=request.POST.get("reason", "")),
                success=_("Done."), fallback=reverse("participation:moderation"))


@login_required
@require_POST
def moderation_statement(request, pk):
    _moderator(request)
    statement = get_object_or_404(Statement, pk=pk)
    return _act(request, lambda: services.statement_moderate(actor=request.user, statement=statement,
                                                             status=request.POST.get("status", "")),
                success=_("Done."), fallback=reverse("participation:moderation"))


@login_required
@require_POST
def moderation_dismiss(request, pk):
    _moderator(request)
    item = get_object_or_404(Report, pk=pk)
    return _act(request, lambda: services.report_dismiss(actor=request.user, report=item),
                success=_("Done."), fallback=reverse("participation:moderation"))


# --- consultations -------------------------------------------------------------------------------------------

@require_GET
def consultation_list(request):
    strategy = _strategy(request)
    return render(request, "participation/consultation_list.html", {
        "consultations": Consultation.objects.filter(strategy=strategy),
        "can_manage": request.user.has_perm("participation.manage_consultation"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    strategy = _strategy(request)
    if not request.user.has_perm("participation.manage_consultation"):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        post = request.POST
        opens = parse_datetime(post.get("opens_at", "")) if post.get("opens_at") else None
        closes = parse_datetime(post.get("closes_at", "")) if post.get("closes_at") else None
        kind = post.get("kind", "text")
        title = post.get("title", "").strip()
        if not title or opens is None or closes is None or kind not in Consultation.Kind.values:
            error = _("Give a title, a kind and the opening and closing time.")
        else:
            if timezone.is_naive(opens):
                opens, closes = timezone.make_aware(opens), timezone.make_aware(closes)
            body = post.get("body", "")
            try:
                consultation = services.consultation_create(
                    actor=request.user, strategy=strategy, slug=slugify(post.get("slug") or title)[:100] or "c",
                    title=title, description=post.get("description", ""), kind=kind, opens_at=opens,
                    closes_at=closes,
                    chapters=services.parse_draft(body) if kind == "text" else None,
                    statements=[line.strip() for line in body.splitlines() if line.strip()]
                    if kind == "statements" else None)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("participation:consultation", slug=consultation.slug)
    return render(request, "participation/consultation_form.html", {"error": error, "post": request.POST},
                  status=400 if error else 200)


@require_GET
def consultation_detail(request, slug):
    consultation = selectors.consultation_detail(slug)
    context = {"consultation": consultation, "can_contribute": request.user.has_perm("participation.add_comment"),
               "can_manage": request.user.has_perm("participation.manage_consultation"),
               "following": request.user.is_authenticated
               and consultation.follows.filter(user=request.user).exists(),
               "edit_until": timezone.now() - services.edit_window()}
    if consultation.kind == Consultation.Kind.TEXT:
        comments = selectors.paragraph_comments(consultation)
        chapters = list(consultation.chapters.all())
        for chapter in chapters:
            for paragraph in chapter.paragraphs.all():
                paragraph.threads = comments.get(paragraph.pk, [])
        context["chapters"] = chapters
    else:
        context["statements"] = selectors.open_statements(consultation, request.user)
    return render(request, "participation/consultation_detail.html", context)


@login_required
@require_POST
def consultation_comment(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug)
    paragraph = get_object_or_404(Paragraph, pk=pk_or_404(request.POST.get("paragraph")),
                                  chapter__consultation=consultation)
    parent = None
    if request.POST.get("parent"):
        parent = get_object_or_404(Comment, pk=pk_or_404(request.POST["parent"]), paragraph=paragraph)
    return _act(request, lambda: services.comment_create(actor=request.user, paragraph=paragraph, parent=parent,
                                                         text=request.POST.get("text", ""), ip=client_ip(request)),
                success=_("Your comment was published."))


@login_required
@require_POST
def consultation_follow(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug)
    follow = request.POST.get("action") != "unfollow"
    return _act(request, lambda: services.follow_set(actor=request.user, consultation=consultation, follow=follow),
                success=_("Done."))


@login_required
@require_POST
def consultation_vote(request, slug):
    statement = get_object_or_404(Statement, pk=pk_or_404(request.POST.get("statement")), consultation__slug=slug)
    value = {"agree": 1, "disagree": -1, "pass": 0}.get(request.POST.get("vote", ""))
    if value is None:
        messages.error(request, _("A vote is agree, disagree or pass."))
        return redirect("participation:consultation", slug=slug)
    return _act(request, lambda: services.vote_cast(actor=request.user, statement=statement, value=value,
                                                    ip=client_ip(request)), success=_("Your vote was saved."))


@login_required
@require_POST
def consultation_statement(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug)
    return _act(request, lambda: services.statement_add(actor=request.user, consultation=consultation,
                                                        text=request.POST.get("text", ""), ip=client_ip(request)),
                success=_("Thank you. Your statement appears after moderation."))


EXPORT_COLUMNS = ["chapter", "paragraph", "paragraph_text", "comment_id", "reply_to", "author", "created_at",
                  "text", "status"]


def _export_rows(consultation):
    for chapter in consultation.chapters.all():
        for paragraph in chapter.paragraphs.all():
            for comment in paragraph.threads:
                for c in [comment, *comment.replies.all()]:
                    status = "deleted" if c.is_deleted else ("hidden" if c.is_hidden else "published")
                    yield [chapter.position, f"{chapter.position}.{paragraph.position}", paragraph.text, c.pk,
                           c.parent_id or "", c.author.public_name if c.author else _("deleted account"),
                           c.created_at.isoformat(), c.text if status == "published" else "", status]


@login_required
@require_GET
def consultation_export(request, slug, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if not request.user.has_perm("participation.manage_consultation"):
        raise PermissionDenied
    consultation = selectors.consultation_detail(slug)
    comments = selectors.paragraph_comments(consultation)
    for chapter in consultation.chapters.all():
        for paragraph in chapter.paragraphs.all():
            paragraph.threads = comments.get(paragraph.pk, [])
    rows = list(_export_rows(consultation))
    body, content_type = exports.comments_file(EXPORT_COLUMNS, rows, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-comments.{fmt}"'
    return response


@require_GET
def opinion_map(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug, kind=Consultation.Kind.STATEMENTS)
    result = OpinionMapResult.objects.filter(consultation=consultation).first()
    context = {"consultation": consultation, "result": result,
               "can_manage": request.user.has_perm("participation.manage_consultation")}
    if result is not None:
        data = result.data
        texts = {s["id"]: s["text"] for s in data.get("statements", [])}
        groups = []
        for g in data.get("groups", []):
            groups.append({**g, "label": chr(ord("A") + g["id"]),
                           "representative": [{**r, "text": texts.get(r["statement"], "")}
                                              for r in g["representative"]]})
        rows = []
        for i, s in enumerate(data.get("statements", [])):
            rows.append({"text": s["text"], "counts": [g["counts"][i] for g in data.get("groups", [])]})
        context = {**context, "svg": opinion_map_svg(data), "groups": groups, "statement_rows": rows,
                   "consensus": [{**c, "text": texts.get(c["statement"], "")} for c in data.get("consensus", [])]}
    return render(request, "participation/opinion_map.html", context)


@login_required
@require_POST
def opinion_map_compute(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug, kind=Consultation.Kind.STATEMENTS)
    job = services.opinion_map_start(actor=request.user, consultation=consultation)
    return redirect("jobs:detail", pk=job.pk)


# --- notifications -------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        return redirect("participation:notifications")
    items = Notification.objects.filter(user=request.user)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    unread = items.filter(read_at=None).count()
    return render(request, "participation/notifications.html", {"page": page, "unread": unread})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        user = services.unsubscribe(token=token)
        if user is None:
            return render(request, "participation/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "participation/unsubscribe.html", {"done": True})
    return render(request, "participation/unsubscribe.html", {"token": token})
