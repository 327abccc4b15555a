"""`datasets.find` builds only the dataset asked for, and gives exactly the entry of `all_datasets`."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kompass.opendata import datasets, formats

pytestmark = pytest.mark.django_db

BASE = "https://daten.example.org"


def _bytes(ds):
    return formats.json_bytes(ds), [formats.csv_bytes(t) for t in ds.tables]


def test_every_dataset_found_alone_equals_its_catalogue_entry(open_data):
    every = datasets.all_datasets(open_data, BASE)
    groups = {d.group for d in every}
    assert {"monitoring", "lottery"} <= groups  # the data really has the datasets built per measure and panel
    for entry in every:
        alone = datasets.find(open_data, entry.key, BASE)
        assert alone is not None, entry.key
        assert _bytes(alone) == _bytes(entry), entry.key


def test_unknown_keys_are_none(open_data):
    for key in (f"{open_data.slug}-gibt-es-nicht-wirkung", "stadtgremium-gibt-es-nicht", "fremd",
                f"{open_data.slug}-massnahmen-x"):
        assert datasets.find(open_data, key, BASE) is None


def test_one_measure_dataset_does_not_read_the_catalogue(open_data):
    key = next(d.key for d in datasets.all_datasets(open_data, BASE) if d.group == "monitoring")
    with CaptureQueriesContext(connection) as alone:
        datasets.find(open_data, key, BASE)
    with CaptureQueriesContext(connection) as everything:
        datasets.find(open_data, "fremd", BASE)  # falls back to the whole list
    assert len(alone) < len(everything)
    assert not any("lifecycle_lessonlearned" in q["sql"] for q in alone.captured_queries)
