"""Walk-through of the strategy office and the Chief Digital Officer (issue 13), German UI, on a phone (390 px)
and on a desktop (1280 px): the office overview names the stuck measure; two reviewers' assessments let the CDO
decide a candidate (one is not enough); the spreadsheet export comes back as a preview that lists the changed
field, and "Jetzt importieren" writes it; an evaluation-cycle decision changes only a target's value and keeps
its date. No page on the way scrolls sideways."""

import pytest

from tests.browser.walkthrough import PASSWORD, WIDTHS, check_fits, log_in, new_tab

pytestmark = pytest.mark.django_db(transaction=True)


def _people():
    from kompass.accounts.models import User, UserGroup

    office = User.objects.create_user(email="office-walk@example.org", password=PASSWORD, is_strategy_office=True)
    cdo = User.objects.create_user(email="cdo-walk@example.org", password=PASSWORD, is_cdo=True)
    reviewer = User.objects.create_user(email="reviewer-walk@example.org", password=PASSWORD, is_reviewer=True)
    UserGroup.objects.get(slug="querschnittsteam").members.add(office, reviewer)
    return office, cdo, reviewer


def _prepare():
    from kompass.lifecycle import services
    from kompass.lifecycle.models import SelectionCriterion
    from kompass.monitoring.loader import monitoring_load
    from kompass.strategy.models import Strategy
    from tests.monitoring.conftest import SEED

    office, cdo, reviewer = _people()
    monitoring_load(actor=office, path=SEED)
    strategy = Strategy.objects.get(is_current=True)
    candidate = services.candidate_submit(actor=office, strategy=strategy, title="Digitale Bürgerämter im Kiez",
                                          description="Mobile Bürgerämter mit Terminbuchung.",
                                          source="administration", organisation=strategy.organisations.first())
    criterion = SelectionCriterion.objects.filter(strategy=strategy).first()
    services.assessment_save(actor=reviewer, candidate=candidate, criterion=criterion, score=3,
                             justification="Entlastet die Bürgerämter.")
    return candidate, criterion


def _changed_export(tmp_path):
    from kompass.lifecycle.spreadsheets import export_csv, read_rows
    from kompass.strategy.models import Strategy

    header, rows = read_rows("m.csv", export_csv(Strategy.objects.get(is_current=True)))
    rows = [r for r in rows if r]
    old = rows[0]["title"]
    rows[0]["title"] = old + " – neu"
    lines = [",".join(header)] + [",".join('"' + r[c].replace('"', '""') + '"' for c in header) for r in rows]
    path = tmp_path / "massnahmen.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, rows[0]["slug"], old


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_strategy_office_and_cdo_walk_through(site, browser, device, tmp_path):
    from kompass.lifecycle.models import Candidate
    from kompass.measures.models import Measure
    from kompass.monitoring.models import Indicator

    width = WIDTHS[device]
    candidate, criterion = _prepare()
    wide: dict = {}

    # The strategy office: the overview shows figures and the stuck measure of the demo data.
    office = new_tab(browser, width)
    log_in(office, site, "office-walk@example.org", "/office/process/")
    assert "Smart Water" in office.locator("main").inner_text()
    check_fits(office, wide)

    # The office assesses the candidate too (the second assessor); its saved score is shown again.
    office.goto(site + f"/candidates/{candidate.slug}/")
    office.select_option(f"#assess_score_{criterion.slug}", "4")
    office.fill(f"#assess_why_{criterion.slug}", "Passt zum Wertekompass.")
    office.get_by_role("button", name="Bewertung speichern").click()
    office.wait_for_url(f"**/candidates/{candidate.slug}/")
    assert office.input_value(f"#assess_score_{criterion.slug}") == "4"
    check_fits(office, wide)

    # Spreadsheet round trip: the preview lists the change, nothing is written until "Jetzt importieren".
    path, slug, old_title = _changed_export(tmp_path)
    office.goto(site + "/office/process/spreadsheet/")
    with office.expect_download() as download:
        office.get_by_role("link", name="Als CSV exportieren").click()
    assert download.value.suggested_filename.endswith(".csv")
    office.set_input_files("#id_file", str(path))
    office.get_by_role("button", name="Datei prüfen").click()
    office.wait_for_url("**/jobs/**")
    office.get_by_role("link", name="Ergebnis anzeigen").click()
    report = office.locator("main").inner_text()
    assert "Was sich beim Importieren ändert" in report and old_title + " – neu" in report
    assert Measure.objects.get(slug=slug).title == old_title
    check_fits(office, wide)
    office.get_by_role("button", name="Jetzt importieren").click()
    office.wait_for_url("**/jobs/**")
    assert "erledigt" in office.locator("#job-status").inner_text()
    assert Measure.objects.get(slug=slug).title == old_title + " – neu"

    # An evaluation-cycle decision: only the target value changes, the date stays.
    indicator = Indicator.objects.get(slug="bsp-schulhoefe-buchbar")
    current = indicator.target_versions.order_by("-version").first()
    office.goto(site + "/monitoring/cycles/zyklus-2025/measures/schulhoefe-digital-buchen/decision/")
    form = office.locator("main").inner_text()
    assert "Aktuelles Ziel" in form and "Keine Zieländerung" in form
    check_fits(office, wide)
    office.select_option("#id_kind", "adjust_goals")
    office.fill("#id_reason", "Mehr Schulen machen mit.")
    office.fill(f"#id_target_{indicator.pk}", "45")
    office.get_by_role("button", name="Entscheidung erfassen").click()
    office.wait_for_url("**/monitoring/cycles/zyklus-2025/")
    latest = indicator.target_versions.order_by("-version").first()
    assert (latest.value, latest.target_date) == (45, current.target_date)
    check_fits(office, wide)

    # The CDO decides the candidate: two people have assessed it.
    cdo = new_tab(browser, width)
    log_in(cdo, site, "cdo-walk@example.org", f"/candidates/{candidate.slug}/")
    assert "2 Personen haben diesen Vorschlag bewertet" in cdo.locator("main").inner_text()
    cdo.check("#decide_decision_0")
    cdo.fill("#decide_reason", "Stärkt die Bürgerämter in den Bezirken.")
    cdo.get_by_role("button", name="Entscheidung erfassen").click()
    cdo.wait_for_url(f"**/candidates/{candidate.slug}/")
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ADMITTED and candidate.measure is not None
    assert "Stärkt die Bürgerämter" in cdo.locator("main").inner_text()
    check_fits(cdo, wide)
    assert not wide, wide
    assert not office.errors and not cdo.errors
    office.context.close()
    cdo.context.close()
