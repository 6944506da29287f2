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

        from socialguard.content.checked_posts import ContentPosts
        from socialguard.policies import checked_posts

        # The rules pages (policies) preview a pack on the posts and count overrides through this.
        checked_posts.register(ContentPosts())

        from socialguard.consent.services import SWEEPERS
        from socialguard.content.takedowns import sweep_posts

        # A refused or withdrawn consent pulls back the drafts and takes down the posts showing them.
        if sweep_posts not in SWEEPERS:
            SWEEPERS.append(sweep_posts)
