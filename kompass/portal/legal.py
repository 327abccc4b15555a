"""The legal pages every German public site needs (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit)
and the strategy's theme colour as a stylesheet.

The facts come from the strategy file (`strategy.legal`, `strategy.theme_colour`); a fact the operator has not given
shows as "not yet given" instead of an invented one. The privacy policy lists what the platform stores from its own
models: every category names a model and its fields, and only categories whose model is installed appear (a test
checks that every named field exists, so the page cannot drift from the schema)."""

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from kompass.strategy import selectors

LEGAL_KEYS = ("publisher", "address", "represented_by", "email", "phone", "responsible_for_content",
              "supervisory_authority", "data_protection_officer", "privacy_authority", "hosting",
              "accessibility_status", "accessibility_known_issues", "accessibility_contact_email",
              "accessibility_evaluated_on", "enforcement_body")
ACCESSIBILITY_STATUS = {
    "full": _("This website is fully compliant with BITV 2.0."),
    "partial": _("This website is partially compliant with BITV 2.0. The parts that are not accessible are listed "
                 "below."),
    "none": _("This website is not yet compliant with BITV 2.0."),
}
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class DataCategory:
    title: str
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]  # model fields; FIELD_LABELS says what a person calls them
    purpose: str
    basis: str
    retention: str


FIELD_LABELS = {
    "email": _("e-mail address"), "display_name": _("display name"), "language": _("language"),
    "email_digest": _("email digest"), "last_login": _("last login"), "date_joined": _("registered on"),
    "key": _("hash of address and e-mail"), "occurred_at": _("time"), "created_at": _("time"), "title": _("title"),
    "text": _("text"), "latitude": _("place on the map"), "idea": _("idea"), "user": _("user account"),
    "name": _("name"), "address": _("postal address"), "role": _("role"), "organisation": _("organisation"),
    "actor_label": _("pseudonymous account number of the person acting"), "action": _("action"),
    "username": _("e-mail address used"), "ip_address": _("IP address"), "user_agent": _("browser identification"),
    "attempt_time": _("time"),
}
DATA_CATEGORIES = (
    DataCategory(_("User account"), "accounts.User",
                 ("email", "display_name", "language", "email_digest", "last_login", "date_joined"),
                 _("Logging in, showing your contributions under your chosen name, sending the notifications you "
                   "asked for."),
                 _("Art. 6(1)(e) GDPR with your consent when registering (Art. 6(1)(a))."),
                 _("Until you delete your account under “My account”; then the account is really deleted and your "
                   "contributions stay without your name.")),
    DataCategory(_("Failed logins"), "axes.AccessAttempt", ("username", "ip_address", "user_agent", "attempt_time"),
                 _("Slowing down password guessing: failed attempts per account are counted, never the password; "
                   "successful logins are not logged."),
                 _("Art. 6(1)(e) GDPR and Art. 32 GDPR (security of processing)."),
                 _("Removed when the lock-out window ends, after a successful login and with the account.")),
    DataCategory(_("Ideas and comments"), "participation.Idea", ("title", "text", "latitude", "created_at"),
                 _("Publishing your idea in the Arena of ideas and discussing it."),
                 _("Art. 6(1)(e) GDPR."),
                 _("As long as the strategy runs; you can delete your own comments, moderators hide contributions "
                   "that break the guidelines.")),
    DataCategory(_("Supports and follows"), "participation.Support", ("idea", "user", "created_at"),
                 _("Counting support for an idea and notifying you about ideas you follow."),
                 _("Art. 6(1)(e) GDPR."),
                 _("Until you withdraw it or delete your account.")),
    DataCategory(_("Citizens' panel: invitation and registration"), "lottery.PersonalData",
                 ("name", "email", "address"),
                 _("Inviting randomly drawn residents, registering respondents and contacting the people selected. "
                   "The draw itself uses only pseudonyms and the characteristics needed for the quotas."),
                 _("Art. 6(1)(e) GDPR with the consent given at registration."),
                 _("Deleted at the retention date shown for each panel; the published result keeps only "
                   "pseudonyms.")),
    DataCategory(_("Team work on measures"), "lifecycle.TeamMember", ("user", "role", "organisation"),
                 _("Showing who works on a measure and who may change it."),
                 _("Art. 6(1)(e) GDPR."),
                 _("As long as you are a member of the team.")),
    DataCategory(_("Audit trail"), "audit.AuditEvent", ("actor_label", "action", "occurred_at"),
                 _("Proving who changed what and when, as administrative law requires."),
                 _("Art. 6(1)(c) and (e) GDPR."),
                 _("Kept with the records of the strategy; the name is kept when an account is deleted.")),
)


def data_categories():
    """The categories whose model is installed, each with the verbose names of its fields."""
    result = []
    for category in DATA_CATEGORIES:
        app_label, model_name = category.model.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        labels = []
        for name in category.fields:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # a field the platform no longer stores is not claimed
            labels.append(str(FIELD_LABELS[name]))
        result.append({"category": category, "fields": labels})
    return result


def _legal(request):
    strategy = selectors.current_strategy_or_none()
    request._kompass_strategy = strategy
    given = (strategy.legal if strategy is not None else {}) or {}
    facts = {key: str(given.get(key, "")).strip() for key in LEGAL_KEYS}
    return strategy, facts


@require_GET
def imprint(request):
    strategy, facts = _legal(request)
    return render(request, "portal/legal/imprint.html", {"facts": facts})


@require_GET
def privacy(request):
    strategy, facts = _legal(request)
    return render(request, "portal/legal/privacy.html", {"facts": facts, "categories": data_categories()})


@require_GET
def accessibility(request):
    strategy, facts = _legal(request)
    try:
        evaluated_on = datetime.date.fromisoformat(facts["accessibility_evaluated_on"])
    except ValueError:
        evaluated_on = None
    return render(request, "portal/legal/accessibility.html", {
        "facts": facts, "evaluated_on": evaluated_on,
        "status_text": ACCESSIBILITY_STATUS.get(facts["accessibility_status"], ACCESSIBILITY_STATUS["partial"])})


@require_GET
@cache_control(max_age=300)
def theme_css(request):
    """The strategy's colour as CSS custom properties (the CSP allows no inline style, so it is a stylesheet)."""
    strategy = selectors.current_strategy_or_none()
    colour = strategy.theme_colour if strategy is not None else ""
    body = "/* Kompass theme from the strategy data */\n"
    if colour and COLOUR.match(colour):
        body += (f":root, [data-kern-theme=light] {{ --kompass-brand: {colour}; "
                 f"--kern-color-action-default: {colour}; }}\n")
    return HttpResponse(body, content_type="text/css; charset=utf-8")
