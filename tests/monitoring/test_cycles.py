"""Evaluation cycles: reviews, comments, decisions (adjusting adds target versions), the diff, level-3 figures,
and the report (HTML, PDF as a background job, CLI)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kompass.audit.models import AuditEvent
from kompass.jobs.models import Job
from kompass.measures.models import Measure
from kompass.monitoring import selectors, services
from kompass.monitoring.models import EvaluationCycle, Indicator, TargetVersion

pytestmark = pytest.mark.django_db


def test_seeded_cycle_shows_the_realignment_as_a_diff(seeded, client):
    page = client.get("/en/monitoring/cycles/zyklus-2024/").content.decode()
    assert "bsp-gebaeude-erfasst" in page and "60 (2026, v1)" in page and "60 (2027, v2)" in page  # years as entered
    german = client.get("/monitoring/cycles/zyklus-2024/").content.decode()
    assert "60 (2026, v1)" in german and "60 (2027, v2)" in german  # the seed enters years
    assert "Linear achievement" in page  # method change of the decision
    assert "Realistischer Zeitplan" in page  # the decision's reason
    assert "Leichter Sprache" in page  # a panel comment
    tv = TargetVersion.objects.get(indicator__slug="bsp-gebaeude-erfasst", version=2)
    assert tv.cycle.slug == "zyklus-2024" and tv.reason.startswith("Realistischer")


def test_decisions_validate_and_adjusting_goals_adds_versions(seeded, make_user):
    office = make_user("office@example.org", office=True)
    cycle = services.cycle_open(actor=office, strategy=seeded, slug="z26", name="Zyklus 2026",
                                deadline=datetime.date(2026, 12, 1))
    measure = Measure.objects.get(slug="vergabe-lab-innovative-beschaffung")
    ind = Indicator.objects.get(slug="bsp-innovative-zuschlaege")
    with pytest.raises(ValidationError):
        services.decision_record(actor=office, cycle=cycle, measure=measure, kind="adjust_goals", reason="x")
    with pytest.raises(ValidationError):
        services.decision_record(actor=office, cycle=cycle, measure=measure, kind="continue", reason=" ")
    with pytest.raises(ValidationError):  # indicator of another measure
        services.decision_record(actor=office, cycle=cycle, measure=measure, kind="adjust_goals", reason="x",
                                 new_targets=[(Indicator.objects.get(slug="bsp-nachnutzungen"), 1,
                                               datetime.date(2030, 1, 1))])
    services.decision_record(actor=office, cycle=cycle, measure=measure, kind="adjust_goals", reason="Realistisch",
                             new_targets=[(ind, 12, datetime.date(2029, 1, 1))])
    assert list(ind.target_versions.values_list("version", "value", "cycle__slug")) == [
        (1, 20, None), (2, 12, "z26")]
    view = selectors.cycle_view(cycle)
    assert view.diff["targets"] == [{"key": "bsp-innovative-zuschlaege", "old": "20 (2027, v1)",
                                     "new": "12 (01.01.2029, v2)", "label": ind.name}]
    assert AuditEvent.objects.filter(action="monitoring.decision_recorded", actor=office).exists()
    services.cycle_close(actor=office, cycle=cycle)
    with pytest.raises(ValidationError):  # closed cycles take no more input
        services.review_submit(actor=office, cycle=cycle, measure=measure, learned="zu spät")


def test_decision_form_with_new_target(seeded, make_user, client):
    office = make_user("office@example.org", office=True)
    client.force_login(office)
    ind = Indicator.objects.get(slug="bsp-schulhoefe-buchbar")
    url = "/monitoring/cycles/zyklus-2025/measures/schulhoefe-digital-buchen/decision/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"kind": "adjust_goals", "reason": "Mehr", f"target_{ind.pk}": "viele"})
    assert bad.status_code == 400 and ind.target_versions.count() == 1
    ok = client.post(url, {"kind": "adjust_goals", "reason": "Mehr Höfe", f"target_{ind.pk}": "40",
                           f"date_{ind.pk}": "2028-01-01"})
    assert ok.status_code == 302 and ind.target_versions.count() == 2


def test_review_form_records_assessments(seeded, make_user, client):
    measure = Measure.objects.select_related("responsible_organisation").get(slug="bauteilboerse-kreislaufwirtschaft")
    member = make_user("m@example.org", member_of=[measure.responsible_organisation])
    client.force_login(member)
    goal = measure.monitoring_goals.get(slug="boerse-online")
    url = f"/monitoring/cycles/zyklus-2025/measures/{measure.slug}/review/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"learned": "Start gelungen.", f"rating_{goal.pk}": "partly",
                                 f"text_{goal.pk}": "140 Bauteile", f"holds_{goal.pk}": ""})
    assert response.status_code == 302
    review = measure.monitoring_reviews.get(cycle__slug="zyklus-2025")
    assessment = review.assessments.get()
    assert (assessment.rating, assessment.assumption_holds) == ("partly", False)
    assert client.get("/monitoring/indicators/bsp-bauteile-angeboten/").content.decode().count("Start gelungen.") == 1


def test_strategy_figures(seeded):
    figures = selectors.strategy_figures(seeded)
    assert figures["indicators"] == 17 and figures["measures_monitored"] == 6
    assert figures["chains_complete"] == 5  # the building parts exchange has no impact goal yet
    assert 0 < figures["on_track_share"] < 100 and figures["participation_reach"] == 0
    assert figures["cross_organisation"] <= figures["measures"]


def test_report_html_pdf_job_and_cli(seeded, make_user, client, django_capture_on_commit_callbacks, tmp_path):
    html = client.get("/monitoring/cycles/zyklus-2024/report/").content.decode()
    for fragment in ["<svg", "Bodenfeuchtesensoren", "Realistischer Zeitplan", "<main>"]:
        assert fragment in html
    office = make_user("office@example.org", office=True)
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/monitoring/cycles/zyklus-2024/report/pdf/")
    job = Job.objects.get(kind="monitoring.report")
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert job.status == "done" and job.result_file.read()[:4] == b"%PDF"
    out = tmp_path / "r.html"
    call_command("monitoring_report", "zyklus-2024", "--html", "-o", str(out))
    assert "Realistischer Zeitplan" in out.read_text()
    pdf = tmp_path / "r.pdf"
    call_command("monitoring_report", "zyklus-2024", "-o", str(pdf), "--language", "en")
    assert pdf.read_bytes()[:4] == b"%PDF"
    with pytest.raises(Exception, match="No evaluation cycle"):
        call_command("monitoring_report", "nope")


def test_visitors_cannot_start_reports(seeded, client, make_user):
    assert client.post("/monitoring/cycles/zyklus-2024/report/pdf/").status_code == 403  # ADR 0037
    client.force_login(make_user("x@example.org"))
    assert client.post("/monitoring/cycles/zyklus-2024/report/pdf/").status_code == 403
    assert not Job.objects.filter(kind="monitoring.report").exists()
    assert EvaluationCycle.objects.count() == 2
