"""Existing search documents get the umlaut fold new saves write (core.text.fold, ADR 0078): a pure data
migration that rewrites one text column in batches; the column and its index stay as they are."""

from django.db import migrations

UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))  # a frozen copy of core.text.fold


def fold_documents(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    batch = []
    for measure in Measure.objects.only("pk", "search_document").iterator(chunk_size=500):
        text = measure.search_document.lower()
        for char, plain in UMLAUTS:
            text = text.replace(char, plain)
        if text != measure.search_document:
            measure.search_document = text
            batch.append(measure)
        if len(batch) >= 500:
            Measure.objects.bulk_update(batch, ["search_document"])
            batch = []
    if batch:
        Measure.objects.bulk_update(batch, ["search_document"])


class Migration(migrations.Migration):
    dependencies = [("measures", "0003_search_index_django_expression")]

    operations = [migrations.RunPython(fold_documents, migrations.RunPython.noop, elidable=True)]
