from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "socialguard.consent"
    label = "consent"
    verbose_name = "Photo and video consent register"

    def ready(self) -> None:
        from socialguard.consent.pages import reminders
        from socialguard.policies.reminders import EXTRA_SOURCES

        # Consent due to lapse (a learner turning 18, an expiry) and takedowns to confirm: on
        # the home page and in the daily digest alike.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
