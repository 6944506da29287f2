"""Every write to a case: report → triage → investigation → referral → outcome → anonymisation.

Each is one transaction with its audit event. Audit events and emails name the case by its
reference and never carry what happened, who is involved or what was found: the audit trail is
read by SMT and the auditor, who must not learn a safeguarding case's content from it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.services import audit_record
from socialguard.identity.models import User
from socialguard.identity.permissions import can
from socialguard.identity.roles import SAFEGUARDING_ROLES, Role
from socialguard.incidents import evidence as files
from socialguard.incidents import retention
from socialguard.incidents.access import Access, access, is_involved, may_manage, reads_safeguarding
from socialguard.incidents.models import (
    RESTRICTED_CATEGORIES,
    SAFEGUARDING_AGENCIES,
    Agency,
    Case,
    Category,
    Entry,
    EntryKind,
    Evidence,
    Outcome,
    Party,
    PartyRole,
    Referral,
    Severity,
    Source,
    Status,
    Task,
)
from socialguard.incidents.names import name_words, names
from socialguard.incidents.transitions import CASES, set_status
from socialguard.links import BadAddress, web_address
from socialguard.mail import email_after_commit
from socialguard.people.models import EmploymentType, Guardian, Learner, StaffMember

# Outcomes that are staff procedures (5.4): they name the member of staff they apply to.
STAFF_OUTCOMES = frozenset(
    {Outcome.DISCIPLINARY, Outcome.GROSS_MISCONDUCT, Outcome.ACCESS_WITHDRAWN, Outcome.CONTRACT_ENDED}
)
WORKING_STATUSES = (Status.TRIAGED, Status.INVESTIGATING, Status.AWAITING_REFERRAL)


@dataclass(frozen=True)
class PartyInput:
    role: str = PartyRole.OTHER
    staff: StaffMember | None = None
    learner: Learner | None = None
    guardian: Guardian | None = None
    name: str = ""


def _today() -> dt.date:
    return timezone.localdate()


def _require_manage(actor: Any, case: Case) -> None:
    if not may_manage(actor, case):
        if is_involved(actor, case):
            raise PermissionDenied("you are involved in this case, so someone else must handle it")
        raise PermissionDenied("you may not work on this case")


def _check_date(day: dt.date | None, field: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: "give a date that is not in the future"})


def _entry(
    case: Case, kind: str, text: str, actor: Any, restricted: bool, day: dt.date | None = None
) -> Entry:
    return Entry.objects.create(
        case=case,
        kind=kind,
        happened_on=day or _today(),
        text=text,
        restricted=restricted or case.restricted,
        author=actor,
    )


def _attach(
    case: Case, checked: Sequence[files.CheckedFile], actor: Any, restricted: bool, written: list[str]
) -> list[Evidence]:
    """Store the files and their records; `written` collects the stored names so the caller can
    remove them if its transaction fails (nothing is left half-written)."""
    saved = []
    for item in checked:
        stored = files.store(item)
        written.append(stored.name)
        saved.append(
            Evidence.objects.create(
                case=case,
                original_name=item.name,
                content_type=item.content_type,
                size=len(item.data),
                sha256=item.sha256,
                stored_name=stored.name,
                wrapped_key=stored.key.wrapped_key,
                key_nonce=stored.key.key_nonce,
                key_id=stored.key.key_id,
                restricted=restricted or case.restricted,
                uploaded_by=actor,
            )
        )
    return saved


class _FilesUndone:
    """Remove the files written in a block when the block fails."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def __enter__(self) -> list[str]:
        return self.written

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is not None:
            for name in self.written:
                files.remove(name)


ADULT_AGE = 18


def _child_on(learner: Learner, days: Iterable[dt.date | None]) -> bool:
    """Under 18 on any of `days` by the register's date of birth. A learner whose date of birth
    the register does not hold counts as a child: the safe way to be wrong."""
    if learner.date_of_birth is None:
        return True
    return any(
        (age := learner.age_on(day)) is not None and age < ADULT_AGE for day in days if day is not None
    )


def _names_a_child(parties: Iterable[PartyInput], days: Sequence[dt.date | None]) -> bool:
    """Whether the people involved include a learner under 18: one linked from the register, or a
    name that could be one there however it is written (incidents/names.py), even when it matches
    more than one record, so could not be linked."""
    for party in parties:
        if party.learner is not None:
            if _child_on(party.learner, days):
                return True
            continue
        if party.staff is not None or party.guardian is not None:
            continue
        words = name_words(party.name)
        if len(words) < 2:
            continue
        # Learners whose first or last name begins as one of the words do (two letters, so that
        # "Zoe" still finds "Zoë"); `names` then compares whole names as they were typed.
        either = Q()
        for prefix in {word[:2] for word in words if len(word) > 1}:  # not initials
            either |= Q(first_name__istartswith=prefix) | Q(last_name__istartswith=prefix)
        for learner in Learner.objects.filter(either):
            if names(words, learner.first_name, learner.last_name) and _child_on(learner, days):
                return True
    return False


def _case_days(case: Case) -> tuple[dt.date, dt.date | None]:
    """The days a learner's age is taken on: the day it was reported and the day it happened."""
    return timezone.localdate(case.created_at), case.happened_on


def _restrict(*, actor: Any, case: Case, note: str, why: str) -> None:
    """Make a case safeguarding from now on: every part restricted, an investigator who is not
    the DSL or a deputy removed, the DSL and deputies told. Call inside a transaction."""
    case.restricted = True
    case.safeguarding_part = True
    if case.investigator is not None and not reads_safeguarding(case.investigator):
        case.investigator = None
    case.save(update_fields=["restricted", "safeguarding_part", "investigator"])
    Entry.objects.filter(case=case).update(restricted=True)
    Evidence.objects.filter(case=case).update(restricted=True)
    Referral.objects.filter(case=case).update(restricted=True)
    _entry(case, EntryKind.NOTE, note, actor, True)
    audit_record(
        actor=actor,
        action="cases.escalated" if why == "referred" else "cases.restricted",
        target=case,
        after={"restricted": True, "why": why},
    )
    _notify_later(case, _handlers(case), "A case has been referred to you")


def cases_restrict_naming_children(
    *, progress: Callable[[int, int], object] = lambda done, total: None
) -> int:
    """Restrict every unrestricted case that now names a learner under 18: cases reported before
    this rule existed, a date of birth corrected since, a learner imported after a case named
    them. Run daily by the system (actor None) and by `socialguard cases restrict-children`.
    Returns how many cases it restricted."""
    unrestricted = list(
        Case.objects.filter(restricted=False).prefetch_related("parties__learner").order_by("pk")
    )
    restricted = 0
    for done, case in enumerate(unrestricted, start=1):
        parties = [
            PartyInput(role=p.role, staff=p.staff, learner=p.learner, guardian=p.guardian, name=p.name)
            for p in case.parties.all()
        ]
        named = case.category in RESTRICTED_CATEGORIES or _names_a_child(parties, _case_days(case))
        if named:
            with transaction.atomic():
                locked = Case.objects.select_for_update().get(pk=case.pk)
                if not locked.restricted:
                    _restrict(
                        actor=None,
                        case=locked,
                        note="Restricted to the DSL and deputies: the case names a learner under 18.",
                        why="names_learner_under_18",
                    )
                    restricted += 1
        progress(done, len(unrestricted))
    return restricted


def _next_reference(case: Case) -> str:
    return f"C-{timezone.localdate(case.created_at).year}-{case.pk:04d}"


def report_submit(
    *,
    actor: Any,
    category: str,
    summary: str,
    platform: str = "",
    url: str = "",
    account: str = "",
    happened_on: dt.date | None = None,
    parties: Sequence[PartyInput] = (),
    reporter_affected: bool = False,
    attachments: Sequence[files.CheckedFile] = (),
    source: str = Source.WEB,
    source_ref: str = "",
) -> Case:
    """Record a report (3.1, 5.4). Safeguarding concerns go straight to the DSL and deputies:
    those reported as safeguarding or as contact with a learner under 18, and any naming a
    learner under 18 on the day it is reported or the day it happened (policy 5.2).

    `source` and `source_ref` let a rules-engine finding or a monitoring alert be raised as a
    report, pointing back at what raised it. `actor` None is the system itself (monitoring):
    only it may raise a monitoring alert, and it raises nothing else."""
    system = actor is None
    if not system and not can(actor, "cases.report"):
        raise PermissionDenied("you may not report a concern")
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = f"choose one of: {', '.join(str(label) for label in Category.labels)}"
    if not summary.strip():
        errors["summary"] = "say what happened"
    if source not in Source.values:
        errors["source"] = f"unknown source {source!r}"
    elif source == Source.MONITORING_ALERT and not system:
        # A person could otherwise dress their report up as an automatic alert.
        errors["source"] = (
            "only monitoring raises reports with source 'monitoring_alert'; "
            "leave the source out (or use web, api or cli)"
        )
    elif system and source != Source.MONITORING_ALERT:
        raise PermissionDenied("a report without a person is only raised by monitoring")
    if happened_on is not None and happened_on > _today():
        errors["happened_on"] = "give a date that is not in the future"
    try:
        url = web_address(url)  # shown to the DSL and SMT, so never a javascript: address
    except BadAddress as exc:
        errors["url"] = str(exc)
    for n, party in enumerate(parties, start=1):
        if party.role not in PartyRole.values:
            errors["parties"] = f"person {n}: unknown role {party.role!r}"
        elif not (party.staff or party.learner or party.guardian or party.name.strip()):
            errors["parties"] = f"person {n}: choose someone from the register or give a name"
    if errors:
        raise ValidationError(errors)
    restricted = category in RESTRICTED_CATEGORIES or _names_a_child(parties, (_today(), happened_on))
    with _FilesUndone() as written, transaction.atomic():
        case = Case.objects.create(
            reference=f"new-{uuid.uuid4().hex[:12]}",
            category=category,
            restricted=restricted,
            safeguarding_part=restricted,
            summary=summary.strip(),
            platform=platform.strip()[:60],
            url=url,
            account=account.strip()[:200],
            happened_on=happened_on,
            reporter=actor,
            reporter_affected=reporter_affected,
            source=source,
            source_ref=source_ref[:200],
            created_at=timezone.now(),
        )
        case.reference = _next_reference(case)
        case.save(update_fields=["reference"])
        Party.objects.bulk_create(
            [
                Party(
                    case=case,
                    role=p.role,
                    staff=p.staff,
                    learner=p.learner,
                    guardian=p.guardian,
                    name="" if (p.staff or p.learner or p.guardian) else p.name.strip()[:200],
                )
                for p in parties
            ]
        )
        # Dated the day it was reported; the day it happened is said in words.
        _entry(
            case,
            EntryKind.REPORT,
            f"Report received; it happened on {happened_on:%-d %B %Y}."
            if happened_on
            else "Report received.",
            actor,
            restricted,
        )
        _attach(case, attachments, actor, restricted, written)
        audit_record(
            actor=actor,
            action="cases.reported",
            target=case,
            after={
                "category": case.category,
                "restricted": restricted,
                "people_involved": len(parties),
                "files": len(attachments),
                "source": source,
            },
        )
        _notify_later(case, _handlers(case), "A new report needs triage")
    return case


def _handlers(case: Case, safeguarding: bool | None = None) -> list[User]:
    """Who handles it: the DSL and deputies for restricted cases (or when `safeguarding`), SMT
    otherwise; never anyone involved in it."""
    restricted = case.restricted if safeguarding is None else safeguarding
    roles = SAFEGUARDING_ROLES if restricted else {Role.SMT}
    people = User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct()
    return [u for u in people if not is_involved(u, case)]


def triage(
    *,
    actor: Any,
    case: Case,
    severity: str,
    investigator: User | None,
    clause_keys: Iterable[str] = (),
    note: str = "",
) -> Case:
    from socialguard.policies.models import Clause
    from socialguard.policies.selectors import current_version

    CASES.check(case, actor, "triage")
    errors: dict[str, str] = {}
    if severity not in Severity.values:
        errors["severity"] = f"choose one of: {', '.join(Severity.values)}"
    if investigator is None:
        errors["investigator"] = "choose who investigates"
    elif not may_manage(investigator, case):
        errors["investigator"] = (
            f"{investigator} is involved in this case"
            if is_involved(investigator, case)
            else f"{investigator} may not investigate this case"
            + (" (safeguarding: the DSL or a deputy)" if case.restricted else " (a member of SMT)")
        )
    clauses = []
    version = current_version()
    for key in clause_keys:
        key = key.strip()
        if not key:
            continue
        clause = Clause.objects.filter(version=version, key=key).first() if version else None
        if clause is None:
            errors["clauses"] = f"the current policy has no clause {key}"
        else:
            clauses.append(clause)
    if errors:
        raise ValidationError(errors)
    assert investigator is not None
    changed_investigator = case.investigator_id != investigator.pk

    def record(locked: Case, was: str) -> tuple[dict[str, Any], dict[str, Any]]:
        before = {"severity": locked.severity, "investigator": _email(locked.investigator), "status": was}
        locked.severity = severity
        locked.investigator = investigator
        if was == Status.NEW:
            locked.triaged_at = timezone.now()
        locked.save()
        locked.clauses.set(clauses)
        # The chronology labels the entry "Triage" already: the text starts with what was decided.
        text = f"Severity {locked.get_severity_display().lower()}; investigator {investigator}."
        if clauses:
            # Numbers and headings as the policy shows them, not internal keys ("acceptance-of-friends").
            text += f" Policy clauses: {'; '.join(c.shown_heading for c in clauses)}."
        if note.strip():
            text += f"\n{note.strip()}"
        _entry(locked, EntryKind.TRIAGE, text, actor, False)
        after = {
            "severity": severity,
            "investigator": investigator.email,
            "status": locked.status,
            "clauses": [c.key for c in clauses],
        }
        return before, after

    with transaction.atomic():
        CASES.apply(actor=actor, obj=case, action="triage", audit="cases.triaged", change=record)
        if changed_investigator and investigator != actor:
            _notify_later(case, [investigator], "You have been asked to investigate a case")
    return case


def _email(user: Any) -> str | None:
    return user.email if user is not None else None


def status_set(*, actor: Any, case: Case, status: str, note: str = "") -> Case:
    if status not in WORKING_STATUSES:
        raise ValidationError(
            {"status": "choose triaged, investigating or awaiting referral; close a case with its outcome"}
        )

    def record(locked: Case, was: str) -> None:
        _entry(
            locked,
            EntryKind.STATUS,
            # After the entry's label "Status changed": "Now investigating.", not "Status: …" again.
            f"Now {locked.get_status_display().lower()}." + (f"\n{note.strip()}" if note.strip() else ""),
            actor,
            False,
        )

    return CASES.apply(
        actor=actor, obj=case, action=set_status(status), audit="cases.status_changed", change=record
    )


def entry_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    text: str,
    happened_on: dt.date | None = None,
    restricted: bool = False,
    attachments: Sequence[files.CheckedFile] = (),
) -> Entry:
    """A dated line in the chronology, with any files. A restricted (safeguarding) entry is
    read only by the DSL and deputies, even when SMT wrote it."""
    CASES.check(case, actor, "add_entry")
    if kind not in (EntryKind.NOTE, EntryKind.ACTION, EntryKind.CONTACT, EntryKind.EVIDENCE):
        raise ValidationError({"kind": "choose note, action, contact or evidence"})
    if not text.strip() and not attachments:
        raise ValidationError({"text": "write what happened or was done"})
    _check_date(happened_on, "happened_on")
    restricted = restricted or case.restricted
    with _FilesUndone() as written, transaction.atomic():
        added: list[Entry] = []

        def record(locked: Case, was: str) -> tuple[None, dict[str, Any]]:
            names = ", ".join(f.name for f in attachments)
            body = text.strip() or f"Evidence added: {names}"
            added.append(_entry(locked, kind, body, actor, restricted, day=happened_on))
            _attach(locked, attachments, actor, restricted, written)
            if restricted and not locked.safeguarding_part:
                locked.safeguarding_part = True
            return None, {
                "entry": added[0].pk,
                "kind": kind,
                "restricted": restricted,
                "files": [f.sha256 for f in attachments],
                "status": locked.status if locked.status != was else None,
            }

        CASES.apply(actor=actor, obj=case, action="add_entry", audit="cases.entry_added", change=record)
        entry = added[0]
        if restricted and not case.restricted:
            # SMT flagged a safeguarding part: the DSL and deputies must know.
            dsl = [u for u in _handlers(case, safeguarding=True) if u != actor]
            _notify_later(case, dsl, "A case has a new safeguarding entry for you")
    return entry


def escalate(*, actor: Any, case: Case, reason: str) -> Case:
    """Hand a case to the DSL as a safeguarding matter: from now on only the DSL and deputies
    read it; SMT see that it exists."""
    CASES.check(case, actor, "escalate")
    if not reason.strip():
        raise ValidationError({"reason": "say why this is a safeguarding matter"})
    with transaction.atomic():
        Case.objects.select_for_update().values_list("pk").get(pk=case.pk)
        case.refresh_from_db()
        CASES.check(case, actor, "escalate")  # again, on the locked row: the state may have moved
        _restrict(
            actor=actor,
            case=case,
            note=f"Referred to the DSL as a safeguarding matter: {reason.strip()}",
            why="referred",
        )
    return case


def task_add(*, actor: Any, case: Case, text: str, due_on: dt.date, assignee: User | None) -> Task:
    CASES.check(case, actor, "add_task")
    if not text.strip():
        raise ValidationError({"text": "say what is to be done"})
    if assignee is not None and not may_manage(assignee, case):
        raise ValidationError({"assignee": f"{assignee} may not work on this case"})
    with transaction.atomic():
        added: list[Task] = []

        def record(locked: Case, was: str) -> tuple[None, dict[str, Any]]:
            added.append(
                Task.objects.create(
                    case=locked, text=text.strip()[:300], due_on=due_on, assignee=assignee or actor
                )
            )
            return None, {"task": added[0].pk, "due_on": due_on, "assignee": _email(added[0].assignee)}

        CASES.apply(actor=actor, obj=case, action="add_task", audit="cases.task_added", change=record)
        task = added[0]
        if task.assignee is not None and task.assignee != actor:
            _notify_later(case, [task.assignee], f"You have a task on case {case.reference}")
    return task


def task_done(*, actor: Any, task: Task) -> Task:
    _require_manage(actor, task.case)
    if task.done_at is not None:
        raise ValidationError("this task is already done")
    with transaction.atomic():
        task.done_at, task.done_by = timezone.now(), actor
        task.save(update_fields=["done_at", "done_by"])
        audit_record(actor=actor, action="cases.task_done", target=task.case, after={"task": task.pk})
    return task


def referral_add(
    *,
    actor: Any,
    case: Case,
    agency: str,
    referred_on: dt.date,
    reference: str = "",
    notes: str = "",
) -> Referral:
    """Record a referral (5.2): police; the local safeguarding partnership or children's social
    care; the LADO; the DBS (which replaced the ISA). The last three are safeguarding matters,
    so their records are restricted to the DSL and deputies."""
    CASES.check(case, actor, "refer")
    if agency not in Agency.values:
        raise ValidationError({"agency": f"choose one of: {', '.join(str(a) for a in Agency.labels)}"})
    _check_date(referred_on, "referred_on")
    restricted = case.restricted or agency in SAFEGUARDING_AGENCIES
    added: list[Referral] = []

    def record(locked: Case, was: str) -> tuple[dict[str, Any], dict[str, Any]]:
        referral = Referral.objects.create(
            case=locked,
            agency=agency,
            referred_on=referred_on,
            reference=reference.strip()[:100],
            referred_by=actor,
            notes=notes.strip(),
            restricted=restricted,
        )
        added.append(referral)
        _entry(
            locked,
            EntryKind.REFERRAL,
            f"Referred to {referral.get_agency_display()}.",
            actor,
            restricted,
            referred_on,
        )
        locked.safeguarding_part = locked.safeguarding_part or restricted
        after = {"referral": referral.pk, "agency": agency, "restricted": restricted, "status": locked.status}
        return {"status": was}, after

    CASES.apply(actor=actor, obj=case, action="refer", audit="cases.referred", change=record)
    return added[0]


def referral_response(*, actor: Any, referral: Referral, response: str, response_on: dt.date) -> Referral:
    case = referral.case
    _require_manage(actor, case)  # a response may come after the case closed: not a step of its own
    if referral.restricted and not reads_safeguarding(actor):
        raise PermissionDenied("only the DSL and deputies record this referral's response")
    if not response.strip():
        raise ValidationError({"response": "record what the agency said or did"})
    _check_date(response_on, "response_on")
    with transaction.atomic():
        referral.response, referral.response_on = response.strip(), response_on
        referral.save(update_fields=["response", "response_on"])
        _entry(
            case,
            EntryKind.REFERRAL,
            f"{referral.get_agency_display()} responded: {referral.response}",
            actor,
            referral.restricted,
            response_on,
        )
        answered = not case.referrals.filter(response_on__isnull=True).exists()
        if answered and CASES.refusal(case, actor, "referrals_answered") is None:
            # The last answer ends the wait: the step, recorded as the response's own event.
            CASES.apply(
                actor=actor,
                obj=case,
                action="referrals_answered",
                audit="cases.referral_response",
                change=lambda locked, was: (None, {"referral": referral.pk, "status": locked.status}),
            )
        else:
            audit_record(
                actor=actor,
                action="cases.referral_response",
                target=case,
                after={"referral": referral.pk, "status": case.status},
            )
    return referral


def case_close(
    *, actor: Any, case: Case, outcome: str, note: str = "", subject: StaffMember | None = None
) -> Case:
    """Record the outcome (5.4) and close. "Social media access withdrawn" suspends the person's
    runner roles on organisational accounts; "contract ended" is for non-employees."""
    from socialguard.accounts.lifecycle import runner_roles_withdraw

    refused = CASES.refusal(case, actor, "close")
    if refused is not None and (refused.permission or case.status == Status.CLOSED):
        raise refused.error()
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = f"choose one of: {', '.join(str(o) for o in Outcome.labels)}"
    needs_subject = outcome in STAFF_OUTCOMES
    staff_parties = {p.staff_id for p in case.parties.all() if p.staff_id}
    if needs_subject and subject is None:
        errors["subject"] = "choose the member of staff the outcome applies to"
    elif subject is not None and subject.pk not in staff_parties:
        errors["subject"] = f"{subject.full_name} is not recorded as involved in this case; add them first"
    elif (
        outcome == Outcome.CONTRACT_ENDED
        and subject is not None
        and subject.employment_type == EmploymentType.EMPLOYEE
    ):
        errors["outcome"] = (
            f"{subject.full_name} is an employee; ending a contract applies to contract workers and "
            "volunteers (use the disciplinary outcomes for employees)"
        )
    if refused is not None:
        errors["status"] = refused.message
    open_tasks = case.tasks.filter(done_at__isnull=True).count()
    if open_tasks:
        errors["tasks"] = (
            f"{open_tasks} task{'s are' if open_tasks > 1 else ' is'} still open; finish them first"
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()

    def record(locked: Case, was: str) -> tuple[None, dict[str, Any]]:
        locked.outcome = outcome
        locked.outcome_note = note.strip()
        locked.outcome_subject = subject
        locked.closed_at = now
        locked.retain_until = retention.retain_until(locked, timezone.localdate(now))
        text = (
            f"Closed: {locked.get_outcome_display()}" + (f" ({subject.full_name})" if subject else "") + "."
        )
        if locked.outcome_note:
            text += f"\n{locked.outcome_note}"
        withdrawn = []
        if outcome == Outcome.ACCESS_WITHDRAWN and subject is not None:
            withdrawn = runner_roles_withdraw(
                actor=actor, staff=subject, reason=f"social media access withdrawn ({locked.reference})"
            )
            if withdrawn:
                text += "\nRunner roles suspended on: " + ", ".join(str(a) for a in withdrawn) + "."
        _entry(locked, EntryKind.OUTCOME, text, actor, False)
        return None, {
            "outcome": outcome,
            "retain_until": locked.retain_until,
            "runner_roles_suspended": len(withdrawn),
        }

    with transaction.atomic():
        CASES.apply(actor=actor, obj=case, action="close", audit="cases.closed", change=record)
        if case.reporter is not None and case.reporter != actor:
            _notify_later(case, [case.reporter], "The case you reported has been closed", reporter=True)
    return case


def restricted_viewed(*, actor: Any, case: Case, where: str) -> None:
    """Every view of a restricted case's content, or of a case's safeguarding parts, is itself on
    the audit trail."""
    reads_parts = case.safeguarding_part and reads_safeguarding(actor)
    if (case.restricted or reads_parts) and access(actor, case) == Access.FULL:
        audit_record(actor=actor, action="cases.restricted_viewed", target=case, after={"where": where})


def case_anonymise(*, actor: Any, case: Case, today: dt.date | None = None) -> Case:
    """At the end of its retention period: remove personal data (what happened, who, files,
    notes, references), keep what statistics need (category, dates, severity, outcome)."""
    today = today or _today()
    CASES.check(case, actor, "anonymise")
    assert case.retain_until is not None  # the step's condition
    if case.retain_until > today:
        raise ValidationError(f"case {case.reference} is kept until {case.retain_until:%-d %B %Y}")
    stored = list(case.evidence.values_list("stored_name", flat=True))
    with transaction.atomic():
        counts = {
            "people_involved": case.parties.count(),
            "entries": case.entries.count(),
            "files": len(stored),
            "tasks": case.tasks.count(),
            "referrals": case.referrals.count(),
        }
        case.parties.all().delete()
        case.evidence.all().delete()
        case.tasks.all().delete()
        case.entries.all().delete()
        case.referrals.update(reference="", notes="", response="", referred_by=None)
        Entry.objects.create(
            case=case,
            kind=EntryKind.NOTE,
            happened_on=today,
            text="Anonymised at the end of its retention period.",
            author=actor,
        )
        case.summary = ""
        case.platform = case.url = case.account = case.outcome_note = case.source_ref = ""
        case.reporter = case.investigator = case.outcome_subject = None
        case.anonymised_at = timezone.now()
        case.save()
        audit_record(actor=actor, action="cases.anonymised", target=case, after=counts)
        transaction.on_commit(lambda: _remove_all(stored))
    return case


def evidence_encrypt_existing(*, progress: Callable[[int, int], object] = lambda done, total: None) -> int:
    """Encrypt in place every evidence file stored before evidence was encrypted at rest; run by
    the operator (`socialguard cases encrypt-evidence`). Idempotent and interruptible: each file
    is done on its own and reads keep working throughout. Returns how many it encrypted."""
    pending = list(Evidence.objects.order_by("pk").values_list("pk", flat=True))
    encrypted = 0
    altered = []
    for n, pk in enumerate(pending, start=1):
        try:
            encrypted += files.encrypt_in_place(pk)
        except (ValidationError, FileNotFoundError):
            altered.append(pk)  # left as it is; a download reports it missing or altered, as before
        progress(n, len(pending))
    audit_record(
        actor=None,
        action="cases.evidence_encrypted",
        object_type="incidents.evidence",
        object_repr="evidence files stored before encryption",
        after={"encrypted": encrypted, "files": len(pending), "unreadable": altered},
    )
    if altered:
        raise ValidationError(
            f"{len(altered)} evidence file(s) are missing or altered and were left as they are "
            f"(evidence ids {', '.join(map(str, altered))}); everything else is encrypted"
        )
    return encrypted


def _remove_all(stored: list[str]) -> None:
    for name in stored:
        files.remove(name)


def _notify_later(case: Case, people: Iterable[User], subject: str, reporter: bool = False) -> None:
    """Email after commit, from the worker. The message holds the case reference and a link, never
    its content."""
    link = settings.SITE_URL + reverse("incidents:case", args=[case.pk])
    body = (
        f"{subject}: case {case.reference}.\n\n"
        + ("Thank you for raising it. " if reporter else "")
        + f"Sign in to see it: {link}\n\n"
        "This email holds no detail of the case on purpose; please do not forward it.\n"
    )
    email_after_commit(
        subject=f"socialguard: {subject}",
        body=body,
        to=(u.email for u in people if u is not None and u.email and u.is_active),
    )


def _party(role: str, person: Any) -> PartyInput:
    if isinstance(person, StaffMember):
        return PartyInput(role=role, staff=person)
    if isinstance(person, Learner):
        return PartyInput(role=role, learner=person)
    return PartyInput(role=role, guardian=person)


def party_from_text(text: str, role: str = PartyRole.OTHER) -> PartyInput:
    """A person named by register id (S012, L0042, G0042) or by full name: linked to the register
    where exactly one record matches, otherwise kept as the name given."""
    text = " ".join(text.replace("\x00", "").split())[:200]  # NUL: no database stores it
    models: tuple[Any, ...] = (StaffMember, Learner, Guardian)
    for model in models:
        by_id = model.objects.filter(external_id__iexact=text).first()
        if by_id is not None:
            return _party(role, by_id)
    first, _, last = text.rpartition(" ")
    if first and last:
        for model in models:
            found = list(model.objects.filter(first_name__iexact=first, last_name__iexact=last)[:2])
            if len(found) == 1:
                return _party(role, found[0])
    return PartyInput(role=role, name=text)


def party_add(*, actor: Any, case: Case, party: PartyInput) -> Party:
    CASES.check(case, actor, "add_party")
    if party.role not in PartyRole.values:
        raise ValidationError({"role": f"choose one of: {', '.join(PartyRole.values)}"})
    if not (party.staff or party.learner or party.guardian or party.name.strip()):
        raise ValidationError({"person": "choose someone from the register or give a name"})
    if party.staff is not None and party.staff.user_id == getattr(actor, "pk", None):
        raise ValidationError(
            {"person": "you cannot add yourself: someone else must handle a case about you"}
        )
    with transaction.atomic():
        added = Party.objects.create(
            case=case,
            role=party.role,
            staff=party.staff,
            learner=party.learner,
            guardian=party.guardian,
            name="" if (party.staff or party.learner or party.guardian) else party.name.strip(),
        )
        if case.investigator is not None and is_involved(case.investigator, case):
            case.investigator = None  # conflict of interest: they can no longer investigate it
            case.save(update_fields=["investigator"])
        audit_record(
            actor=actor,
            action="cases.party_added",
            target=case,
            after={"party": added.pk, "role": party.role, "kind": added.kind},
        )
        if not case.restricted and _names_a_child([party], _case_days(case)):
            # The case now names a child: it is the DSL's from here on, as if reported so.
            _restrict(
                actor=actor,
                case=case,
                note="Restricted to the DSL and deputies: the case names a learner under 18.",
                why="names_learner_under_18",
            )
    return added
