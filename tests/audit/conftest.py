from __future__ import annotations

from typing import Any

import pytest

from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record


@pytest.fixture
def five_events(db: Any) -> list[AuditEvent]:
    return [
        audit_record(
            actor=None,
            action="test.step",
            object_type="test",
            object_id=str(i),
            after={"n": i, "note": "é ünïcode"},
        )
        for i in range(1, 6)
    ]
