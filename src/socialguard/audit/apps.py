from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socialguard.audit"
    label = "audit"
    verbose_name = "Audit trail"
