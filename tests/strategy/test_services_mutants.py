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
