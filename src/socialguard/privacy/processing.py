"""The record of processing (UK GDPR Art. 30), generated from the models: for each part of
socialguard, which of its fields hold personal data (read from the models themselves, so a new
field shows up without anyone remembering to add it), why, for how long and who can see it.

The why / how long / who is written once per app below; a test fails when an app holding personal
data has no entry, so a new app cannot be missed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models

# Field names that hold personal data wherever they appear.
PERSONAL_NAMES = {
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "date_of_birth",
    "social_handles",
    "ip_address",
    "name",
    "candidate",
    "actor_label",
    "object_repr",
    "login_email",
    "shared_mailbox",
    "recovery_codes_holder",
    "drafter_name",
    "people_shown",
    "employer",
    "job_title",
    "summary",
    "text",
    "notes",
    "outcome_note",
    "comment",
    "looked_at",
    "outcome",
    "evidence",
    "reason",
    "before",
    "after",
    "approvers",
    "original_name",
    "alt_text",
    "excerpt",
}
PERSON_MODELS = {"people.staffmember", "people.learner", "people.guardian", "identity.user"}


@dataclass(frozen=True)
class Purpose:
    part: str
    why: str
    basis: str
    how_long: str
    who: str


PURPOSES: dict[str, Purpose] = {
    "people": Purpose(
        "Register of staff, learners and parents or guardians",
        "To apply the policy to the right people: who must declare and train, who staff must not be "
        "friends with (5.2), who a concern is about.",
        "Legal obligation and public task (safeguarding); legitimate interests; contract (staff).",
        "Staff: 6 years after leaving. Past learners: 6 years after their programme ends. Parents and "
        "guardians: 1 year after their last learner leaves (privacy/retention.py).",
        "Staff register: SMT, Quality Director, DSL, auditor. Learners and guardians: SMT, DSL, auditor.",
    ),
    "identity": Purpose(
        "Sign-ins, roles and API tokens",
        "To let people sign in and to decide what each may see and do.",
        "Legitimate interests; contract (staff).",
        "While the person has a sign-in; deactivated and anonymised with their staff record.",
        "The person; SMT (who manage sign-ins).",
    ),
    "policies": Purpose(
        "Policy versions, declarations, training and reminders",
        "To show that each member of staff read, understood and agreed to the policy, and was trained "
        "(policy declaration).",
        "Legal obligation; legitimate interests.",
        "Declarations are kept with the staff record (6 years after leaving); digest logs 1 year.",
        "The person; Quality Director, SMT, auditor.",
    ),
    "accounts": Purpose(
        "Organisational accounts, proposals, runners and credentials",
        "To run the organisation's own accounts under 5.5: who proposed, who runs them, who decided.",
        "Legitimate interests.",
        "For the life of the account and 6 years after it closes.",
        "SMT, Quality Director, auditor; runners see their own accounts.",
    ),
    "incidents": Purpose(
        "Concerns, breaches and safeguarding cases",
        "To investigate concerns and breaches of the policy (5.4) and to protect children (safeguarding).",
        "Legal obligation and public task (safeguarding); substantial public interest (DPA 2018 Sch. 1).",
        "By category from closure (safeguarding 10 years, or until the child is 25); then anonymised "
        "(incidents/retention.py).",
        "SMT, DSL and deputies; safeguarding cases only the DSL and deputies; the reporter sees their own "
        "report.",
    ),
    "content": Purpose(
        "Posts, approvals, media and the archive",
        "To check, approve and keep what the organisation publishes (5.1), and who appears in its photos.",
        "Legitimate interests; consent of people shown in photos.",
        "Published posts: kept as the organisation's record; drafts with their account.",
        "The account's runners, SMT; the archive also the Quality Director, staff and auditor.",
    ),
    "consent": Purpose(
        "Photo and video consent",
        "To publish pictures only of people who agreed (5.2), to honour refusals and withdrawals at "
        "once, and to prove who consented, when and how.",
        "Consent (the person's, or a parent's or guardian's while a learner is under 18).",
        "For as long as any published post shows the person, and the record of a withdrawal after it; "
        "signed forms encrypted at rest.",
        "SMT, DSL and deputies; account runners; staff who draft see only 'may be posted: yes/no'.",
    ),
    "monitoring": Purpose(
        "Monitoring of the organisation's accounts and of public mentions",
        "To see what the organisation's accounts publish (3.2) and what is said about it (4.2), and to "
        "bring adverse criticism to SMT (5.1). Staff personal accounts are not monitored.",
        "Legitimate interests (only public posts that mention the organisation).",
        "Raw items and the text of closed alerts: the monitoring retention setting (30 days) after the "
        "alert is closed; the decision on each alert with the audit trail.",
        "SMT; an account's runners for its own posts; alerts naming a learner with a risk only the DSL "
        "and deputies.",
    ),
    "audit": Purpose(
        "The audit trail",
        "To show who did what and when, in a record that cannot be altered unnoticed.",
        "Legal obligation (accountability, Art. 5(2)); legitimate interests.",
        "Kept for the life of the installation. Events are hash-chained and not rewritten on erasure; see "
        "docs/data-protection.md.",
        "SMT and auditors.",
    ),
    "privacy": Purpose(
        "Connection checks, privacy reviews, recruitment checks and erasures",
        "To help staff keep to 5.2 and 'Managing your personal use of social media', and to log "
        "recruitment checks under 5.3.",
        "Legitimate interests; for recruitment checks, the lawful basis recorded on each.",
        "Checks and reviews with the staff record. Recruitment checks: 6 months after the decision, "
        "deleted daily.",
        "The person (own checks and reviews); SMT (coverage as counts only, recruitment log, erasures).",
    ),
    "scheduling": Purpose(
        "Daily jobs",
        "Bookkeeping of scheduled work.",
        "Legitimate interests.",
        "Overwritten daily.",
        "Operators.",
    ),
}
UNDESCRIBED = Purpose(
    "(not yet described)", "Not yet described: tell the data protection officer.", "—", "—", "—"
)


@dataclass(frozen=True)
class ModelEntry:
    label: str
    name: str
    fields: list[str]


@dataclass(frozen=True)
class AppEntry:
    app: str
    purpose: Purpose
    models: list[ModelEntry]


def personal_fields(model: type[models.Model]) -> list[str]:
    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) and not isinstance(field, models.ManyToManyField):
            continue
        related = getattr(field, "related_model", None)
        if related is not None and related._meta.label_lower in PERSON_MODELS and not field.auto_created:
            found.append(f"{field.name} (a person)")
        elif field.name in PERSONAL_NAMES:
            found.append(field.name)
    return found


def record_of_processing() -> list[AppEntry]:
    entries = []
    for config in apps.get_app_configs():
        if not config.name.startswith("socialguard."):
            continue
        found = []
        for model in config.get_models():
            label = model._meta.label_lower
            fields = personal_fields(model)
            if label in PERSON_MODELS or fields:
                found.append(ModelEntry(label, str(model._meta.verbose_name_plural), fields))
        if found:
            entries.append(AppEntry(config.label, PURPOSES.get(config.label, UNDESCRIBED), found))
    return entries
