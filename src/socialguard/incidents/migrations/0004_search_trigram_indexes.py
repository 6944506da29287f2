"""Trigram indexes for case search on PostgreSQL (issue 21).

Django's `icontains` becomes `UPPER(col::text) LIKE UPPER('%word%')` on PostgreSQL; a GIN index on
that same expression with `gin_trgm_ops` answers it without reading every row. SQLite has no such
index and keeps scanning: the results are the same, only the speed differs. `pg_trgm` is a trusted
extension (PostgreSQL 13+), so the database's owner may create it."""

from typing import Any

from django.db import migrations

INDEXES = [
    ("incidents_case_reference_trgm", "incidents_case", "reference"),
    ("incidents_case_summary_trgm", "incidents_case", "summary"),
    ("incidents_case_account_trgm", "incidents_case", "account"),
    ("incidents_party_name_trgm", "incidents_party", "name"),
    ("incidents_entry_text_trgm", "incidents_entry", "text"),
]


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_evidence_encrypted_at_rest"),
    ]

    operations = [migrations.RunPython(create, drop)]
