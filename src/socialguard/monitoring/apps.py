from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "socialguard.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: the organisation's accounts and what is said about it"

    def ready(self) -> None:
        from socialguard.monitoring.pages import reminders
        from socialguard.policies.reminders import EXTRA_SOURCES

        # New alerts for the people who triage them: on the home page and in the daily digest.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
