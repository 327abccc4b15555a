"""Pages of the Arena der Ideen: list, form, detail, supports, follows, comments, ownership, status, attachments."""

import random

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.accounts.forms import client_ip
from kompass.core import fragments
from kompass.core.hardening import pk_or_404
from kompass.core.permissions import allowed, require
from kompass.participation import geo, selectors, services
from kompass.participation.forms import IdeaForm
from kompass.participation.models import Attachment, Comment, Idea, Statement
from kompass.participation.views._common import _act, _page_number, _post_comment, _strategy


@require_GET
def idea_list(request):
    strategy = _strategy(request)
    seed = request.session.get("idea_seed")
    if seed is None and request.GET.get("sort") == "random":
        seed = request.session["idea_seed"] = random.randint(1, 1_000_000)  # noqa: S311 - ordering, not security
    query = selectors.parse_idea_params(request.GET, seed=seed or 1)
    size = getattr(settings, "KOMPASS_IDEAS_PAGE_SIZE", 20)
    page = _page_number(request)
    params = request.GET.copy()
    params.pop("page", None)

    def content() -> str:
        ideas, has_next = selectors.page_of(selectors.with_card_data(selectors.idea_list(strategy, query)), page,
                                            size)
        return render_to_string("participation/_idea_list_main.html", {
            "ideas": ideas, "query": query, "page": page, "has_next": has_next, "querystring": params.urlencode(),
            **_filter_choices(strategy)}, request=request)

    # The same for everybody with the same parameters (and shuffle seed): shared until the next write (ADR 0044).
    key = [strategy.pk, sorted(request.GET.lists()), page, size, query.seed if query.sort == "random" else ""]
    # The whole page, shared by every visitor with the same frame (ADR 0083).
    return fragments.cached_page(request, "participation.ideas", key, lambda extra: render(
        request, "participation/idea_list.html",
        {"main": fragments.cached_fragment("participation.ideas", key, content), "query": query, **extra},
        status=400 if query.errors else 200))


def _filter_choices(strategy) -> dict:
    return {
        "action_fields": strategy.action_fields.order_by("name"), "districts": strategy.districts.order_by("name"),
        "kinds": Idea.Kind.choices, "statuses": Idea.Status.choices,
        "sorts": [("newest", _("newest")), ("supported", _("most supported")),
                  ("discussed", _("most discussed")), ("random", _("random"))],
    }


@require_GET
def idea_map(request):
    """The Arena as a map: every idea with a place is a dot linking to it, on the district outlines (and on tiles
    when a tile server is configured); the same filters as the list, and the ideas as a list below the map."""
    strategy = _strategy(request)
    query = selectors.parse_idea_params(request.GET, seed=request.session.get("idea_seed") or 1)
    ideas = list(selectors.idea_list(strategy, query).exclude(latitude=None).exclude(longitude=None)
                 .select_related("author")[:MAP_LIMIT])
    return render(request, "participation/idea_map.html", {
        "idea_map": geo.idea_map(strategy, ideas), "ideas": ideas, "limit": MAP_LIMIT, "query": query,
        "list_querystring": request.GET.urlencode(), **_filter_choices(strategy)},
        status=400 if query.errors else 200)


MAP_LIMIT = 500


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request):
    strategy = _strategy(request)
    require(request.user, "participation.add_idea")
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
                    attachments=request.FILES.getlist("attachments"), ip=client_ip(request),
                    idempotency_key=data["idempotency_key"])
            except services.IdempotencyConflict as exc:
                form.add_error(None, exc)
                form.renew_key()
            except ValidationError as exc:
                form.add_error(None, exc)
            except services.RateLimited as exc:
                return render(request, "participation/rate_limited.html",
                              {"message": str(exc), "back": reverse("participation:ideas")}, status=429)
            else:
                messages.success(request, _("Thank you! Your idea was published."))
                return redirect("participation:idea", pk=idea.pk)
        status = 400
    from kompass.strategy.maps import district_map

    return render(request, "participation/idea_form.html",
                  {"form": form, "map": district_map(list(strategy.districts.all()))}, status=status)


@require_GET
def idea_detail(request, pk):
    strategy = _strategy(request)
    idea = selectors.idea_detail(strategy, pk)
    can_moderate = request.user.has_perm("participation.moderate")
    if not allowed(request.user, "participation.view_idea", idea):
        return render(request, "participation/hidden.html", {"idea": idea}, status=410)
    threads = selectors.comment_threads(idea.comments.all())
    page = Paginator(threads, getattr(settings, "KOMPASS_COMMENTS_PAGE_SIZE", 20)).get_page(request.GET.get("page"))
    user = request.user
    supported = following = False
    if user.is_authenticated:
        supported = idea.supports.filter(user=user).exists()
        following = idea.follows.filter(user=user).exists()
    organisations = user.memberships.select_related("organisation") if user.is_authenticated else []
    districts = list(idea.districts.all())
    idea_map = (geo.idea_map(strategy, [idea], highlight=districts[0] if len(districts) == 1 else None)
                if idea.latitude is not None else None)
    return render(request, "participation/idea_detail.html", {
        "idea_map": idea_map,
        "idea": idea, "page": page, "supported": supported, "following": following,
        "can_contribute": user.has_perm("participation.add_comment"), "can_moderate": can_moderate,
        "can_set_status": user.has_perm("participation.set_idea_status", idea), "statuses": Idea.Status.choices,
        "organisations": organisations, "groups": user.user_groups.all() if user.is_authenticated else [],
        "edit_until": timezone.now() - selectors.edit_window(),
        "candidate": selectors.candidate_of_idea(idea),
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
    return _post_comment(request, idea=_idea(request, pk))


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
    return _act(request, lambda: services.idea_set_status(actor=request.user, idea=idea,
                                                          status=request.POST.get("status", ""),
                                                          reason=request.POST.get("reason", "")),
                success=_("The status was changed."))


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    require(request.user, "participation.change_comment", comment)
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
    """Attachments live in private storage and are served only here: a hidden idea's files only to moderators and
    the author (403 otherwise)."""
    item = get_object_or_404(Attachment.objects.select_related("idea"), pk=pk)
    require(request.user, "participation.view_idea", item.idea)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type, as_attachment=True, filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    if item.idea.is_hidden:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def guidelines(request):
    return render(request, "participation/guidelines.html")
