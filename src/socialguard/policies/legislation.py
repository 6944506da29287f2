"""The legislation and guidance register (policy 4.1): what a policy cites, and whether it still stands.

The register is data (legislation.toml, each fact with its sources); an organisation can add
entries with SOCIALGUARD_LEGISLATION_FILE. `check_references` reads a policy's clauses and says,
for each reference found, its status and what replaced it, and which expected law is missing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from socialguard.links import BadAddress, web_address
from socialguard.policies.outline import Clause

BUILT_IN = Path(__file__).with_name("legislation.toml")
STATUSES = {
    "current": "In force",
    "amended": "In force, partly changed",
    "reissued": "Reissued regularly: check the edition",
    "superseded": "Superseded",
    "abolished": "Abolished or replaced",
}
OUTDATED = {"superseded", "abolished"}
CHECK = {"amended", "reissued"}


class RegisterError(ValueError):
    """The register file cannot be used; the message names the file, entry and field."""


@dataclass(frozen=True)
class Reference:
    key: str
    title: str
    kind: str
    status: str
    summary: str
    superseded_by: str
    patterns: tuple[re.Pattern[str], ...]
    sources: tuple[str, ...]
    checked: str
    expected: bool = False

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def outdated(self) -> bool:
        return self.status in OUTDATED

    @property
    def needs_check(self) -> bool:
        return self.status in CHECK


@dataclass
class Citation:
    reference: Reference
    clauses: list[str] = field(default_factory=list)  # clause keys where it is mentioned
    quotes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.reference.outdated:
            return "outdated"
        if self.reference.needs_check:
            return "check"
        return "ok"


@dataclass
class ReferenceReport:
    cited: list[Citation]
    missing: list[Reference]

    @property
    def outdated(self) -> list[Citation]:
        return [c for c in self.cited if c.verdict == "outdated"]

    @property
    def to_check(self) -> list[Citation]:
        return [c for c in self.cited if c.verdict == "check"]


def _load(path: Path) -> list[Reference]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegisterError(f"{path}: cannot be read as TOML: {exc}") from None
    result = []
    for n, entry in enumerate(data.get("reference", []), start=1):
        where = f"{path}, reference {n}"
        for name in ("key", "title", "kind", "status", "summary", "patterns", "sources"):
            if not entry.get(name):
                raise RegisterError(f"{where}, field '{name}': is required")
        if entry["status"] not in STATUSES:
            raise RegisterError(
                f"{where}, field 'status': {entry['status']!r} is not one of {', '.join(STATUSES)}"
            )
        sources = []
        for raw in entry["sources"]:
            try:
                sources.append(web_address(str(raw)))
            except BadAddress as exc:
                raise RegisterError(f"{where}, field 'sources': {raw!r}: {exc}") from None
        patterns = []
        for raw in entry["patterns"]:
            try:
                patterns.append(re.compile(raw, re.I))
            except re.error as exc:
                raise RegisterError(
                    f"{where}, field 'patterns': {raw!r} is not a valid pattern: {exc}"
                ) from None
        result.append(
            Reference(
                key=entry["key"],
                title=entry["title"],
                kind=entry["kind"],
                status=entry["status"],
                summary=" ".join(entry["summary"].split()),
                superseded_by=entry.get("superseded_by", ""),
                patterns=tuple(patterns),
                sources=tuple(sources),
                checked=str(entry.get("checked", "")),
                expected=bool(entry.get("expected", False)),
            )
        )
    return result


@lru_cache(maxsize=8)
def load_register(extra: str = "") -> tuple[Reference, ...]:
    """The built-in register, then the organisation's own file (its entries win by key)."""
    entries = {r.key: r for r in _load(BUILT_IN)}
    if extra:
        entries.update({r.key: r for r in _load(Path(extra))})
    return tuple(entries.values())


def check_references(clauses: list[Clause], register: tuple[Reference, ...]) -> ReferenceReport:
    cited: list[Citation] = []
    for reference in register:
        citation = Citation(reference)
        for clause in clauses:
            haystack = f"{clause.heading}\n{clause.text}"
            for pattern in reference.patterns:
                match = pattern.search(haystack)
                if match:
                    if clause.key not in citation.clauses:
                        citation.clauses.append(clause.key)
                        citation.quotes.append(_quote(haystack, match.start(), match.end()))
                    break
        if citation.clauses:
            cited.append(citation)
    found = {c.reference.key for c in cited}
    missing = [r for r in register if r.expected and r.key not in found]
    order = {"outdated": 0, "check": 1, "ok": 2}
    cited.sort(key=lambda c: order[c.verdict])
    return ReferenceReport(cited=cited, missing=missing)


def _quote(text: str, start: int, end: int, margin: int = 50) -> str:
    left = max(0, text.rfind("\n", 0, start) + 1, start - margin)
    right = min(len(text), end + margin)
    newline = text.find("\n", end)
    if newline != -1:
        right = min(right, newline)
    snippet = " ".join(text[left:right].replace("- o ", "").split())
    if left == 0 or text[left - 1] == "\n":
        # A quote from the start of a list item reads without its bullet ("- Sexting in …").
        snippet = re.sub(r"^(?:[-*•]\s+)+", "", snippet)
    return ("…" if left > 0 and text[left - 1] != "\n" else "") + snippet + ("…" if right < len(text) else "")
