"""socialguard's policy rules engine: check a post against the policy, citing clauses.

Framework-free: nothing here imports Django or the other socialguard apps (a test enforces it).

    from socialguard.rules import Post, PolicyContext, Engine
    engine = Engine(PolicyContext(organisation_names=["Digital Marketing Mentor"]))
    report = engine.check(Post(text="..."))
"""

from socialguard.rules.engine import Engine, check, check_many
from socialguard.rules.model import (
    AccountKind,
    Author,
    Finding,
    MediaItem,
    PolicyContext,
    Post,
    Report,
    Severity,
    Verdict,
)

__all__ = [
    "AccountKind",
    "Author",
    "Engine",
    "Finding",
    "MediaItem",
    "PolicyContext",
    "Post",
    "Report",
    "Severity",
    "Verdict",
    "check",
    "check_many",
]
