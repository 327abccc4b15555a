"""Zero-downtime upgrades: every migration must be safe to apply while the previous release still serves
(django-migration-linter: no NOT NULL column without a database default, no dropped or renamed column or table).
Runs on PostgreSQL, the production database; on SQLite the linter flags every table rebuild."""

import io
import json
from contextlib import redirect_stdout

import pytest
from django.db import connection

# Shipped before this check existed; applied everywhere, so they cannot be rewritten. Both add a NOT NULL
# column with a Python-side default only: while they run, the previous release's INSERTs without the new
# column would fail. New migrations must add such columns with `db_default` (or nullable) instead.
BASELINE_EXCEPTIONS = {
    ("accounts", "0004_citizen_accounts"),
    ("jobs", "0002_task_result_id"),
}
# Flagged by the linter for one check each, reviewed as safe while the previous release serves (never add a
# migration here without the same review in docs/operations.md, "Upgrades without downtime"):
REVIEWED = {
    # CREATE UNIQUE INDEX CONCURRENTLY on a partial index the previous release never violates (it leaves
    # source_id NULL); concurrently means writers are not blocked while it builds.
    ("lifecycle", "0003_candidate_source_unique_concurrently"): {"ADD_UNIQUE"},
    # varchar(100) -> varchar(300): widening is a metadata-only change in PostgreSQL; old names still fit.
    ("participation", "0002_attachments_private_storage"): {"ALTER_COLUMN"},
}


def _lint(app_label: str, name: str, exclude=()) -> int:
    from django.db.migrations.loader import MigrationLoader
    from django_migration_linter import MigrationLinter

    linter = MigrationLinter(None, no_cache=True, database="default", quiet=["ok", "ignore"],
                             exclude_migration_tests=list(exclude))
    migration = MigrationLoader(connection, ignore_no_migrations=True).disk_migrations[(app_label, name)]
    with redirect_stdout(io.StringIO()):
        linter.lint_migration(migration)
    return linter.nb_erroneous


def _kompass_migrations():
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    ours = {a.label for a in apps.get_app_configs() if a.name.startswith("kompass.")}
    return sorted(key for key in MigrationLoader(connection, ignore_no_migrations=True).disk_migrations
                  if key[0] in ours)


@pytest.mark.django_db
def test_every_migration_is_safe_for_zero_downtime_upgrades():
    if connection.vendor != "postgresql":
        pytest.skip("the migration linter is meaningful on PostgreSQL (make test runs the suite there too)")
    unsafe = [key for key in _kompass_migrations() if key not in BASELINE_EXCEPTIONS
              and _lint(*key, exclude=REVIEWED.get(key, ()))]
    assert unsafe == [], f"backward-incompatible migrations: {unsafe} (see docs/operations.md, upgrades)"


@pytest.mark.django_db
def test_baseline_exceptions_are_still_needed():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert all(_lint(*key) for key in sorted(BASELINE_EXCEPTIONS))


@pytest.mark.django_db
def test_reviewed_migrations_are_flagged_for_their_reviewed_check_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    for key, codes in sorted(REVIEWED.items()):
        assert _lint(*key), f"{key} no longer needs its review entry"
        assert not _lint(*key, exclude=codes), key


# NOT NULL columns added in this release: each has a database default, so the previous release's INSERTs (which
# do not name them) work during the rollout, on fresh databases and on those that applied the earlier versions.
RELEASE_NOT_NULL_COLUMNS = [("jobs_job", "task_path"), ("jobs_job", "task_args"), ("jobs_job", "temp_files"),
                            ("strategy_strategy", "legal"), ("strategy_strategy", "theme_colour"),
                            ("lifecycle_candidate", "source_kind")]


@pytest.mark.django_db
def test_columns_of_this_release_have_database_defaults():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite INSERTs carry the default expression themselves")
    with connection.cursor() as cur:
        for table, column in RELEASE_NOT_NULL_COLUMNS:
            cur.execute("SELECT is_nullable, column_default FROM information_schema.columns "
                        "WHERE table_name = %s AND column_name = %s", [table, column])
            nullable, default = cur.fetchone()
            assert nullable == "NO" and default, (table, column, default)
        # an INSERT of the previous release, which knew none of the new columns
        cur.execute("INSERT INTO jobs_job (id, kind, title, status, progress_done, progress_total, message, result, "
                    "result_file, result_url, task_result_id, created_at) VALUES (gen_random_uuid(), 'x', 'x', "
                    "'queued', 0, 0, '', '{}', '', '', '', now()) RETURNING task_args, task_path, temp_files")
        task_args, task_path, temp_files = cur.fetchone()
        assert (json.loads(task_args), task_path, json.loads(temp_files)) == ([], "", [])


@pytest.mark.django_db
def test_login_failure_table_stays_until_the_contract_step():
    """Expand only: servers of the previous release still write failed logins into it during the rollout."""
    assert "accounts_loginfailure" in connection.introspection.table_names()
