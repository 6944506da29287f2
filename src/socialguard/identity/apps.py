from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "socialguard.identity"
    label = "identity"
    verbose_name = "Sign-in and roles"

    def ready(self) -> None:
        from socialguard.identity import signals  # noqa: F401  (connects sign-in auditing)
