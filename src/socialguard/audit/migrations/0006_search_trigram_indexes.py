"""Trigram indexes for the audit trail's search on PostgreSQL (issue 21): the search box matches
the record's name, the action code and who acted with `icontains`, which PostgreSQL runs as
`UPPER(col::text) LIKE UPPER('%word%')`; a GIN index on that expression with `gin_trgm_ops` answers
it without reading a million rows. SQLite keeps scanning, with the same results."""

from typing import Any

from django.db import migrations

INDEXES = [
    ("audit_event_repr_trgm", "object_repr"),
    ("audit_event_action_trgm", "action"),
    ("audit_event_actor_trgm", "actor_label"),
]
TABLE = "audit_auditevent"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_verification"),
    ]

    operations = [migrations.RunPython(create, drop)]
