from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "socialguard.web"
    label = "web"
    verbose_name = "Web interface"
