"""A GIN index for German full-text search on PostgreSQL. SQLite uses the plain-text fallback instead."""

from django.db import migrations

INDEX = "measures_measure_search_de"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON measures_measure "
            "USING gin (to_tsvector('german'::regconfig, search_document))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
