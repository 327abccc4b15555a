"""Every page type of Kompass, public and logged-in, with the data each one needs.

`build_world()` fills the (transactional) test database with the Berlin strategy, the monitoring seed, a candidate, an
idea with a comment, a consultation with statements, a lesson, citizens' panels (with respondents, with invitation
codes, published), harvested records of another city, a hidden idea, a locked account, a used-up comment limit and a
finished job, and returns the page types as `Page(name, path, role)`; a page with `post` is the answer to that form
post (`visit()` in the browser, `fetch()` with Django's test client). Tests that walk the list use the urlconf
tests/browser/urls.py, which adds a failing address for the server-error page. The layout test (no sideways
scrolling, axe-core) and the screenshot command (`make screenshots`) both walk this list, so a new page type added
here is tested and photographed at once."""

import datetime
from dataclasses import dataclass
from unittest import mock

from django.utils import timezone

PASSWORD = "S3cure-pass-word"
CATEGORIES = {"Geschlecht": ["weiblich", "männlich"], "Bezirk": ["Mitte", "Pankow", "Spandau"]}
QUOTAS = {"Geschlecht": {"weiblich": (3, 5), "männlich": (3, 5)},
          "Bezirk": {"Mitte": (2, 4), "Pankow": (2, 4), "Spandau": (1, 3)}}


def pool_csv(n: int = 30) -> bytes:
    lines = ["name,email,address,Geschlecht,Bezirk"]
    for i in range(n):
        lines.append(f"Vorname{i} Zufallsname,p{i}@example.org,Straße {i},{CATEGORIES['Geschlecht'][i % 2]},"
                     f"{CATEGORIES['Bezirk'][i % 3]}")
    return ("\n".join(lines) + "\n").encode()
ROLES = {"visitor": None, "citizen": "buerger@example.org", "admin": "admin-ui@example.org"}


@dataclass(frozen=True)
class Page:
    name: str  # also the screenshot file name
    path: str
    role: str = "visitor"
    status: int = 200
    post: dict | None = None  # the page is the answer to posting this form data to `path`


def build_world() -> list[Page]:
    from kompass.accounts.models import User
    from kompass.jobs.models import Job
    from kompass.lifecycle import services as lifecycle
    from kompass.lifecycle.models import SECTION_KEYS, MeasureLifecycle
    from kompass.lottery import services as lottery
    from kompass.measures.models import Measure
    from kompass.monitoring.loader import monitoring_load
    from kompass.monitoring.models import EvaluationCycle
    from kompass.participation import services as participation
    from kompass.strategy.models import Strategy
    from tests.monitoring.conftest import SEED

    strategy = Strategy.objects.get(is_current=True)
    admin = User.objects.create_superuser(email=ROLES["admin"], password=PASSWORD)
    admin.display_name = "Amt für Digitales"
    admin.save()
    citizen = User.objects.create_user(email=ROLES["citizen"], password=PASSWORD)
    citizen.display_name = "Kiezfuchs"
    citizen.save()
    monitoring_load(actor=admin, path=SEED)

    pilot = Measure.objects.filter(is_pilot=True).order_by("slug").first()
    example = Measure.objects.filter(is_example=True).order_by("slug").first()
    monitored = "bodenfeuchte-sensoren-strassenbaeume"
    fresh = (Measure.objects.exclude(pk__in=MeasureLifecycle.objects.values("measure_id"))
             .select_related("responsible_organisation").order_by("slug").first())
    for draft in ("Erster Entwurf", "Überarbeitete Fassung"):
        lifecycle.description_save(actor=admin, measure=fresh,
                                   sections={k: f"{draft}, Abschnitt {n}." for n, k in enumerate(SECTION_KEYS, 1)})
    lifecycle.team_member_set(actor=admin, measure=fresh, user=admin, role="lead",
                              organisation=fresh.responsible_organisation)
    lifecycle.lesson_create(actor=admin, measure=fresh, title="Früh mit den Bezirken sprechen",
                            what_worked="Gemeinsame Workshops.", what_did_not="Lange Abstimmungswege.",
                            recommendation="Bezirke von Anfang an ins Team holen.", tags="Bezirke")
    candidate = lifecycle.candidate_submit(actor=admin, strategy=strategy, title="Digitale Bürgerämter im Kiez",
                                           description="Mobile Bürgerämter mit Terminbuchung.", source="administration")
    idea = participation.idea_create(actor=citizen, strategy=strategy, title="Offenes WLAN im Volkspark",
                                     text="Kostenloses WLAN an den Spielplätzen und Bänken.",
                                     action_fields=list(strategy.action_fields.all()[:1]),
                                     districts=list(strategy.districts.all()[:1]),
                                     latitude=52.52, longitude=13.40)  # a place: the idea page shows its map
    participation.comment_create(actor=admin, text="Danke, wir prüfen das mit dem Bezirksamt.", idea=idea)
    now = timezone.now()
    consultation = participation.consultation_create(
        actor=admin, strategy=strategy, slug="leitlinien-offene-daten", title="Leitlinien für offene Daten",
        opens_at=now - datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=30), kind="statements",
        description="Sagen Sie uns, was Ihnen bei offenen Daten wichtig ist.",
        statements=["Daten sollen maschinenlesbar sein.", "Jede Behörde veröffentlicht ihre Daten.",
                    "Datenschutz geht vor Offenheit."])
    panel = lottery.panel_create(actor=admin, slug="stadtgremium-2027", title="Stadtgremium 2027",
                                 purpose="Auswahl des Stadtgremiums für die Digitalstrategie.",
                                 retention_date=datetime.date.today() + datetime.timedelta(days=365), size=8,
                                 categories=CATEGORIES, lottery_panels=200)
    lottery.respondents_import(actor=admin, panel=panel, content=pool_csv(), filename="pool.csv")
    lottery.quotas_set(actor=admin, panel=panel, quotas=QUOTAS)
    job = Job.objects.create(kind="monitoring.report", title="Monitoringbericht Zyklus 2024", status="done",
                             progress_done=58, progress_total=58, created_by=admin, finished_at=now)
    preview, refused = _spreadsheet_jobs(strategy, admin, now)
    cycle = EvaluationCycle.objects.order_by("-slug").first()
    indicator = "bsp-nachnutzungen"
    # the coordinators' workspace sections, edit pages, an open invitation and "Meine Aufgaben"
    mandate = lifecycle.mandate_record(actor=admin, measure=fresh, given_by="decision_round",
                                       given_on=datetime.date(2025, 3, 1), budget_eur=120000)
    milestone = lifecycle.milestone_create(actor=admin, measure=fresh, title="Werkstatt mit den Bezirken",
                                           due_on=datetime.date(2025, 6, 30), owner=admin)
    invitation = lifecycle.invitation_send(actor=admin, measure=fresh, email="neu@example.org", role="member")
    token = lifecycle.invitation_token(invitation)
    comment = idea.comments.order_by("pk").first()
    more = _more_world(admin, citizen, idea)

    pages = [
        Page("home", "/"), Page("values", "/values/"), Page("perspectives", "/perspectives/"),
        Page("principles", "/principles/"), Page("action-fields", "/action-fields/"),
        Page("catalogue", "/measures/"), Page("catalogue-filtered", "/measures/?district=mitte&status=running"),
        Page("catalogue-empty", "/measures/?q=xylophonquartett"),
        Page("measure", f"/measures/{pilot.slug}/"), Page("measure-easy", f"/measures/{pilot.slug}/?sprache=leicht"),
        Page("measure-example", f"/measures/{example.slug}/"), Page("measure-monitored", f"/measures/{monitored}/"),
        Page("measure-description", f"/measures/{fresh.slug}/description/"),
        Page("measure-description-history", f"/measures/{fresh.slug}/description/history/"),
        Page("factsheet", f"/measures/{fresh.slug}/factsheet/"),
        Page("organisations", "/organisations/"),
        Page("organisation", f"/organisations/{pilot.responsible_organisation.slug}/"),
        Page("districts", "/districts/"), Page("district", "/districts/mitte/"), Page("data", "/data/"),
        Page("imprint", "/impressum/"), Page("privacy", "/datenschutz/"), Page("accessibility", "/barrierefreiheit/"),
        Page("lessons", "/lessons/"), Page("candidates", "/candidates/"),
        Page("candidate", f"/candidates/{candidate.slug}/"), Page("collaboration", "/collaboration/"),
        Page("monitoring", "/monitoring/"), Page("monitoring-cycles", "/monitoring/cycles/"),
        Page("monitoring-cycle", f"/monitoring/cycles/{cycle.slug}/"),
        Page("monitoring-indicator", f"/monitoring/indicators/{indicator}/"),
        Page("monitoring-report", f"/monitoring/cycles/{cycle.slug}/report/"),
        Page("ideas", "/ideas/"), Page("idea", f"/ideas/{idea.pk}/"), Page("ideas-map", "/ideas/map/"),
        Page("consultations", "/consultations/"), Page("consultation", f"/consultations/{consultation.slug}/"),
        Page("opinion-map", f"/consultations/{consultation.slug}/map/"),
        Page("guidelines", "/participation/guidelines/"),
        Page("panels", "/stadtgremium/"),
        Page("lottery-register", "/stadtgremium/register/"),
        Page("login", "/accounts/login/"), Page("register", "/accounts/register/"),
        Page("password-reset", "/accounts/password-reset/"),
        Page("resend-confirmation", "/accounts/confirm-again/"),
        Page("not-found", "/gibt-es-nicht/", status=404),
        Page("home-en", "/en/"), Page("measure-en", f"/en/measures/{pilot.slug}/"),
        # logged in as a citizen
        Page("idea-new", "/ideas/new/", "citizen"), Page("notifications", "/notifications/", "citizen"),
        Page("account", "/accounts/settings/", "citizen"),
        Page("forbidden", "/office/process/", "citizen", status=403),
        # staff (a superuser sees every staff page)
        Page("workspace", f"/measures/{fresh.slug}/process/", "admin"),
        Page("description-edit", f"/measures/{fresh.slug}/description/edit/", "admin"),
        Page("measure-edit", f"/measures/{pilot.slug}/edit/", "admin"),
        Page("measure-new", "/measures/new/", "admin"),
        Page("process-overview", "/office/process/", "admin"),
        Page("spreadsheet", "/office/process/spreadsheet/", "admin"),
        Page("candidate-new", "/candidates/new/", "admin"),
        Page("candidate-staff", f"/candidates/{candidate.slug}/", "admin"),
        Page("moderation", "/moderation/", "admin"),
        Page("moderation-users", "/moderation/users/", "admin"),
        Page("moderation-user", f"/moderation/users/{citizen.pk}/", "admin"),
        Page("consultation-new", "/consultations/new/", "admin"),
        Page("api-tokens", "/accounts/tokens/", "admin"),
        Page("indicator-edit", f"/monitoring/indicators/{indicator}/edit/", "admin"),
        Page("measurement-new", f"/monitoring/indicators/{indicator}/measurements/new/", "admin"),
        Page("monitoring-upload", f"/monitoring/measures/{monitored}/upload/", "admin"),
        Page("monitoring-inputs", f"/monitoring/measures/{monitored}/inputs/", "admin"),
        Page("cycle-new", "/monitoring/cycles/new/", "admin"),
        Page("review", f"/monitoring/cycles/{cycle.slug}/measures/{monitored}/review/", "admin"),
        Page("decision", f"/monitoring/cycles/{cycle.slug}/measures/{monitored}/decision/", "admin"),
        Page("lottery-office", "/stadtgremium/office/", "admin"),
        Page("lottery-manage", f"/stadtgremium/{panel.slug}/manage/", "admin"),
        Page("lottery-respondents", f"/stadtgremium/{panel.slug}/manage/respondents/", "admin"),
        Page("job", f"/jobs/{job.pk}/", "admin"),
        Page("spreadsheet-preview", f"/office/process/spreadsheet/?job={preview.pk}", "admin"),
        Page("job-refused", f"/jobs/{refused.pk}/", "admin"),
        Page("workspace-team", f"/measures/{fresh.slug}/process/team/", "admin"),
        Page("workspace-plan", f"/measures/{fresh.slug}/process/milestones/", "admin"),
        Page("workspace-logbook", f"/measures/{fresh.slug}/process/logbook/", "admin"),
        Page("workspace-lessons", f"/measures/{fresh.slug}/process/lessons/", "admin"),
        Page("milestone-edit", f"/measures/{fresh.slug}/process/milestones/{milestone.pk}/edit/", "admin"),
        Page("mandate-edit", f"/measures/{fresh.slug}/process/mandate/{mandate.pk}/edit/", "admin"),
        Page("my-tasks", "/my-tasks/", "admin"),
        Page("overdue-updates", "/monitoring/overdue/", "admin"),
        Page("invitation", f"/invitations/{token}/"),
        # monitoring forms, own comment, account and password pages
        Page("goal-new", f"/monitoring/measures/{monitored}/goals/new/", "admin"),
        Page("goal-edit", f"/monitoring/measures/{monitored}/goals/{more['goal']}/edit/", "admin"),
        Page("indicator-new", f"/monitoring/measures/{monitored}/goals/{more['goal']}/indicators/new/", "admin"),
        Page("comment-edit", f"/comments/{comment.pk}/edit/", "admin"),
        Page("unsubscribe", f"/participation/unsubscribe/{more['unsubscribe']}/"),
        Page("account-delete", "/accounts/delete/", "citizen"),
        Page("email-verify", f"/accounts/verify/{more['verify']}/"),
        Page("register-sent", "/accounts/register/", post={
            "email": "neu-im-kiez@example.org", "display_name": "Neu im Kiez", "password": PASSWORD,
            "language": "de", "accept": "on"}),
        Page("password-reset-sent", "/accounts/password-reset/sent/"),
        Page("password-reset-confirm", more["reset"]),  # redirects to the form for the new password
        Page("password-reset-complete", "/accounts/password-reset/complete/"),
        # citizens' panels: registration with a code, its answer, a published panel and its audit page
        Page("lottery-register-code", f"/stadtgremium/register/?code={more['codes'][0]}"),
        Page("lottery-register-done", "/stadtgremium/register/", post={
            "code": more["codes"][1], "name": "Erika Mustermann", "email": "erika@example.org",
            "address": "Hauptstraße 1", "f__gender": "female", "f__district": "Mitte", "consent": "on"}),
        Page("panel-published", f"/stadtgremium/{more['published']}/"),
        Page("panel-audit", f"/stadtgremium/{more['published']}/audit/"),
        # open data
        Page("opendata-catalogue", "/catalog"), Page("api-reference", "/data/api/"),
        Page("lessons-other-cities", "/lessons/other-cities/"),
        # refusals and errors
        Page("rate-limited", f"/ideas/{idea.pk}/comment/", "citizen", status=429,
             post={"text": "Noch ein Gedanke zum WLAN."}),
        Page("hidden", f"/ideas/{more['hidden']}/", status=410),
        Page("locked-out", "/accounts/login/", status=429,
             post={"username": more["locked"], "password": "falsch-falsch"}),
        Page("bad-request", "/measures/?q=%00", status=400),
        Page("server-error", "/__test__/server-error/", status=500),  # tests/browser/urls.py
    ]
    return pages


def _more_world(admin, citizen, idea) -> dict:
    """Goals, tokens, a published panel, invitation codes, harvested records, a hidden idea and a locked account."""
    from django.contrib.auth.tokens import default_token_generator
    from django.test import TestCase
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from kompass.accounts import services as accounts
    from kompass.accounts import throttle
    from kompass.accounts.models import User
    from kompass.core import ratelimit
    from kompass.core.actors import system_actor
    from kompass.lottery import services as lottery
    from kompass.monitoring.models import Goal
    from kompass.opendata import services as opendata
    from kompass.opendata.models import HarvestedRecord
    from kompass.participation import services as participation
    from tests.lottery_web import conftest as lw

    world = {"goal": Goal.objects.filter(measure__slug="bodenfeuchte-sensoren-strassenbaeume")
             .order_by("slug").first().slug,
             "unsubscribe": participation.unsubscribe_token(citizen)}
    unconfirmed = User.objects.create_user(email="unbestaetigt@example.org", password=PASSWORD, is_active=False)
    world["verify"] = accounts.verification_token(unconfirmed)
    forgetful = User.objects.create_user(email="vergessen@example.org", password=PASSWORD)  # never logs in
    world["reset"] = (f"/accounts/password-reset/{urlsafe_base64_encode(force_bytes(forgetful.pk))}/"
                      f"{default_token_generator.make_token(forgetful)}/")
    retention = datetime.date.today() + datetime.timedelta(days=365)
    invited = lottery.panel_create(actor=admin, slug="stadtgremium-einladung", title="Stadtgremium Einladung",
                                   purpose="Einladung per Code.", retention_date=retention, size=8,
                                   categories=lw.CATEGORIES)
    world["codes"] = [inv.code for inv in lottery.invitations_draw(
        actor=admin, panel=invited, content=lw.register_csv(), filename="r.csv", count=3, strata=["district"],
        seed="s")]
    panel = lottery.panel_create(actor=admin, slug="stadtgremium-2026", title="Stadtgremium 2026",
                                 purpose="Das gewählte Stadtgremium.", retention_date=retention, size=8,
                                 categories=lw.CATEGORIES, lottery_panels=200)
    lottery.respondents_import(actor=admin, panel=panel, content=lw.pool_csv(), filename="pool.csv")
    lottery.quotas_set(actor=admin, panel=panel, quotas=lw.QUOTAS)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the lottery job runs at once
        lottery.selection_start(actor=admin, panel=panel)
    panel.refresh_from_db()
    lottery.hash_publish(actor=admin, panel=panel)
    lottery.panel_draw(actor=admin, panel=panel, seed="3 1 4 1 5 9")
    lottery.panel_publish(actor=admin, panel=panel)
    world["published"] = panel.slug
    source = opendata.source_follow(actor=system_actor("test"), name="Neustadt", url="http://127.0.0.1:9/")
    HarvestedRecord.objects.create(
        source=source, kind="lesson", remote_id="l1", url="http://127.0.0.1:9/m1/", title="Früh testen",
        summary="Mit echten Nutzenden testen.", body="Workshops halfen.\n\nZu späte Tests.",
        parent_url="http://127.0.0.1:9/m1/", parent_title="Maßnahme", content_hash="h2",
        licence_id="cc-by/4.0", licence_title="CC BY 4.0", licence_url="https://creativecommons.org/licenses/by/4.0/",
        changed_at="2025-01-01T00:00:00Z")
    hidden = participation.idea_create(actor=citizen, strategy=idea.strategy, title="Werbung für mein Geschäft",
                                       text="Kaufen Sie bei mir ein.")
    participation.moderation_hide(actor=admin, target=hidden, reason="Werbung")
    world["hidden"] = hidden.pk
    world["locked"] = "gesperrt@example.org"
    User.objects.create_user(email=world["locked"], password=PASSWORD)
    for _ in range(7):  # each lock-out doubles: the seventh lasts the full hour
        throttle.lock_out(world["locked"])
    limit, window = ratelimit.limits("comment")
    now = timezone.now()
    # this window and the next two, the latest first (counting sweeps expired counts): the refusal holds for the
    # whole test run
    for shift in (2, 1, 0):
        with mock.patch("kompass.core.ratelimit.timezone.now", return_value=now + datetime.timedelta(
                seconds=shift * window)):
            for _ in range(limit):
                ratelimit.check_rate(citizen, "comment")
    return world


def fetch(client, page: Page):
    """The page through Django's test client as a browser asks for it (German, HTML; a 500 is an answer too)."""
    client.raise_request_exception = False
    headers = {"HTTP_ACCEPT_LANGUAGE": "de", "HTTP_ACCEPT": "text/html,application/xhtml+xml"}
    if page.post is not None:
        return client.post(page.path, page.post, **headers)
    return client.get(page.path, follow=True, **headers)


POST = """([action, data]) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    for (const [name, value] of Object.entries(data)) {
        const field = document.createElement('input');
        field.type = 'hidden'; field.name = name; field.value = value;
        form.append(field);
    }
    document.body.append(form);
    form.submit();
}"""


def visit(tab, site: str, page: Page):
    """Opens the page in the browser tab; a posted page is the answer to a form the tab submits (with its CSRF
    token), as a person submitting it would see it. Returns the response."""
    if page.post is None:
        return tab.goto(site + page.path)
    tab.goto(site + "/accounts/login/")  # any page: it sets the CSRF cookie
    token = next(c["value"] for c in tab.context.cookies() if c["name"] == "csrftoken")
    with tab.expect_navigation() as navigation:
        tab.evaluate(POST, [page.path, {**page.post, "csrfmiddlewaretoken": token}])
    return navigation.value


def _spreadsheet_jobs(strategy, admin, now):
    """A passed spreadsheet preview that changes two rows, and a refused import (an unknown measure type)."""
    from kompass.jobs.models import Job
    from kompass.lifecycle import services as lifecycle
    from kompass.lifecycle.spreadsheets import export_csv, read_rows

    header, rows = read_rows("m.csv", export_csv(strategy))
    rows = [r for r in rows if r]
    rows[0]["title"] += " (überarbeitet)"
    rows[1]["status"] = "completed"

    def csv(items):
        return ("\n".join([",".join(header)] + [",".join('"' + r[c].replace('"', '""') + '"' for c in header)
                                                 for r in items]) + "\n").encode()

    jobs = []
    for items, title in ((rows, "Prüfung massnahmen.csv"), ([{**rows[2], "type": "zentral"}], "Prüfung fehler.csv")):
        report = lifecycle.measures_import(actor=admin, strategy=strategy, name="m.csv", content=csv(items),
                                           dry_run=True)
        jobs.append(Job.objects.create(
            kind="lifecycle.import", title=title, status="done", progress_done=report.rows,
            progress_total=report.rows, created_by=admin, finished_at=now,
            result={"report": report.as_dict(), "outcome": "done" if report.ok else "refused"},
            task_args=[strategy.pk, admin.pk, "lifecycle/imports/none.csv", title, True]))
    return jobs


def log_in(browser_context, site: str, role: str) -> None:
    """Logs the context in through the real login form (German UI)."""
    if ROLES[role] is None:
        return
    page = browser_context.new_page()
    page.goto(site + "/accounts/login/")
    page.fill("#id_username", ROLES[role])
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login as {role} failed"
    page.close()
