"""On PostgreSQL the database refuses UPDATE and DELETE of audit events sent as plain SQL, and will
not move the chain head backwards. (SQLite has no such triggers: migrations/0004 says why.)"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from socialguard.audit.models import AuditEvent, AuditHead
from socialguard.audit.selectors import audit_verify
from socialguard.audit.services import audit_record

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")


def _refused(statement: str) -> str:
    with pytest.raises(DatabaseError) as err, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    return str(err.value)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 3",
        "UPDATE audit_auditevent SET hash = hash",
        "DELETE FROM audit_auditevent WHERE seq = 5",
        "DELETE FROM audit_auditevent",
    ],
)
def test_plain_sql_cannot_change_or_remove_events(five_events: list[AuditEvent], statement: str) -> None:
    assert "the audit trail is append-only" in _refused(statement)
    assert AuditEvent.objects.count() == 5 and AuditEvent.objects.get(seq=3).object_repr == ""
    assert audit_verify().ok


def test_the_head_cannot_move_back_or_be_removed(five_events: list[AuditEvent]) -> None:
    assert "cannot move backwards (from #5 to #3)" in _refused(
        "UPDATE audit_audithead SET last_seq = 3 WHERE singleton = 1"
    )
    assert "append-only: DELETE on audit_audithead" in _refused("DELETE FROM audit_audithead")
    audit_record(actor=None, action="test.after", object_type="test")  # appends still move it on
    assert AuditHead.objects.get().last_seq == 6
