"""Every write to policies, reviews, declarations and training: one transaction, one audit event each."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import zipfile
import zlib
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.audit.services import audit_record
from socialguard.people.models import StaffMember
from socialguard.people.records import FieldError, parse_date, parse_text
from socialguard.people.services import ImportFailed, RowError, read_csv
from socialguard.policies import access, outline
from socialguard.policies.models import (
    Clause,
    Course,
    Declaration,
    PolicyDocument,
    PolicyReview,
    PolicyVersion,
    ReviewComment,
    ReviewStatus,
    RulesPack,
    TrainingCompletion,
    VersionStatus,
)
from socialguard.policies.transitions import VERSIONS

MARKDOWN_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_POLICY_BYTES = 2 * 1024 * 1024
# A .docx is a zip, and python-docx reads each part whole: a 2 MB file of one repeated paragraph
# became gigabytes of XML in memory, and 24 MB of honest XML still took 5 s of the web worker. A long
# policy's XML is a few megabytes and its images are stored compressed.
MAX_DOCX_UNPACKED = 10 * 1024 * 1024
# Parts are unpacked in pieces of this size to count them (never a whole part at once).
UNPACK_PIECE = 1024 * 1024


class PolicyImportError(ValueError):
    """The file cannot become a policy version; the message names the file and the problem."""


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _docx_check(data: bytes, filename: str) -> None:
    """Refuse a .docx whose parts unpack past MAX_DOCX_UNPACKED, counting the bytes they really
    unpack to, a piece at a time: the sizes a zip declares can lie, and Python's zipfile
    decompresses a part whole on read() before cutting it to its declared size. A part that
    does not unpack as declared (a wrong size or checksum) is a damaged file."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for item in archive.infolist():
                with archive.open(item) as part:
                    while piece := part.read(UNPACK_PIECE):
                        total += len(piece)
                        if total > MAX_DOCX_UNPACKED:
                            raise PolicyImportError(
                                f"{filename}: unpacks to more than {MAX_DOCX_UNPACKED // 1024 // 1024} MB; "
                                "a policy is far smaller, so this is not the right file (or it is damaged)"
                            )
    except PolicyImportError:
        raise  # a ValueError too: not to be taken for a damaged file below
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        raise PolicyImportError(f"{filename}: cannot be read as a Word document ({exc})") from None


def _policy_text(data: bytes, filename: str) -> tuple[str, str]:
    suffix = PurePath(filename).suffix.lower()
    if not data.strip():
        raise PolicyImportError(f"{filename}: the file is empty")
    if len(data) > MAX_POLICY_BYTES:
        raise PolicyImportError(f"{filename}: is larger than 2 MB; is this the right file?")
    if suffix == ".docx":
        _docx_check(data, filename)
        try:
            return outline.docx_to_markdown(data), "docx"
        except Exception as exc:  # python-docx raises several kinds for a damaged file
            raise PolicyImportError(f"{filename}: cannot be read as a Word document ({exc})") from None
    if suffix not in MARKDOWN_SUFFIXES:
        raise PolicyImportError(
            f"{filename}: use a Markdown (.md) or Word (.docx) file, not {suffix or 'no extension'}"
        )
    try:
        return data.decode("utf-8-sig"), "markdown"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PolicyImportError(f"{filename}, line {line}: is not UTF-8 text; save it as UTF-8") from None


def policy_import(*, actor: Any, data: bytes, filename: str, title: str = "") -> PolicyVersion:
    """A new draft version from a Markdown or Word file, parsed into clauses."""
    access.require(actor, "policy.manage")
    text, source_format = _policy_text(data, filename)
    parsed = outline.parse_markdown(text)
    if not parsed.clauses:
        raise PolicyImportError(
            f'{filename}: no clauses found; number sections ("5.2 …") or use headings ("## 5 The Policy")'
        )
    digest = outline.text_hash(parsed.text)
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().first()
        if document is None:
            document = PolicyDocument.objects.create(title=title or parsed.title)
        same = document.versions.filter(text_hash=digest).first()
        if same is not None:
            raise PolicyImportError(f"{filename}: is identical to version {same.number}; nothing to import")
        number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = PolicyVersion.objects.create(
            document=document,
            number=number,
            title=title or parsed.title,
            text=parsed.text,
            text_hash=digest,
            source_format=source_format,
            source_name=PurePath(filename).name[:255],
            issue_date=parsed.issue_date,
            next_review_date=parsed.next_review_date,
            owner_role=document.owner_role,
            created_by=actor,
        )
        Clause.objects.bulk_create(
            [
                Clause(
                    version=version,
                    key=c.key,
                    number=c.number,
                    heading=c.heading[:300],
                    label=c.label[:300],
                    text=c.text,
                    level=c.level,
                    parent_key=c.parent or "",
                    order=c.order,
                )
                for c in parsed.clauses
            ]
        )
        audit_record(
            actor=actor,
            action="policy.version_imported",
            target=version,
            after={
                "number": number,
                "file": version.source_name,
                "format": source_format,
                "hash": digest,
                "clauses": len(parsed.clauses),
            },
        )
    return version


def clauses_of(version: PolicyVersion) -> list[outline.Clause]:
    return [
        outline.Clause(
            key=c.key,
            number=c.number,
            heading=c.heading,
            text=c.text,
            level=c.level,
            parent=c.parent_key or None,
            order=c.order,
        )
        for c in version.clauses.all()
    ]


def version_submit_for_review(*, actor: Any, version: PolicyVersion) -> PolicyVersion:
    return VERSIONS.apply(
        actor=actor,
        obj=version,
        action="submit_for_review",
        audit="policy.version_in_review",
        change=lambda locked, was: (None, {"status": locked.status}),
    )


def version_publish(
    *,
    actor: Any,
    version: PolicyVersion,
    issue_date: dt.date | None = None,
    next_review_date: dt.date | None = None,
) -> PolicyVersion:
    """Publish a draft: the previous version retires, and everyone owes a declaration again."""
    today = timezone.localdate()
    VERSIONS.check(version, actor, "publish")
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=version.document_id)
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        VERSIONS.check(version, actor, "publish")  # again, locked: another publish may have won
        issue = issue_date or today
        review = next_review_date or add_months(issue, document.review_interval_months)
        if review <= issue:
            raise ValidationError({"next_review_date": "the next review must come after the issue date"})
        previous = document.versions.filter(status=VersionStatus.PUBLISHED).first()
        if previous is not None:
            summary = outline.change_summary(outline.diff_clauses(clauses_of(previous), clauses_of(version)))
            summary = summary or "wording changed"
            VERSIONS.apply(
                actor=actor,
                obj=previous,
                action="retire",
                audit="policy.version_retired",
                change=lambda locked, was: (None, {"status": "retired"}),
            )
        else:
            summary = "first published version"

        def record(locked: PolicyVersion, was: str) -> tuple[None, dict[str, Any]]:
            locked.issue_date = issue
            locked.next_review_date = review
            locked.published_at = timezone.now()
            locked.published_by = actor
            locked.change_summary = summary[:500]
            return None, {
                "number": locked.number,
                "hash": locked.text_hash,
                "issue_date": issue,
                "next_review_date": review,
                "changes": locked.change_summary,
            }

        version = VERSIONS.apply(
            actor=actor, obj=version, action="publish", audit="policy.version_published", change=record
        )
        document.next_review_date = review
        document.save(update_fields=["next_review_date"])
        open_review = document.reviews.filter(status=ReviewStatus.OPEN).first()
        if open_review is not None:
            open_review.status = ReviewStatus.PUBLISHED
            open_review.closed_at = timezone.now()
            open_review.closed_by = actor
            open_review.result_version = version
            open_review.save()
            audit_record(
                actor=actor,
                action="policy.review_closed",
                target=open_review,
                after={"outcome": "published", "version": version.number},
            )
    return version


def review_start(*, actor: Any, document: PolicyDocument) -> PolicyReview:
    access.require(actor, "policy.manage")
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        current = document.versions.filter(status=VersionStatus.PUBLISHED).first()
        if current is None:
            raise ValidationError("there is no published version to review; publish one first")
        if document.reviews.filter(status=ReviewStatus.OPEN).exists():
            raise ValidationError("a review is already open; finish it first")
        review = PolicyReview.objects.create(document=document, version=current, started_by=actor)
        audit_record(
            actor=actor, action="policy.review_started", target=review, after={"version": current.number}
        )
    return review


def review_comment_add(
    *, actor: Any, review: PolicyReview, version: PolicyVersion, clause_key: str, text: str
) -> ReviewComment:
    access.require(actor, "policy.comment")
    text = text.strip()
    if review.status != ReviewStatus.OPEN:
        raise ValidationError("this review is closed; start a new one to comment")
    if not text:
        raise ValidationError({"text": "write the comment"})
    if version.document_id != review.document_id or version.status == VersionStatus.RETIRED:
        raise ValidationError({"version": "comment on the version under review or a new draft"})
    if not version.clauses.filter(key=clause_key).exists():
        raise ValidationError({"clause": f"version {version.number} has no clause {clause_key!r}"})
    with transaction.atomic():
        comment = ReviewComment.objects.create(
            review=review, version=version, clause_key=clause_key, author=actor, text=text
        )
        audit_record(
            actor=actor,
            action="policy.review_comment",
            target=comment,
            after={"version": version.number, "clause": clause_key, "text": text},
        )
    return comment


def review_reconfirm(
    *, actor: Any, review: PolicyReview, next_review_date: dt.date, note: str = ""
) -> PolicyReview:
    """Keep the current version: the review closes and the next review date moves on."""
    access.require(actor, "policy.manage")
    today = timezone.localdate()
    if next_review_date <= today:
        raise ValidationError({"next_review_date": "the next review date must be in the future"})
    with transaction.atomic():
        review = PolicyReview.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewStatus.OPEN:
            raise ValidationError("this review is already closed")
        document = review.document
        before = document.next_review_date
        document.next_review_date = next_review_date
        document.save(update_fields=["next_review_date"])
        review.status = ReviewStatus.RECONFIRMED
        review.closed_at = timezone.now()
        review.closed_by = actor
        review.outcome_note = note.strip()
        review.new_next_review_date = next_review_date
        review.save()
        audit_record(
            actor=actor,
            action="policy.reconfirmed",
            target=review,
            before={"next_review_date": before},
            after={
                "next_review_date": next_review_date,
                "version": review.version.number,
                "note": review.outcome_note,
            },
        )
    return review


# --- Declarations ------------------------------------------------------------------------------

DECLARATION_FIELDS = ("read_and_understood", "agrees_to_comply", "accepts_monitoring")


def declaration_make(
    *,
    actor: Any,
    staff: StaffMember,
    version: PolicyVersion,
    confirmations: dict[str, bool],
    ip_address: str | None = None,
) -> Declaration:
    access.require(actor, "declarations.make", staff)
    missing = [name for name in DECLARATION_FIELDS if not confirmations.get(name)]
    if missing:
        raise ValidationError({name: "tick this to confirm it" for name in missing})
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(
            f"version {version.number} is not the published policy; declare the current one"
        )
    if staff.has_left:
        raise ValidationError(f"{staff.full_name} has left and no longer declares")
    now = timezone.now()
    with transaction.atomic():
        if Declaration.objects.filter(staff=staff, version=version).exists():
            raise ValidationError(f"{staff.full_name} has already declared version {version.number}")
        declaration = Declaration(
            staff=staff,
            version=version,
            version_hash=version.text_hash,
            read_and_understood=True,
            agrees_to_comply=True,
            accepts_monitoring=True,
            declared_at=now,
            ip_address=ip_address,
            user=actor,
        )
        declaration.audit_event = audit_record(
            actor=actor,
            action="policy.declared",
            object_type="policies.declaration",
            object_id=f"{staff.external_id}/v{version.number}",
            object_repr=f"{staff.full_name} declared version {version.number}",
            after=declaration.facts(),
            ip_address=ip_address,
        )
        try:
            with transaction.atomic():
                declaration.save()
        except IntegrityError:
            raise ValidationError(
                f"{staff.full_name} has already declared version {version.number}"
            ) from None
    return declaration


def declarations_verify() -> list[str]:
    """Problems with the declaration record: a row that differs from its audit event, or a broken chain."""
    problems = []
    result = audit_verify()
    if not result.ok:
        problems.append(f"the audit trail is broken: {result.problem}")
    events = {e.pk: e for e in AuditEvent.objects.filter(action="policy.declared")}
    for declaration in Declaration.objects.select_related("staff", "version"):
        event = events.get(declaration.audit_event_id)
        if event is None:
            problems.append(f"declaration {declaration.pk} has no audit event")
            continue
        facts = declaration.facts()
        differs = sorted(k for k, v in facts.items() if event.after.get(k) != v)
        if differs:
            problems.append(
                f"declaration by {declaration.staff.full_name} for version {declaration.version.number} "
                f"differs from audit event {event.seq} in: {', '.join(differs)}"
            )
    return problems


# --- Training ----------------------------------------------------------------------------------

COURSE_FIELDS = ("code", "name", "description", "required_for", "refresher_months", "grace_days", "active")


def course_save(*, actor: Any, values: dict[str, Any], instance: Course | None = None) -> Course:
    access.require(actor, "training.manage")
    with transaction.atomic():
        course = instance or Course()
        before = {f: getattr(course, f) for f in COURSE_FIELDS} if instance else {}
        for name in COURSE_FIELDS:
            if name in values:
                setattr(course, name, values[name])
        course.full_clean()
        course.save()
        audit_record(
            actor=actor,
            action="training.course_updated" if instance else "training.course_created",
            target=course,
            before=before,
            after={f: getattr(course, f) for f in COURSE_FIELDS},
        )
    return course


def _completion_errors(staff: StaffMember, course: Course, completed_on: dt.date) -> dict[str, str]:
    errors = {}
    if completed_on > timezone.localdate():
        errors["completed_on"] = f"{completed_on:%d/%m/%Y} is in the future"
    if staff.leave_date and completed_on > staff.leave_date:
        errors["completed_on"] = f"{staff.full_name} left on {staff.leave_date:%d/%m/%Y}, before this date"
    if not course.active:
        errors["course"] = f"the course {course.code!r} is no longer offered"
    return errors


def completion_record(
    *,
    actor: Any,
    staff: StaffMember,
    course: Course,
    completed_on: dt.date,
    evidence: str = "",
    source: str = "manual",
) -> TrainingCompletion:
    access.require(actor, "training.manage")
    errors = _completion_errors(staff, course, completed_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if TrainingCompletion.objects.filter(staff=staff, course=course, completed_on=completed_on).exists():
            raise ValidationError(
                f"{staff.full_name} already has {course.name} recorded on {completed_on:%d/%m/%Y}"
            )
        completion = TrainingCompletion.objects.create(
            staff=staff,
            course=course,
            completed_on=completed_on,
            expires_on=add_months(completed_on, course.refresher_months) if course.refresher_months else None,
            evidence=evidence.strip()[:500],
            recorded_by=actor,
            source=source,
        )
        audit_record(
            actor=actor,
            action="training.completion_recorded",
            target=completion,
            after={
                "staff": staff.external_id,
                "course": course.code,
                "completed_on": completed_on,
                "expires_on": completion.expires_on,
                "evidence": completion.evidence,
                "source": source,
            },
        )
    return completion


TRAINING_COLUMNS = ["staff_id", "email", "course", "completed_on", "evidence"]


def completions_import(*, actor: Any, data: bytes, filename: str) -> tuple[int, int]:
    """Training completions from CSV, all or nothing. Returns (recorded, already recorded)."""
    rows = read_csv(data, filename, known=TRAINING_COLUMNS, required=["course", "completed_on"])
    staff_by_id = {s.external_id.lower(): s for s in StaffMember.objects.all()}
    staff_by_email = {s.email.lower(): s for s in StaffMember.objects.exclude(email="")}
    courses = {c.code.lower(): c for c in Course.objects.all()}
    errors: list[RowError] = []
    planned: list[tuple[StaffMember, Course, dt.date, str]] = []
    seen: set[tuple[int, int, dt.date]] = set()
    for number, row in rows:
        staff_id, email = parse_text(row.get("staff_id", "")), parse_text(row.get("email", "")).lower()
        member = None
        if staff_id:
            member = staff_by_id.get(staff_id.lower())
            if member is None:
                errors.append(RowError(filename, number, "staff_id", f"no staff member has id {staff_id!r}"))
        elif email:
            member = staff_by_email.get(email)
            if member is None:
                errors.append(RowError(filename, number, "email", f"no staff member has email {email!r}"))
        else:
            errors.append(
                RowError(filename, number, "staff_id", "give the staff id or email of who did the training")
            )
        code = parse_text(row.get("course", ""))
        course = courses.get(code.lower())
        if course is None:
            known = ", ".join(sorted(c.code for c in courses.values())) or "none yet: add courses first"
            errors.append(
                RowError(filename, number, "course", f"unknown course {code!r}; known codes: {known}")
            )
        try:
            completed_on = parse_date(row.get("completed_on", ""))
            if completed_on is None:
                raise FieldError("is required")
        except FieldError as exc:
            errors.append(RowError(filename, number, "completed_on", str(exc)))
            continue
        if member is None or course is None:
            continue
        for field, message in _completion_errors(member, course, completed_on).items():
            errors.append(RowError(filename, number, field, message))
        key = (member.pk, course.pk, completed_on)
        if key in seen:
            errors.append(
                RowError(filename, number, None, "repeats an earlier row (same person, course and date)")
            )
        seen.add(key)
        planned.append((member, course, completed_on, parse_text(row.get("evidence", ""))))
    if errors:
        raise ImportFailed(errors)
    recorded = existing = 0
    with transaction.atomic():
        for member, course, completed_on, evidence in planned:
            if TrainingCompletion.objects.filter(
                staff=member, course=course, completed_on=completed_on
            ).exists():
                existing += 1
                continue
            completion_record(
                actor=actor,
                staff=member,
                course=course,
                completed_on=completed_on,
                evidence=evidence,
                source="import",
            )
            recorded += 1
        audit_record(
            actor=actor,
            action="training.imported",
            object_type="policies.trainingcompletion",
            object_repr=filename[:200],
            after={"file": filename, "recorded": recorded, "already_recorded": existing},
        )
    return recorded, existing


# --- The organisation's rules pack and reviewers' judgements of findings (docs/rules.md) -------


PACK_SUMMARY_CHARS = 1000  # what changed, on the version and in its rules.pack_saved audit event


def pack_save(*, actor: Any, text: str) -> RulesPack:
    """Save the Quality Director's pack as a new version, validated exactly as a pack file is
    (PackError lists every problem); the engine is rebuilt with it at once."""
    import hashlib

    from socialguard.identity.permissions import require
    from socialguard.policies import packs
    from socialguard.policies.engine import forget_policy_engine

    require(actor, "rules.pack_manage")
    text = text.replace("\r\n", "\n")
    with transaction.atomic():
        previous = RulesPack.objects.select_for_update().first()
        number = (previous.number if previous else 0) + 1
        source = f"pack version {number}"
        packs.load_text(text, source)  # raises PackError naming line, section, key and reason
        if previous is not None and previous.text == text:
            raise ValidationError(f"nothing changed since version {previous.number}")
        # Cut as the version's own summary is, for the audit record too: a pack that adds a long
        # word list names every word, and no audit event should carry hundreds of kilobytes.
        summary = packs.diff_summary(previous.text if previous else "", text)
        if len(summary) > PACK_SUMMARY_CHARS:
            summary = summary[: PACK_SUMMARY_CHARS - 1] + "…"
        version = RulesPack.objects.create(
            number=number,
            text=text,
            text_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            summary=summary,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="rules.pack_saved",
            target=version,
            before={"version": previous.number, "hash": previous.text_hash} if previous else None,
            after={"version": number, "hash": version.text_hash, "changes": summary},
        )
        transaction.on_commit(forget_policy_engine)
    return version
