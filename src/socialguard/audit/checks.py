"""Start-up check: refuse to run with an audit key that did not seal the trail (audit.E001).

A lost `audit_key` file used to be replaced silently by a new key; every event written since would
then fail `audit verify`, and new events would be sealed with a key that proves nothing about the
old ones. `serve`, the task worker, `setup`, `demo` and every `socialguard manage` command stop
with this message instead, as they do for a vault key that cannot open the vault (vault.E001).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError

AUDIT_KEY_TAG = "audit"
RESTORE_HINT = (
    "Restore the audit key from your backup (docs/backup.md): put it in DATA_DIR/audit_key or name its "
    "file in SOCIALGUARD_AUDIT_KEY_FILE. Do not run with a new key: the trail could no longer be verified."
)


@register(AUDIT_KEY_TAG)
def audit_key_sealed_the_trail(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from socialguard.audit import chain
    from socialguard.audit.keys import audit_key
    from socialguard.audit.models import AuditEvent
    from socialguard.audit.selectors import stored_rows

    try:
        newest_keyed = AuditEvent.objects.filter(scheme=chain.KEYED).order_by("-seq")[:1]
        rows = list(stored_rows(AuditEvent.objects.filter(pk__in=newest_keyed.values("pk"))))
    except DatabaseError:
        return []  # no database yet, or not migrated: nothing is sealed
    if not rows:
        return []  # nothing sealed with a key yet: a generated key is fine
    seq, _, prev_hash, stored_hash, fields = rows[0]
    if hmac.compare_digest(chain.keyed_hash(audit_key(), prev_hash, fields), stored_hash):
        return []
    return [
        Error(
            f"the audit trail's newest keyed event (#{seq}) was not sealed with the configured audit key: "
            "socialguard will not start with a key that cannot verify the trail (or the event was altered: "
            "run `socialguard audit verify` with the right key to tell which).",
            hint=RESTORE_HINT,
            id="audit.E001",
        )
    ]
