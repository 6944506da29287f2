"""The whole demo: the organisation and its people, then its policy, declarations and training."""

from __future__ import annotations

from collections.abc import Callable

STEPS = 18
INSTALL_HINT = "the demo organisation needs the demo extra: pip install 'socialguard[demo]'"


def available() -> bool:
    """Whether the demo's name generator (Faker, the `demo` extra) is installed."""
    from importlib.util import find_spec

    return find_spec("faker") is not None


def load_all(progress: Callable[[], object] = lambda: None) -> None:
    """Load every part in one transaction: an interrupted load (Ctrl+C, an error) leaves nothing
    behind, so the next `socialguard demo` starts afresh instead of finding half an organisation."""
    from django.db import transaction

    from socialguard.accounts.demo import load_accounts_demo
    from socialguard.consent.demo import load_consent_demo
    from socialguard.content.demo import load_content_demo
    from socialguard.incidents.demo import load_cases_demo
    from socialguard.monitoring.demo import load_monitoring_demo
    from socialguard.people.demo import load_demo
    from socialguard.policies.demo import load_policy_demo
    from socialguard.privacy.demo import load_privacy_demo

    with transaction.atomic():
        load_demo(progress=progress)  # 4 steps
        load_policy_demo(progress=progress)  # 3 steps
        load_accounts_demo(progress=progress)  # 2 steps
        load_cases_demo(progress=progress)  # 3 steps
        load_content_demo(progress=progress)  # 3 steps
        load_consent_demo(progress=progress)  # 1 step
        load_monitoring_demo(progress=progress)  # 1 step
        load_privacy_demo(progress=progress)  # 1 step
