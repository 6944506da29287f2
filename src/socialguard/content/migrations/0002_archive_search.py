"""Full-text search over the archive: an FTS5 table kept by a trigger on SQLite, an expression
index on PostgreSQL. Both tokenise the same way (content.archive explains)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE content_publishedpost_fts USING fts5("
    "text, content='', tokenize='unicode61 remove_diacritics 0')",
    # Published posts are never changed nor removed (PublishedPost.save/delete refuse), so
    # an insert trigger keeps the index complete.
    "CREATE TRIGGER content_publishedpost_fts_insert AFTER INSERT ON content_publishedpost BEGIN "
    "INSERT INTO content_publishedpost_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS content_publishedpost_fts_insert",
    "DROP TABLE IF EXISTS content_publishedpost_fts",
]
POSTGRES = [
    "CREATE INDEX content_publishedpost_text_search ON content_publishedpost USING gin "
    "(to_tsvector('simple', regexp_replace(text, '[^[:alnum:]]+', ' ', 'g')))"
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS content_publishedpost_text_search"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
