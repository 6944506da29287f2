from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "socialguard.content"
    label = "content"
    verbose_name = "Posts: drafts, approval, publishing and archive"

    def ready(self) -> None:
        from socialguard.content.pages import reminders
        from socialguard.policies.reminders import EXTRA_SOURCES

        # Approvals waiting, changes asked for, posts to publish by hand: on the home page and in
        # the daily digest alike.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
