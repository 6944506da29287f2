from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "socialguard.privacy"
    label = "privacy"
    verbose_name = "Personal accounts and data protection"

    def ready(self) -> None:
        from socialguard.audit.labels import ACTIONS
        from socialguard.policies.reminders import EXTRA_SOURCES
        from socialguard.privacy.reminders import reminders

        # Privacy reviews due and recruitment exceptions waiting: on the home page and in the digest.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
        ACTIONS.update(
            {
                "privacy.self_check_done": "Connections checked (only the count kept)",
                "privacy.self_check_resolved": "Connection check matches resolved",
                "privacy.review_done": "Privacy review done",
                "privacy.subject_access_exported": "Subject access export downloaded",
                "privacy.erased": "Person's record erased (pseudonymised)",
                "recruitment.screening_recorded": "Recruitment check recorded",
                "recruitment.exception_approved": "Recruitment check exception approved",
                "recruitment.check_recorded": "Recruitment check result recorded",
                "recruitment.decided": "Recruitment decision recorded",
                "recruitment.screening_deleted": "Recruitment check deleted after retention",
            }
        )
