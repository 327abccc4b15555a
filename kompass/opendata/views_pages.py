"""Pages of the open-data app under the language prefix: the cross-city lessons library, replication links from
the measure page and the API reference generated from the OpenAPI schema."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kompass.opendata import selectors, services
from kompass.opendata.models import HarvestedRecord, Replication
from kompass.strategy.selectors import current_strategy


@require_safe
def lessons_other(request):
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:200]
    source = (request.GET.get("source") or "").strip()[:20]
    paginator = Paginator(selectors.harvested_lessons(q, source), 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "opendata/lessons_other.html", {"page": page, "q": q, "source": source,
                                                           "sources": selectors.followed_sources()})


def _measure(slug):
    return get_object_or_404(current_strategy().measures, slug=slug)


@login_required
@require_POST
def replicate(request, slug):
    measure = _measure(slug)
    record_id = (request.POST.get("record") or "").strip()
    record = HarvestedRecord.objects.filter(pk=record_id, kind="measure").select_related("source").first() \
        if record_id.isdigit() else None
    if record is None:
        messages.error(request, _("Choose a measure of another city."))
        return redirect("measures:measure", slug)
    try:
        services.replication_record(actor=request.user, measure=measure, record=record,
                                    relation=request.POST.get("relation", ""), note=request.POST.get("note", "")[:2000])
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("measures:measure", slug)
    messages.success(request, _("The link to the other city's measure is recorded."))
    return redirect("measures:measure", slug)


@login_required
@require_POST
def replication_remove(request, slug, pk):
    measure = _measure(slug)
    link = get_object_or_404(Replication, pk=pk, measure=measure)
    services.replication_remove(actor=request.user, replication=link)
    messages.success(request, _("The link was removed."))
    return redirect("measures:measure", slug)


# Response texts django-ninja writes itself (HTTP reason phrases): the reference page shows them in German.
HTTP_TEXTS = {"OK": gettext_lazy("OK"), "Created": gettext_lazy("Created"),
              "Not Modified": gettext_lazy("Not modified"), "Bad Request": gettext_lazy("Bad request"),
              "Forbidden": gettext_lazy("Forbidden"), "Not Found": gettext_lazy("Not found"),
              "Too Many Requests": gettext_lazy("Too many requests"),
              "Unprocessable Entity": gettext_lazy("Unprocessable entity"),
              "Atom 1.0 feed": gettext_lazy("Atom 1.0 feed")}
_EXAMPLE = re.compile(r"^Example: (`[^`]*`)$")


def api_text(text: str) -> str:
    """An English text of the OpenAPI document as the reference page shows it: translated (the document itself stays
    English, ADR 0087), with `code` and **bold** marked up, escaped first."""
    if not text:
        return ""
    shown = str(HTTP_TEXTS[text]) if text in HTTP_TEXTS else _(text)
    shown = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(shown))
    return mark_safe(re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", shown))  # noqa: S308 - escaped above


def api_paragraphs(description: str, summary: str) -> list[str]:
    """The description's paragraphs, translated one by one (the summary, shown above it, left out)."""
    translated = _(description)
    if translated != description:  # translated as a whole
        return [api_text(p) for p in translated.split("\n\n") if p]
    shown = []
    for paragraph in description.split("\n\n"):
        if not paragraph or paragraph == summary:
            continue
        example = _EXAMPLE.match(paragraph)
        shown.append(api_text(_("Example: %(request)s") % {"request": example.group(1)}) if example
                     else api_text(paragraph))
    return shown


@require_safe
def api_reference(request):
    from config.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in sorted(schema.get("paths", {}).items()):
        for method, op in methods.items():
            params = [{"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                       "description": api_text(p.get("description") or p.get("schema", {}).get("description", "")),
                       "type": p.get("schema", {}).get("type") or ", ".join(
                           s.get("type", "") for s in p.get("schema", {}).get("anyOf", []) if s.get("type"))}
                      for p in op.get("parameters", [])]
            responses = [(code, api_text(r.get("description", ""))) for code, r in
                         sorted(op.get("responses", {}).items(), key=lambda kv: str(kv[0]))]
            summary = op.get("summary", "")
            operations.append({"path": path, "method": method.upper(), "summary": api_text(summary),
                               "paragraphs": api_paragraphs(op.get("description", ""), summary),
                               "tags": op.get("tags", []), "parameters": params, "responses": responses,
                               "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")})
    return render(request, "opendata/api_reference.html", {"operations": operations, "info": schema.get("info", {})})
