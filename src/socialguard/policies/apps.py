from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "socialguard.policies"
    label = "policies"
    verbose_name = "Policy lifecycle"
