"""Expand phase of removing LoginFailure (login throttling moved to django-axes, ADR 0031).

The model leaves Django's state now; the table stays, because app servers of the previous release still write
failed logins into it while the new release rolls out. The contract migration of the next release drops it
(`DROP TABLE IF EXISTS accounts_loginfailure`, docs/operations.md "Contract steps for the next release").

Databases that applied this migration before it became expand-only (2026-12-02) no longer have the table; the
contract step's IF EXISTS covers both."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_citizen_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='LoginFailure')],
            database_operations=[],
        ),
    ]
