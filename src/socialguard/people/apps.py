from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "socialguard.people"
    label = "people"
    verbose_name = "Organisation and people"
