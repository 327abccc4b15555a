"""Phases as data, gates with exit criteria, overrides, steps back, timeline, catalogue filter."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.lifecycle import criteria, services
from kompass.lifecycle.models import MeasureLifecycle, MeetingFormat, Phase, PhaseTransition, SelectionCriterion
from tests.conftest import BERLIN, EXAMPLE_CITY
from tests.factories import add_measures

pytestmark = pytest.mark.django_db


def test_berlin_process_is_loaded_from_the_data_file(berlin, phases):
    assert list(Phase.objects.filter(strategy=berlin).values_list("slug", flat=True)) == [
        "vorprozess", "exploration", "erprobung", "entwicklung", "skalierung"]
    assert phases["vorprozess"].exit_criteria == ["team_with_roles", "mandate_recorded", "description_complete"]
    assert phases["exploration"].exit_criteria == ["has_indicator"] and phases["exploration"].skippable
    assert phases["skalierung"].exit_criteria == ["lessons_published"]
    assert set(MeetingFormat.objects.filter(strategy=berlin).values_list("name", flat=True)) == {
        "Steuerungsrunde", "Maßnahmenteam", "Expert:innendialog", "Maßnahmenwerkstatt", "Entscheidungsrunde"}
    assert SelectionCriterion.objects.filter(strategy=berlin, value__isnull=False).count() == 4
    assert MeasureLifecycle.objects.filter(measure__strategy=berlin).count() > 20
    assert MeasureLifecycle.objects.get(measure__slug="smart-space-hardenbergplatz").phase.slug == "entwicklung"


def test_loading_twice_changes_nothing_and_keeps_team_moves(berlin, phases, pilot):
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    services.phase_move(actor=SYSTEM, measure=pilot, to_phase=phases["erprobung"], reason="back to prototyping")
    report = strategy_load(actor=STRATEGY_LOADER, path=BERLIN)
    assert report.changed == 0
    assert MeasureLifecycle.objects.get(measure=pilot).phase.slug == "erprobung"


def test_example_city_has_its_own_shorter_process():
    from kompass.strategy.models import Strategy
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    strategy_load(actor=STRATEGY_LOADER, path=EXAMPLE_CITY)
    city = Strategy.objects.get(slug="neustadt-digital")
    assert list(city.phases.values_list("slug", flat=True)) == ["idee", "umsetzung", "betrieb"]
    assert MeasureLifecycle.objects.get(measure__slug="faehr-fahrplan-live").phase.slug == "betrieb"
    assert dict(city.meeting_formats.values_list("slug", "gives_mandate")) == {"teamtreffen": False,
                                                                              "ratsbeschluss": True}
    transition = PhaseTransition.objects.get(measure__slug="faehr-fahrplan-live")
    assert (transition.kind, transition.from_phase, transition.actor_label) == (
        "initial", None, "system:load-strategy example-city.yaml")


def test_bad_process_references_are_reported_with_their_path(tmp_path):
    from kompass.strategy.loader import StrategyFileError
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    text = BERLIN.read_text(encoding="utf-8").replace("    smart-water: entwicklung", "    smart-water: atlantis")
    text = text.replace("    value: resilient", "    value: unbekannt")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("file: ../geo/", f"file: {BERLIN.parent.parent}/geo/"), encoding="utf-8")
    with pytest.raises(StrategyFileError) as info:
        strategy_load(actor=STRATEGY_LOADER, path=bad)
    rendered = info.value.render()
    assert "process.measure_phases.smart-water: unknown phase 'atlantis'" in rendered
    assert "selection_criteria[2].value: unknown value 'unbekannt'" in rendered


def test_measures_without_a_record_are_in_the_first_phase(fresh, phases):
    assert services.current_phase(fresh) == phases["vorprozess"]


def test_leaving_the_vorprozess_needs_team_mandate_and_description(fresh, people, phases):
    with pytest.raises(ValidationError) as info:
        services.phase_move(actor=people["member"], measure=fresh, to_phase=phases["exploration"])
    assert info.value.messages == [
        "Austrittskriterien nicht erfüllt: Ein Mandat ist erfasst; Die Maßnahmenbeschreibung ist vollständig"]
    assert not PhaseTransition.objects.filter(measure=fresh).exists()


def test_team_moves_forward_when_criteria_hold(ready, people, phases):
    t = services.phase_move(actor=people["member"], measure=ready, to_phase=phases["exploration"])
    assert t.kind == "forward" and all(c["met"] for c in t.criteria)
    assert services.current_phase(ready) == phases["exploration"]
    event = AuditEvent.objects.filter(action="measure.phase_changed", object_id=str(ready.pk)).latest("id")
    assert event.changes["phase"] == ["vorprozess", "exploration"]


def test_a_team_with_only_a_lead_is_not_enough(ready, people, phases):
    from kompass.lifecycle.models import TeamMember

    TeamMember.objects.filter(measure=ready, role="member").delete()
    result = {c["name"]: c for c in services.gate_check(ready, phases["exploration"])[1]}
    assert result["team_with_roles"]["met"] is False


def test_the_strategy_office_overrides_with_a_reason(fresh, people, phases):
    with pytest.raises(PermissionDenied):
        services.phase_move(actor=people["coordinator"], measure=fresh, to_phase=phases["exploration"],
                            override=True, reason="urgent")
    with pytest.raises(ValidationError):
        services.phase_move(actor=people["office"], measure=fresh, to_phase=phases["exploration"], override=True)
    t = services.phase_move(actor=people["office"], measure=fresh, to_phase=phases["exploration"], override=True,
                            reason="Mandate follows in the next Digitalkabinett.")
    assert t.kind == "override" and t.reason.startswith("Mandate")


def test_stepping_back_needs_a_reason_and_may_go_to_any_earlier_phase(pilot, phases, make_user):
    lead = make_user("l@example.org", coordinator_of=[pilot.responsible_organisation])
    with pytest.raises(ValidationError):
        services.phase_move(actor=lead, measure=pilot, to_phase=phases["vorprozess"])
    t = services.phase_move(actor=lead, measure=pilot, to_phase=phases["vorprozess"], reason="New mandate needed")
    assert t.kind == "back" and services.current_phase(pilot) == phases["vorprozess"]


def test_exploration_may_be_skipped_when_the_team_confirms_the_indicator(ready, people, phases):
    with pytest.raises(ValidationError):
        services.phase_move(actor=people["member"], measure=ready, to_phase=phases["erprobung"])
    t = services.phase_move(actor=people["member"], measure=ready, to_phase=phases["erprobung"],
                            confirmed=["has_indicator"])
    assert {c["name"] for c in t.criteria} >= {"team_with_roles", "has_indicator"}
    assert [c["name"] for c in t.criteria if c.get("confirmed")] == ["has_indicator"]
    with pytest.raises(ValidationError):  # Erprobung is not skippable
        services.phase_move(actor=people["member"], measure=ready, to_phase=phases["skalierung"])


def test_completing_skalierung_needs_published_lessons(berlin, phases, make_user):
    lc = MeasureLifecycle.objects.filter(measure__strategy=berlin, phase=phases["skalierung"]).select_related(
        "measure").first()
    office = make_user("o@example.org", office=True)
    with pytest.raises(ValidationError):
        services.phase_move(actor=office, measure=lc.measure, to_phase=None)
    services.lesson_create(actor=office, measure=lc.measure, title="Früh beteiligen", what_worked="a",
                           what_did_not="b", recommendation="c", tags="Beteiligung, Daten")
    t = services.phase_move(actor=office, measure=lc.measure, to_phase=None)
    assert t.kind == "complete"
    lc.refresh_from_db()
    assert lc.completed_at is not None
    with pytest.raises(ValidationError):
        services.phase_move(actor=office, measure=lc.measure, to_phase=None)


def test_criteria_are_pluggable(ready, people, phases):
    original = criteria.CRITERIA["has_indicator"]
    try:
        @criteria.register_criterion("has_indicator", "indicator", replace=True)
        def always(measure):
            return criteria.CriterionResult(True)

        with pytest.raises(ValueError):
            criteria.register_criterion("has_indicator", "twice")(always)
        criteria.register_criterion("has_indicator", "placeholder", default=True)(lambda m: None)
        assert criteria.CRITERIA["has_indicator"].check is always  # a default never replaces a real check
        services.phase_move(actor=people["member"], measure=ready, to_phase=phases["erprobung"])
    finally:
        criteria.CRITERIA["has_indicator"] = original


def test_measure_page_shows_phase_and_timeline(client, ready, people, phases):
    services.phase_move(actor=people["member"], measure=ready, to_phase=phases["exploration"])
    html = client.get(reverse("measures:measure", args=[ready.slug])).content.decode()
    assert 'aria-current="step"><span><span class="phase-steps__name">Exploration<' in html
    assert 'class="timeline"' in html and "Vorprozess → Exploration" in html


def test_measure_page_query_count_is_constant_with_more_transitions(client, pilot, phases):
    url = reverse("measures:measure", args=[pilot.slug])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for phase in ("erprobung", "exploration", "erprobung", "entwicklung"):
        services.phase_move(actor=SYSTEM, measure=pilot, to_phase=phases[phase], reason="r",
                            confirmed=["has_indicator"])
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_catalogue_filters_by_phase(client, berlin, phases):
    counts = {}
    for slug in phases:
        response = client.get(reverse("measures:catalogue"), {"phase": slug})
        assert response.status_code == 200
        counts[slug] = response.context["page"].paginator.count
    assert sum(counts.values()) == berlin.measures.count()
    in_data = MeasureLifecycle.objects.filter(measure__strategy=berlin)
    assert counts["vorprozess"] == berlin.measures.count() - in_data.count()
    assert counts["skalierung"] == in_data.filter(phase__slug="skalierung").count()
    bad = client.get(reverse("measures:catalogue"), {"phase": "atlantis"})
    assert bad.status_code == 200 and "atlantis" in bad.content.decode()
    api = client.get("/api/v1/measures", {"phase": "skalierung", "limit": 100})
    assert api.json()["count"] == counts["skalierung"]
    assert client.get("/api/v1/measures", {"phase": "atlantis"}).status_code == 400


def test_catalogue_phase_filter_query_count_is_constant(client, berlin):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("measures:catalogue"), {"phase": "vorprozess"}).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    add_measures(berlin, 40)
    assert queries() == before
