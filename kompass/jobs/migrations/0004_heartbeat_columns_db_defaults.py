"""Database defaults for the columns 0003 added, on databases that applied 0003 before it declared them."""

from django.db import migrations

from kompass.core.migration_ops import EnsureColumnDefaults


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0003_heartbeat_retry_temp_files'),
    ]

    operations = [
        EnsureColumnDefaults('job', ['task_path', 'task_args', 'temp_files']),
    ]
