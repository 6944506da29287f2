from typing import Any

from django.db import migrations


def key_chain(apps: Any, schema_editor: Any) -> None:
    # The audit key comes from settings (outside the database), as it does at run time.
    from socialguard.audit.keys import audit_key
    from socialguard.audit.rekey import key_legacy_chain

    key_legacy_chain(
        event_model=apps.get_model("audit", "AuditEvent"),
        head_model=apps.get_model("audit", "AuditHead"),
        key=audit_key(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_auditevent_scheme"),
    ]

    # Going back leaves the `audit.rekeyed` event in place: the trail is append-only.
    operations = [migrations.RunPython(key_chain, migrations.RunPython.noop)]
