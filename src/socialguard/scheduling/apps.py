from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "socialguard.scheduling"
    label = "scheduling"
    verbose_name = "Scheduled jobs"
