from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialguard.accounts.models import AccountRunner, OrgAccount
from socialguard.audit.models import AuditEvent
from socialguard.incidents import services
from socialguard.incidents.access import Access, access
from socialguard.incidents.models import Case, Entry, Evidence, Status
from socialguard.policies.models import Clause
from tests.case_fixtures import MARKER, checked, png_bytes
from tests.worker import run_due_tasks

pytestmark = pytest.mark.django_db(transaction=True)  # notifications are sent on commit


def _report(team: dict[str, Any], **extra: Any) -> Case:
    values: dict[str, Any] = {"category": "offensive", "summary": "A colleague posted an offensive joke"}
    values.update(extra)
    return services.report_submit(actor=team["tutor"].user, **values)


def test_report_needs_a_category_and_what_happened(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.report_submit(actor=team["tutor"].user, category="gossip", summary=" ")
    assert set(caught.value.message_dict) == {"category", "summary"}
    with pytest.raises(ValidationError, match="not in the future"):
        _report(team, happened_on=dt.date.today() + dt.timedelta(days=1))
    assert not Case.objects.exists()


def test_the_link_to_the_post_must_be_a_web_address(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        _report(team, url="javascript:alert(document.domain)")
    assert caught.value.message_dict == {
        "url": ["give a web address starting with https:// or http:// (not javascript:)"]
    }
    assert not Case.objects.exists()
    assert _report(team, url="instagram.com/p/abc").url == "https://instagram.com/p/abc"


def test_report_gets_a_reference_and_goes_to_smt_without_its_content(
    team: dict[str, Any], mailbox: Any
) -> None:
    case = _report(
        team,
        summary=f"{MARKER} posted something",
        parties=[services.PartyInput("subject", staff=team["boss"])],
    )
    assert case.reference.startswith(f"C-{dt.date.today().year}-") and case.status == Status.NEW
    assert not case.restricted
    run_due_tasks()  # the worker sends the mail
    recipients = {m["To"] for m in mailbox.messages}
    assert "smt@dmm.example" in recipients and "dsl@dmm.example" not in recipients
    assert "ivy@dmm.example" in recipients  # Ivy is SMT and not involved in this one
    for message in mailbox.messages:
        assert MARKER not in message.as_string() and case.reference in message.as_string()


def test_a_safeguarding_concern_goes_straight_to_the_dsl_and_deputies(
    team: dict[str, Any], mailbox: Any
) -> None:
    case = _report(team, category="safeguarding", summary=MARKER)
    assert case.restricted and case.safeguarding_part
    run_due_tasks()
    assert {m["To"] for m in mailbox.messages} == {"dsl@dmm.example", "deputy@dmm.example"}


def test_people_involved_are_never_told_about_a_report_on_them(team: dict[str, Any], mailbox: Any) -> None:
    _report(team, parties=[services.PartyInput("subject", staff=team["ivy"])])
    run_due_tasks()
    recipients = {m["To"] for m in mailbox.messages}
    assert "ivy@dmm.example" not in recipients and "smt@dmm.example" in recipients


def test_evidence_is_kept_and_removed_if_the_report_fails(team: dict[str, Any], evidence_dir: Any) -> None:
    case = _report(team, attachments=[checked("shot.png", png_bytes())])
    item = case.evidence.get()
    assert (evidence_dir / item.stored_name).exists()
    with pytest.raises(ValidationError):
        _report(team, parties=[services.PartyInput("boss")], attachments=[checked("b.png", png_bytes())])
    assert len(list(evidence_dir.iterdir())) == 1


def test_party_from_text_links_the_register(team: dict[str, Any]) -> None:
    assert services.party_from_text("Ben Tutor", "subject").staff == team["tutor"]
    assert services.party_from_text("l1").learner == team["young"]
    assert services.party_from_text("Fay Young").guardian == team["guardian"]
    stranger = services.party_from_text("  Someone   Else ")
    assert stranger.staff is None and stranger.name == "Someone Else"


def test_triage_by_smt_not_by_someone_involved(team: dict[str, Any]) -> None:
    case = _report(team, parties=[services.PartyInput("subject", staff=team["ivy"])])
    with pytest.raises(PermissionDenied, match="involved"):
        services.triage(actor=team["involved_smt"], case=case, severity="low", investigator=team["smt"])
    with pytest.raises(ValidationError) as caught:
        services.triage(actor=team["smt"], case=case, severity="urgent", investigator=team["involved_smt"])
    assert "involved" in caught.value.message_dict["investigator"][0]
    assert "severity" in caught.value.message_dict
    with pytest.raises(ValidationError, match=r"no clause 9\.9"):
        services.triage(
            actor=team["smt"], case=case, severity="low", investigator=team["smt"], clause_keys=["9.9"]
        )


def test_triage_links_policy_clauses(published: dict[str, Any], team: dict[str, Any]) -> None:
    case = _report(team)
    services.triage(
        actor=team["smt"],
        case=case,
        severity="medium",
        investigator=team["smt"],
        clause_keys=["5.2", "declaration"],
    )
    case.refresh_from_db()
    # The chronology names clauses as the policy does, not by their internal keys.
    text = case.entries.get(kind="triage").text
    assert "Policy clauses: 5.2 Expected standards; Declaration." in text
    # Shown after the entry's label "Triage": no "Triage: Triaged: …" stutter.
    assert text.startswith("Severity medium; investigator ")
    assert case.status == Status.TRIAGED and case.triaged_at is not None
    assert sorted(c.key for c in case.clauses.all()) == ["5.2", "declaration"]
    assert all(isinstance(c, Clause) for c in case.clauses.all())


def test_smt_cannot_work_on_a_restricted_case(restricted_case: Case, team: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.entry_add(actor=team["smt"], case=restricted_case, kind="note", text="x")
    with pytest.raises(ValidationError, match="may not investigate"):
        services.triage(actor=team["dsl"], case=restricted_case, severity="low", investigator=team["smt"])


def test_chronology_is_append_only(restricted_case: Case) -> None:
    entry = restricted_case.entries.first()
    assert entry is not None
    entry.text = "rewritten"
    with pytest.raises(ValueError, match="never changed"):
        entry.save()


def test_investigation_and_referral_statuses(team: dict[str, Any]) -> None:
    case = _report(team)
    smt = team["smt"]
    with pytest.raises(ValidationError, match="triage"):
        services.status_set(actor=smt, case=case, status="investigating")
    services.triage(actor=smt, case=case, severity="low", investigator=smt)
    services.entry_add(actor=smt, case=case, kind="action", text="Asked for the post to be removed")
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATING
    services.status_set(actor=smt, case=case, status="triaged", note="Waiting for the screenshots")
    services.status_set(actor=smt, case=case, status="investigating")
    # Under the entry's label "Status changed" the text says the new status once.
    assert case.entries.filter(kind="status").first().text == "Now triaged.\nWaiting for the screenshots"  # type: ignore[union-attr]
    referral = services.referral_add(
        actor=smt, case=case, agency="police", referred_on=dt.date.today(), reference="CAD 123"
    )
    case.refresh_from_db()
    assert case.status == Status.AWAITING_REFERRAL and not referral.restricted and not case.safeguarding_part
    services.referral_response(
        actor=smt, referral=referral, response="No offence", response_on=dt.date.today()
    )
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATING


def test_referrals_to_safeguarding_bodies_are_restricted(team: dict[str, Any]) -> None:
    case = _report(team)
    smt = team["smt"]
    services.triage(actor=smt, case=case, severity="high", investigator=smt)
    referral = services.referral_add(actor=smt, case=case, agency="dbs", referred_on=dt.date.today())
    case.refresh_from_db()
    assert referral.restricted and case.safeguarding_part and not case.restricted
    with pytest.raises(PermissionDenied, match="DSL"):
        services.referral_response(actor=smt, referral=referral, response="ok", response_on=dt.date.today())
    assert access(team["dsl"], case) == Access.FULL  # the DSL now reads this case


def test_smt_can_flag_a_safeguarding_entry_they_then_cannot_read(team: dict[str, Any], mailbox: Any) -> None:
    case = _report(team)
    services.triage(actor=team["smt"], case=case, severity="low", investigator=team["smt"])
    run_due_tasks()
    mailbox.messages.clear()
    entry = services.entry_add(actor=team["smt"], case=case, kind="note", text=MARKER, restricted=True)
    assert entry.restricted
    run_due_tasks()
    assert {m["To"] for m in mailbox.messages} == {"dsl@dmm.example", "deputy@dmm.example"}


def test_escalation_hands_the_whole_case_to_the_dsl(team: dict[str, Any]) -> None:
    case = _report(team, attachments=[checked("a.png", png_bytes())])
    services.triage(actor=team["smt"], case=case, severity="low", investigator=team["smt"])
    services.escalate(actor=team["smt"], case=case, reason="the learner is 16")
    case.refresh_from_db()
    assert case.restricted and case.investigator is None
    assert access(team["smt"], case) == Access.STUB and access(team["dsl"], case) == Access.FULL
    assert not case.entries.filter(restricted=False).exists()
    assert not Evidence.objects.filter(case=case, restricted=False).exists()


def _closeable(team: dict[str, Any], subject: Any) -> Case:
    case = _report(team, parties=[services.PartyInput("subject", staff=subject)])
    services.triage(actor=team["smt"], case=case, severity="medium", investigator=team["smt"])
    return case


def test_close_needs_triage_finished_tasks_and_the_right_subject(team: dict[str, Any]) -> None:
    smt = team["smt"]
    case = _report(team)
    with pytest.raises(ValidationError, match="triage"):
        services.case_close(actor=smt, case=case, outcome="no_further_action")
    case = _closeable(team, team["boss"])
    services.task_add(actor=smt, case=case, text="Check the post", due_on=dt.date.today(), assignee=None)
    with pytest.raises(ValidationError) as caught:
        services.case_close(actor=smt, case=case, outcome="disciplinary")
    assert set(caught.value.message_dict) == {"subject", "tasks"}
    with pytest.raises(ValidationError, match="not recorded as involved"):
        services.case_close(actor=smt, case=case, outcome="disciplinary", subject=team["tutor"])
    with pytest.raises(ValidationError, match="is an employee"):
        services.task_done(actor=smt, task=case.tasks.get())
        services.case_close(actor=smt, case=case, outcome="contract_ended", subject=team["boss"])


def test_contract_ended_for_a_contract_worker_and_the_reporter_is_told(
    team: dict[str, Any], mailbox: Any
) -> None:
    case = _closeable(team, team["volunteer"])
    run_due_tasks()
    mailbox.messages.clear()
    services.case_close(
        actor=team["smt"], case=case, outcome="contract_ended", note=MARKER, subject=team["volunteer"]
    )
    run_due_tasks()
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.retain_until is not None
    (message,) = mailbox.messages
    assert message["To"] == "ben@dmm.example" and "closed" in message["Subject"]
    assert MARKER not in message.as_string() and "contract" not in message.as_string().lower()


def test_access_withdrawn_suspends_runner_roles(team: dict[str, Any]) -> None:
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=team["boss"], is_lead=True)
    AccountRunner.objects.create(account=account, staff=team["tutor"])
    case = _closeable(team, team["boss"])
    services.case_close(actor=team["smt"], case=case, outcome="access_withdrawn", subject=team["boss"])
    assert not account.runners.get(staff=team["boss"]).active
    assert account.runners.get(staff=team["tutor"]).active
    event = AuditEvent.objects.filter(action="accounts.runner_removed").get()
    assert event.after["reason"] == f"social media access withdrawn ({case.reference})"
    assert "suspended" in case.entries.filter(kind="outcome").get().text
    from socialguard.accounts.selectors import registry

    assert any("no lead" in w for w in registry()[0].warnings)


def test_retention_for_safeguarding_lasts_until_the_child_is_25(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    dsl, young, today = team["dsl"], team["young"], dt.date.today()
    young.date_of_birth = dob = today.replace(year=today.year - 12, day=1)
    young.save()
    restricted_case.tasks.update(done_at=dt.datetime.now(dt.UTC))
    services.case_close(actor=dsl, case=restricted_case, outcome="no_further_action")
    restricted_case.refresh_from_db()
    assert restricted_case.retain_until == dob.replace(year=dob.year + 25)  # later than 10 years on


def test_anonymise_only_after_retention_and_keep_statistics(
    restricted_case: Case, team: dict[str, Any], evidence_dir: Any
) -> None:
    dsl, case = team["dsl"], restricted_case
    case.tasks.update(done_at=dt.datetime.now(dt.UTC))
    services.case_close(actor=dsl, case=case, outcome="informal_advice", subject=team["ivy"])
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="kept until"):
        services.case_anonymise(actor=dsl, case=case)
    with pytest.raises(PermissionDenied):
        services.case_anonymise(actor=team["smt"], case=case, today=case.retain_until)
    services.case_anonymise(actor=dsl, case=case, today=case.retain_until)
    case.refresh_from_db()
    assert case.anonymised_at and case.summary == "" and case.reporter is None
    assert (case.category, case.outcome, case.severity) == ("safeguarding", "informal_advice", "high")
    assert not case.parties.exists() and not case.evidence.exists() and not case.tasks.exists()
    assert list(case.entries.values_list("text", flat=True)) == [
        "Anonymised at the end of its retention period."
    ]
    assert case.referrals.get().reference == ""
    assert not list(evidence_dir.iterdir())
    assert AuditEvent.objects.filter(action="cases.anonymised", object_id=str(case.pk)).exists()
    assert not Entry.objects.filter(text__contains=MARKER).exists()


def test_the_audit_trail_records_every_change_but_never_the_content(restricted_case: Case) -> None:
    actions = set(AuditEvent.objects.filter(object_type="incidents.case").values_list("action", flat=True))
    assert {
        "cases.reported",
        "cases.triaged",
        "cases.entry_added",
        "cases.task_added",
        "cases.referred",
    } <= actions
    for event in AuditEvent.objects.all():
        assert MARKER.lower() not in f"{event.object_repr}{event.before}{event.after}".lower(), event.action


def test_reading_a_cases_safeguarding_part_is_audited_for_the_dsl_only(team: dict[str, Any]) -> None:
    case = _report(team)
    services.triage(actor=team["smt"], case=case, severity="low", investigator=team["smt"])
    services.restricted_viewed(actor=team["smt"], case=case, where="web")
    services.entry_add(actor=team["smt"], case=case, kind="note", text="for the DSL", restricted=True)
    case.refresh_from_db()
    services.restricted_viewed(actor=team["smt"], case=case, where="web")  # SMT do not see that part
    services.restricted_viewed(actor=team["dsl"], case=case, where="web")
    views = AuditEvent.objects.filter(action="cases.restricted_viewed")
    assert [e.actor for e in views] == [team["dsl"]]
