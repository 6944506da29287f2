from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "socialguard.privacy"
    label = "privacy"
    verbose_name = "Personal accounts and data protection"

    def ready(self) -> None:
        from socialguard.policies.reminders import EXTRA_SOURCES
        from socialguard.privacy.reminders import reminders

        # Privacy reviews due and recruitment exceptions waiting: on the home page and in the digest.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
