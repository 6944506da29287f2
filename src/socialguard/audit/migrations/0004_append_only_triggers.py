"""On PostgreSQL the database itself refuses to change or remove audit events.

The ORM already refuses (models.AppendOnlyError); these triggers also stop UPDATE and DELETE sent as
plain SQL by the application's database role, and stop the head from being moved backwards or
removed. They are a guard against casual or accidental changes, not against the table's owner or a
superuser, who can disable or drop them (docs/security.md). TRUNCATE is left alone: Django's test
runner and `flush` use it; a wiped table is caught by the checkpoints.

SQLite gets no triggers: whoever can write the database file can drop them as easily, and Django
rebuilds SQLite tables (dropping their triggers) whenever a migration alters a column.
"""

from typing import Any

from django.db import migrations

FORWARD = """
CREATE FUNCTION socialguard_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'audit_audithead' AND TG_OP = 'UPDATE' THEN
        IF NEW.last_seq >= OLD.last_seq THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit chain head cannot move backwards (from #% to #%)',
            OLD.last_seq, NEW.last_seq;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION socialguard_audit_append_only();
CREATE TRIGGER audit_audithead_forward_only
    BEFORE UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION socialguard_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_audithead_forward_only ON audit_audithead;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS socialguard_audit_append_only();
"""


def _on_postgresql(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # No parameters, so the driver leaves the '%' of RAISE alone.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_key_legacy_chain"),
    ]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
