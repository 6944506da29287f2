from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "socialguard.incidents"
    label = "incidents"
    verbose_name = "Concerns, breaches and safeguarding"

    def ready(self) -> None:
        from socialguard.audit.selectors import WITHHOLDERS
        from socialguard.incidents.access import case_events_withheld_from
        from socialguard.incidents.selectors import reminders
        from socialguard.policies.reminders import EXTRA_SOURCES

        # Reports to triage, tasks due and cases past retention reach their owners' home page
        # and digest; the items name a case reference only, never its content.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
        # The trail shows SMT and the auditor that a restricted case changed, never how.
        if case_events_withheld_from not in WITHHOLDERS:
            WITHHOLDERS.append(case_events_withheld_from)
