"""Text consultations and opinion maps: list, creation, detail, comments, votes, statements, export, map."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.accounts.forms import client_ip
from kompass.core.hardening import pk_or_404
from kompass.core.permissions import require
from kompass.core.text import german_slug
from kompass.participation import exports, selectors, services
from kompass.participation.models import Consultation, OpinionMapResult, Paragraph, Statement
from kompass.participation.svg import opinion_map_svg
from kompass.participation.views._common import _act, _post_comment, _strategy


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
    require(request.user, "participation.manage_consultation")
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
                    actor=request.user, strategy=strategy, slug=german_slug(post.get("slug") or title, fallback="c"),
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
               "edit_until": timezone.now() - selectors.edit_window()}
    if consultation.kind == Consultation.Kind.TEXT:
        comments = selectors.paragraph_comments(consultation)
        chapters = list(consultation.chapters.all())
        for chapter in chapters:
            for paragraph in chapter.paragraphs.all():
                paragraph.threads = comments.get(paragraph.pk, [])
                # Every contribution counts, replies included (the summary says "3 comments", not "1 thread").
                paragraph.comment_total = sum(1 + len(t.replies.all()) for t in paragraph.threads)
        context["chapters"] = chapters
    else:
        context["statements"] = selectors.open_statements(consultation, request.user)
        context["readiness"] = selectors.opinion_readiness(consultation)
    return render(request, "participation/consultation_detail.html", context)


@login_required
@require_POST
def consultation_comment(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug)
    raw = request.POST.get("paragraph", "")
    paragraph = get_object_or_404(Paragraph, pk=pk_or_404(raw), chapter__consultation=consultation)
    return _post_comment(request, paragraph=paragraph)


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


# The comment export is for people in the office (German headers, dates and statuses; the text cells keep the
# formula guard of core.tabular). Machine-readable open data keeps its English column names (kompass/opendata).
def _export_columns() -> list[str]:
    return [_("Chapter"), _("Paragraph"), _("Paragraph text"), _("Comment no."), _("Reply to"), _("Author"),
            _("Written on"), _("Text"), _("Status")]


def _export_rows(consultation):
    from django.utils import formats, timezone

    statuses = {"deleted": pgettext("comment", "deleted"), "hidden": pgettext("comment", "hidden"),
                "published": pgettext("comment", "published")}
    for chapter in consultation.chapters.all():
        for paragraph in chapter.paragraphs.all():
            for comment in paragraph.threads:
                for c in [comment, *comment.replies.all()]:
                    status = "deleted" if c.is_deleted else ("hidden" if c.is_hidden else "published")
                    written = formats.date_format(timezone.localtime(c.created_at), "SHORT_DATETIME_FORMAT")
                    yield [chapter.position, f"{chapter.position}.{paragraph.position}", paragraph.text, c.pk,
                           c.parent_id or "", c.author.public_name if c.author else _("deleted account"),
                           written, c.text if status == "published" else "", statuses[status]]


@login_required
@require_GET
def consultation_export(request, slug, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    require(request.user, "participation.manage_consultation")
    consultation = selectors.consultation_detail(slug)
    comments = selectors.paragraph_comments(consultation)
    for chapter in consultation.chapters.all():
        for paragraph in chapter.paragraphs.all():
            paragraph.threads = comments.get(paragraph.pk, [])
    rows = list(_export_rows(consultation))
    body, content_type = exports.comments_file(_export_columns(), rows, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-comments.{fmt}"'
    return response


@require_GET
def opinion_map(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug, kind=Consultation.Kind.STATEMENTS)
    result = OpinionMapResult.objects.filter(consultation=consultation).first()
    context = {"consultation": consultation, "result": result, "readiness": selectors.opinion_readiness(consultation),
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
