"""Writes to the people register: CSV imports and single-record saves, each one audited."""

from __future__ import annotations

import hashlib
import io
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from socialguard import csvfiles
from socialguard.audit.services import audit_record, changes
from socialguard.identity.models import User, normalise_email
from socialguard.identity.permissions import can
from socialguard.identity.roles import Role
from socialguard.identity.services import leavers_access_withdraw
from socialguard.people import access
from socialguard.people.models import (
    Department,
    Guardian,
    ImportRun,
    ImportState,
    Learner,
    Organisation,
    StaffMember,
)
from socialguard.people.records import KINDS, SPECS, clean_record

MODELS: dict[str, Any] = {
    "staff": StaffMember,
    "learners": Learner,
    "guardians": Guardian,
}
MAX_REPORTED_ERRORS = 100


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Nothing was imported; `errors` says what to fix and where."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = [str(e) for e in errors[:MAX_REPORTED_ERRORS]]
        if len(errors) > MAX_REPORTED_ERRORS:
            shown.append(f"... and {len(errors) - MAX_REPORTED_ERRORS} more problems")
        super().__init__("\n".join(shown))


@dataclass
class ImportResult:
    kind: str
    file: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.file}: {len(self.created)} {self.kind} added, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged"
        )


def _normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read_rows(kind: str, data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Decode and split a CSV file, checking its header. Row numbers are as a spreadsheet shows."""
    if kind not in SPECS:
        raise ImportFailed(
            [RowError(filename, None, None, f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")]
        )
    return read_csv(
        data,
        filename,
        known=[c.name for c in SPECS[kind]],
        required=[c.name for c in SPECS[kind] if c.required],
    )


def read_csv(
    data: bytes, filename: str, *, known: Sequence[str], required: Sequence[str]
) -> list[tuple[int, dict[str, str]]]:
    """Any CSV import's first step: decode, split, check the header; all errors name file and row."""
    if not data.strip():
        raise ImportFailed(
            [RowError(filename, None, None, "the file is empty; export it again with a header row")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [
                RowError(
                    filename,
                    line,
                    None,
                    f"is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read); "
                    "in Excel use 'Save as' > 'CSV UTF-8 (comma delimited)'",
                )
            ]
        ) from None
    if "\x00" in text:
        raise ImportFailed(
            [RowError(filename, None, None, "contains NUL bytes: this is not a CSV text file")]
        )
    try:
        rows = list(csvfiles.read_rows(text))
    except csvfiles.CsvProblem as problem:
        raise ImportFailed([RowError(filename, problem.row, problem.column, problem.message)]) from None
    if not rows:  # only a byte-order mark
        raise ImportFailed(
            [RowError(filename, None, None, "the file is empty; export it again with a header row")]
        )
    header = [_normalise_header(h) for h in rows[0][1]]
    allowed = set(known)
    missing = [name for name in required if name not in header]
    errors: list[RowError] = []
    if missing:
        errors.append(RowError(filename, 1, None, f"missing required column(s): {', '.join(missing)}"))
    counts = Counter(header)
    duplicates = sorted(h for h, n in counts.items() if h and n > 1)
    if duplicates:
        errors.append(RowError(filename, 1, None, f"column(s) appear twice: {', '.join(duplicates)}"))
    if errors:
        raise ImportFailed(errors)
    result = []
    for number, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often end with blank lines
        if len(cells) > len(header):
            errors.append(
                RowError(filename, number, None, f"has {len(cells)} cells but the header has {len(header)}")
            )
            continue
        cells = cells + [""] * (len(header) - len(cells))
        result.append((number, {h: c for h, c in zip(header, cells, strict=True) if h in allowed}))
    if errors:
        raise ImportFailed(errors)
    if not result:
        raise ImportFailed([RowError(filename, None, None, "has a header but no rows")])
    return result


def _snapshot(obj: models.Model, names: list[str]) -> dict[str, Any]:
    snap: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        snap[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return snap


SIMPLE_FIELDS = {
    "staff": ["first_name", "last_name", "email", "employment_type", "job_title", "start_date", "leave_date"],
    "learners": [
        "first_name",
        "last_name",
        "email",
        "date_of_birth",
        "programme",
        "employer",
        "start_date",
        "end_date",
        "social_handles",
    ],
    "guardians": ["first_name", "last_name", "email", "phone"],
}


def _tracked(kind: str, obj: Any) -> dict[str, Any]:
    snap = _snapshot(obj, SIMPLE_FIELDS[kind])
    if kind == "staff":
        snap["department"] = str(obj.department) if obj.department_id else ""
        snap["line_manager_id"] = obj.line_manager.external_id if obj.line_manager_id else ""
    if kind == "guardians" and obj.pk:
        snap["learner_ids"] = sorted(obj.learners.values_list("external_id", flat=True))
    return snap


def _apply(
    kind: str, obj: Any, values: dict[str, Any], departments: dict[tuple[str, str], Department]
) -> None:
    for name in SIMPLE_FIELDS[kind]:
        if name in values:
            setattr(obj, name, values[name])
    if kind == "staff" and "department" in values:
        name = values["department"]
        if name:
            site = values.get("site", "")
            key = (name.lower(), site)
            if key not in departments:
                dept, _ = Department.objects.get_or_create(name=name, defaults={"site": site})
                if "site" in values and dept.site != site:
                    dept.site = site
                    dept.save(update_fields=["site"])
                departments[key] = dept
            obj.department = departments[key]
        else:
            obj.department = None


def _reference_errors(
    kind: str, filename: str, cleaned: Sequence[tuple[int | None, dict[str, Any]]], *, known_ids: set[str]
) -> list[RowError]:
    """Checks across records: line managers exist and are someone else; linked learners exist.
    `known_ids` are external ids being saved in the same batch (an import file's rows)."""
    errors: list[RowError] = []
    if kind == "staff":
        referenced = {v.get("line_manager_id") for _, v in cleaned} - known_ids - {None, ""}
        in_db = set(
            StaffMember.objects.filter(external_id__in=referenced).values_list("external_id", flat=True)
        )
        for number, values in cleaned:
            manager = values.get("line_manager_id")
            if manager and manager == values.get("external_id"):
                errors.append(
                    RowError(filename, number, "line_manager_id", "a person cannot be their own line manager")
                )
            elif manager and manager not in known_ids and manager not in in_db:
                errors.append(
                    RowError(
                        filename, number, "line_manager_id", f"no staff member with external_id {manager!r}"
                    )
                )
        errors.extend(_manager_cycles(filename, cleaned))
    if kind == "guardians":
        wanted = {i for _, v in cleaned for i in v.get("learner_ids", [])}
        existing = set(Learner.objects.filter(external_id__in=wanted).values_list("external_id", flat=True))
        for number, values in cleaned:
            unknown = [i for i in values.get("learner_ids", []) if i not in existing]
            if unknown:
                errors.append(
                    RowError(
                        filename,
                        number,
                        "learner_ids",
                        f"no learner with external_id {', '.join(map(repr, unknown))} (import learners first)",  # noqa: E501,
                    )
                )
    return errors


def _manager_cycles(filename: str, cleaned: Sequence[tuple[int | None, dict[str, Any]]]) -> list[RowError]:
    """Line management must end somewhere: refuse any record whose chain of line managers, as it
    would be once these records are saved over the register, comes back to them (A manages B and
    B manages A, or a longer circle). Each record in a circle gets its own error."""
    managers: dict[str, str] = dict(
        StaffMember.objects.filter(line_manager__isnull=False).values_list(
            "external_id", "line_manager__external_id"
        )
    )
    rows: dict[str, int | None] = {}
    for number, values in cleaned:
        ext_id = values.get("external_id")
        if not ext_id or "line_manager_id" not in values:
            continue  # a record that leaves its line manager as it is
        rows.setdefault(ext_id, number)
        if values["line_manager_id"]:
            managers[ext_id] = values["line_manager_id"]
        else:
            managers.pop(ext_id, None)
    errors: list[RowError] = []
    for ext_id, number in rows.items():
        chain = [ext_id]
        manager = managers.get(ext_id)
        if manager == ext_id:
            continue  # reported as "their own line manager"
        while manager is not None and manager not in chain:
            chain.append(manager)
            manager = managers.get(manager)
        if manager == ext_id:
            circle = " → ".join([*chain, ext_id])
            errors.append(
                RowError(
                    filename,
                    number,
                    "line_manager_id",
                    f"line managers would go round in a circle ({circle}); someone in it must "
                    "have a line manager outside it, or none",
                )
            )
    return errors


def id_key(external_id: str) -> str:
    """What two external ids that name one person share however they are written: case and
    look-alike forms (full-width letters, ligatures) folded, so `s006` is not a new person."""
    return unicodedata.normalize("NFKC", external_id).casefold()


def _identity_errors(
    kind: str, filename: str, cleaned: Sequence[tuple[int | None, dict[str, Any]]]
) -> list[RowError]:
    """Records that would be a second record of someone already in the register: an external id
    that differs from a registered one only in case or look-alike characters (an HR export saying
    s006 for S006 would record a leave date on a new record while S006 kept their sign-in).
    A shared email is not refused: job-shares, two contracts and stand-in addresses are real HR
    data, and an email moving between records within one file is normal; `sign_ins_link` links
    no sign-in to an email two staff records hold."""
    model = MODELS[kind]
    errors: list[RowError] = []
    ids = [str(v["external_id"]) for _, v in cleaned if v.get("external_id")]
    exact: set[str] = set()
    for chunk in _chunks(ids, BATCH):
        exact.update(model.objects.filter(external_id__in=chunk).values_list("external_id", flat=True))
    unknown = {id_key(i) for i in ids if i not in exact}
    if unknown:
        near: dict[str, tuple[str, str]] = {}
        rows = model.objects.order_by("pk").values_list("external_id", "first_name", "last_name")
        for ext_id, first, last in rows.iterator(chunk_size=BATCH):
            if id_key(ext_id) in unknown:
                near.setdefault(id_key(ext_id), (ext_id, f"{first} {last}"))
        for number, values in cleaned:
            ext_id = values.get("external_id")
            if ext_id and ext_id not in exact and (found := near.get(id_key(ext_id))):
                errors.append(
                    RowError(
                        filename,
                        number,
                        "external_id",
                        f"{ext_id!r} differs only in case or look-alike characters from {found[0]!r} "
                        f"({found[1]}) in the register; write {found[0]!r} to update that record",
                    )
                )
    return errors


def _validate_rows(
    kind: str, filename: str, rows: list[tuple[int, dict[str, str]]]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    errors: list[RowError] = []
    cleaned: list[tuple[int, dict[str, Any]]] = []
    first_row_of: dict[str, int] = {}
    for number, raw in rows:
        values, problems = clean_record(kind, raw)
        errors.extend(RowError(filename, number, f, m) for f, m in problems.items())
        ext_id = values.get("external_id")
        if ext_id:
            key = id_key(ext_id)
            if key in first_row_of:
                errors.append(
                    RowError(
                        filename,
                        number,
                        "external_id",
                        f"{ext_id!r} already appears on row {first_row_of[key]}; list each person once",
                    )
                )
            else:
                first_row_of[key] = number
        cleaned.append((number, values))
    known_ids = {str(v["external_id"]) for _, v in cleaned if v.get("external_id")}
    errors.extend(_reference_errors(kind, filename, cleaned, known_ids=known_ids))
    errors.extend(_identity_errors(kind, filename, cleaned))
    return cleaned, errors


# Rows written per statement, and external ids per lookup (SQLite allows 32,766 variables).
BATCH = 2000
# Up to this many ids are listed in the import's audit event; beyond it, counts and the digest.
LISTED_IDS = 1000


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(kind: str, ids: Sequence[str]) -> tuple[dict[str, Any], dict[int, list[str]]]:
    """The records these ids already name, and for guardians each one's linked learners' ids."""
    model = MODELS[kind]
    existing: dict[str, Any] = {}
    for chunk in _chunks(ids, BATCH):
        query = model.objects.filter(external_id__in=chunk)
        if kind == "staff":
            query = query.select_related("department", "line_manager")
        existing.update({o.external_id: o for o in query})
    links: dict[int, list[str]] = {}
    if kind == "guardians":
        through = Guardian.learners.through
        pks = [o.pk for o in existing.values()]
        for chunk in _chunks(pks, BATCH):
            for guardian_id, learner_id in through.objects.filter(guardian_id__in=chunk).values_list(
                "guardian_id", "learner__external_id"
            ):
                links.setdefault(guardian_id, []).append(learner_id)
    return existing, links


def _state(
    kind: str, obj: Any, *, line_manager_id: str = "", learner_ids: Sequence[str] = ()
) -> dict[str, Any]:
    """What an import can change on a record, as the audit event compares it."""
    snap = _snapshot(obj, SIMPLE_FIELDS[kind])
    if kind == "staff":
        snap["department"] = str(obj.department) if obj.department_id else ""
        snap["line_manager_id"] = line_manager_id
    if kind == "guardians":
        snap["learner_ids"] = sorted(learner_ids)
    return snap


def people_import(
    *,
    actor: Any,
    kind: str,
    data: bytes,
    filename: str,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Import a CSV of staff, learners or guardians: all rows or none.

    Records are matched by external_id, so importing the same export again updates in place.
    Writes go in batches (a hundred thousand rows in well under a minute); only new and changed
    records are written; one audit event records the import, with a digest of the file.
    `progress(stage, done, total)` is told how far it has got.
    """
    access.require(actor, "people.import")
    report = progress or (lambda stage, done, total: None)
    rows = read_rows(kind, data, filename)
    report("checking", 0, len(rows))
    cleaned, errors = _validate_rows(kind, filename, rows)
    if errors:
        raise ImportFailed(errors)
    model = MODELS[kind]
    result = ImportResult(kind=kind, file=filename)
    field_changes: dict[str, list[str]] = {}
    with transaction.atomic():
        existing, links = _existing(kind, [v["external_id"] for _, v in cleaned])
        departments: dict[tuple[str, str], Department] = {}
        new: list[Any] = []
        changed: list[Any] = []
        managers: dict[str, str] = {}  # staff external id -> line manager's, where the file says
        learner_links: dict[str, list[str]] = {}  # guardian external id -> learners, where the file says
        for done, (_, values) in enumerate(cleaned, start=1):
            ext_id = values["external_id"]
            obj = existing.get(ext_id)
            old_manager = ""
            if kind == "staff" and obj is not None and obj.line_manager_id:
                old_manager = obj.line_manager.external_id
            old_links = links.get(obj.pk, []) if obj is not None else []
            before = _state(kind, obj, line_manager_id=old_manager, learner_ids=old_links) if obj else {}
            obj = obj or model(external_id=ext_id)
            _apply(kind, obj, values, departments)
            manager = values.get("line_manager_id", old_manager) or ""
            linked = values.get("learner_ids", old_links)
            if "line_manager_id" in values:
                managers[ext_id] = manager
            if "learner_ids" in values:
                learner_links[ext_id] = list(linked)
            if not before:
                new.append(obj)
                result.created.append(ext_id)
            else:
                changed_before, _ = changes(
                    before, _state(kind, obj, line_manager_id=manager, learner_ids=linked)
                )
                if changed_before:
                    changed.append(obj)
                    result.updated.append(ext_id)
                    field_changes[ext_id] = sorted(changed_before)
                else:
                    result.unchanged += 1
            if done % BATCH == 0:
                report("comparing", done, len(cleaned))
        fields = [*SIMPLE_FIELDS[kind], *(["department"] if kind == "staff" else [])]
        written = 0
        for batch in _chunks(new, BATCH):
            model.objects.bulk_create(batch)  # sets primary keys on PostgreSQL and SQLite
            written += len(batch)
            report("saving", written, len(new) + len(changed))
        for batch in _chunks(changed, BATCH):
            model.objects.bulk_update(batch, fields)
            written += len(batch)
            report("saving", written, len(new) + len(changed))
        saved = {o.external_id: o for o in [*new, *changed]}
        if kind == "staff" and managers:
            wanted = sorted(set(managers.values()) - {""})
            staff: dict[str, Any] = {}
            for chunk in _chunks(wanted, BATCH):
                staff.update({s.external_id: s for s in StaffMember.objects.filter(external_id__in=chunk)})
            relinked = []
            for ext_id, manager in managers.items():
                obj = saved.get(ext_id)
                if obj is not None:
                    obj.line_manager = staff.get(manager) if manager else None
                    relinked.append(obj)
            for batch in _chunks(relinked, BATCH):
                StaffMember.objects.bulk_update(batch, ["line_manager"])
        if kind == "guardians" and learner_links:
            _relink_guardians({ext: learner_links[ext] for ext in saved if ext in learner_links}, saved)
        if kind == "staff":
            _leavers_withdraw(saved.values())
            # Every record the file names, unchanged ones too: one saved before sign-ins were linked.
            sign_ins_link(actor=actor, emails=[o.email for o in (*existing.values(), *new)])
        report("saving", len(new) + len(changed), len(new) + len(changed))
        # Field names only, not values: the audit trail is readable by auditors, and learners'
        # dates of birth do not need to be copied into it. A large import lists counts and the
        # file's digest rather than every id.
        after: dict[str, Any] = {
            "kind": kind,
            "file": filename,
            "rows": len(cleaned),
            "sha256": hashlib.sha256(data).hexdigest(),
            "created_count": len(result.created),
            "updated_count": len(result.updated),
            "unchanged": result.unchanged,
        }
        if len(result.created) <= LISTED_IDS:
            after["created"] = result.created
        if len(field_changes) <= LISTED_IDS:
            after["updated"] = field_changes
        audit_record(
            actor=actor,
            action="people.imported",
            object_type=f"people.{kind}",
            object_repr=filename,
            after=after,
        )
    return result


# A sign-in holding one of these is never linked to a staff record whose leave date has come: an
# HR file (a leaver's address forwarded to the principal's mailbox, a typo) must not end the
# access of the people who run the system. SMT withdraws such a sign-in by hand.
NEVER_ENDED_BY_A_LINK = frozenset({Role.SMT, Role.QUALITY_DIRECTOR, Role.DSL, Role.DEPUTY_DSL, Role.AUDITOR})


@dataclass
class SignInLinks:
    linked: list[StaffMember] = field(default_factory=list)
    # (staff record, why it was not linked): for the page or command that made the sign-in to say.
    declined: list[tuple[StaffMember, str]] = field(default_factory=list)


def sign_ins_link(*, actor: Any, emails: Iterable[str]) -> SignInLinks:
    """Link each staff record with one of `emails` to the sign-in with that email: who a sign-in
    belongs to is what its leave date, its runner places and its declarations are read from, and
    nothing else links them (outside the demo a leaver's leave date never ended their sign-in).
    Each link is audited; a leave date already come ends the sign-in.
    Left alone: an email two staff records share (which is meant is not known), a staff record or
    a sign-in already linked, and a record whose leave date has come where the sign-in was made on
    or after that date (an address re-used for a new starter) or holds a role in
    NEVER_ENDED_BY_A_LINK; those are reported in `declined`."""
    today = timezone.localdate()
    wanted = sorted({normalise_email(e) for e in emails if e})
    result = SignInLinks()
    for chunk in _chunks(wanted, BATCH):
        users = {u.email: u for u in User.objects.filter(email__in=chunk, staff_member__isnull=True)}
        if not users:
            continue
        holders: dict[str, list[StaffMember]] = {}
        for found in StaffMember.objects.annotate(folded=Lower("email")).filter(folded__in=list(users)):
            holders.setdefault(found.email.lower(), []).append(found)
        for email, members in sorted(holders.items()):
            if len(members) != 1 or members[0].user_id is not None:
                continue
            member: StaffMember = members[0]
            user = users[email]
            left_on = member.leave_date if member.leave_date and member.leave_date <= today else None
            if left_on is not None:
                left = f"{member.full_name} left on {left_on.day} {left_on:%B %Y}"
                if timezone.localdate(user.date_joined) >= left_on:
                    result.declined.append((member, left))
                    continue
                if user.roles & NEVER_ENDED_BY_A_LINK:
                    why = f"{left}, and the sign-in holds a role SMT withdraws by hand"
                    result.declined.append((member, why))
                    continue
            member.user = user
            member.save(update_fields=["user"])
            audit_record(actor=actor, action="staff.sign_in_linked", target=member, after={"sign_in": email})
            result.linked.append(member)
    _leavers_withdraw(result.linked)
    return result


def _leavers_withdraw(staff: Iterable[StaffMember]) -> None:
    """A leave date that has come ends the person's sign-in now (identity), not at the next scan."""
    today = timezone.localdate()
    gone = [s for s in staff if s.user_id is not None and s.leave_date is not None and s.leave_date <= today]
    if gone:
        users = User.objects.filter(pk__in=[s.user_id for s in gone])
        leavers_access_withdraw(users, reason="leave date saved as today or earlier")


def _relink_guardians(wanted: dict[str, list[str]], saved: dict[str, Any]) -> None:
    """Make each guardian's linked learners those the file lists, in a few statements."""
    through = Guardian.learners.through
    learner_ids = sorted({i for ids in wanted.values() for i in ids})
    learners: dict[str, int] = {}
    for chunk in _chunks(learner_ids, BATCH):
        learners.update(dict(Learner.objects.filter(external_id__in=chunk).values_list("external_id", "pk")))
    guardian_pks = [saved[ext].pk for ext in wanted]
    for chunk in _chunks(guardian_pks, BATCH):
        through.objects.filter(guardian_id__in=chunk).delete()
    links = [
        through(guardian_id=saved[ext].pk, learner_id=learners[i])
        for ext, ids in wanted.items()
        for i in dict.fromkeys(ids)
    ]
    through.objects.bulk_create(links, batch_size=BATCH)


def person_save(*, actor: Any, kind: str, raw: dict[str, Any], instance: Any = None) -> Any:
    """Create (instance None) or update one record from raw strings, validated as an import row."""
    access.require(actor, "people.save", kind)
    partial = instance is not None
    raw = {k: "" if v is None else str(v) for k, v in raw.items()}
    if partial:
        raw.setdefault("external_id", instance.external_id)
    values, problems = clean_record(kind, raw, partial=partial)
    for error in [
        *_reference_errors(kind, "record", [(None, values)], known_ids=set()),
        *_identity_errors(kind, "record", [(None, values)]),
    ]:
        problems.setdefault(error.field or "", error.message)
    if not partial and MODELS[kind].objects.filter(external_id=values.get("external_id")).exists():
        problems["external_id"] = f"{values['external_id']!r} is already used; edit that record instead"
    if problems:
        raise ImportFailed([RowError("record", None, f, m) for f, m in problems.items()])
    with transaction.atomic():
        obj = instance or MODELS[kind](external_id=values["external_id"])
        before = _tracked(kind, obj) if obj.pk else {}
        _apply(kind, obj, values, {})
        if kind == "staff" and "line_manager_id" in values:
            mid = values["line_manager_id"]
            obj.line_manager = StaffMember.objects.get(external_id=mid) if mid else None
        obj.save()
        if kind == "guardians" and "learner_ids" in values:
            obj.learners.set(Learner.objects.filter(external_id__in=values["learner_ids"]))
        b, a = changes(before, _tracked(kind, obj))
        if kind == "staff":
            _leavers_withdraw([obj])
            sign_ins_link(actor=actor, emails=[obj.email])
        if before and not b:
            return obj
        label = kind[:-1] if kind.endswith("s") else kind
        audit_record(
            actor=actor,
            action=f"{label}.{'updated' if before else 'created'}",
            target=obj,
            before={k: "(changed)" for k in b} if before else {},
            after={"fields": sorted(a)},
        )
    return obj


# The database column behind each export column that is not the model's field of that name.
EXPORT_SOURCES = {
    "staff": {
        "department": "department__name",
        "site": "department__site",
        "line_manager_id": "line_manager__external_id",
    },
}
DATE_COLUMNS = {"start_date", "leave_date", "date_of_birth", "end_date"}
EXPORT_PIECE = 64 * 1024  # characters per piece of a streamed export


def people_export_pieces(kind: str, piece: int = EXPORT_PIECE) -> Iterator[str]:
    """The register as CSV text in pieces of about `piece` characters, for a streamed download:
    the same columns the importer reads (an export can be edited and imported back), the same
    values as `person_row`. Read a batch at a time by primary key as plain values (no model
    objects, no query per row), written by one guarded writer: 100,000 learners are 8 MB."""
    columns = [c.name for c in SPECS[kind]]
    linked = kind == "guardians"
    read = [EXPORT_SOURCES.get(kind, {}).get(c, c) for c in columns if not (linked and c == "learner_ids")]
    handles = read.index("social_handles") if "social_handles" in read else None
    # Dates as the database writes them (ISO 8601 on both): no date object made per cell.
    selected = [Cast(c, models.TextField()) if c in DATE_COLUMNS else c for c in read]
    buffer = io.StringIO()
    writer = csvfiles.writer(buffer)
    writer.writerow(columns)
    # Guardians' links: one query in guardian order, read a chunk at a time alongside the
    # guardians (a join per batch read the whole learner table again each time).
    links: Iterator[tuple[int, str]] = iter(())
    if linked:
        pairs = Guardian.learners.through.objects.order_by("guardian_id", "learner_id")
        links = pairs.values_list("guardian_id", "learner__external_id").iterator(chunk_size=BATCH)
    link = next(links, None)
    last = 0
    while True:
        found = MODELS[kind].objects.filter(pk__gt=last).order_by("pk").values_list("pk", *selected)
        batch = list(found[:BATCH])
        if not batch:
            break
        rows = [list(row[1:]) for row in batch]
        if handles is not None:
            for row in rows:
                if row[handles]:
                    row[handles] = ";".join(row[handles].splitlines())
        if linked:
            for (pk, *_), row in zip(batch, rows, strict=True):
                learner_ids = []
                while link is not None and link[0] <= pk:
                    if link[0] == pk:
                        learner_ids.append(link[1])
                    link = next(links, None)
                row.append(";".join(sorted(learner_ids)))
        writer.writerows(rows)
        last = batch[-1][0]
        if buffer.tell() >= piece:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def people_export_csv(kind: str) -> str:
    return "".join(people_export_pieces(kind))


def person_row(kind: str, obj: Any, learner_ids: list[str] | None = None) -> dict[str, str]:
    """One record as the strings an import file would hold for it (a guardian's learners from
    `learner_ids` where the caller read them already)."""
    row = _snapshot(obj, SIMPLE_FIELDS[kind])
    if kind == "staff":
        row["department"] = obj.department.name if obj.department_id else ""
        row["site"] = obj.department.site if obj.department_id else ""
        row["line_manager_id"] = obj.line_manager.external_id if obj.line_manager_id else ""
    if kind == "learners":
        row["social_handles"] = ";".join(obj.social_handles.splitlines())
    if kind == "guardians":
        # From the prefetch: a query per guardian made the export of 20,000 time out.
        found = learner_ids if learner_ids is not None else [le.external_id for le in obj.learners.all()]
        row["learner_ids"] = ";".join(sorted(found))
    row["external_id"] = obj.external_id
    return {c.name: "" if row.get(c.name) is None else str(row[c.name]) for c in SPECS[kind]}


def organisation_update(*, actor: Any, organisation: Organisation, values: dict[str, str]) -> Organisation:
    access.require(actor, "organisation.manage")
    names = ["name", "aliases", "handles", "email_domains"]
    with transaction.atomic():
        before = {n: getattr(organisation, n) for n in names}
        for n in names:
            if n in values:
                setattr(organisation, n, values[n].strip())
        organisation.save()
        b, a = changes(before, {n: getattr(organisation, n) for n in names})
        if b:
            audit_record(actor=actor, action="organisation.updated", target=organisation, before=b, after=a)
    return organisation


def import_request(*, actor: Any, kind: str, data: bytes, filename: str) -> ImportRun:
    """Queue an uploaded file for the worker (the import page then shows its progress)."""
    from socialguard.people.tasks import run_import

    if not can(actor, "people.import"):
        raise PermissionDenied("importing people needs the senior management team")
    if kind not in MODELS:
        raise ValidationError({"kind": f"{kind!r} is not one of {', '.join(MODELS)}"})
    run = ImportRun.objects.create(
        kind=kind, filename=filename, data=data, requested_by=actor, requested_at=timezone.now()
    )
    transaction.on_commit(partial(run_import.enqueue, import_id=run.pk))
    return run


def import_run(run: ImportRun) -> ImportRun:
    """Import a queued file as its requester, recording progress and the outcome on the run; the
    file itself is dropped once read."""
    ImportRun.objects.filter(pk=run.pk).update(state=ImportState.RUNNING)
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done >= total:  # a few writes a second at most
            last[0] = now
            ImportRun.objects.filter(pk=run.pk).update(stage=stage, done=done, total=total)

    try:
        result = people_import(
            actor=run.requested_by,
            kind=run.kind,
            data=bytes(run.data),
            filename=run.filename,
            progress=progress,
        )
    except ImportFailed as failed:
        shown = [str(e) for e in failed.errors[:MAX_REPORTED_ERRORS]]
        if len(failed.errors) > MAX_REPORTED_ERRORS:
            shown.append(f"... and {len(failed.errors) - MAX_REPORTED_ERRORS} more problems")
        run.state, run.errors = ImportState.FAILED, shown
    else:
        run.state, run.summary = ImportState.DONE, result.summary()
    run.data = b""
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "errors", "summary", "data", "finished_at"])
    run.refresh_from_db()
    return run
