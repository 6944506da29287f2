from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socialguard.accounts"
    label = "accounts"
    verbose_name = "Organisational social media accounts"

    def ready(self) -> None:
        from socialguard.accounts import checks  # noqa: F401  (registers the vault-key check)
        from socialguard.accounts.selectors import (
            active_runner_ids,
            proposed_runner_ids,
            reminders,
            runner_since,
        )
        from socialguard.policies.reminders import EXTRA_SOURCES
        from socialguard.policies.selectors import ACCOUNT_RUNNER_SINCE, ACCOUNT_RUNNER_SOURCES

        # Runner training (5.5) is required of whoever runs an account now, and of the runners a
        # proposal names: SMT cannot approve it until they are trained.
        for source in (active_runner_ids, proposed_runner_ids):
            if source not in ACCOUNT_RUNNER_SOURCES:
                ACCOUNT_RUNNER_SOURCES.append(source)
        if runner_since not in ACCOUNT_RUNNER_SINCE:
            ACCOUNT_RUNNER_SINCE.append(runner_since)
        # Decisions, leaver tasks, monitoring and credentials due reach SMT in their digest too.
        if reminders not in EXTRA_SOURCES:
            EXTRA_SOURCES.append(reminders)
