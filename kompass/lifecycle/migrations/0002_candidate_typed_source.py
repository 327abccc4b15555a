"""Candidates reference their source by type and id instead of by URL.

Citizen-idea candidates stored the idea's public URL (".../ideas/<pk>/") in `source_url`; the data step turns
that into `source_kind="participation.idea"`, `source_id=<pk>` (the link is rendered from the reference). Outside
proposals keep their `source_url` (a link the proposer gave).

Expand phase (rewritten 2026-12-02 for zero-downtime upgrades): `source_kind` has a database default, the URL is
kept (servers of the previous release find an idea's candidate by it and would otherwise create it again), and
the unique constraint is added by 0003 without blocking writers. Databases that applied the earlier version have
cleared URLs and the constraint already; 0003 skips what exists. The contract step of the next release clears
the URLs of referenced candidates (docs/operations.md)."""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


IDEA_URL = re.compile(r"/ideas/(\d+)/?$")


def urls_to_references(apps, schema_editor):
    Candidate = apps.get_model("lifecycle", "Candidate")
    seen = set()
    for candidate in Candidate.objects.filter(source="citizen_idea").exclude(source_url="").order_by("pk"):
        match = IDEA_URL.search(candidate.source_url)
        if match is None:
            continue
        key = (candidate.strategy_id, int(match.group(1)))
        if key in seen:  # the old hook was idempotent per URL; keep any later duplicate as it was
            continue
        seen.add(key)
        candidate.source_kind, candidate.source_id = "participation.idea", key[1]
        candidate.save(update_fields=["source_kind", "source_id"])


def references_to_urls(apps, schema_editor):
    Candidate = apps.get_model("lifecycle", "Candidate")
    from kompass.core.urls import site_url

    base = site_url()  # site-relative without KOMPASS_SITE_URL (ADR 0076)
    for candidate in Candidate.objects.filter(source_kind="participation.idea", source_id__isnull=False):
        candidate.source_url = f"{base}/ideas/{candidate.source_id}/"
        candidate.save(update_fields=["source_url"])


class Migration(migrations.Migration):

    dependencies = [
        ('lifecycle', '0001_initial'),
        ('measures', '0002_search_index_postgresql'),
        ('organisations', '0001_initial'),
        ('strategy', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='candidate',
            name='source_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='source_kind',
            field=models.CharField(blank=True, db_default='', max_length=60),
        ),
        migrations.AddField(
            model_name='candidate',
            name='submitted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(urls_to_references, references_to_urls),
    ]
