"""The unique candidate reference (strategy, source kind, source id), built without blocking writers
(CREATE UNIQUE INDEX CONCURRENTLY), and the database default of `source_kind` on databases that applied the
earlier version of 0002 (which added both itself)."""

from django.db import migrations, models

from kompass.core.migration_ops import AddUniqueConstraintConcurrently, EnsureColumnDefaults


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('lifecycle', '0002_candidate_typed_source'),
    ]

    operations = [
        EnsureColumnDefaults('candidate', ['source_kind']),
        AddUniqueConstraintConcurrently(
            model_name='candidate',
            constraint=models.UniqueConstraint(condition=models.Q(('source_id__isnull', False)), fields=('strategy', 'source_kind', 'source_id'), name='unique_candidate_source'),
        ),
    ]
