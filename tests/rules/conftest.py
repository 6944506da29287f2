from __future__ import annotations

import pytest

from socialguard.rules import Engine
from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The default pack over the example context, classifiers included (their models ship in the repo)."""
    return Engine(EXAMPLE_CONTEXT)


@pytest.fixture(scope="session")
def rules_only() -> Engine:
    return Engine(EXAMPLE_CONTEXT, classifiers=False)
