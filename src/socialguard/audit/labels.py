"""Words for the audit trail's codes: what an action, a record type or a stored value means to a
reader who is not a developer ("Signed in", not `user.signed_in`).

The codes stay what the chain seals, what the filters and the API take and what the CSV export
keeps; these labels only sit beside them. Every action the code records has a label here (a test
reads the source for `audit_record(action=...)` and fails on one without); an app added later
adds its own to ACTIONS, or `ACTIONS.update(...)` in its AppConfig.ready, as incidents registers
WITHHOLDERS. Record types and stored choice values are read from the models themselves, so they
need no table (the audit app cannot import the apps above it; it asks Django's app registry).
"""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps

ACTIONS: dict[str, str] = {
    # Sign-ins
    "user.signed_in": "Signed in",
    "user.signed_out": "Signed out",
    "user.sign_in_failed": "Sign-in failed",
    "user.locked_out": "Locked out after failed sign-ins",
    "user.created": "Sign-in created",
    "user.activated": "Sign-in activated",
    "user.access_withdrawn": "Sign-in access withdrawn",
    "user.deactivated": "Sign-in deactivated",
    "user.roles_changed": "Roles changed",
    "user.password_changed": "Password changed",
    "user.two_factor_enrolled": "Authenticator app set up",
    "user.two_factor_reset": "Authenticator app reset",
    "api_token.created": "API token created",
    "api_token.revoked": "API token revoked",
    # People records
    "people.imported": "People imported from a file",
    "staff.created": "Staff record added",
    "staff.updated": "Staff record changed",
    "staff.sign_in_linked": "Staff record linked to its sign-in",
    "learner.created": "Learner record added",
    "learner.updated": "Learner record changed",
    "guardian.created": "Parent or guardian record added",
    "guardian.updated": "Parent or guardian record changed",
    "organisation.updated": "Organisation details changed",
    # The policy, its reviews, declarations and training
    "policy.version_imported": "Policy version imported",
    "policy.version_in_review": "Policy version sent for review",
    "policy.version_published": "Policy version published",
    "policy.version_retired": "Policy version retired",
    "policy.review_started": "Policy review started",
    "policy.review_comment": "Review comment added",
    "policy.review_closed": "Policy review closed",
    "policy.reconfirmed": "Policy confirmed as still current",
    "policy.declared": "Policy declaration made",
    "training.imported": "Training records imported",
    "training.course_created": "Training course added",
    "training.course_updated": "Training course changed",
    "training.completion_recorded": "Training completion recorded",
    "reminders.digest_sent": "Reminder email sent",
    # Organisational accounts and the vault
    "accounts.proposed": "Account proposed",
    "accounts.proposal_revised": "Account proposal revised",
    "accounts.proposal_comment": "Comment on an account proposal",
    "accounts.proposal_withdrawn": "Account proposal withdrawn",
    "accounts.proposal_approved": "Account proposal approved",
    "accounts.proposal_rejected": "Account proposal rejected",
    "accounts.approval_blocked": "Account approval blocked",
    "accounts.created": "Account created",
    "accounts.closed": "Account closed",
    "accounts.reviewed": "Account monitoring review",
    "accounts.runner_added": "Account runner added",
    "accounts.runner_removed": "Account runner removed",
    "accounts.lead_transferred": "Account lead handed over",
    "accounts.leaver_task_raised": "Leaver task raised",
    "accounts.leaver_task_done": "Leaver task done",
    "vault.secret_added": "Password stored in the vault",
    "vault.secret_revealed": "Password in the vault revealed",
    "vault.secret_changed": "Password in the vault changed",
    "vault.master_key_rotated": "Vault key changed",
    "vault.secret_used_by_connector": "App password used by the publishing connector (not shown to anyone)",
    # Posts for the organisation's accounts
    "content.draft_created": "Post drafted",
    "content.draft_saved": "Draft post changed and checked",
    "content.media_added": "Photo or video added to a draft",
    "content.media_removed": "Photo or video removed from a draft",
    "content.discarded": "Draft post discarded: its words, links and media deleted",
    "content.submitted": "Post submitted for approval",
    "content.approved": "Post approved",
    "content.approval_withdrawn": "Approval withdrawn: the post changed after it was approved",
    "content.changes_requested": "Changes requested to a post",
    "content.finding_overridden": "Policy finding overridden by SMT, with a reason",
    "content.marked_criticism": "Marked as a reply to criticism (needs SMT approval)",
    "content.scheduled": "Post scheduled",
    "content.publishing": "Publishing a post",
    "content.publish_retry": "Publishing failed; will try again",
    "content.publish_retried": "Failed post tried again",
    "content.publish_failed": "Publishing failed",
    "content.published": "Post published",
    "content.published_unrecorded": "A post reached the platform after it was changed or discarded",
    # The rules pack and reviewers' judgements of findings (docs/rules.md)
    "rules.pack_saved": "Rules pack saved as a new version",
    "rules.finding_dismissed": "Policy finding dismissed as a false alarm, with a reason",
    # Concerns, breaches and safeguarding
    "cases.reported": "Concern reported",
    "cases.triaged": "Case triaged",
    "cases.status_changed": "Case status changed",
    "cases.entry_added": "Case note added",
    "cases.party_added": "Person added to a case",
    "cases.evidence_encrypted": "Evidence stored (encrypted)",
    "cases.task_added": "Case task added",
    "cases.task_done": "Case task done",
    "cases.referred": "Case referred",
    "cases.referral_response": "Referral response recorded",
    "cases.escalated": "Case escalated",
    "cases.restricted": "Case restricted to the safeguarding team",
    "cases.restricted_viewed": "Restricted case opened",
    "cases.closed": "Case closed",
    "cases.anonymised": "Case anonymised after retention",
    # The trail itself
    "audit.exported": "Audit trail downloaded",
    "audit.verified": "Audit trail checked",
    "audit.verify_failed": "Audit trail check failed",
    "audit.checkpointed": "Checkpoint written",
    "audit.rekeyed": "Audit trail re-keyed",
    "demo.loaded": "Demo organisation loaded",
    # Photo and video consent (5.2)
    "consent.given": "Photo consent given",
    "consent.refused": "Photo consent refused",
    "consent.withdrawn": "Photo consent withdrawn",
    "consent.imported": "Photo consent imported from the MIS",
    "consent.link_issued": "Consent form link sent",
    "consent.link_used": "Consent form completed through its link",
    "consent.takedown_opened": "Takedown opened: consent withdrawn",
    "consent.draft_pulled_back": "Draft pulled back: consent withdrawn",
    "consent.takedown_confirmed": "Takedown confirmed by a runner",
    "consent.takedown_done": "Post taken down on the platform",
    "consent.takedown_failed": "Takedown failed on the platform",
    # Monitoring
    "monitoring.source_created": "Monitoring source added",
    "monitoring.source_changed": "Monitoring source changed",
    "monitoring.export_imported": "Platform export read into monitoring",
    "monitoring.alert_dismissed": "Monitoring alert dismissed, with a reason",
    "monitoring.alert_assigned": "Monitoring alert assigned",
    "monitoring.alert_to_case": "Monitoring alert turned into a case",
    "monitoring.alert_responded": "Reply drafted to criticism from a monitoring alert",
    "monitoring.alert_reopened": "Monitoring alert opened again: its reply was discarded",
}

# Where a model's own name reads poorly to someone outside the code.
OBJECT_TYPES: dict[str, str] = {
    "identity.user": "sign-in",
    "identity.apitoken": "API token",
    "audit.auditevent": "audit trail",
    "audit.audithead": "audit trail check",
    "accounts.orgaccount": "organisational account",
    "accounts.vaultsecret": "vault password",
    "incidents.entry": "case note",
    "incidents.party": "person in a case",
    "incidents.task": "case task",
    "policies.digestlog": "reminder email",
    "policies.rulespack": "rules pack version",
    "policies.findingdismissal": "dismissed finding",
}

HEX = re.compile(r"[0-9a-f]{40,}")
SHORT_HASH = 12

# Reminder item keys (what a digest held): "declare:v2", "cases:task:2", "training:induction:expired".
_ITEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"declare:v(?P<a>\d+)"), "declare policy version {a}"),
    (re.compile(r"training:(?P<a>[^:]+):(?P<b>[^:]+)"), "training {a} ({b})"),
    (re.compile(r"review:(?P<a>[^:]+):(?P<b>.*)"), "policy review {a} ({b})"),
    (re.compile(r"escalate:(?P<a>.*)"), "declarations overdue for {a}"),
    (re.compile(r"cases:new:(?P<a>.*)"), "new reports to triage: {a}"),
    (re.compile(r"cases:task:(?P<a>\d+)"), "case task #{a}"),
    (re.compile(r"cases:retention:(?P<a>.*)"), "cases past retention: {a}"),
    (re.compile(r"accounts:[^:]*:(?P<a>.*)"), "{a}"),
]


def _humanise(code: str) -> str:
    words = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else code


def action_label(code: str) -> str:
    return ACTIONS.get(code) or _humanise(code)


@cache
def _model_names() -> dict[str, str]:
    return {m._meta.label_lower: str(m._meta.verbose_name) for m in apps.get_models()}


def object_type_label(code: str) -> str:
    """ "Case" for `incidents.case`; a type no model has keeps its code."""
    if not code:
        return ""
    name = OBJECT_TYPES.get(code) or _model_names().get(code)
    return (name[:1].upper() + name[1:]) if name else code


def record_kind(object_type: str, object_repr: str) -> str:
    """The record's type in words beside its name ("Sign-in" beside "Morgan Ellis"), or "" where
    the name already says it ("Case C-2024-0003")."""
    kind = object_type_label(object_type)
    if object_repr and object_repr.lower().startswith(kind.lower()):
        return ""
    return kind


@cache
def _choices() -> tuple[dict[tuple[str, str], dict[str, str]], dict[str, dict[str, str]]]:
    """{(model, field): {value: label}} and {field: {value: label}} from every model's choices."""
    by_model: dict[tuple[str, str], dict[str, str]] = {}
    by_field: dict[str, dict[str, str]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            choices = getattr(field, "flatchoices", None)
            if not choices:
                continue
            table = {str(v): str(label) for v, label in choices}
            by_model[(model._meta.label_lower, field.name)] = table
            by_field.setdefault(field.name, {}).update(table)
    return by_model, by_field


def value_label(object_type: str, field: str, value: str) -> str | None:
    """A stored code in words, or None where the value already reads as words.

    "no_further_action" → "No further action"; "low" stays "low" (its label only capitalises it);
    a reminder item key reads as the item; a hash is shortened (the full value goes in a title)."""
    if field == "items":
        for pattern, words in _ITEMS:
            if m := pattern.fullmatch(value):
                return words.format(**{k: v.replace(",", ", ") for k, v in m.groupdict().items()})
        return None
    by_model, by_field = _choices()
    # The record's own field first; else the same field name elsewhere (a case's closing outcome
    # reuses values its entries' outcomes define).
    label = by_model.get((object_type, field), {}).get(value) or by_field.get(field, {}).get(value)
    if label is None or label.lower() == value.lower():
        return None
    return label


def short_hash(value: str) -> str | None:
    """The first characters of a fingerprint, or None if `value` is not one."""
    return value[:SHORT_HASH] + "…" if HEX.fullmatch(value) else None
