import datetime

import pytest

from kompass.lifecycle.models import SECTION_KEYS, Phase


@pytest.fixture
def phases(berlin):
    return {p.slug: p for p in Phase.objects.filter(strategy=berlin)}


@pytest.fixture
def fresh(berlin):
    """A Berlin measure in the Vorprozess (no starting phase in the data file)."""
    from kompass.lifecycle.models import MeasureLifecycle

    return (berlin.measures.exclude(pk__in=MeasureLifecycle.objects.values("measure_id"))
            .select_related("responsible_organisation", "strategy").order_by("slug").first())


@pytest.fixture
def people(make_user, fresh):
    """One user per role, relative to the measure `fresh`."""
    from kompass.lifecycle.models import TeamMember

    org = fresh.responsible_organisation
    users = {
        "citizen": make_user("citizen@example.org"),
        "member": make_user("member@example.org", member_of=[org]),
        "coordinator": make_user("coord@example.org", coordinator_of=[org]),
        "reviewer": make_user("reviewer@example.org"),
        "cdo": make_user("cdo@example.org"),
        "office": make_user("office@example.org", office=True),
        "admin": make_user("admin@example.org", admin=True),
        "lead": make_user("lead@example.org", member_of=[org]),
    }
    users["reviewer"].is_reviewer = True
    users["reviewer"].save()
    users["cdo"].is_cdo = True
    users["cdo"].save()
    TeamMember.objects.create(measure=fresh, user=users["member"], role="member", organisation=org)
    TeamMember.objects.create(measure=fresh, user=users["lead"], role="lead", organisation=org)
    return users


def complete_sections(text="Text"):
    return {key: f"{text} {key}" for key in SECTION_KEYS}


@pytest.fixture
def ready(fresh, people):
    """`fresh` with everything the Vorprozess exit criteria ask for."""
    from kompass.lifecycle import services

    services.mandate_record(actor=people["coordinator"], measure=fresh, given_by="decision_round",
                            given_on=datetime.date(2025, 3, 1))
    services.description_save(actor=people["member"], measure=fresh, sections=complete_sections())
    return fresh


@pytest.fixture(autouse=True)
def _indicator_gate_placeholder():
    """These tests exercise the gate mechanics with a criterion Kompass cannot check (the team confirms it).
    With the monitoring app installed "has_indicator" is a real check; tests/monitoring/test_gate_integration.py
    covers that one."""
    from kompass.lifecycle import criteria

    original = criteria.CRITERIA["has_indicator"]
    criteria.CRITERIA["has_indicator"] = criteria.Criterion(
        name="has_indicator", label=original.label, check=criteria.has_indicator_placeholder)
    yield
    criteria.CRITERIA["has_indicator"] = original
