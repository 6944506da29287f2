from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "socialguard.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: the organisation's accounts and what is said about it"

    def ready(self) -> None:
        from socialguard.audit.selectors import WITHHOLDERS
        from socialguard.content.services import DISCARD_HOOKS
        from socialguard.monitoring.access import safeguarding_alert_events_withheld_from
        from socialguard.monitoring.pages import reminders
        from socialguard.monitoring.services import reopen_after_reply_discarded
        from socialguard.policies.reminders import EXTRA_SOURCES

        # New alerts for the people who triage them: on the home page and in the daily digest.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
        # The trail tells SMT and the auditor that a safeguarding alert was acted on, never which
        # learner or which restricted case it became.
        if safeguarding_alert_events_withheld_from not in WITHHOLDERS:
            WITHHOLDERS.append(safeguarding_alert_events_withheld_from)
        # A discarded reply to criticism leaves the criticism unanswered: its alert opens again.
        if reopen_after_reply_discarded not in DISCARD_HOOKS:
            DISCARD_HOOKS.append(reopen_after_reply_discarded)
