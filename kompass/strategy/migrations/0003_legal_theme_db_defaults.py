"""Database defaults for the columns 0002 added, on databases that applied 0002 before it declared them."""

from django.db import migrations

from kompass.core.migration_ops import EnsureColumnDefaults


class Migration(migrations.Migration):

    dependencies = [
        ('strategy', '0002_strategy_legal_and_theme'),
    ]

    operations = [
        EnsureColumnDefaults('strategy', ['legal', 'theme_colour']),
    ]
