"""An event's before/after as a reader takes it in: one line per field, "severity: low → high",
with people named where the event stored only an id or an email.

The page and the CSV export show these lines; the export also keeps before/after as JSON, and the
API gives the JSON alone, so nothing sealed in the chain is lost by the summary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from socialguard.audit.labels import short_hash, value_label
from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import WITHHELD

# Fields whose values name a person by an id the reader cannot place. "user": a sign-in's email
# (resolved here, as the trail's actors are sign-ins too); "staff": a staff record's HR id, which
# the people app resolves (the audit app does not import the apps above it, so it registers).
PERSON_FIELDS = {
    "investigator": "user",
    "assignee": "user",
    "staff": "staff",
    "lead": "staff",
    "runners": "staff",
}
LEAD_SUFFIX = " (lead)"  # accounts store a proposal's runners as "S123 (lead)"

# kind -> a function from ids to {id: name}, in one query.
Namer = Callable[[set[str]], dict[str, str]]
NAMERS: dict[str, Namer] = {}

MAX_VALUE_CHARS = 160  # on the page; the JSON in the export is whole
NOTHING = "—"


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the field was not in `before` (set, not changed)
    after: str | None  # None: the field was removed
    # The stored value where the words above replace a code or shorten a hash, for the page's
    # title (auditors can still see the code); None where the value is shown as stored.
    before_code: str | None = None
    after_code: str | None = None


@dataclass(frozen=True)
class Summary:
    changes: tuple[Change, ...]
    withheld: str = ""  # the reason, when the details are withheld from this reader

    def text(self) -> str:
        """One line per field, for the export."""
        if self.withheld:
            return f"withheld: {self.withheld}"
        return "\n".join(_line(c) for c in self.changes)


def _line(change: Change) -> str:
    if change.before is None:
        return f"{change.field}: {change.after}"
    return f"{change.field}: {change.before} → {NOTHING if change.after is None else change.after}"


def as_json(value: dict[str, Any]) -> str:
    """before/after for a CSV cell: JSON, as the API gives them, so a script can parse them back."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _user_names(emails: set[str]) -> dict[str, str]:
    users = get_user_model().objects.filter(email__in=emails).values_list("email", "full_name")
    return {email: name for email, name in users if name}


def _ids(key: str, value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    found = [str(v) for v in values if isinstance(v, str | int) and not isinstance(v, bool) and v != ""]
    if key == "runners":
        found = [v.removesuffix(LEAD_SUFFIX) for v in found]
    return found


def names_for(events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """{(kind, id): name} for the people the events' before/after hold by id: one query per kind."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        for side in (event.before, event.after):
            if not isinstance(side, dict) or side == WITHHELD:
                continue
            for key, value in side.items():
                if kind := PERSON_FIELDS.get(key):
                    wanted.setdefault(kind, set()).update(_ids(key, value))
    namers: dict[str, Namer] = {"user": _user_names, **NAMERS}
    names: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        if ids and kind in namers:
            names.update({(kind, i): n for i, n in namers[kind](ids).items()})
    return names


def _named(kind: str, raw: str, names: dict[tuple[str, str], str]) -> str:
    if raw.endswith(LEAD_SUFFIX):
        return _named(kind, raw.removesuffix(LEAD_SUFFIX), names) + LEAD_SUFFIX
    name = names.get((kind, raw))
    return f"{name} ({raw})" if name else raw


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _show(
    value: Any,
    kind: str | None,
    names: dict[tuple[str, str], str],
    limit: int | None,
    words: Callable[[str], str | None] | None = None,
) -> str:
    """The value as a reader takes it in. `words` gives a stored code in words (None: as it is)."""
    if _empty(value):
        text = NOTHING
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, list):
        text = ", ".join(_show(v, kind, names, None, words) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif kind is not None:
        text = _named(kind, str(value), names)
    else:
        text = str(value)
        if words is not None:
            text = words(text) or text
        # A fingerprint in full is 64 characters no reader compares by eye; the export keeps it whole.
        if limit is not None:
            text = short_hash(text) or text
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _shown(
    value: Any,
    key: str,
    event: AuditEvent,
    kind: str | None,
    names: dict[tuple[str, str], str],
    limit: int | None,
) -> tuple[str, str | None]:
    """(the value shown, the stored value where words replace a code or a hash is shortened)."""

    def words(v: str) -> str | None:
        return value_label(event.object_type, key, v)

    shown = _show(value, kind, names, limit, words)
    plain = _show(value, kind, names, None)
    hashed = limit is not None and isinstance(value, str) and short_hash(value) is not None
    return shown, plain if hashed or _show(value, kind, names, None, words) != plain else None


def summarise(
    event: AuditEvent, names: dict[tuple[str, str], str], *, limit: int | None = MAX_VALUE_CHARS
) -> Summary:
    """The event's change as per-field lines: a field in both sides and changed reads
    "before → after"; a field only in `after` was set; one only in `before` was removed.
    A field unchanged on both sides, or set to nothing, is left out, as it tells nothing."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    if WITHHELD in (before, after) and all(side in ({}, WITHHELD) for side in (before, after)):
        return Summary(changes=(), withheld=WITHHELD["withheld"])
    changes: list[Change] = []
    # Alphabetical: PostgreSQL's jsonb does not keep the order the keys were written in.
    for key in sorted({*before, *after}):
        kind = PERSON_FIELDS.get(key)
        label = key.replace("_", " ")
        shown_after, after_code = (
            _shown(after[key], key, event, kind, names, limit) if key in after else (None, None)
        )
        if key not in before:
            if not _empty(after[key]):  # "clauses: —" on a first triage tells nothing
                changes.append(Change(label, None, shown_after, after_code=after_code))
        elif key not in after or before[key] != after[key]:
            shown_before, before_code = _shown(before[key], key, event, kind, names, limit)
            changes.append(Change(label, shown_before, shown_after, before_code, after_code))
    return Summary(changes=tuple(changes))


def summaries(events: Sequence[AuditEvent], *, limit: int | None = MAX_VALUE_CHARS) -> list[Summary]:
    """Summaries of a page (or a chunk of the export) of events, people named in one query per kind."""
    names = names_for(events)
    return [summarise(e, names, limit=limit) for e in events]
