"""A subject access export (UK GDPR Art. 15): everything socialguard holds about one person, as a
ZIP of JSON with a readable HTML summary, built in memory and never stored.

Withheld, as the law allows, with a note saying so: other people's personal data (who else is in
a case, what a case says; DPA 2018 Sch. 2 para. 16) and safeguarding records (Sch. 3: serious
harm, child abuse data). Safeguarding records are neither listed nor counted, so that the export
neither confirms nor denies that one exists.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from socialguard.accounts.models import AccountRunner, Proposal, ProposalRunner
from socialguard.audit.labels import object_type_label
from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record
from socialguard.content.models import Approval, Draft, DraftMedia
from socialguard.identity.permissions import require
from socialguard.incidents.models import Category, PartyRole
from socialguard.privacy import selectors
from socialguard.privacy.models import PersonKind

WITHHELD_NOTE = (
    "Some information is withheld, as data protection law allows: other people's personal data "
    "(who else is involved in a concern, and what a concern says about them), and safeguarding "
    "records, which are neither listed nor counted here. If you think something is missing, ask "
    "the senior management team, who will explain what they can."
)
PARTS = [
    ("register_record", "Your record in the register"),
    ("sign_in", "Your sign-in and roles"),
    ("declarations", "Policy declarations"),
    ("training", "Training"),
    ("consent", "Photos and videos you appear in"),
    ("consent_records", "Your photo and video consent"),
    ("proposals", "Account proposals"),
    ("account_roles", "Organisational accounts you run or ran"),
    ("posts", "Posts you drafted or approved"),
    ("alerts", "Monitoring alerts about your public posts"),
    ("cases", "Concerns and breaches you are part of"),
    ("privacy", "Your connection checks and privacy reviews"),
    ("audit", "Changes recorded about you or by you"),
]


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    parts: dict[str, Any]


def _d(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _register(kind: str, person: Any) -> dict[str, Any]:
    record = {
        "kind": PersonKind(kind).label,
        "id_in_your_systems": person.external_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
    }
    if kind == PersonKind.STAFF:
        record |= {
            "employment_type": person.get_employment_type_display(),
            "job_title": person.job_title,
            "department": str(person.department or ""),
            "line_manager": person.line_manager.full_name if person.line_manager else None,
            "start_date": _d(person.start_date),
            "leave_date": _d(person.leave_date),
        }
    elif kind == PersonKind.LEARNER:
        record |= {
            "date_of_birth": _d(person.date_of_birth),
            "programme": person.programme,
            "employer": person.employer,
            "start_date": _d(person.start_date),
            "end_date": _d(person.end_date),
            "social_media_handles": [h for h in person.social_handles.splitlines() if h.strip()],
            "parents_or_guardians_recorded": person.guardians.count(),
        }
    else:
        record |= {"phone": person.phone, "learners_linked": person.learners.count()}
    return record


def build(kind: str, person: Any) -> dict[str, Any]:
    """The parts, each a list or dict (empty when nothing is held), under the names in PARTS."""
    staff = person if kind == PersonKind.STAFF else None
    user = staff.user if staff is not None else None
    parts: dict[str, Any] = {name: [] for name, _ in PARTS}
    parts["register_record"] = _register(kind, person)
    parts["sign_in"] = (
        {
            "email": user.email,
            "name": user.full_name,
            "active": user.is_active,
            "roles": [r.label for r in user.roles_in_order],
        }
        if user is not None
        else {}
    )
    if staff is not None:
        parts["declarations"] = [
            {
                "policy_version": str(d.version),
                "declared_at": _d(d.declared_at),
                "read_and_understood": d.read_and_understood,
                "agrees_to_comply": d.agrees_to_comply,
                "accepts_monitoring": d.accepts_monitoring,
                "ip_address": d.ip_address,
            }
            for d in staff.declarations.select_related("version").order_by("declared_at")
        ]
        parts["training"] = [
            {
                "course": t.course.name,
                "completed_on": _d(t.completed_on),
                "expires_on": _d(t.expires_on),
                "evidence": t.evidence,
            }
            for t in staff.training.select_related("course").order_by("completed_on")
        ]
        proposals = Proposal.objects.filter(
            Q(proposer=staff) | Q(pk__in=ProposalRunner.objects.filter(staff=staff).values("proposal"))
        ).distinct()
        parts["proposals"] = [
            {
                "platform": p.get_platform_display(),
                "handle": p.handle,
                "status": p.get_status_display(),
                "you_proposed_it": p.proposer_id == staff.pk,
                "submitted_at": _d(p.submitted_at),
            }
            for p in proposals.order_by("submitted_at", "pk")
        ]
        parts["account_roles"] = [
            {
                "account": str(r.account),
                "lead": r.is_lead,
                "active": r.active,
                "added_at": _d(r.added_at),
                "removed_at": _d(r.removed_at),
            }
            for r in AccountRunner.objects.filter(staff=staff).select_related("account").order_by("added_at")
        ]
        approved = Approval.objects.filter(approver=user).values("draft") if user else []
        drafts = Draft.objects.filter(Q(author=staff) | Q(pk__in=approved)).select_related("account")
        parts["posts"] = [
            {
                "post": d.pk,
                "account": str(d.account),
                "state": d.get_state_display(),
                "you_drafted_it": d.author_id == staff.pk,
                "text": d.text,
                "created_at": _d(d.created_at),
            }
            for d in drafts.distinct().order_by("created_at", "pk")
        ]
        parts["privacy"] = {
            "connection_checks": [
                {"done_at": _d(c.done_at), "matches": c.matches, "resolved": c.resolved}
                for c in staff.self_checks.order_by("done_at")
            ],
            "privacy_reviews": [
                {"done_at": _d(r.done_at), "platforms": r.platforms}
                for r in staff.privacy_reviews.order_by("done_at")
            ],
        }
    # Media name people as the register does, by external id (content.checking.register_names):
    # the database id too would match someone else's where the MIS's ids are numbers.
    parts["consent"] = [
        {
            "post": m.draft_id,
            "account": str(m.draft.account),
            "file": m.original_name,
            "added_at": _d(m.added_at),
        }
        for m in DraftMedia.objects.select_related("draft__account").order_by("added_at", "pk")
        if any(p.get("kind") == kind and str(p.get("id")) == person.external_id for p in m.people_shown or [])
    ]
    parts["consent_records"] = _consent_records(kind, person)
    parts["alerts"] = _alerts_by(person)
    cases = []
    for case in selectors.cases_about(kind, person).prefetch_related("parties"):
        if (
            case.restricted
            or case.safeguarding_part
            or case.category in (Category.SAFEGUARDING, Category.MINOR_CONTACT)
        ):
            continue  # withheld and not counted: see WITHHELD_NOTE
        roles = sorted(
            {
                PartyRole(p.role).label
                for p in case.parties.all()
                if getattr(p, f"{kind}_id", None) == person.pk
            }
        )
        if staff is not None and user is not None and case.reporter_id == user.pk:
            roles.append("Reporter")
        cases.append(
            {
                "reference": case.reference,
                "category": case.get_category_display(),
                "status": case.get_status_display(),
                "reported_at": _d(case.created_at),
                "closed_at": _d(case.closed_at),
                "your_part": roles or ["Named in the case"],
                "outcome": case.get_outcome_display() if case.outcome else None,
                "what_the_case_says": "withheld (it is about other people too)",
            }
        )
    parts["cases"] = cases
    model_name = {
        PersonKind.STAFF: "people.staffmember",
        PersonKind.LEARNER: "people.learner",
        PersonKind.GUARDIAN: "people.guardian",
    }[PersonKind(kind)]
    events = AuditEvent.objects.filter(object_type=model_name, object_id=str(person.pk))
    # Their own record and sign-in are named; what they did to anyone else's record names only
    # the kind of record ("Consent record"), as the event's name for it is the other person's.
    own = {(model_name, str(person.pk))}
    if user is not None:
        events = events | AuditEvent.objects.filter(actor=user)
        own.add(("identity.user", str(user.pk)))
    safeguarding_alerts = _safeguarding_alert_ids()
    parts["audit"] = [
        {"at": _d(e.at), "what": e.action, "about": _about(e, own)}
        for e in events.order_by("seq")[:5000]
        if not e.action.startswith(("cases.", "privacy.subject_access"))
        # What the safeguarding team did on an alert naming a learner is theirs, as cases are.
        and not (e.object_type == "monitoring.alert" and e.object_id in safeguarding_alerts)
    ]
    parts["withheld"] = WITHHELD_NOTE
    return parts


def _about(event: AuditEvent, own: set[tuple[str, str]]) -> str:
    """An event's record as the export names it: by its name if it is the person's own, otherwise
    by its kind only (the name of someone else's record is theirs)."""
    if (event.object_type, event.object_id) in own:
        return event.object_repr
    return object_type_label(event.object_type)


def _safeguarding_alert_ids() -> set[str]:
    """Safeguarding alerts' ids as the audit trail records them. By label: monitoring is a peer."""
    if not apps.is_installed("socialguard.monitoring"):
        return set()
    alert = apps.get_model("monitoring", "Alert")
    ids = alert.objects.filter(kind="safeguarding").values_list("pk", flat=True)
    return {str(pk) for pk in ids}


def _consent_records(kind: str, person: Any) -> list[dict[str, Any]]:
    """The person's photo consent history (given, refused, withdrawn), and for a guardian the
    consents they gave for their learners. By label: consent sits in a layer of its own."""
    if not apps.is_installed("socialguard.consent"):
        return []
    record = apps.get_model("consent", "ConsentRecord")
    about = Q(subject_kind=kind, subject_id=person.external_id)
    if kind == PersonKind.GUARDIAN:
        about |= Q(guardian_id=person.pk)
    return [
        {
            "about": r.subject_name,
            "status": r.get_status_display(),
            "scope": r.get_scope_display(),
            "given_on": _d(r.given_on),
            "expires_on": _d(r.expires_on),
            "given_by": "a parent or guardian" if r.guardian_id else "the person themselves",
            "evidence": r.get_evidence_display(),
            "recorded_at": _d(r.recorded_at),
        }
        for r in record.objects.filter(about).order_by("recorded_at", "pk")
    ]


def _alerts_by(person: Any) -> list[dict[str, Any]]:
    """Monitoring alerts about public posts the person wrote (matched by their known handles);
    alerts naming a learner with a risk are safeguarding records and are withheld, uncounted."""
    handles = {
        h.strip().lstrip("@").lower() for h in getattr(person, "social_handles", "").split() if h.strip()
    }
    if not handles or not apps.is_installed("socialguard.monitoring"):
        return []
    alert = apps.get_model("monitoring", "Alert")
    found = []
    for a in alert.objects.exclude(kind="safeguarding").exclude(author="").order_by("created_at", "pk"):
        if a.author.strip().lstrip("@").lower() in handles:
            found.append(
                {
                    "raised_at": _d(a.created_at),
                    "why": a.get_kind_display(),
                    "post": a.url or a.uri,
                    "text": a.text or "(deleted under the retention period)",
                    "state": a.get_state_display(),
                }
            )
    return found


def subject_access_export(*, actor: Any, kind: str, pk: int) -> Export:
    """Requested by SMT; audited (who asked, about whom, never what it held)."""
    require(actor, "privacy.subject_access")
    if kind not in PersonKind.values:
        raise ValueError(f"unknown kind {kind!r}")
    person = selectors.person_model(kind).objects.get(pk=pk)
    parts = build(kind, person)
    made = timezone.localtime()
    html = render_to_string(
        "privacy/subject_access.html",
        {
            "person": person,
            "kind": PersonKind(kind).label,
            "made": made,
            "note": WITHHELD_NOTE,
            "sections": [
                (title, json.dumps(parts[name], indent=2, ensure_ascii=False) if parts[name] else "")
                for name, title in PARTS
            ],
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(parts, indent=2, ensure_ascii=False))
        archive.writestr("summary.html", html)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="privacy.subject_access_exported",
            target=person,
            after={"parts": [name for name, _ in PARTS]},
        )
    filename = f"subject-access-{kind}-{person.external_id}-{made:%Y%m%d}.zip"
    return Export(filename, buffer.getvalue(), parts)
