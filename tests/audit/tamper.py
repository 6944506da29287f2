"""Playing an attacker with write access to the database, for tests of what verification catches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

TABLES = ("audit_auditevent", "audit_audithead")


@contextmanager
def triggers_off() -> Iterator[None]:
    """On PostgreSQL the table's owner can switch the append-only triggers off; so can this."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            # ALTER TABLE refuses while the test's transaction has deferred foreign-key checks queued.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def tamper(statement: str, *params: Any) -> None:
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(statement, params)
