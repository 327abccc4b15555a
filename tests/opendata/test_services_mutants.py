"""Open-data service details that the first mutation sample of the platform scope showed unpinned
(docs/mutation/platform.md): an Open SDG import into a measure of another strategy, and what a recorded
replication keeps of the other city's measure."""

import pytest
from django.core.exceptions import ValidationError

from kompass.core.actors import system_actor
from kompass.opendata import services

pytestmark = pytest.mark.django_db
ACTOR = system_actor("opendata-test")


def test_an_open_sdg_import_refuses_a_measure_of_another_strategy_whichever_was_created_first(berlin, tmp_path):
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load
    from tests.strategy.test_loader import mini, write

    strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, mini()))
    from kompass.strategy.models import Strategy

    later = Strategy.objects.get(slug="mini")
    assert later.pk > berlin.pk
    for strategy, measure in ((berlin, later.measures.first()), (later, berlin.measures.order_by("slug").first())):
        with pytest.raises(ValidationError, match="another strategy"):
            services.opensdg_import(actor=ACTOR, strategy=strategy, measure=measure, indicators=[])


def test_a_replication_of_a_harvested_measure_keeps_the_other_city_and_a_bounded_address(berlin):
    from kompass.opendata.models import HarvestedRecord

    source = services.source_follow(actor=ACTOR, name="Neustadt", url="http://127.0.0.1:9/")
    record = HarvestedRecord.objects.create(source=source, kind="measure", remote_id="r", url="http://127.0.0.1:9/m/",
                                            title="Fremde Maßnahme", content_hash="h",
                                            changed_at="2024-01-01T00:00:00Z")
    measure = berlin.measures.order_by("slug").first()
    link = services.replication_record(actor=ACTOR, measure=measure, record=record)
    assert (link.remote_city, link.remote_title, link.record) == ("Neustadt", "Fremde Maßnahme", record)
    assert link.remote_url == "http://127.0.0.1:9/m/"
    long_url = "http://127.0.0.1:9/m/" + "x" * 1200  # an address typed in: cut to the 1,000 characters of the field
    by_address = services.replication_record(actor=ACTOR, measure=measure, remote_url=long_url,
                                             remote_title="Per Adresse")
    assert by_address.remote_city == "" and by_address.record is None
    assert by_address.remote_url == long_url[:1000]


def test_a_harvest_withdraws_what_the_source_dropped_once_and_names_untitled_records_by_their_id(berlin,
                                                                                                 monkeypatch):
    """Three harvests of one source: A and B, then A only (B is withdrawn, with the time of that harvest), then A
    only again (B stays withdrawn from the earlier time and is not counted again). A record without a title is
    listed under its remote id, cut to the 300 characters of a title."""
    import datetime

    from kompass.opendata import federation
    from kompass.opendata.models import HarvestedRecord

    source = services.source_follow(actor=ACTOR, name="Neustadt", url="http://127.0.0.1:9/")
    long_id = "m" * 400
    a = federation.RemoteRecord("measure", "a", "http://127.0.0.1:9/a/", "Maßnahme A")
    b = federation.RemoteRecord("measure", long_id, "http://127.0.0.1:9/b/", "")
    published = [[a, b], [a], [a]]
    monkeypatch.setattr(federation, "read_kompass", lambda url, get: published.pop(0))
    t = [datetime.datetime(2026, 12, day, tzinfo=datetime.UTC) for day in (1, 2, 3)]
    first = services.harvest(actor=ACTOR, source=source, now=t[0])
    assert (first.created, first.withdrawn) == (2, 0)
    assert HarvestedRecord.objects.get(remote_id=long_id).title == long_id[:300]
    second = services.harvest(actor=ACTOR, source=source, now=t[1])
    assert (second.unchanged, second.withdrawn) == (1, 1)
    third = services.harvest(actor=ACTOR, source=source, now=t[2])
    assert (third.unchanged, third.withdrawn) == (1, 0)
    dropped = HarvestedRecord.objects.get(remote_id=long_id)
    assert (dropped.state, dropped.withdrawn_at) == ("withdrawn", t[1])


def test_a_dcat_catalogue_is_followed_at_its_address_as_given_and_a_kompass_instance_without_the_slash(berlin):
    kompass = services.source_follow(actor=ACTOR, name="Neustadt", url="http://127.0.0.1:9/")
    dcat = services.source_follow(actor=ACTOR, name="Katalog", url="http://127.0.0.1:9/catalog/", kind="dcat")
    assert (kompass.url, dcat.url) == ("http://127.0.0.1:9", "http://127.0.0.1:9/catalog/")


def test_a_replication_keeps_at_most_300_characters_of_the_other_measure_s_title(berlin):
    measure = berlin.measures.order_by("slug").first()
    link = services.replication_record(actor=ACTOR, measure=measure, remote_url="http://127.0.0.1:9/lang/",
                                       remote_title="T" * 400)
    assert link.remote_title == "T" * 300


def test_an_import_report_starts_from_zero():
    report = services.SdgImportReport()
    assert (report.indicators_created, report.indicators_updated, report.targets, report.measurements,
            report.skipped_rows, report.slugs) == (0, 0, 0, 0, 0, [])
