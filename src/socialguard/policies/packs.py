"""The organisation's rules pack on the server: which pack the engine uses, its clause mapping
onto the imported policy outline, what a proposed pack would change, and how often each rule's
findings were overridden or dismissed (docs/rules.md). Reads only; writes are in services."""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from socialguard.policies import checked_posts, outline
from socialguard.policies.models import FindingDismissal, PolicyVersion, RulesPack, VersionStatus
from socialguard.rules.catalogue import all_rules
from socialguard.rules.model import Severity
from socialguard.rules.pack import (
    UNMAPPED,
    Catalogue,
    Pack,
    PackError,
    key_lines,
    load_pack,
    load_pack_text,
    size_error,
)
from socialguard.rules.publishing import PUBLISHING_CHECKS

logger = logging.getLogger(__name__)
CLAUSE_TEXT_CHARS = 300  # a finding quotes the start of the clause; the policy page has the rest
PREVIEW_ARCHIVE = 500  # published posts re-checked by a preview, newest first
PREVIEW_DRAFTS = 200  # and drafts


def current_version() -> RulesPack | None:
    return RulesPack.objects.first()


def source_of(version: RulesPack | None) -> str:
    return f"pack version {version.number}" if version else "pack"


def setting_pack_path() -> Path | None:
    path = getattr(settings, "RULES_PACK", "")
    return Path(path) if path else None


def published_policy() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED).first()


def starting_text() -> str:
    """What the editor opens with before anything is saved: the file the setting names, or an
    empty pack (the base pack alone)."""
    path = setting_pack_path()
    if path is not None and path.is_file():
        return path.read_text(encoding="utf-8")
    return "# Our rules pack, laid over the base pack (see docs/rules.md).\n"


def outline_errors(text: str, source: str, policy: PolicyVersion | None) -> list[str]:
    """[clauses] entries naming a clause the imported policy does not have."""
    if policy is None:
        return []
    try:
        mapping = tomllib.loads(text).get("clauses", {})
    except tomllib.TOMLDecodeError:
        return []
    clauses = list(policy.clauses.all())
    lines = key_lines(text)
    errors = []
    for key, target in mapping.items() if isinstance(mapping, dict) else []:
        if isinstance(target, str) and target and outline.find_clause(clauses, target) is None:  # type: ignore[arg-type]
            line = lines.get(("clauses", key))
            where = f"{source}, line {line}" if line else source
            errors.append(
                f"{where}: [clauses] {key}: your policy (version {policy.number}) has no clause {target!r}"
            )
    return errors


# A Word bullet's own glyph kept by a paste ("- o Don't …", "- § …") after the Markdown bullet.
WORD_BULLET = re.compile(r"(?m)^(\s*[-*]\s+)[o§•▪◦]\s+")


def _shown(clause: Any) -> str:
    return WORD_BULLET.sub(r"\1", clause.shown_text)


def clause_words(clause: Any, clauses: list[Any]) -> str:
    """What a finding citing `clause` shows of the policy: its text, or, for a heading over
    sub-clauses (the seed's 5.2 is "Appropriate Conduct" and "Acceptance of friends"), theirs,
    which it would otherwise not show at all. A pasted Word bullet's glyph is left out."""
    own = _shown(clause).strip()
    if own:
        return own
    return "\n\n".join(f"{c.shown_heading}: {_shown(c).strip()}" for c in _beneath(clauses, clause))


def _beneath(clauses: list[Any], parent: Any) -> list[Any]:
    """The clauses under `parent`, at any depth, in the policy's order."""
    keys, found = {parent.key}, []
    for clause in sorted(clauses, key=lambda c: c.order):
        if clause.parent_key in keys:
            keys.add(clause.key)
            found.append(clause)
    return found


def with_outline(pack: Pack, policy: PolicyVersion | None) -> Pack:
    """Findings cite the imported policy's own clause numbers and text: through the pack's
    [clauses] where it has one, else by the engine's keys where the policy has such a clause
    (a rule whose clause the policy lacks then says it maps to none rather than cite it)."""
    if policy is None:
        return pack
    clauses = list(policy.clauses.all())
    engine_keys = {r.clause for r in all_rules().values()} | {c.clause for c in PUBLISHING_CHECKS.values()}
    mapping = pack.clauses if pack.clauses is not None else {k: k for k in engine_keys}
    resolved: dict[str, str] = {}
    texts: dict[str, str] = {}
    for key, target in mapping.items():
        found = outline.find_clause(clauses, target) if target else None  # type: ignore[arg-type]
        if found is None:
            resolved[key] = ""
            continue
        cite = found.number or found.shown_heading  # type: ignore[attr-defined]
        resolved[key] = cite
        body = " ".join(clause_words(found, clauses).split())
        if len(body) > CLAUSE_TEXT_CHARS:
            body = body[: CLAUSE_TEXT_CHARS - 1].rsplit(" ", 1)[0] + "…"
        texts[cite] = f"{found.shown_heading}: {body}" if body else found.shown_heading  # type: ignore[attr-defined]
    pack.clauses = resolved
    pack.clause_texts = texts
    return pack


def load_text(text: str, source: str = "pack") -> Pack:
    """A proposed pack as the server would use it (PackError lists every problem)."""
    if too_long := size_error(text, source):
        raise PackError(too_long)  # before anything parses it (the outline check below would)
    policy = published_policy()
    try:
        pack = load_pack_text(text, source)
    except PackError as exc:
        raise PackError([*exc.errors, *outline_errors(text, source, policy)]) from None
    errors = outline_errors(text, source, policy)
    if errors:
        raise PackError(errors)
    return with_outline(pack, policy)


def rules_pack() -> tuple[Pack, str]:
    """The pack the server uses and where it comes from: the newest version saved in the web,
    else the file SOCIALGUARD_RULES_PACK names, else the base pack alone. Either is loaded as it
    is (strict=False): one saved before a check was tightened (an empty term, over the size limit)
    still works, and the next save through the editor must fix it."""
    version = current_version()
    policy = published_policy()
    if version is not None:
        try:
            pack = load_pack_text(version.text, source_of(version), strict=False)
            return with_outline(pack, policy), source_of(version)
        except PackError as exc:
            # A rule the pack names may have left the catalogue since it was saved: say so loudly
            # and fall back rather than stop every check.
            logger.error("rules pack version %s is no longer valid, using the file or base pack: %s",
                         version.number, exc)  # fmt: skip
    path = setting_pack_path()
    if path is not None:
        return with_outline(load_pack(path, strict=False), policy), str(path)
    return with_outline(load_pack(), policy), "the base pack"


def _missing(items: list[Any], others: list[Any]) -> list[Any]:
    """The items not among `others`, in order: through a set, as a word list may hold 20,000 terms
    (a list searched for each would take seconds); a list holding tables is searched."""
    try:
        present = set(others)
        return [v for v in items if v not in present]
    except TypeError:  # a table (a dict) cannot go in a set
        return [v for v in items if v not in others]


def diff_summary(old: str, new: str) -> str:
    """Which sections and keys a save changed, for the audit trail and the version list."""

    def entries(text: str) -> dict[tuple[str, str], Any]:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return {}
        tables = {s: values for s, values in data.items() if isinstance(values, dict)}
        return {(s, k): v for s, values in tables.items() for k, v in values.items()}

    before, after = entries(old), entries(new)
    parts = []
    for key in sorted(before.keys() | after.keys()):
        label = f"[{key[0]}] {key[1]}"
        if key not in before:
            parts.append(f"added {label}")
        elif key not in after:
            parts.append(f"removed {label}")
        elif before[key] != after[key]:
            if isinstance(before[key], list) and isinstance(after[key], list):
                gained, lost = _missing(after[key], before[key]), _missing(before[key], after[key])
                detail = ", ".join([*(f"+{v}" for v in gained), *(f"-{v}" for v in lost)])
                parts.append(f"changed {label} ({detail})")
            else:
                parts.append(f"changed {label}")
    return "; ".join(parts) or "no change to any setting (comments or layout only)"


def text_diff(old: str, new: str) -> list[str]:
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), "saved", "proposed", lineterm="", n=1)
    return list(lines)


# --- Preview: what a proposed pack would change -------------------------------------------------


@dataclass
class PostChange:
    kind: str  # "archive" or "draft"
    id: int
    text: str
    before: str  # verdict
    after: str
    newly: list[str]  # rules that now flag it (review or block)
    cleared: list[str]  # rules that no longer do


@dataclass
class RuleChange:
    rule: str
    name: str
    newly: list[PostChange] = field(default_factory=list)
    cleared: list[PostChange] = field(default_factory=list)


@dataclass
class Preview:
    checked_archive: int
    checked_drafts: int
    posts: list[PostChange]  # every post whose flags change (review → review with another rule, too)
    rules: list[RuleChange]

    @property
    def verdicts_changed(self) -> int:
        """Of the posts flagged differently, those whose verdict changes (pass, review, block)."""
        return sum(p.before != p.after for p in self.posts)


def _serious(report: Any) -> set[str]:
    return {f.rule for f in report.findings if f.severity in (Severity.BLOCK, Severity.REVIEW)}


def preview(proposed: Pack) -> Preview:
    """Re-check the archive (newest first) and recent drafts with the current pack and the
    proposed one, and list every post whose flags change, per rule."""
    from socialguard.policies.engine import policy_context, policy_engine
    from socialguard.rules import Engine

    current = policy_engine()
    cascade = current.cascade if current.cascade is not None else True
    proposed_engine = Engine(policy_context(proposed), proposed, classifiers=cascade)
    items = checked_posts.provider().recent(PREVIEW_ARCHIVE, PREVIEW_DRAFTS)
    count_drafts = sum(1 for kind, _, _ in items if kind == "draft")
    posts = [post for _, _, post in items]
    changes: list[PostChange] = []
    by_rule: dict[str, RuleChange] = {}
    names = {code: rule.name for code, rule in all_rules().items()}
    for (kind, pk, post), old, new in zip(
        items, current.check_many(posts), proposed_engine.check_many(posts), strict=True
    ):
        was, now = _serious(old), _serious(new)
        if was == now and old.verdict == new.verdict:
            continue
        change = PostChange(
            kind, pk, post.text, str(old.verdict), str(new.verdict), sorted(now - was), sorted(was - now)
        )
        changes.append(change)
        for rule in change.newly:
            by_rule.setdefault(rule, RuleChange(rule, names.get(rule, ""))).newly.append(change)
        for rule in change.cleared:
            by_rule.setdefault(rule, RuleChange(rule, names.get(rule, ""))).cleared.append(change)
    rules = sorted(by_rule.values(), key=lambda r: (-(len(r.newly) + len(r.cleared)), r.rule))
    return Preview(len(items) - count_drafts, count_drafts, changes, rules)


# --- The mapping, shown on the pack page ---------------------------------------------------------


@dataclass(frozen=True)
class MappingRow:
    code: str
    name: str
    engine_clause: str
    cited: str
    text: str

    @property
    def unmapped(self) -> bool:
        return self.text == UNMAPPED


def mapping_rows(pack: Pack) -> list[MappingRow]:
    rows = []
    for code, rule in sorted(all_rules().items()):
        if not pack.is_selected(code):
            continue
        cited, text = pack.clause_for(code, rule.clause)
        rows.append(MappingRow(code, rule.name, rule.clause, cited, text))
    return rows


def lexicon_names() -> list[str]:
    return sorted(Catalogue.current().lexicons)


# --- Rule quality: how often each rule fired and how often people overrode it ----------------------


@dataclass
class RuleQuality:
    rule: str
    name: str
    fired: int = 0  # drafts whose latest check has a finding of this rule
    overridden: int = 0  # blocking findings an SMT member let through
    dismissed: int = 0  # review findings an approver judged a false alarm
    reasons: list[tuple[str, int, str]] = field(default_factory=list)  # (reason, draft id, kind)
    examples: list[int] = field(default_factory=list)  # drafts where it fired

    @property
    def pushed_back(self) -> int:
        return self.overridden + self.dismissed

    @property
    def rate(self) -> int:
        """Percent of firings that people overrode or dismissed."""
        return round(100 * self.pushed_back / self.fired) if self.fired else 0


def rule_quality(since: dt.datetime, until: dt.datetime) -> list[RuleQuality]:
    """Per rule over [since, until): drafts checked in the period whose findings include it, and
    the overrides and dismissals made in the period; rules to tune (most pushed back) first."""
    names = {code: rule.name for code, rule in all_rules().items()}
    table: dict[str, RuleQuality] = {}

    def row(code: str) -> RuleQuality:
        return table.setdefault(code, RuleQuality(code, names.get(code, "")))

    posts = checked_posts.provider()
    for draft_id, findings in posts.findings(since, until):
        for code in sorted({str(f.get("rule", "")) for f in findings or [] if f.get("rule")}):
            item = row(code)
            item.fired += 1
            if len(item.examples) < 10:
                item.examples.append(draft_id)
    period = {"at__gte": since, "at__lt": until}
    for code, reason, draft_id in posts.overrides(since, until):
        item = row(code)
        item.overridden += 1
        item.reasons.append((reason, draft_id, "overridden"))
    dismissals = FindingDismissal.objects.filter(**period).values_list("rule", "reason", "draft_id")
    for code, reason, draft_id in dismissals:
        item = row(code)
        item.dismissed += 1
        item.reasons.append((reason, draft_id, "dismissed"))
    for item in table.values():
        # An override can outlive the check that counted it (the draft re-checked later); the
        # rate never exceeds 100 %.
        item.fired = max(item.fired, item.pushed_back)
    return sorted(table.values(), key=lambda r: (-r.rate, -r.pushed_back, -r.fired, r.rule))


def reason_counts(rows: list[RuleQuality]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in rows:
        for reason, _, _ in item.reasons:
            counts[item.rule][reason] += 1
    return counts
