"""Working across silos, Einer-für-Alle replication trees and the strategy office overview."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompass.core.actors import SYSTEM
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import MeasureLifecycle
from tests.factories import add_measures

pytestmark = pytest.mark.django_db


def test_collaboration_figures_match_a_direct_count(client, berlin):
    data = selectors.collaboration(berlin)
    measures = list(berlin.measures.prefetch_related("involved_organisations"))
    multi = sum(1 for m in measures
                if len({m.responsible_organisation_id, *[o.pk for o in m.involved_organisations.all()]}) >= 2)
    assert data["figures"]["multi"] == multi and data["figures"]["measures"] == len(measures)
    assert 0 < data["figures"]["districts_reached"] <= data["figures"]["districts_total"] == 12
    html = client.get(reverse("lifecycle:collaboration")).content.decode()
    assert "<svg" in html and 'role="img"' in html and "<caption>" in html
    first = data["edges"][0]
    assert first["a"].name in html and first["b"].name in html


def test_collaboration_query_count_is_constant(client, berlin):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("lifecycle:collaboration")).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    add_measures(berlin, 30, organisations=5)
    assert queries() == before


def test_replication_trees_and_cycles_are_refused(client, berlin, make_user):
    office = make_user("o@example.org", office=True)
    a, b, c = berlin.measures.order_by("slug")[:3]
    services.replication_set(actor=office, measure=b, original=a)
    services.replication_set(actor=office, measure=c, original=b)
    with pytest.raises(ValidationError):
        services.replication_set(actor=office, measure=a, original=c)
    with pytest.raises(ValidationError):
        services.replication_set(actor=office, measure=a, original=a)
    trees = selectors.replication_trees(berlin)
    assert len(trees) == 1 and trees[0]["measure"] == a
    assert trees[0]["children"][0]["measure"] == b and trees[0]["children"][0]["children"][0]["measure"] == c
    html = client.get(reverse("measures:measure", args=[a.slug])).content.decode()
    assert "Nachgenutzt von" in html and reverse("measures:measure", args=[b.slug]) in html


def test_office_overview_counts_phases_and_flags_stuck_measures(client, berlin, make_user, phases):
    office = make_user("o2@example.org", office=True)
    lc = MeasureLifecycle.objects.filter(measure__strategy=berlin, phase=phases["erprobung"]).first()
    MeasureLifecycle.objects.filter(pk=lc.pk).update(phase_since=timezone.now() - datetime.timedelta(days=2000))
    data = selectors.office_overview(berlin)
    assert sum(r["count"] for r in data["rows"]) == berlin.measures.count()
    assert lc.measure_id in [s["measure"].pk for s in data["stuck"]]
    client.force_login(office)
    page = client.get(reverse("lifecycle:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="phase-bars"' in html and "<caption>" in html
    for row in data["rows"]:
        assert f">{row['count']}</text>" in html
    client.force_login(make_user("citizen@example.org"))
    assert client.get(reverse("lifecycle:overview")).status_code == 403


def test_time_in_phase_is_measured_from_transitions(berlin, phases, pilot):
    services.phase_move(actor=SYSTEM, measure=pilot, to_phase=phases["erprobung"], reason="r")
    data = selectors.office_overview(berlin, now=timezone.now() + datetime.timedelta(days=10))
    row = next(r for r in data["rows"] if r["phase"] == phases["erprobung"])
    assert row["mean_days"] is not None and row["stays"] >= 1


def test_a_measure_cannot_replicate_one_of_another_strategy(berlin, make_user):
    from kompass.strategy.models import Strategy
    from kompass.strategy.services import strategy_load
    from tests.conftest import EXAMPLE_CITY

    strategy_load(actor=SYSTEM, path=EXAMPLE_CITY)
    foreign = Strategy.objects.get(slug="neustadt-digital").measures.order_by("slug").first()
    office = make_user("o2@example.org", office=True)
    for measure, original in ((berlin.measures.order_by("slug").first(), foreign),
                              (foreign, berlin.measures.order_by("slug").first())):
        with pytest.raises(ValidationError):
            services.replication_set(actor=office, measure=measure, original=original)
