"""Every page type of Kompass, public and logged-in, with the data each one needs.

`build_world()` fills the (transactional) test database with the Berlin strategy, the monitoring seed, a candidate, an
idea with a comment, a consultation with statements, a lesson, a citizens' panel with respondents and a finished job,
and returns the page types as `Page(name, path, role)`. The layout test (no sideways scrolling, axe-core) and the
screenshot command (`make screenshots`) both walk this list, so a new page type added here is tested and
photographed at once."""

import datetime
from dataclasses import dataclass

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


def build_world() -> list[Page]:
    from django.utils import timezone

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
    ]
    return pages


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
