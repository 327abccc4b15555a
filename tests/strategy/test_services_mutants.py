"""Which strategy becomes the current one when a strategy file is loaded, pinned where mutation testing found it
loose (docs/mutation/core.md)."""

import pytest

from kompass.strategy.models import Strategy
from kompass.strategy.services import STRATEGY_LOADER, strategy_load
from tests.strategy.test_loader import mini, write

pytestmark = pytest.mark.django_db


def _mini(tmp_path, current=None):
    doc = mini()
    if current is None:
        doc["strategy"].pop("current", None)
    else:
        doc["strategy"]["current"] = current
    return write(tmp_path, doc)


def test_the_first_strategy_without_a_current_one_becomes_current_even_if_the_file_does_not_say_so(tmp_path):
    Strategy.objects.update(is_current=False)
    strategy_load(actor=STRATEGY_LOADER, path=_mini(tmp_path))
    assert list(Strategy.objects.filter(is_current=True).values_list("slug", flat=True)) == ["mini"]


def test_a_new_strategy_that_is_not_current_leaves_the_current_one(berlin, tmp_path):
    strategy_load(actor=STRATEGY_LOADER, path=_mini(tmp_path))
    assert list(Strategy.objects.filter(is_current=True).values_list("slug", flat=True)) == ["berlin-gdb"]


def test_reloading_the_current_strategy_without_the_flag_keeps_it_current(tmp_path):
    strategy_load(actor=STRATEGY_LOADER, path=_mini(tmp_path, current=True))
    for current in (None, False):
        report = strategy_load(actor=STRATEGY_LOADER, path=_mini(tmp_path, current=current))
        assert Strategy.objects.get(slug="mini").is_current
        assert report.counts["strategy"]["unchanged"] == 1


def test_loading_the_same_file_twice_changes_nothing_even_without_a_current_strategy(tmp_path):
    strategy_load(actor=STRATEGY_LOADER, path=_mini(tmp_path, current=False))
    Strategy.objects.update(is_current=False)
    report = strategy_load(actor=STRATEGY_LOADER, path=_mini(tmp_path, current=False))
    assert not Strategy.objects.filter(is_current=True).exists()
    assert report.changed == 0


def test_a_strategy_file_loads_its_principle_groups_with_their_principles_in_order(tmp_path):
    from kompass.strategy.models import Principle, PrincipleGroup

    doc = mini()
    doc["principle_groups"] = [
        {"slug": "g1", "name": "Gruppe Eins", "principles": [{"slug": "p1", "name": "Erstes"},
                                                             {"slug": "p2", "name": "Zweites"}]},
        {"slug": "g2", "name": "Gruppe Zwei", "principles": [{"slug": "p3", "name": "Drittes"}]},
    ]
    report = strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    strategy = Strategy.objects.get(slug="mini")
    groups = PrincipleGroup.objects.filter(strategy=strategy).order_by("position")
    assert [(g.slug, g.position) for g in groups] == [("g1", 0), ("g2", 1)]
    principles = Principle.objects.filter(group__strategy=strategy).order_by("group__position", "position")
    assert [(p.slug, p.group.slug, p.position) for p in principles] == [("p1", "g1", 0), ("p2", "g1", 1),
                                                                      ("p3", "g2", 0)]
    assert report.counts["principle_group"]["created"] == 2 and report.counts["principle"]["created"] == 3
