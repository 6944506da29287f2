"""Writes to the consent register, each one transaction with its audit event.

A refusal or a withdrawal is recorded first, in its own transaction, before anything else
happens (so it can never be lost to a later failure); then `sweep` finds what shows the person:
pending drafts are pulled back from approval at once, and every published post gets a takedown
for its account's runners. On a platform with a connector the post is deleted there once a
runner confirms (`takedown_confirm`, then the `takedown_delete` task); every step is kept on the
takedown and in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record
from socialguard.connectors import base as connectors
from socialguard.connectors.accounts import credentials_for, has_connector
from socialguard.consent import access
from socialguard.consent.models import (
    ConsentForm,
    ConsentRecord,
    Evidence,
    Scope,
    Status,
    SubjectKind,
    Takedown,
    TakedownState,
)
from socialguard.consent.selectors import eighteenth_birthday, subject
from socialguard.people.models import Guardian, Learner
from socialguard.people.records import FieldError, parse_date, parse_text
from socialguard.people.services import ImportFailed, RowError, read_csv
from socialguard.storage import sealed as files

LINK_SALT = "socialguard.consent.link"
LINK_DAYS = 14


def _audit(actor: Any, verb: str, **fields: Any) -> None:
    """Every consent event is `consent.<verb>`; the record types are the models' own."""
    audit_record(actor=actor, action=f"consent.{verb}", **fields)


def _words(choices: Any) -> str:
    return ", ".join(str(c) for c in choices.values)


@dataclass(frozen=True)
class Upload:
    name: str
    stream: IO[bytes]
    size: int | None = None


def _problems(*, kind: str, ref: str, status: str, scope: str, guardian_id: str, given_on: dt.date | None,
              expires_on: dt.date | None, evidence: str, has_form: bool) -> tuple[Any, Guardian | None, dict[str, str]]:  # noqa: E501  # fmt: skip
    """Everything wrong with one statement, as {field: message}; nothing is saved if any."""
    problems: dict[str, str] = {}
    person = subject(kind, ref) if kind in SubjectKind.values else None
    if kind not in SubjectKind.values:
        problems["kind"] = f"{kind!r} is not a kind of person; use {_words(SubjectKind)}"
    elif person is None:
        problems["person"] = f"no {SubjectKind(kind).label.lower()} with external_id {ref!r} in the register"
    if status not in Status.values:
        problems["status"] = f"{status!r} is not a status; use {_words(Status)}"
    if scope not in Scope.values:
        problems["scope"] = f"{scope!r} is not a scope; use {_words(Scope)}"
    if evidence not in Evidence.values:
        problems["evidence"] = f"{evidence!r} is not a kind of evidence; use {_words(Evidence)}"
    elif evidence == Evidence.FORM and not has_form:
        problems["form"] = "attach the signed form (a PDF, or a photo or scan of it)"
    today = timezone.localdate()
    if given_on is None:
        problems["given_on"] = "give the date on the form"
    elif given_on > today:
        problems["given_on"] = f"{given_on.isoformat()} is in the future; give the date it was given"
    elif isinstance(person, Learner) and person.date_of_birth and given_on < person.date_of_birth:
        problems["given_on"] = (
            f"{given_on.isoformat()} is before {person.full_name} was born "
            f"({person.date_of_birth.isoformat()})"
        )
    if expires_on and given_on and expires_on <= given_on:
        problems["expires_on"] = f"{expires_on.isoformat()} is not after the date it was given"
    guardian = None
    if guardian_id:
        guardian = Guardian.objects.filter(external_id=guardian_id).first()
        if not isinstance(person, Learner):
            problems["guardian"] = "only a learner's consent is given by a parent or guardian"
        elif guardian is None:
            problems["guardian"] = f"no parent or guardian with external_id {guardian_id!r}"
        elif not guardian.learners.filter(pk=person.pk).exists():
            problems["guardian"] = (
                f"{guardian.full_name} is not linked to {person.full_name} as their parent or guardian"
            )
        elif (
            status == Status.GIVEN and given_on and person.date_of_birth
            and given_on >= eighteenth_birthday(person.date_of_birth)
        ):  # fmt: skip
            problems["guardian"] = (
                f"{person.full_name} was 18 on {given_on.isoformat()}: they consent themselves"
            )
    return person, guardian, problems


def _save(*, actor: Any, person: Any, kind: str, status: str, scope: str, guardian: Guardian | None,
          given_on: dt.date, expires_on: dt.date | None, evidence: str, form: ConsentForm | None,
          note: str, source: str) -> ConsentRecord:  # fmt: skip
    record = ConsentRecord.objects.create(
        subject_kind=kind,
        subject_id=person.external_id,
        subject_name=person.full_name,
        status=status,
        scope=scope,
        guardian=guardian,
        given_on=given_on,
        expires_on=expires_on,
        evidence=evidence,
        form=form,
        note=note[:500],
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_at=timezone.now(),
    )
    fields: dict[str, Any] = {
        "target": record,
        "object_type": "consent.consentrecord",
        "after": {
            "person": f"{kind} {person.external_id}",
            "scope": scope,
            "given_by": f"guardian {guardian.external_id}" if guardian else "themselves",
            "given_on": given_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else "",
            "evidence": evidence,
            "source": source,
        },
    }
    if status == Status.GIVEN:
        _audit(actor, "given", **fields)
    elif status == Status.REFUSED:
        _audit(actor, "refused", **fields)
    else:
        _audit(actor, "withdrawn", **fields)
    return record


def consent_record(*, actor: Any, kind: str, ref: str, status: str, given_on: dt.date | None,
                   scope: str = Scope.SOCIAL_MEDIA, guardian_id: str = "", expires_on: dt.date | None = None,
                   evidence: str = Evidence.MIS, form: Upload | None = None, note: str = "",
                   source: str = "web", check_permission: bool = True) -> ConsentRecord:  # fmt: skip
    """Record consent given, refused or withdrawn for one person. A refusal or withdrawal is
    committed first, then `sweep` takes down what shows them."""
    if check_permission and not access.may_manage(actor):
        raise PermissionDenied("you may not record consent")
    person, guardian, problems = _problems(
        kind=kind, ref=ref, status=status, scope=scope, guardian_id=guardian_id, given_on=given_on,
        expires_on=expires_on, evidence=evidence, has_form=form is not None,
    )  # fmt: skip
    checked = None
    if form is not None and not problems:
        try:
            checked = files.check(form.name, form.stream, form.size)
        except ValidationError as error:
            problems["form"] = " ".join(error.messages)
    if problems:
        raise ValidationError(problems)
    assert given_on is not None
    stored = files.store(checked) if checked is not None else None
    try:
        with transaction.atomic():
            saved_form = None
            if checked is not None and stored is not None:
                saved_form = ConsentForm.objects.create(
                    original_name=checked.name,
                    content_type=checked.content_type,
                    size=len(checked.data),
                    sha256=checked.sha256,
                    stored_name=stored.name,
                    wrapped_key=stored.key.wrapped_key,
                    key_nonce=stored.key.key_nonce,
                    key_id=stored.key.key_id,
                    uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            record = _save(
                actor=actor, person=person, kind=kind, status=status, scope=scope, guardian=guardian,
                given_on=given_on, expires_on=expires_on, evidence=evidence, form=saved_form, note=note,
                source=source,
            )  # fmt: skip
    except BaseException:
        if stored is not None:
            files.remove(stored.name)
        raise
    if status != Status.GIVEN:
        sweep(actor=actor, record=record)
    return record


def consent_withdraw(*, actor: Any, kind: str, ref: str, scope: str = Scope.SOCIAL_MEDIA,
                     guardian_id: str = "",
                     note: str = "", source: str = "web") -> ConsentRecord:  # fmt: skip
    """A withdrawal takes effect at once: recorded (and committed) first, then swept."""
    return consent_record(
        actor=actor, kind=kind, ref=ref, status=Status.WITHDRAWN, scope=scope, guardian_id=guardian_id,
        given_on=timezone.localdate(), evidence=Evidence.MIS if source != "link" else Evidence.LINK,
        note=note, source=source,
    )  # fmt: skip


@dataclass(frozen=True)
class ErasedConsent:
    records: int  # the person's records, kept under the pseudonym
    forms: int  # signed forms removed


def subject_erase(*, kind: str, ref: str, name: str, pseudonym: str) -> ErasedConsent:
    """Inside the caller's transaction (privacy's erasure, whose audit event counts what this
    did): the person's records keep what was said and when, under the pseudonym, and lose their
    name, notes and signed forms (the files go once it commits); a takedown's steps that name
    them name the pseudonym. The one change ever made to a record, by a queryset update, as the
    model refuses saves: a record keeping the name would undo the erasure."""
    records = ConsentRecord.objects.filter(subject_kind=kind, subject_id=ref)
    shown = f"Erased {pseudonym}"
    # Every name the records were written under, not only today's: a step names the person as
    # their record did then, and they may have been renamed since (a marriage, a chosen name).
    # Longest first: "Dan Young-Smith" before "Dan Young".
    names = sorted({name, *records.values_list("subject_name", flat=True)} - {""}, key=len, reverse=True)

    def erased(what: str) -> str:
        for old in names:
            what = what.replace(old, shown)
        return what

    for takedown in Takedown.objects.filter(withdrawal__in=records):
        takedown.steps = [{**s, "what": erased(str(s.get("what", "")))} for s in takedown.steps]
        takedown.save(update_fields=["steps"])
    form_ids = list(records.exclude(form=None).values_list("form_id", flat=True))
    stored = list(ConsentForm.objects.filter(pk__in=form_ids).values_list("stored_name", flat=True))
    count = records.update(subject_id=pseudonym, subject_name=shown, note="", form=None)
    ConsentForm.objects.filter(pk__in=form_ids).delete()
    transaction.on_commit(lambda: _remove_files(stored))
    return ErasedConsent(count, len(stored))


def _remove_files(stored: list[str]) -> None:
    for name in stored:
        files.remove(name)


# --- after a refusal or withdrawal -------------------------------------------------------------


def takedown_step(takedown: Takedown, what: str, actor: Any = None) -> None:
    by = (
        (actor.get_full_name() or actor.email) if getattr(actor, "is_authenticated", False) else "socialguard"
    )
    takedown.steps = [*takedown.steps, {"at": timezone.now().isoformat(), "what": what, "by": by}]


@dataclass
class SweepResult:
    posts: list[int] = field(default_factory=list)  # takedowns of published posts
    drafts: list[int] = field(default_factory=list)  # drafts pulled back


# What shows a person lives above the register (posts: content.takedowns); the apps that hold
# such things register a sweeper when they start, and a refusal or withdrawal runs each in turn.
Sweeper = Callable[..., SweepResult]
SWEEPERS: list[Sweeper] = []


def sweep(*, actor: Any, record: ConsentRecord) -> SweepResult:
    """Take down what shows the person: each registered sweeper pulls back pending drafts and
    opens takedowns of published posts."""
    result = SweepResult()
    if record.scope != Scope.SOCIAL_MEDIA:
        return result
    for sweeper in SWEEPERS:
        found = sweeper(actor=actor, record=record)
        result.posts += found.posts
        result.drafts += found.drafts
    return result


def takedown_fields(takedown: Takedown) -> dict[str, Any]:
    return {
        "target": takedown,
        "object_type": "consent.takedown",
        "after": {
            "state": takedown.state,
            "account": str(takedown.account),
            "post": takedown.post_id,
            "draft": takedown.draft_id,
            "withdrawal": takedown.withdrawal_id,
            "error": takedown.last_error,
        },
    }


def open_takedown(*, actor: Any, record: ConsentRecord, post: Any) -> Takedown:
    """Inside the caller's transaction: a takedown of a published post for its account's runners."""
    takedown = Takedown(withdrawal=record, account=post.account, post=post, created_at=timezone.now())
    takedown_step(takedown, f"listed: the post shows {record.subject_name}; waiting for a runner to confirm")
    takedown.save()
    _audit(actor, "takedown_opened", **takedown_fields(takedown))
    return takedown


def takedown_confirm(*, actor: Any, takedown: Takedown) -> Takedown:
    """A runner (or SMT) confirms: on a platform with a connector socialguard deletes the post
    there (the task); otherwise the runner says they removed it by hand."""
    with transaction.atomic():
        takedown = (
            Takedown.objects.select_for_update(of=("self",))
            .select_related("account", "post")
            .get(pk=takedown.pk)
        )
        if not access.may_confirm_takedown(actor, takedown.account):
            raise PermissionDenied(f"only a current runner of {takedown.account} or SMT takes its posts down")
        if takedown.post is None or takedown.state not in (TakedownState.OPEN, TakedownState.FAILED):
            raise ValidationError(f"this takedown is {takedown.get_state_display().lower()}")
        takedown.confirmed_by, takedown.confirmed_at = actor, timezone.now()
        if has_connector(takedown.account.platform):
            takedown.state = TakedownState.DELETING
            takedown_step(takedown, "confirmed: deleting the post on the platform", actor)
            takedown_id = takedown.pk
            transaction.on_commit(lambda: _enqueue_delete(takedown_id))
        else:
            takedown.state = TakedownState.BY_HAND
            takedown.done_at = timezone.now()
            takedown_step(takedown, "confirmed: removed from the platform by hand", actor)
            _mark_deleted(takedown.post)
        takedown.save()
        _audit(actor, "takedown_confirmed", **takedown_fields(takedown))
    return takedown


def _enqueue_delete(takedown_id: int) -> None:
    from socialguard.consent.tasks import takedown_delete

    takedown_delete.enqueue(takedown_id=takedown_id)


def _mark_deleted(post: Any) -> None:
    if post.deleted_at is None:
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])


def delete_on_platform(takedown_id: int) -> str:
    """The task's body: delete the post through the account's connector and record the outcome."""
    takedown = Takedown.objects.select_related("account", "post").get(pk=takedown_id)
    if takedown.state != TakedownState.DELETING or takedown.post is None:
        return "nothing to do"
    error = ""
    credentials = credentials_for(takedown.account)
    connector = connectors.connector_for(takedown.account.platform, credentials) if credentials else None
    if connector is None:
        error = f"no app password is stored for {takedown.account}; an SMT member must store one"
    else:
        try:
            connector.delete(takedown.post.uri)
        except connectors.NotFound:
            pass  # already gone: the outcome wanted
        except (connectors.ConnectorError, OSError) as exc:
            error = str(exc) or type(exc).__name__
    with transaction.atomic():
        takedown = (
            Takedown.objects.select_for_update(of=("self",))
            .select_related("account", "post")
            .get(pk=takedown_id)
        )
        if error:
            takedown.state, takedown.last_error = TakedownState.FAILED, error
            takedown_step(takedown, f"the platform did not delete it: {error}")
        else:
            takedown.state, takedown.done_at, takedown.last_error = TakedownState.DONE, timezone.now(), ""
            takedown_step(takedown, "deleted on the platform")
            assert takedown.post is not None
            _mark_deleted(takedown.post)
        takedown.save()
        if error:
            _audit(None, "takedown_failed", **takedown_fields(takedown))
        else:
            _audit(None, "takedown_done", **takedown_fields(takedown))
    return "failed" if error else "deleted"


def after_publish(post: Any) -> list[Takedown]:
    """Called by the publisher inside its recording transaction: a post that went out while a
    person shown in it withdrew is taken down at once (a takedown opened and, on a platform with
    a connector, the deletion enqueued without waiting for a runner)."""
    from socialguard.consent.selectors import latest_records, states_for_refs

    people = [p for m in post.draft.media.all() for p in (m.people_shown or [])]
    opened = []
    for (kind, ref), state in states_for_refs(people).items():
        if state.may_post or kind != SubjectKind.LEARNER or state.record is None:
            continue
        if state.code not in (Status.WITHDRAWN, Status.REFUSED):
            continue
        record = latest_records(kind, [ref]).get(ref)
        assert record is not None
        takedown = open_takedown(actor=None, record=record, post=post)
        if has_connector(post.account.platform):
            takedown.state = TakedownState.DELETING
            takedown_step(takedown, "consent was withdrawn while it was published: deleting it at once")
            takedown.save()
            takedown_id = takedown.pk
            transaction.on_commit(lambda pk=takedown_id: _enqueue_delete(pk))  # type: ignore[misc]
        opened.append(takedown)
        break  # one takedown per post
    return opened


# --- import from the MIS -----------------------------------------------------------------------

COLUMNS = ["learner_id", "status", "scope", "given_on", "guardian_id", "expires_on", "note"]
REQUIRED = ["learner_id", "status", "given_on"]


@dataclass
class ConsentImportResult:
    file: str
    recorded: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return f"{self.file}: {self.recorded} consent records added, {self.unchanged} unchanged"


def consent_import(*, actor: Any, data: bytes, filename: str) -> ConsentImportResult:
    """Consent recorded at enrolment in the MIS: all rows or none, errors by file, row and field.
    A row that says what the register already says adds nothing (re-importing is harmless)."""
    if not access.may_import(actor):
        raise PermissionDenied("you may not import consent")
    rows = read_csv(data, filename, known=COLUMNS, required=REQUIRED)
    errors: list[RowError] = []
    planned: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in rows:
        values: dict[str, Any] = {}
        row_errors: dict[str, str] = {}
        for name in COLUMNS:
            text = raw.get(name, "")
            try:
                values[name] = parse_date(text) if name in ("given_on", "expires_on") else parse_text(text)
            except FieldError as exc:
                row_errors[name] = str(exc)
        values["status"] = str(values.get("status", "")).lower()
        values["scope"] = str(values.get("scope") or Scope.SOCIAL_MEDIA).lower().replace(" ", "_")
        if not row_errors:
            _, _, problems = _problems(
                kind=SubjectKind.LEARNER, ref=values["learner_id"], status=values["status"],
                scope=values["scope"], guardian_id=values["guardian_id"], given_on=values["given_on"],
                expires_on=values["expires_on"],
                evidence=Evidence.MIS, has_form=False,
            )  # fmt: skip
            rename = {"person": "learner_id", "guardian": "guardian_id"}
            row_errors = {rename.get(k, k): v for k, v in problems.items()}
        key = (values.get("learner_id", ""), values.get("scope", ""))
        if key in seen and not row_errors:
            row_errors["learner_id"] = (
                f"{key[0]!r} already appears on row {seen[key]} for this scope; list each once"
            )
        seen.setdefault(key, number)
        errors.extend(RowError(filename, number, f, m) for f, m in row_errors.items())
        planned.append(values)
    if errors:
        raise ImportFailed(errors)
    from socialguard.consent.selectors import latest_records

    result = ConsentImportResult(file=filename)
    swept: list[ConsentRecord] = []
    with transaction.atomic():
        for values in planned:
            learner = Learner.objects.get(external_id=values["learner_id"])
            guardian = (
                Guardian.objects.filter(external_id=values["guardian_id"]).first()
                if values["guardian_id"]
                else None
            )
            last = latest_records(SubjectKind.LEARNER, [learner.external_id], values["scope"]).get(
                learner.external_id
            )
            if (
                last is not None and last.status == values["status"] and last.given_on == values["given_on"]
                and last.guardian_id == (guardian.pk if guardian else None)
                and last.expires_on == values["expires_on"]
            ):  # fmt: skip
                result.unchanged += 1
                continue
            record = _save(
                actor=actor, person=learner, kind=SubjectKind.LEARNER, status=values["status"],
                scope=values["scope"], guardian=guardian, given_on=values["given_on"],
                expires_on=values["expires_on"], evidence=Evidence.MIS, form=None, note=values["note"],
                source="import",
            )  # fmt: skip
            result.recorded += 1
            if record.status != Status.GIVEN:
                swept.append(record)
        _audit(
            actor,
            "imported",
            object_type="consent.consentrecord",
            object_repr=filename,
            after={"file": filename, "recorded": result.recorded, "unchanged": result.unchanged},
        )
    for record in swept:  # the refusals are committed; now what shows them
        sweep(actor=actor, record=record)
    return result


# --- the enrolment form through a signed link ----------------------------------------------------


def link_token(*, actor: Any, kind: str, ref: str) -> str:
    """A signed, expiring token for a learner (their own consent) or a guardian (their learners')."""
    if not access.may_manage(actor):
        raise PermissionDenied("you may not send consent forms")
    if kind not in (SubjectKind.LEARNER, SubjectKind.GUARDIAN) or subject(kind, ref) is None:
        raise ValidationError({"person": f"no learner or guardian with external_id {ref!r}"})
    # The nonce: two links issued within one second differ, so using one never spends the other.
    token = signing.dumps({"k": kind, "id": ref, "n": secrets.token_urlsafe(6)}, salt=LINK_SALT)
    _audit(
        actor, "link_issued", object_type=f"people.{kind}", object_id=ref,
        after={"kind": kind, "id": ref, "valid_days": LINK_DAYS},
    )  # fmt: skip
    return token


def link_holder(token: str) -> tuple[str, Any]:
    """(kind, person) for a valid token; ValidationError if it is forged or expired."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=dt.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        raise ValidationError("this link has expired: ask the office for a new one") from None
    except signing.BadSignature:
        raise ValidationError("this link is not valid: check it was copied whole") from None
    person = subject(str(data.get("k")), str(data.get("id")))
    if person is None:
        raise ValidationError("this link is not valid any more")
    if _link_spent(token, person):
        raise ValidationError(LINK_SPENT)
    return str(data["k"]), person


# A link answers once: a forwarded or leaked link cannot change the answer afterwards.
LINK_SPENT = "this link has already been used: to change an answer, ask the office for a new link"


def _link_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _link_spent(token: str, person: Any) -> bool:
    # The audit event of its use is the record that it was used (no table of spent links).
    used = AuditEvent.objects.filter(action="consent.link_used", object_id=person.external_id)
    return used.filter(after__link=_link_id(token)).exists()


def learners_for_link(kind: str, person: Any) -> list[Learner]:
    """Whose consent the link's holder may give: a learner their own; a guardian only their own
    learners, and only while each is under 18."""
    if kind == SubjectKind.LEARNER:
        return [person]
    today = timezone.localdate()
    return [
        le for le in person.learners.order_by("last_name", "first_name")
        if le.date_of_birth is None or today < eighteenth_birthday(le.date_of_birth)
    ]  # fmt: skip


def link_submit(*, token: str, answers: dict[str, str], ip_address: str | None = None) -> list[ConsentRecord]:
    """The form behind a signed link: one answer (given/refused) per learner the holder may answer
    for. A learner the holder may not answer for is refused, and nothing is saved."""
    kind, person = link_holder(token)
    allowed = {le.external_id: le for le in learners_for_link(kind, person)}
    unknown = sorted(set(answers) - set(allowed))
    if unknown:
        raise ValidationError(f"this link cannot answer for {', '.join(unknown)}")
    bad = {ref: a for ref, a in answers.items() if a not in (Status.GIVEN, Status.REFUSED)}
    if bad or not answers:
        raise ValidationError("answer yes or no for each learner")
    today = timezone.localdate()
    guardian_id = person.external_id if kind == SubjectKind.GUARDIAN else ""
    for ref, answer in answers.items():
        _, _, problems = _problems(
            kind=SubjectKind.LEARNER, ref=ref, status=answer, scope=Scope.SOCIAL_MEDIA,
            guardian_id=guardian_id,
            given_on=today, expires_on=None, evidence=Evidence.LINK, has_form=False,
        )  # fmt: skip
        if problems:
            raise ValidationError("; ".join(problems.values()))
    with transaction.atomic():
        type(person).objects.select_for_update().get(pk=person.pk)  # two tabs submitting at once: one wins
        if _link_spent(token, person):
            raise ValidationError(LINK_SPENT)
        _audit(
            None, "link_used", object_type=f"people.{kind}", object_id=person.external_id,
            after={"kind": kind, "id": person.external_id, "answers": dict(answers), "link": _link_id(token)},
            ip_address=ip_address,
        )  # fmt: skip
    # Each answer is its own transaction: a refusal is committed before its sweep runs.
    records = [
        consent_record(
            actor=None,
            kind=SubjectKind.LEARNER,
            ref=ref,
            status=answer,
            given_on=today,
            guardian_id=guardian_id,
            evidence=Evidence.LINK,
            source="link",
            check_permission=False,
        )
        for ref, answer in sorted(answers.items())
    ]
    return records
