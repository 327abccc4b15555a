"""Migration operations for zero-downtime upgrades (docs/operations.md, "Upgrades without downtime").

`EnsureColumnDefaults` gives existing columns the database default their field declares (`db_default`). It
changes no state: it repairs databases that applied an earlier version of a migration which added the column
with a Python-side default only, so that INSERTs of the previous release (which do not name the column) work.
Idempotent (`SET DEFAULT`), PostgreSQL only; on SQLite Django writes the default expression into every INSERT
itself, and SQLite cannot alter a column default in place.

`AddUniqueConstraintConcurrently` adds a (partial) unique constraint as `CREATE UNIQUE INDEX CONCURRENTLY` on
PostgreSQL, so writers are not blocked while the index builds; it skips a constraint that already exists (a
database that got it from an earlier version of a migration). Use it in a migration with `atomic = False`."""

from __future__ import annotations

from django.db import migrations


class EnsureColumnDefaults(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, fields: list[str]):
        self.model_name, self.fields = model_name, list(fields)

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"model_name": self.model_name, "fields": self.fields}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        for name in self.fields:
            field = model._meta.get_field(name)
            sql, params = schema_editor.db_default_sql(field)
            schema_editor.execute(f"ALTER TABLE {quote(model._meta.db_table)} ALTER COLUMN {quote(field.column)} "
                                  f"SET DEFAULT {sql}", params)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the defaults stay: the earlier schema did not forbid them

    def describe(self):
        return f"Ensure database defaults of {', '.join(self.fields)} on {self.model_name}"


class AddUniqueConstraintConcurrently(migrations.AddConstraint):
    atomic = False

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if not schema_editor.collect_sql:  # sqlmigrate (and the linter) show what a fresh database runs
            with schema_editor.connection.cursor() as cursor:
                existing = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
            if self.constraint.name in existing:
                return
        if schema_editor.connection.vendor != "postgresql":
            schema_editor.add_constraint(model, self.constraint)
            return
        sql = str(self.constraint.create_sql(model, schema_editor))
        if not sql.startswith("CREATE UNIQUE INDEX "):
            raise ValueError("only index-backed unique constraints (with a condition) can be added concurrently")
        schema_editor.execute(sql.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX CONCURRENTLY ", 1))
