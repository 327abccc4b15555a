"""Rebuild the German full-text GIN index from the expression the catalogue now queries through
`django.contrib.postgres.search` (`SearchVector("search_document", config="german")`, which wraps the column in
COALESCE), so PostgreSQL keeps using it. SQLite has no full-text index (plain-text fallback)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

OLD_INDEX = "measures_measure_search_de"
INDEX = "measures_measure_search_de2"


def _index():
    return GinIndex(SearchVector("search_document", config="german"), name=INDEX)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.add_index(apps.get_model("measures", "Measure"), _index())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("measures", "Measure"), _index())
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON measures_measure "
        "USING gin (to_tsvector('german'::regconfig, search_document))"
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_search_index_postgresql")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
