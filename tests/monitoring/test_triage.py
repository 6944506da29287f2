"""Triage (issue 17 item 3, 5): dismiss with a reason, assign, turn into a case (source
monitoring_alert), and respond to criticism with a reply draft that only SMT may approve; every
decision audited; the retention purge."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.content import services as content
from socialguard.content.models import State
from socialguard.incidents.models import Case
from socialguard.monitoring import services
from socialguard.monitoring.models import Alert, AlertState, Item
from socialguard.monitoring.pages import reminders
from tests.monitoring.conftest import Network
from tests.monitoring.test_polling import CRITICISM


@pytest.fixture
def alert(org: dict[str, Any], network: Network) -> Alert:
    network.post(CRITICISM)
    services.poll(org["mentions"])
    return Alert.objects.get()


def test_dismiss_needs_a_reason_and_is_audited(org: dict[str, Any], alert: Alert) -> None:
    with pytest.raises(ValidationError):
        services.alert_dismiss(actor=org["smt"], alert=alert, reason="")
    with pytest.raises(PermissionDenied):  # a runner does not see criticism
        services.alert_dismiss(actor=org["runner"], alert=alert, reason="not ours to answer")
    services.alert_dismiss(actor=org["smt"], alert=alert, reason="A known troll; nothing to answer")
    alert.refresh_from_db()
    assert alert.state == AlertState.DISMISSED and alert.decided_by == org["smt"]
    event = AuditEvent.objects.get(action="monitoring.alert_dismissed")
    assert event.actor == org["smt"] and event.after["reason"] == "A known troll; nothing to answer"
    with pytest.raises(ValidationError, match="already dismissed"):
        services.alert_dismiss(actor=org["smt2"], alert=alert, reason="twice")


def test_assign_to_someone_who_may_see_it(org: dict[str, Any], alert: Alert) -> None:
    with pytest.raises(ValidationError):
        services.alert_assign(actor=org["smt"], alert=alert, assignee=org["runner"])
    services.alert_assign(actor=org["smt"], alert=alert, assignee=org["smt2"])
    alert.refresh_from_db()
    assert alert.state == AlertState.ASSIGNED and alert.assignee == org["smt2"]
    assert AuditEvent.objects.filter(action="monitoring.alert_assigned").exists()
    assert any("monitoring alert" in r.title for r in reminders(org["smt2"]))


def test_an_alert_becomes_a_case_raised_by_monitoring(org: dict[str, Any], alert: Alert) -> None:
    case = services.alert_to_case(actor=org["smt"], alert=alert)
    assert case.source == "monitoring_alert" and case.source_ref == f"alert:{alert.pk}"
    assert case.category == "criticism" and CRITICISM in case.summary
    alert.refresh_from_db()
    assert alert.state == AlertState.CASE and alert.case == case
    assert AuditEvent.objects.filter(action="monitoring.alert_to_case", actor=org["smt"]).exists()
    assert Case.objects.count() == 1


def test_respond_creates_a_reply_only_smt_may_approve(org: dict[str, Any], alert: Alert) -> None:
    with pytest.raises(PermissionDenied):
        services.alert_respond(actor=org["runner"], alert=alert, text="Sorry to hear that. ^BT")
    draft = services.alert_respond(
        actor=org["smt"], alert=alert, text="We're sorry to hear this: please message us so we can help. ^AB"
    )
    assert draft.is_reply and draft.reply_to == alert.uri and draft.reply_to_criticism
    assert draft.criticism_marked_by == org["smt"] and draft.account == org["account"]
    alert.refresh_from_db()
    assert alert.state == AlertState.RESPONDED and alert.reply_draft == draft
    content.draft_submit(actor=org["smt"], draft=draft)
    with pytest.raises(PermissionDenied):  # a runner may not approve a reply to criticism (5.1)
        content.draft_approve(actor=org["runner"], draft=draft)
    approved = content.draft_approve(actor=org["smt2"], draft=draft)
    assert approved.state in (State.APPROVED, State.SCHEDULED)


def test_a_discarded_reply_opens_its_alert_again(org: dict[str, Any], alert: Alert) -> None:
    draft = services.alert_respond(actor=org["smt"], alert=alert, text="We're sorry: please message us. ^AB")
    alert.refresh_from_db()
    assert alert.state == AlertState.RESPONDED and not alert.is_open
    words = alert.text
    # Weeks pass with the reply still a draft: the purge keeps the words SMT may need again.
    assert services.purge(timezone.now() + dt.timedelta(days=62)) == (0, 0)
    content.draft_discard(actor=org["smt"], draft=draft, reason="We will phone them instead")
    alert.refresh_from_db()
    # The criticism is unanswered again: back on SMT's list, to reply, dismiss or raise a case.
    assert alert.is_open and alert.reply_draft is None and alert.decided_at is None
    assert alert.text == words and alert.purged_at is None and alert.items.exists()
    reopened = AuditEvent.objects.get(action="monitoring.alert_reopened", object_id=str(alert.pk))
    assert reopened.actor == org["smt"] and reopened.after["draft"] == draft.pk
    assert (
        services.alert_respond(actor=org["smt"], alert=alert, text="Sorry: please call us. ^AB").pk
        != draft.pk
    )


def test_raw_items_are_kept_only_as_long_as_needed(
    org: dict[str, Any], alert: Alert, network: Network
) -> None:
    network.post("A nice day at Digital Marketing Mentor")
    services.poll(org["mentions"])
    assert Item.objects.count() == 2
    later = timezone.now() + dt.timedelta(days=31)
    # The open alert still needs its item; the item without an alert goes.
    assert services.purge(later) == (1, 0)
    services.alert_dismiss(actor=org["smt"], alert=alert, reason="Nothing to answer here")
    assert services.purge(later + dt.timedelta(days=31)) == (1, 1)
    alert.refresh_from_db()
    assert alert.text == "" and alert.purged_at is not None and alert.state == AlertState.DISMISSED


def test_the_assign_picker_lists_who_may_see_each_kind_in_a_fixed_number_of_queries(
    org: dict[str, Any], alert: Alert, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    from socialguard.identity.models import User
    from socialguard.identity.roles import Role
    from socialguard.monitoring import access, selectors
    from socialguard.monitoring.models import AlertKind

    for n in range(15):  # staff who see no criticism, each asked about one by one before
        make_user(Role.STAFF, email=f"staff{n}@dmm.example", name=f"Staff {n}")
    make_user(Role.DEPUTY_DSL, email="deputy@dmm.example", name="Dee Puty")
    gone = make_user(Role.SMT, email="left@dmm.example", name="Left Senior")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    for kind, account in [
        (AlertKind.CRITICISM, None),
        (AlertKind.SAFEGUARDING, None),
        (AlertKind.UNAPPROVED_POST, org["account"]),
        (AlertKind.LOOKALIKE, None),
    ]:
        Alert.objects.filter(pk=alert.pk).update(kind=kind, account=account)
        alert.refresh_from_db()
        expected = [u for u in User.objects.order_by("email") if access.may_see(u, alert)]
        with django_assert_max_num_queries(2):
            picked = selectors.assignees(alert)
        assert picked == expected and picked, kind


def test_the_home_item_counts_new_and_assigned_alerts_and_flags_urgent_kinds(
    org: dict[str, Any], alert: Alert
) -> None:
    from socialguard.monitoring.models import AlertKind

    def item() -> Any:
        return next(r for r in reminders(org["smt2"]) if r.key.startswith("monitoring.alerts."))

    [first] = [r for r in reminders(org["smt"]) if r.key.startswith("monitoring.alerts.")]
    assert first.title == "1 monitoring alert to look at" and first.urgency == "due"
    services.alert_assign(actor=org["smt"], alert=alert, assignee=org["smt2"])
    assert item().title == "1 monitoring alert to look at"  # assigned to smt2: still theirs
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.NEW, kind=AlertKind.UNAPPROVED_POST)
    assert item().urgency == "overdue"  # an unapproved post is urgent
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.DISMISSED)
    assert not [r for r in reminders(org["smt2"]) if r.key.startswith("monitoring.alerts.")]


def test_the_trail_and_a_subject_access_export_keep_a_safeguarding_alert_s_details_to_the_dsl(
    org: dict[str, Any], alert: Alert
) -> None:
    """SMT and the auditor read the trail: that a safeguarding alert was acted on, yes; which
    restricted case it became, no. Nor does the DSL's subject-access export (which SMT request)
    list what the DSL did on one."""
    from socialguard.audit.selectors import WITHHELD, audit_reader
    from socialguard.monitoring.models import AlertKind
    from socialguard.people.models import StaffMember
    from socialguard.privacy import subject_access

    Alert.objects.filter(pk=alert.pk).update(kind=AlertKind.SAFEGUARDING)
    alert.refresh_from_db()
    case = services.alert_to_case(actor=org["dsl"], alert=alert)
    event = AuditEvent.objects.get(action="monitoring.alert_to_case")
    assert event.after["case"] == case.reference
    for reader in (org["smt"], org["auditor"]):
        read = audit_reader(viewer=reader)(AuditEvent.objects.get(pk=event.pk))
        assert read.after == WITHHELD and case.reference not in str(read.after)
    assert (
        audit_reader(viewer=org["dsl"])(AuditEvent.objects.get(pk=event.pk)).after["case"] == case.reference
    )

    dsl_record = StaffMember.objects.create(
        external_id="DSL1", first_name="Di", last_name="Safe", employment_type="employee", user=org["dsl"]
    )
    actions = [row["what"] for row in subject_access.build("staff", dsl_record)["audit"]]
    assert "monitoring.alert_to_case" not in actions
