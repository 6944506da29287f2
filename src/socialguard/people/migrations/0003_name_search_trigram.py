"""Trigram indexes for name search (people.search) on PostgreSQL.

Django's `icontains` is `UPPER(field::text) LIKE UPPER('%word%')` there, so each index is on
UPPER(field) with gin_trgm_ops: the planner then reads the matching rows, not the whole register.
A btree index on UPPER(external_id) serves the whole-ID match. SQLite gets nothing here (it has no trigram indexes; the same lookups scan), and the models do not
declare these indexes, so the migration state is the same on both databases."""

from typing import Any

from django.db import migrations

TABLES = {
    "people_staffmember": ("first_name", "last_name", "email"),
    "people_learner": ("first_name", "last_name", "email"),
    "people_guardian": ("first_name", "last_name", "email"),
}


def _ids() -> list[tuple[str, str]]:
    return [(table, f"{table}_external_id_upper") for table in TABLES]


def _names() -> list[tuple[str, str, str]]:
    return [(table, field, f"{table}_{field}_trgm") for table, fields in TABLES.items() for field in fields]


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, field, name in _names():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{field}") gin_trgm_ops)'
        )
    # The search also matches an ID whole (`iexact`: UPPER(external_id) = UPPER('…')); without an
    # index for that arm of the OR the planner would scan the table after all.
    for table, name in _ids():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" (UPPER("external_id"))')


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [n for _t, _f, n in _names()] + [n for _t, n in _ids()]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0002_import_run")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
