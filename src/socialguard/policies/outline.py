"""Read a policy document into clauses: numbered ("5.2") or headed ("Declaration").

Policies are written by people in Word and pasted into Markdown, so the parser expects mess:
bold inside headings, numbers written in paragraphs ("3.2 Senior management Team:"), a header
table of issue date / next review / owner, headings at inconsistent depths. It never fails on
odd layout; the worst case is fewer, larger clauses. No Django here: it is pure text work.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$")
# A paragraph that opens a numbered clause needs at least one dot ("3.2"), so "2022 saw…" does not.
NUMBERED_PARAGRAPH = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+(.+)$")
TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
METADATA = {
    "issue_date": re.compile(r"^(?:issue date|date of issue|issued)$", re.I),
    "next_review_date": re.compile(r"^(?:date of next review|next review(?: date)?|review date)$", re.I),
    "owner": re.compile(r"^(?:responsibility|owner|policy owner)$", re.I),
}
DATE_FORMATS = ("%B %Y", "%b %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d/%m/%Y", "%B, %Y")
SHORT_TITLE = 80  # a numbered paragraph this short ending in ":" is a heading ("3.2 Staff:")


@dataclass
class Clause:
    key: str  # "5.2", or a slug of the heading for unnumbered ones ("declaration")
    number: str  # "" when the clause is unnumbered
    heading: str
    text: str
    level: int
    parent: str | None
    order: int

    @property
    def label(self) -> str:
        if self.number and self.heading:
            return f"{self.number} {self.heading}"
        if self.number:
            return f"{self.number} {_first_words(self.text)}"
        return self.heading


@dataclass
class ParsedPolicy:
    title: str
    text: str
    issue_date: dt.date | None = None
    next_review_date: dt.date | None = None
    owner: str = ""
    clauses: list[Clause] = field(default_factory=list)

    def clause(self, reference: str) -> Clause | None:
        return find_clause(self.clauses, reference)


def normalise_text(text: str) -> str:
    """The canonical form that is stored and hashed: LF line ends, no trailing spaces."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def slug(text: str) -> str:
    text = text.lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _clean(text: str) -> str:
    text = TAGS.sub("", text).replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()


def _first_words(text: str, limit: int = 60) -> str:
    body = re.sub(r"\s+", " ", text).strip()
    body = NUMBERED_PARAGRAPH.sub(r"\2", body)
    return body if len(body) <= limit else body[: limit - 1].rsplit(" ", 1)[0] + "…"


def parse_date(raw: str) -> dt.date | None:
    raw = _clean(raw).replace(",", "")
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _metadata(line: str) -> tuple[str, str] | None:
    cleaned = TAGS.sub("", line).replace("**", "").strip().strip("|").strip()
    parts = [p.strip() for p in re.split(r"\t+|\s*\|\s*|:\s+|\s{2,}", cleaned, maxsplit=1)]
    if len(parts) != 2 or not parts[1]:
        return None
    for name, pattern in METADATA.items():
        if pattern.match(parts[0].rstrip(":")):
            return name, parts[1]
    return None


def parse_markdown(text: str) -> ParsedPolicy:
    text = normalise_text(text)
    policy = ParsedPolicy(title="", text=text)
    clauses: list[Clause] = []
    by_key: dict[str, Clause] = {}
    stack: list[tuple[int, Clause]] = []  # open headings: (markdown depth, clause)
    body: list[str] = []

    def close() -> None:
        if clauses:
            clauses[-1].text = "\n".join(body).strip()
        body.clear()

    def unique(key: str) -> str:
        candidate, n = key, 2
        while candidate in by_key:
            candidate, n = f"{key}-{n}", n + 1
        return candidate

    def numeric_parent(number: str) -> Clause | None:
        parts = number.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            found = by_key.get(".".join(parts[:cut]))
            if found is not None:
                return found
        return None

    def add(number: str, heading: str, parent: Clause | None, depth: int | None) -> Clause:
        close()
        key = unique(number or slug(heading) or f"clause-{len(clauses) + 1}")
        clause = Clause(
            key=key,
            number=number,
            heading=heading,
            text="",
            level=(parent.level + 1) if parent else 1,
            parent=parent.key if parent else None,
            order=len(clauses),
        )
        clauses.append(clause)
        by_key[key] = clause
        if depth is not None:
            stack.append((depth, clause))
        return clause

    for line in text.split("\n"):
        stripped = line.strip()
        heading = HEADING.match(stripped)
        if heading:
            depth, title = len(heading.group(1)), _clean(heading.group(2))
            if not title:
                continue
            if depth == 1 and not policy.title and not clauses:
                policy.title = title
                continue
            while stack and stack[-1][0] >= depth:
                stack.pop()
            numbered = NUMBER.match(title)
            if numbered:
                number = numbered.group(1)
                # Close sibling numbered sections whatever depth they were written at.
                while stack and stack[-1][1].number and not number.startswith(stack[-1][1].number + "."):
                    stack.pop()
                parent = numeric_parent(number) or (stack[-1][1] if stack else None)
                add(number, _clean(numbered.group(2)), parent, depth)
            else:
                add("", title, stack[-1][1] if stack else None, depth)
            continue
        if not clauses:
            found = _metadata(stripped)
            if found:
                name, value = found
                if name == "owner":
                    policy.owner = _clean(value)
                else:
                    setattr(policy, name, parse_date(value))
                continue
        paragraph = NUMBERED_PARAGRAPH.match(_clean(stripped)) if stripped else None
        if paragraph and paragraph.group(1) not in by_key:
            number, rest = paragraph.group(1), paragraph.group(2)
            title = rest if len(rest) <= SHORT_TITLE and stripped.rstrip("*").endswith(":") else ""
            parent = numeric_parent(number) or (stack[-1][1] if stack else None)
            add(number, _clean(title), parent, None)
        body.append(line)
    close()
    policy.clauses = clauses
    if not policy.title:
        policy.title = "Policy"
    return policy


def find_clause(clauses: list[Clause], reference: str) -> Clause | None:
    """A clause by number ("5.2"), key ("the-dos") or heading words ("Do's", "Declaration")."""
    reference = reference.strip()
    if not reference:
        return None
    for clause in clauses:
        if clause.key == reference or clause.number == reference:
            return clause
    wanted = slug(reference).removeprefix("the-")
    if not wanted:
        return None
    for clause in clauses:
        if clause.key.removeprefix("the-") == wanted:
            return clause
    words = set(wanted.split("-"))
    for clause in clauses:
        if not clause.number and words <= set(clause.key.split("-")):
            return clause
    return None


def docx_to_markdown(data: bytes) -> str:
    """Word documents become the Markdown the parser reads: headings by style, tables as rows."""
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                blocks.append("\t".join(cell.text.strip() for cell in row.cells))
            continue
        text = item.text.strip()
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if style == "Title":
            blocks.append(f"# {text}")
        elif level:
            blocks.append("#" * min(6, int(level.group(1)) + 1) + " " + text)
        elif "List" in style:
            blocks.append(f"- {text}")
        else:
            blocks.append(text)
    return "\n\n".join(blocks) + "\n"


# --- Comparing versions -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseChange:
    key: str
    label: str
    kind: str  # added | removed | changed | unchanged
    old_text: str
    new_text: str

    def segments(self) -> list[tuple[str, str]]:
        """Word-level diff as (op, text) with op in equal/delete/insert, for display."""
        old, new = self.old_text.split(), self.new_text.split()
        result: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                result.append(("equal", " ".join(old[a1:a2])))
            if op in ("delete", "replace"):
                result.append(("delete", " ".join(old[a1:a2])))
            if op in ("insert", "replace"):
                result.append(("insert", " ".join(new[b1:b2])))
        return result


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def diff_clauses(old: list[Clause], new: list[Clause]) -> list[ClauseChange]:
    """Clause by clause, matched on key, in the new version's order with removals where they were."""
    old_by_key = {c.key: c for c in old}
    new_keys = {c.key for c in new}
    changes: list[ClauseChange] = []
    old_order = [c.key for c in old]
    emitted: set[str] = set()

    def removed_before(key: str | None) -> None:
        # Removed clauses appear just before the next surviving clause that followed them.
        for k in old_order:
            if k == key:
                break
            if k not in new_keys and k not in emitted:
                c = old_by_key[k]
                changes.append(ClauseChange(k, c.label, "removed", c.text, ""))
                emitted.add(k)

    for clause in new:
        if clause.key in old_by_key:
            removed_before(clause.key)
            before = old_by_key[clause.key]
            kind = "unchanged" if _same(before.text, clause.text) else "changed"
            changes.append(ClauseChange(clause.key, clause.label, kind, before.text, clause.text))
        else:
            changes.append(ClauseChange(clause.key, clause.label, "added", "", clause.text))
    removed_before(None)
    return changes


def change_summary(changes: list[ClauseChange]) -> str:
    """One line a person can act on: "clauses 5.2 and 5.5 changed; 4.3 added"."""
    parts = []
    for kind in ("changed", "added", "removed"):
        keys = [c.key for c in changes if c.kind == kind]
        if not keys:
            continue
        shown = keys[:6] + ([f"{len(keys) - 6} more"] if len(keys) > 6 else [])
        joined = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        noun = "clause" if len(keys) == 1 else "clauses"
        parts.append(f"{noun} {joined} {kind}")
    return "; ".join(parts)
