"""The rules engine compiled for this organisation: the people register (organisation names and
handles, staff, learners and guardians) with the organisation's rules pack. It lives with the
pack, above the register it reads (people knows nothing of the policy)."""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Q
from django.utils import timezone

from socialguard.people.models import Guardian, Learner, StaffMember
from socialguard.people.selectors import organisation_get
from socialguard.policies.packs import rules_pack


def policy_context(pack: Any = None) -> Any:
    """The rules engine's context from the register: organisation names and handles, staff names,
    learners (current and past) and guardians with their handles, with the organisation's rules
    pack (packs.rules_pack) or the one given."""
    from socialguard.rules.model import PolicyContext, RegisterPerson

    if pack is None:
        pack, _ = rules_pack()
    organisation = organisation_get()
    today = timezone.localdate()
    register = [
        RegisterPerson(
            learner.full_name,
            tuple(learner.social_handles.split()),
            "past_learner" if learner.end_date and learner.end_date < today else "learner",
            # 5.2 forbids connecting with past learners under 18 only; unknown birth date = maybe under 18.
            adult=(learner.age_on(today) or 0) >= 18,
        )
        for learner in Learner.objects.only(
            "first_name", "last_name", "social_handles", "end_date", "date_of_birth"
        )
    ]
    register += [
        RegisterPerson(g.full_name, (), "guardian") for g in Guardian.objects.only("first_name", "last_name")
    ]
    return PolicyContext(
        organisation_names=[organisation.name, *organisation.alias_list, *pack.organisation_names],
        organisation_handles=[
            *organisation.handle_list,
            *organisation.email_domain_list,
            *pack.organisation_handles,
        ],
        register=register,
        staff_names=[s.full_name for s in StaffMember.objects.only("first_name", "last_name")],
        allowed_domains=[*pack.allowed_domains, *organisation.email_domain_list],
        confidential_terms=list(pack.confidential_terms),
        approved_platforms=list(pack.approved_platforms),
        disclaimer=pack.disclaimer_template.replace("{organisation}", organisation.name),
    )


# The compiled engine for the current register, shared by the API's /check, the content app's
# check on every save and the compose page's live check.
_engine: tuple[int, Any] | None = None
# The classifiers outlive the engine: a register change recompiles the rules, not the models.
_cascade: Any = None
_engine_lock = threading.Lock()


def _register_version() -> int:
    # Every change to the register, the organisation, the rules pack and the policy (whose
    # clauses findings cite) is audited, so the newest such audit event tells whether the
    # compiled engine is still current, in every process.
    from socialguard.audit.models import AuditEvent

    latest = (
        AuditEvent.objects.filter(
            Q(object_type__startswith="people.")
            | Q(object_type__in=("policies.rulespack", "policies.policyversion"))
        )
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return latest or 0


def policy_engine() -> Any:
    """The engine compiled for the current register, rebuilt only after the register changes."""
    from socialguard.rules import Engine

    global _engine, _cascade
    version = _register_version()
    with _engine_lock:
        if _engine is None or _engine[0] != version:
            pack, _ = rules_pack()
            engine = Engine(policy_context(pack), pack, classifiers=_cascade or True)
            _cascade = engine.cascade or _cascade
            # Loaded and run once here, so that no post checked on the web pays for it.
            engine.warm_up()
            _engine = (version, engine)
        return _engine[1]


def forget_policy_engine() -> None:
    """Drop the compiled engine: saving a rules pack does (so this process answers with the new
    pack at once; others see its audit event), and tests that write the register directly."""
    global _engine
    _engine = None
