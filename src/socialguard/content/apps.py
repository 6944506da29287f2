from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "socialguard.content"
    label = "content"
    verbose_name = "Posts: drafts, approval, publishing and archive"
