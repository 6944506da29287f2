from collections.abc import Iterator

import pytest

from socialguard.policies.engine import forget_policy_engine


@pytest.fixture(autouse=True)
def fresh_engine_cache() -> Iterator[None]:
    # Test fixtures write the register directly (not through audited services), so the cache
    # key cannot see their changes; start each test with no compiled engine.
    forget_policy_engine()
    yield
    forget_policy_engine()
