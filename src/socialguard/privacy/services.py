"""Every write in the privacy app, each in one transaction with its audit event.

A connection self-check writes only that it was done, when, and how many matches: the connections
themselves never reach this module (views and the API match them in memory, privacy.matching).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from socialguard.audit.services import audit_record
from socialguard.consent import services as consent
from socialguard.identity.permissions import can, require
from socialguard.identity.services import leavers_access_withdraw
from socialguard.people.models import StaffMember
from socialguard.privacy import checklists, retention, selectors
from socialguard.privacy.models import (
    OTHER_PLATFORMS,
    PROFESSIONAL_NETWORKS,
    Erasure,
    LawfulBasis,
    PersonKind,
    PrivacyReview,
    ScreeningRecord,
    ScreeningStatus,
    SelfCheck,
)


def _own_staff(actor: Any) -> StaffMember:
    staff = selectors.my_staff_record(actor)
    if staff is None:
        raise ValidationError("your sign-in is not linked to a staff record; ask the senior management team")
    return staff


# --- Self-check and privacy review ---------------------------------------------------------------


def self_check_done(*, actor: Any, matches: int, source: str) -> SelfCheck:
    """Record that `actor` checked their connections and how many to review it found. `source`
    is the export format (linkedin, facebook…), never anything from the export itself."""
    require(actor, "privacy.self_check")
    staff = _own_staff(actor)
    with transaction.atomic():
        check = SelfCheck.objects.create(staff=staff, done_at=timezone.now(), matches=matches)
        audit_record(
            actor=actor,
            action="privacy.self_check_done",
            target=check,
            after={"source": source, "matches": matches},
        )
    return check


def self_check_resolve(*, actor: Any, check_id: int, resolved: int) -> SelfCheck:
    """The person says how many of the matches they have dealt with (unfriended, or checked that
    it is someone else of the same name)."""
    require(actor, "privacy.self_check")
    staff = _own_staff(actor)
    with transaction.atomic():
        check = SelfCheck.objects.select_for_update().filter(pk=check_id, staff=staff).first()
        if check is None:
            raise ValidationError("there is no such check of yours")
        if not 0 <= resolved <= check.matches:
            raise ValidationError({"resolved": f"give a number from 0 to {check.matches}"})
        check.resolved = resolved
        check.resolved_at = timezone.now()
        check.save(update_fields=["resolved", "resolved_at"])
        audit_record(
            actor=actor, action="privacy.self_check_resolved", target=check, after={"resolved": resolved}
        )
    return check


def privacy_review_complete(
    *, actor: Any, platforms: list[str], ticked: dict[str, list[str]]
) -> PrivacyReview:
    """Every item of the checklist for each platform the person uses must be ticked. Only that it
    was done is kept, with the platforms."""
    require(actor, "privacy.review")
    staff = _own_staff(actor)
    unknown = [p for p in platforms if p not in checklists.PLATFORMS]
    if unknown or not platforms:
        raise ValidationError({"platforms": "choose at least one of the platforms listed"})
    missing = []
    for platform in platforms:
        done = set(ticked.get(platform, []))
        missing += [
            f"{checklists.PLATFORMS[platform][0]}: {item.text}"
            for item in checklists.items_for(platform)
            if item.key not in done
        ]
    if missing:
        raise ValidationError(
            {
                "__all__": [f"not yet done — {m}" for m in missing[:5]]
                + ([f"and {len(missing) - 5} more"] if len(missing) > 5 else [])
            }
        )
    with transaction.atomic():
        review = PrivacyReview.objects.create(
            staff=staff, done_at=timezone.now(), platforms=sorted(platforms)
        )
        audit_record(
            actor=actor, action="privacy.review_done", target=review, after={"platforms": sorted(platforms)}
        )
    return review


# --- Recruitment screening (5.3) ---------------------------------------------------------------

ALL_PLATFORMS = PROFESSIONAL_NETWORKS | OTHER_PLATFORMS


def _screening_repr(record: ScreeningRecord, pk: int | None = None) -> str:
    """How the audit trail names a screening record: by number, never "screening of CANDIDATE for
    ROLE" (its str). The log is SMT's and is deleted after its retention period; the trail, read by
    the auditor and kept for good, must not keep who applied for what."""
    return f"screening record #{pk if pk is not None else record.pk}"


def screening_create(
    *,
    actor: Any,
    candidate: str,
    role_applied_for: str,
    lawful_basis: str,
    candidate_told: bool,
    platforms: list[str],
    exception_reason: str = "",
) -> ScreeningRecord:
    """Before a check: who, for what role, on what lawful basis, and that they were told. A
    platform other than a professional network needs an SMT member's approved exception."""
    require(actor, "recruitment.screen")
    errors: dict[str, str] = {}
    candidate, role_applied_for = candidate.strip(), role_applied_for.strip()
    if not candidate:
        errors["candidate"] = "name the candidate"
    if not role_applied_for:
        errors["role_applied_for"] = "name the role they applied for"
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = (
            "choose the lawful basis for the check (UK GDPR Art. 6); without one, no check may be made"
        )
    if not candidate_told:
        errors["candidate_told"] = "tell the candidate that a check will be made before making it"
    if not platforms or any(p not in ALL_PLATFORMS for p in platforms):
        errors["platforms"] = "choose the platforms to look at from the list"
    needs_exception = any(p not in PROFESSIONAL_NETWORKS for p in platforms)
    if needs_exception and not exception_reason.strip():
        errors["exception_reason"] = (
            "5.3 allows professional networks (LinkedIn) only; give the reason for looking elsewhere, "
            "for an SMT member to approve"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = ScreeningRecord.objects.create(
            candidate=candidate,
            role_applied_for=role_applied_for,
            lawful_basis=lawful_basis,
            candidate_told=True,
            platforms=sorted(set(platforms)),
            exception_reason=exception_reason.strip() if needs_exception else "",
            status=ScreeningStatus.AWAITING_EXCEPTION if needs_exception else ScreeningStatus.READY,
            recorded_by=actor,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="recruitment.screening_recorded",
            target=record,
            object_repr=_screening_repr(record),
            after={"lawful_basis": lawful_basis, "platforms": record.platforms, "exception": needs_exception},
        )
    return record


def screening_approve_exception(*, actor: Any, record: ScreeningRecord) -> ScreeningRecord:
    require(actor, "recruitment.screen")
    if record.status != ScreeningStatus.AWAITING_EXCEPTION:
        raise ValidationError("this check needs no exception, or it is already approved")
    if record.recorded_by_id == actor.pk:
        raise PermissionDenied("another SMT member must approve an exception you asked for")
    with transaction.atomic():
        record.status = ScreeningStatus.READY
        record.exception_approved_by = actor
        record.exception_approved_at = timezone.now()
        record.save(update_fields=["status", "exception_approved_by", "exception_approved_at"])
        audit_record(
            actor=actor,
            action="recruitment.exception_approved",
            target=record,
            object_repr=_screening_repr(record),
        )
    return record


def screening_record_check(
    *, actor: Any, record: ScreeningRecord, looked_at: str, outcome: str
) -> ScreeningRecord:
    require(actor, "recruitment.screen")
    if record.status == ScreeningStatus.AWAITING_EXCEPTION:
        raise ValidationError("an SMT member must approve the exception before the check is made")
    if record.status == ScreeningStatus.DECIDED:
        raise ValidationError("the recruitment decision is made; the record is closed")
    errors = {}
    if not looked_at.strip():
        errors["looked_at"] = "say what was looked at (profiles, pages)"
    if not outcome.strip():
        errors["outcome"] = "say what the check found and what follows from it"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record.looked_at, record.outcome = looked_at.strip(), outcome.strip()
        record.status = ScreeningStatus.DONE
        record.save(update_fields=["looked_at", "outcome", "status"])
        audit_record(
            actor=actor,
            action="recruitment.check_recorded",
            target=record,
            object_repr=_screening_repr(record),
        )
    return record


def screening_decide(*, actor: Any, record: ScreeningRecord, decided_on: dt.date) -> ScreeningRecord:
    """The recruitment decision is made: the record is kept for the retention period from then."""
    require(actor, "recruitment.screen")
    if record.status == ScreeningStatus.DECIDED:
        raise ValidationError("the decision is already recorded")
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "the decision date cannot be in the future"})
    with transaction.atomic():
        record.decided_on = decided_on
        record.expires_on = retention.add_months(decided_on, retention.recruitment_months())
        record.status = ScreeningStatus.DECIDED
        record.save(update_fields=["decided_on", "expires_on", "status"])
        audit_record(
            actor=actor,
            action="recruitment.decided",
            target=record,
            object_repr=_screening_repr(record),
            after={"expires_on": record.expires_on},
        )
    return record


def screenings_expire(*, today: dt.date | None = None) -> int:
    """Daily: delete screening records past their retention date; each deletion is audited
    (without the candidate's name, which is what is being removed)."""
    today = today or timezone.localdate()
    count = 0
    for record in selectors.screening_expired(today):
        with transaction.atomic():
            pk, expires = record.pk, record.expires_on
            record.delete()
            audit_record(
                actor=None,
                action="recruitment.screening_deleted",
                object_type="privacy.screeningrecord",
                object_id=str(pk),
                object_repr=_screening_repr(record, pk),
                after={"expired_on": expires, "reason": "recruitment retention period ended"},
            )
        count += 1
    return count


# --- Erasure -----------------------------------------------------------------------------------


def _pseudonym() -> str:
    return f"P-{secrets.token_hex(4).upper()}"


def person_erase(*, actor: Any, kind: str, pk: int, reason: str, today: dt.date | None = None) -> Erasure:
    """Anonymise a person's record in place: the row stays (so counts, dates, programmes and
    departments still add up, and what points at it still works) under a pseudonym; names,
    contact details, dates of birth and handles go. Refused, with the reason, under a legal hold.

    The audit trail is not rewritten: its events are sealed in a hash chain, and changing one
    would break verification. They refer to the record by its id, which now shows the pseudonym;
    this erasure is itself an event naming only the pseudonym (docs/data-protection.md)."""
    require(actor, "privacy.retention")
    today = today or timezone.localdate()
    if kind not in PersonKind.values:
        raise ValidationError({"kind": f"say staff, learner or guardian, not {kind!r}"})
    if not reason.strip():
        raise ValidationError({"reason": "give the reason for the erasure (retention ended, a request…)"})
    model = selectors.person_model(kind)
    with transaction.atomic():
        person: Any = model.objects.select_for_update().filter(pk=pk).first()
        if person is None:
            raise ValidationError(f"there is no {PersonKind(kind).label.lower()} {pk}")
        if selectors.is_erased(kind, pk):
            raise ValidationError(f"{PersonKind(kind).label.lower()} {pk} is already erased")
        holds = selectors.legal_holds(kind, person, today, reader=actor)
        if holds:
            raise ValidationError(
                {
                    "__all__": [
                        "this record is under a legal hold and cannot be erased yet: " + h for h in holds
                    ]
                }
            )
        pseudonym = _pseudonym()
        while Erasure.objects.filter(pseudonym=pseudonym).exists():
            pseudonym = _pseudonym()
        old_ref, old_name = person.external_id, person.full_name
        person.first_name = "Erased"
        person.last_name = pseudonym
        person.external_id = pseudonym
        person.email = ""
        kept = ["record id"]
        if kind == PersonKind.STAFF:
            person.job_title = ""
            person.line_manager = None
            user = person.user
            if user is not None:
                user.full_name = ""
                user.email = f"{pseudonym.lower()}@erased.invalid"
                user.set_unusable_password()
                user.save()
                # Sign-in and API tokens end (identity), audited once the name is gone.
                leavers_access_withdraw([user], reason="record erased")
            kept += ["department", "employment type", "start and leave dates"]
        elif kind == PersonKind.LEARNER:
            person.date_of_birth = None
            person.employer = ""
            person.social_handles = ""
            kept += ["programme", "start and end dates"]
        else:
            person.phone = ""
            kept += ["links to learners"]
        person.save()
        # The consent register keeps the person's records under their external id, with their name
        # and signed forms: those go with the rest (consent sits below privacy in the layers).
        erased = consent.subject_erase(kind=kind, ref=old_ref, name=old_name, pseudonym=pseudonym)
        try:
            erasure = Erasure.objects.create(
                kind=kind,
                record_id=pk,
                pseudonym=pseudonym,
                reason=reason.strip()[:200],
                erased_at=timezone.now(),
                erased_by=actor,
            )
        except IntegrityError:
            raise ValidationError("this record was erased at the same moment by someone else") from None
        audit_record(
            actor=actor,
            action="privacy.erased",
            object_type=f"people.{model._meta.model_name}",
            object_id=str(pk),
            object_repr=pseudonym,
            after={
                "pseudonym": pseudonym,
                "reason": reason.strip()[:200],
                "kept": kept,
                "consent_records": erased.records,
                "signed_forms": erased.forms,
            },
        )
    return erasure


def person_erase_allowed(actor: Any) -> bool:
    return can(actor, "privacy.retention")
