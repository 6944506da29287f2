from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "socialguard.people"
    label = "people"
    verbose_name = "Organisation and people"

    def ready(self) -> None:
        from socialguard.audit.changes import NAMERS
        from socialguard.people.selectors import staff_names

        # The trail stores staff by HR id; its page and export show their names.
        NAMERS["staff"] = staff_names
