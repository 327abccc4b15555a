"""Pages of the citizens' panel process. Thin: forms in, services for writes, selectors for reads."""

from __future__ import annotations

import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.audit.selectors import latest_event_id
from kompass.core.expensive import expensive_response
from kompass.lottery import forms as lf
from kompass.lottery import selectors, services, wording
from kompass.lottery.models import Panel


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _form_errors(request, form) -> None:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}: {e}" if label else e)


def officer(perm="lottery.run_process"):
    def deco(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped
    return deco


def _manage(slug):
    return reverse("lottery:manage", args=[slug])


def _file(response, filename: str, disposition: str = "attachment"):
    """`response` as a file named `filename` (downloaded, or shown in the browser with "inline")."""
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- public ----------------------------------------------------------------------------------------------------

@require_GET
def index(request):
    return render(request, "lottery/index.html", {
        "panels": selectors.public_panels(),
        "can_run": request.user.has_perm("lottery.run_process"),
        "code_form": lf.CodeForm()})


@require_http_methods(["GET", "POST"])
def register(request):
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()
    if not code:
        return render(request, "lottery/register_code.html", {"form": lf.CodeForm()})
    inv = selectors.invitation_by_code(code)
    if inv is None or inv.used_at or inv.panel.stage not in (Panel.Stage.INVITED, Panel.Stage.QUOTAS):
        form = lf.CodeForm(initial={"code": code})
        reason = (_("This invitation code is not valid.") if inv is None else
                  _("This invitation code has been used already.") if inv.used_at else
                  _("Registration for this panel is closed."))
        return render(request, "lottery/register_code.html", {"form": form, "error": reason}, status=200)
    panel = inv.panel
    if request.method == "POST":
        form = lf.RegistrationForm(request.POST, panel=panel)
        if form.is_valid():
            try:
                services.respondent_register(
                    actor=request.user if request.user.is_authenticated else None, code=code,
                    name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"], address=form.cleaned_data["address"],
                    features=form.features(), consent=form.cleaned_data["consent"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(request, "lottery/register_done.html", {"panel": panel})
    else:
        form = lf.RegistrationForm(initial={"code": code}, panel=panel)
    return render(request, "lottery/register.html", {"panel": panel, "form": form})


def _audit_context(request, slug):
    panel = selectors.panel_get(slug)
    if panel.stage != Panel.Stage.PUBLISHED and not request.user.has_perm("lottery.view_results"):
        raise Http404
    return {**selectors.results(panel), "published": panel.stage == Panel.Stage.PUBLISHED}


def _public_panel(request, slug):
    """The panel, once its stage is public (before that only for those who may see the results; else 404)."""
    panel = selectors.panel_get(slug)
    if panel.stage not in selectors.PUBLIC_STAGES and not request.user.has_perm("lottery.view_results"):
        raise Http404
    return panel


@require_GET
def panel_public(request, slug):
    return render(request, "lottery/panel.html", {"panel": _public_panel(request, slug)})


@require_GET
def lottery_json(request, slug):
    panel = _public_panel(request, slug)
    if not panel.lottery:
        raise Http404
    return _file(HttpResponse(json.dumps(panel.lottery, sort_keys=True, separators=(",", ":")),
                              content_type="application/json"), f"{panel.slug}-lottery.json")


@require_GET
def verification_bundle(request, slug):
    from kompass.lottery.bundle import bundle

    context = _audit_context(request, slug)
    panel = context["panel"]
    if panel.seed == "" or not panel.lottery:
        raise Http404
    return _file(HttpResponse(bundle(panel), content_type="application/zip"), f"{panel.slug}-verification.zip")


@require_GET
def audit(request, slug):
    return render(request, "lottery/audit.html", _audit_context(request, slug))


@require_GET
@expensive_response("pdf", version=latest_event_id)
def audit_pdf(request, slug):
    import weasyprint

    context = {**_audit_context(request, slug), "for_pdf": True}
    html = render_to_string("lottery/audit.html", context, request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return _file(HttpResponse(pdf, content_type="application/pdf"), f"{slug}-audit.pdf", "inline")


# --- the lottery officer ---------------------------------------------------------------------------------------

@officer()
@require_http_methods(["GET", "POST"])
def office(request):
    form = lf.PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            d = form.cleaned_data
            panel = services.panel_create(
                actor=request.user, slug=d["slug"], title=d["title"], purpose=d["purpose"],
                retention_date=d["retention_date"], size=d["size"], description=d["description"],
                categories=services.parse_categories(d["categories"]), algorithm=d["algorithm"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(_manage(panel.slug))
    return render(request, "lottery/office.html", {"panels": selectors.panel_list(), "form": form})


def _manage_context(panel, **forms):
    context = {
        "panel": panel, "counts": selectors.panel_counts(panel),
        "composition": selectors.pool_composition(panel),
        "draw_form": lf.InvitationDrawForm(), "import_form": lf.ImportForm(),
        "quota_form": lf.QuotaForm(panel=panel), "seed_form": lf.SeedForm(), "replace_form": lf.ReplaceForm(),
        "purge_form": lf.PurgeForm(), "Stage": Panel.Stage, "feasibility": wording.feasibility(panel.feasibility),
        **forms,
    }
    if panel.stage in (Panel.Stage.DRAWN, Panel.Stage.PUBLISHED, Panel.Stage.COMPUTED, Panel.Stage.HASH_PUBLISHED):
        context["results"] = selectors.results(panel)
    return context


@officer()
@require_GET
def manage(request, slug):
    return render(request, "lottery/manage.html", _manage_context(selectors.panel_get(slug)))


def _post_action(request, slug, action, form_class=None, success=""):
    panel = selectors.panel_get(slug)
    form = None
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(_manage(slug))
    try:
        result = action(panel, form.cleaned_data if form else None)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if isinstance(result, HttpResponse):
            return result
        if success:
            messages.success(request, success)
    return redirect(_manage(slug))


@officer()
@require_POST
def invitations_draw(request, slug):
    def act(panel, d):
        invs = services.invitations_draw(actor=request.user, panel=panel, content=d["register"].read(),
                                         filename=d["register"].name, count=d["count"], strata=d["strata"],
                                         seed=d["seed"], id_column=d["id_column"])
        messages.success(request, _("%(n)s invitations drawn.") % {"n": len(invs)})
    return _post_action(request, slug, act, lf.InvitationDrawForm)


@officer("lottery.view_personal_data")
@require_GET
def invitations_csv(request, slug):
    panel = selectors.panel_get(slug)
    return _file(HttpResponse(services.invitations_csv(actor=request.user, panel=panel),
                              content_type="text/csv; charset=utf-8"), f"{panel.slug}-invitations.csv")


@officer()
@require_POST
def respondents_import(request, slug):
    def act(panel, d):
        n = services.respondents_import(actor=request.user, panel=panel, content=d["file"].read(),
                                        filename=d["file"].name)
        messages.success(request, _("%(n)s respondents imported.") % {"n": n})
    return _post_action(request, slug, act, lf.ImportForm)


@officer()
@require_POST
def quotas(request, slug):
    panel = selectors.panel_get(slug)
    form = lf.QuotaForm(request.POST, panel=panel)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_manage(slug))
    if request.POST.get("action") == "suggest":
        suggested = services.suggest_quotas(form.shares(), form.cleaned_data["size"], form.cleaned_data["tolerance"])
        data = request.POST.copy()
        for cat, vals in suggested.items():
            for val, (lo, hi) in vals.items():
                data[lf.key(cat, val, "min")], data[lf.key(cat, val, "max")] = str(lo), str(hi)
        quota_form = lf.QuotaForm(data, panel=panel)
        quota_form.is_valid()
        messages.info(request, _("Suggested quotas filled in. Check them and save."))
        return render(request, "lottery/manage.html", _manage_context(panel, quota_form=quota_form))
    try:
        result = services.quotas_set(actor=request.user, panel=panel, quotas=form.quotas(), shares=form.shares(),
                                     size=form.cleaned_data["size"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if result["ok"]:
            messages.success(request, _("Quotas saved. A panel satisfying them exists."))
        else:
            messages.warning(request, _("Quotas saved, but no panel satisfies them."))
    return redirect(_manage(slug))


@officer()
@require_POST
def select(request, slug):
    panel = selectors.panel_get(slug)
    try:
        job = services.selection_start(actor=request.user, panel=panel)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(_manage(slug))
    return redirect(reverse("jobs:detail", args=[job.pk]))


def _panel_step(name: str, service, success, form_class=None, fields=(), **fixed):
    """A POST of the officer that runs one step of the process: `service(actor=…, panel=…, **fixed)` with the
    named `fields` of the valid `form_class` form, then back to the manage page with `success` or the errors."""
    def view(request, slug):
        def act(panel, data):
            return service(actor=request.user, panel=panel, **fixed, **{f: data[f] for f in fields})
        return _post_action(request, slug, act, form_class, success=str(success))
    view.__name__ = view.__qualname__ = name
    return officer()(require_POST(view))


hash_publish = _panel_step("hash_publish", services.hash_publish, gettext_lazy("The list hash is published."))
draw = _panel_step("draw", services.panel_draw, gettext_lazy("The panel is drawn."), lf.SeedForm, fields=("seed",))
publish = _panel_step("publish", services.panel_publish, gettext_lazy("The audit page is public."))
group = _panel_step("group", services.group_sync, gettext_lazy("The panel's user group is up to date."))
purge = _panel_step("purge", services.personal_data_purge, gettext_lazy("Personal data deleted."), lf.PurgeForm,
                    force=True)


@officer()
@require_POST
def replace(request, slug):
    def act(panel, d):
        resp = selectors.respondent_by_pseudonym(panel, d["pseudonym"])
        if resp is None:
            raise ValidationError(_("No respondent with this pseudonym."))
        rep = services.member_replace(actor=request.user, panel=panel, respondent=resp, seed=d["seed"])
        messages.success(request, _("%(new)s replaces %(old)s (one of %(n)s candidates).")
                         % {"new": rep.chosen.pseudonym, "old": resp.pseudonym, "n": len(rep.candidates)})
    return _post_action(request, slug, act, lf.ReplaceForm)


@officer("lottery.view_personal_data")
@require_GET
def respondents(request, slug):
    panel = selectors.panel_get(slug)
    services.personal_data_viewed(actor=request.user, panel=panel)
    return render(request, "lottery/respondents.html", {
        "panel": panel, "respondents": selectors.respondents_with_personal_data(panel)})


@officer("lottery.view_personal_data")
@require_GET
def respondent_export(request, slug, pseudonym):
    panel = selectors.panel_get(slug)
    resp = selectors.respondent_by_pseudonym(panel, pseudonym)
    if resp is None:
        raise Http404
    return _file(JsonResponse(services.respondent_export(actor=request.user, respondent=resp),
                              json_dumps_params={"indent": 2, "ensure_ascii": False}), f"{panel.slug}-{pseudonym}.json")
