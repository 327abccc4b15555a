"""A coordinator takes a measure from the Vorprozess to Exploration and records a mandate; the public page shows the
new phase. axe-core finds no violation on the public lifecycle pages."""

import pytest

from kompass.core.actors import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "S3cure-pass-word"


def _prepare():
    from kompass.accounts.models import Membership, User
    from kompass.lifecycle import services
    from kompass.lifecycle.models import SECTION_KEYS, MeasureLifecycle
    from kompass.measures.models import Measure

    measure = (Measure.objects.exclude(pk__in=MeasureLifecycle.objects.values("measure_id"))
               .select_related("responsible_organisation").order_by("slug").first())
    org = measure.responsible_organisation
    coordinator = User.objects.create_user(email="koordination-lc@example.org", password=PASSWORD)
    Membership.objects.create(user=coordinator, organisation=org, role=Membership.Role.COORDINATOR)
    lead = User.objects.create_user(email="lead-lc@example.org", password=PASSWORD)
    member = User.objects.create_user(email="member-lc@example.org", password=PASSWORD)
    services.team_member_set(actor=SYSTEM, measure=measure, user=lead, role="lead", organisation=org)
    services.team_member_set(actor=SYSTEM, measure=measure, user=member, role="member", organisation=org)
    services.description_save(actor=SYSTEM, measure=measure, sections={k: f"Text {k}" for k in SECTION_KEYS})
    return measure


def test_coordinator_moves_a_measure_to_exploration(site, page, axe):
    measure = _prepare()
    page.goto(site + f"/accounts/login/?next=/measures/{measure.slug}/process/")
    page.fill("#id_username", "koordination-lc@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**/measures/{measure.slug}/process/")
    assert axe(page) == []  # the team workspace's overview
    page.get_by_role("link", name="Auftrag und Meilensteine").click()
    page.wait_for_url(f"**/measures/{measure.slug}/process/milestones/")
    assert axe(page) == []
    page.select_option("#mandate_given_by", "decision_round")
    page.fill("#mandate_given_on", "2025-06-02")
    page.fill("#mandate_budget_eur", "120000")
    page.get_by_role("button", name="Mandat erfassen").or_(page.get_by_role("button", name="Record mandate")).click()
    page.wait_for_url(f"**/measures/{measure.slug}/process/milestones/#main")
    page.get_by_role("link", name="Überblick").click()
    page.select_option("#tr_to_phase", "exploration")
    page.get_by_role("button", name="Phase wechseln").or_(page.get_by_role("button", name="Change phase")).click()
    page.wait_for_url(f"**/measures/{measure.slug}/process/#main")
    page.goto(site + f"/measures/{measure.slug}/")
    current = page.locator('.phase-steps [aria-current="step"]')
    assert "Exploration" in current.inner_text()
    assert "Vorprozess → Exploration" in page.locator(".timeline").inner_text()


def test_public_lifecycle_pages_have_no_axe_violations(site, page, axe):
    from kompass.lifecycle import services
    from kompass.measures.models import Measure

    measure = _prepare()
    pilot = Measure.objects.filter(is_pilot=True).order_by("slug").first()
    services.lesson_create(actor=SYSTEM, measure=pilot, title="Früh beteiligen", what_worked="a", what_did_not="b",
                           recommendation="c", tags="beteiligung")
    idea = services.candidate_from_idea(actor=SYSTEM, strategy=measure.strategy, source_kind="participation.idea",
                                        source_id=1, title="Bank mit WLAN", text="Idee")
    paths = [f"/measures/{measure.slug}/", f"/measures/{pilot.slug}/", f"/measures/{measure.slug}/description/",
             f"/measures/{measure.slug}/description/history/", f"/measures/{measure.slug}/factsheet/",
             "/lessons/", "/candidates/", f"/candidates/{idea.slug}/", "/collaboration/", "/measures/?phase=erprobung",
             "/en/collaboration/", "/en/lessons/"]
    failures = {}
    for path in paths:
        page.goto(site + path)
        violations = axe(page)
        if violations:
            failures[path] = violations
    assert not failures, failures
