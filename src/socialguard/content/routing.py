"""Who must approve a draft, from its check and the policy (issue 14, item 3):

- every post needs a second person, never its author;
- `pass` → another current runner of the account, or SMT;
- `review` → SMT, who see each finding; any `controversial` finding → SMT (the Do's: "check
  with a senior leader before publishing content that may have controversial implications");
- `block` → nobody, until every blocking finding has an SMT override with a written reason;
  an overridden draft then needs SMT too;
- a reply to adverse criticism → SMT (5.1: "do not respond without their express approval");
- corrections and deletions → SMT (the Do's: "report any mistakes to the senior management team").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from socialguard.content.models import Draft, FindingOverride, Kind
from socialguard.rules import Severity


def excerpt_of(text: str, finding: dict[str, Any]) -> str:
    return text[int(finding.get("start", 0)) : int(finding.get("end", 0))][:500]


def override_for(
    finding: dict[str, Any], text: str, overrides: Iterable[FindingOverride]
) -> FindingOverride | None:
    """The override covering `finding`: same rule and the same words (so an edit elsewhere in
    the post keeps it, and new words with the same problem do not)."""
    excerpt = excerpt_of(text, finding)
    for item in overrides:
        if item.rule == finding.get("rule") and item.excerpt == excerpt:
            return item
    return None


@dataclass(frozen=True)
class Requirement:
    senior: bool  # only SMT may approve
    reasons: list[str] = field(default_factory=list)  # why SMT, in words with the clause
    blocking: list[dict[str, Any]] = field(default_factory=list)  # not overridden: cannot approve

    @property
    def approvable(self) -> bool:
        return not self.blocking


def requirement(draft: Draft, findings: list[dict[str, Any]]) -> Requirement:
    overrides = list(draft.overrides.all())
    reasons: list[str] = []
    blocking = []
    overridden = False
    for finding in findings:
        if finding.get("severity") != Severity.BLOCK:
            continue
        if override_for(finding, draft.text, overrides) is None:
            blocking.append(finding)
        else:
            overridden = True
    if overridden:
        reasons.append("a blocking finding was overridden by SMT: a senior leader approves it")
    if any(f.get("severity") == Severity.REVIEW for f in findings):
        reasons.append("the check asks for review: an SMT member approves it, seeing each finding")
    if any(f.get("category") == "controversial" for f in findings):
        reasons.append("it may be controversial: check with a senior leader before publishing (the Do's)")
    if draft.reply_to_criticism:
        reasons.append("it replies to adverse criticism: only with SMT's express approval (5.1)")
    if draft.kind in (Kind.CORRECTION, Kind.DELETION):
        reasons.append(
            f"a {draft.get_kind_display().lower()} reports a mistake: "
            "the senior management team approves it (the Do's)"
        )
    return Requirement(senior=bool(reasons), reasons=reasons, blocking=blocking)
