"""The moderators' pages: queue, hide/show, block, statements, dismissing reports."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kompass.core.permissions import require
from kompass.participation import selectors, services
from kompass.participation.models import Comment, Idea, Report, Statement
from kompass.participation.views._common import _act


def _moderator(request) -> None:
    require(request.user, "participation.moderate")


@login_required
@require_GET
def moderation_queue(request):
    _moderator(request)
    reports = (Report.objects.filter(resolved_at=None).select_related(
        "idea", "comment", "statement", "reporter", "comment__author", "idea__author", "statement__author",
        "comment__parent", "comment__paragraph__chapter__consultation", "statement__consultation")
               .order_by("created_at")[:200])
    reports = list(reports)
    for r in reports:
        r.offender = (r.comment.author if r.comment else r.idea.author if r.idea else r.statement.author)
        # A link to the content where it stands, so the moderator sees it in its thread.
        if r.comment:
            r.url = selectors.comment_url(r.comment)
        elif r.idea:
            r.url = reverse("participation:idea", args=[r.idea.pk])
        else:
            r.url = reverse("participation:consultation", args=[r.statement.consultation.slug]) + \
                f"#st-{r.statement.pk}"
    pending = Statement.objects.filter(status=Statement.Status.PENDING).select_related(
        "consultation", "author")[:200]
    blocked = get_user_model().objects.filter(is_blocked=True).order_by("email")[:200]
    return render(request, "participation/moderation.html",
                  {"reports": reports, "pending": pending, "blocked": blocked})


def _moderate(request, perform):
    """Every moderation post: require the right (403), run the service, back to the queue with a message."""
    _moderator(request)
    return _act(request, perform, success=_("Done."), fallback=reverse("participation:moderation"))


@login_required
@require_POST
def moderation_hide(request, kind, pk):
    _moderator(request)
    model = {"idea": Idea, "comment": Comment}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    hide = request.POST.get("action") != "show"
    return _moderate(request, lambda: services.moderation_hide(actor=request.user, target=target, hide=hide,
                                                               reason=request.POST.get("reason", "")))


@login_required
@require_POST
def moderation_block(request, pk):
    _moderator(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    block = request.POST.get("action") != "unblock"
    return _moderate(request, lambda: services.user_block(actor=request.user, user=user, block=block,
                                                          reason=request.POST.get("reason", "")))


@login_required
@require_POST
def moderation_statement(request, pk):
    _moderator(request)
    statement = get_object_or_404(Statement, pk=pk)
    return _moderate(request, lambda: services.statement_moderate(actor=request.user, statement=statement,
                                                                  status=request.POST.get("status", "")))


@login_required
@require_POST
def moderation_dismiss(request, pk):
    _moderator(request)
    item = get_object_or_404(Report, pk=pk)
    return _moderate(request, lambda: services.report_dismiss(actor=request.user, report=item))


@login_required
@require_GET
def moderation_users(request):
    """All accounts, searchable, each with a block or unblock form (not only those named in a report)."""
    _moderator(request)
    q = request.GET.get("q", "")[:100]
    blocked_only = request.GET.get("blocked") == "1"
    page = Paginator(selectors.moderation_users(q, blocked_only), 50).get_page(request.GET.get("page"))
    return render(request, "participation/moderation_users.html",
                  {"page": page, "q": q, "blocked_only": blocked_only})


@login_required
@require_GET
def moderation_user(request, pk):
    _moderator(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    context = selectors.moderation_profile(person)
    for c in context["comments"]:
        c.url = selectors.comment_url(c)
    return render(request, "participation/moderation_user.html", {"person": person, **context})
