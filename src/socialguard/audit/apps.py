from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socialguard.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from socialguard.audit import checks  # noqa: F401  (registers audit.E001)
