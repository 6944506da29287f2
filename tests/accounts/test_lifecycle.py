"""After creation: monitoring reviews, leavers (transfer, two runners, rotate what they saw,
access withdrawn on the leave date) and closure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialguard.accounts import lifecycle, selectors, vault
from socialguard.accounts.models import AccountRunner, LeaverTask, OrgAccount
from socialguard.identity.roles import Role
from socialguard.policies import services as policy_services
from socialguard.policies.models import Audience
from socialguard.web.home import home_items

ALL = dict.fromkeys(policy_services.DECLARATION_FIELDS, True)


@pytest.fixture
def running(published: dict[str, Any], make_user: Any) -> dict[str, Any]:
    smt = published["smt"]
    course = policy_services.course_save(
        actor=smt,
        values={"code": "runner", "name": "Runner training", "required_for": Audience.ACCOUNT_RUNNERS},
    )
    for key in ("boss", "tutor", "volunteer"):
        member = published[key]
        policy_services.declaration_make(
            actor=member.user, staff=member, version=published["v1"], confirmations=ALL
        )
        policy_services.completion_record(
            actor=smt, staff=member, course=course, completed_on=timezone.localdate()
        )
    account = OrgAccount.objects.create(
        platform="instagram", handle="@dmm", login_email="social@dmm.example", monitor=smt
    )
    AccountRunner.objects.create(account=account, staff=published["tutor"], is_lead=True)
    AccountRunner.objects.create(account=account, staff=published["volunteer"])
    published["tutor"].user.role_assignments.create(role="smt")  # the lead is also in SMT, so can reveal
    published["tutor"].user.forget_roles()
    return {**published, "account": account}


def test_monitoring_reviews_clear_the_overdue_warning(running: dict[str, Any]) -> None:
    account = running["account"]
    OrgAccount.objects.filter(pk=account.pk).update(created_at=timezone.now() - dt.timedelta(days=45))
    assert any("monitoring review overdue" in w for w in selectors.registry()[0].warnings)
    # The monitor's home page names the account as people know it: handle and platform.
    assert "Monitoring review of @dmm on Instagram" in [i.title for i in home_items(running["smt"])]
    with pytest.raises(ValidationError):
        lifecycle.review_record(actor=running["smt"], account=account, looked_at=" ")
    lifecycle.review_record(
        actor=running["smt"], account=account, looked_at="All posts since March", issues_found="none"
    )
    assert not any("monitoring" in w for w in selectors.registry()[0].warnings)
    assert not any(i.title.startswith("Monitoring review") for i in home_items(running["smt"]))


def test_a_leaving_lead_raises_a_task_that_closes_when_every_step_is_done(running: dict[str, Any]) -> None:
    account, tutor, smt = running["account"], running["tutor"], running["smt"]
    password = vault.secret_store(actor=smt, account=account, kind="password", value="Old-Password-1234!")
    codes = vault.secret_store(actor=smt, account=account, kind="recovery_codes", value="1111-2222")
    vault.secret_reveal(
        actor=tutor.user, secret=password, reason="posting the open day", reauthenticated=True
    )
    tutor.leave_date = timezone.localdate() + dt.timedelta(days=14)
    tutor.save()
    [task] = lifecycle.leavers_scan()
    assert task.was_lead and list(task.secrets_to_rotate.all()) == [password]  # not the codes: never seen
    assert lifecycle.leavers_scan() == []  # nothing raised twice
    state = lifecycle.task_state(task)
    assert [ok for _, ok in state.steps] == [False, False, False]
    with pytest.raises(ValidationError, match="is leaving too"):
        lifecycle.lead_transfer(actor=smt, account=account, to=tutor)
    lifecycle.runner_add(actor=smt, account=account, staff=running["boss"])
    lifecycle.lead_transfer(actor=smt, account=account, to=running["boss"])
    assert lifecycle.tasks_refresh() == 0  # the password they saw is unchanged
    vault.secret_store(actor=smt, account=account, kind="password", value="New-Password-5678!")
    assert lifecycle.tasks_refresh() == 1
    task.refresh_from_db()
    assert task.done_at is not None and codes.pk not in {s.pk for s in task.secrets_to_rotate.all()}


def test_a_credential_handed_to_a_runner_is_on_their_leaver_task(running: dict[str, Any]) -> None:
    account, smt, volunteer = running["account"], running["smt"], running["volunteer"]
    secret = vault.secret_store(actor=smt, account=account, kind="password", value="Handed-Over-1234!")
    vault.secret_reveal(
        actor=smt, secret=secret, reason="for the open day post", reauthenticated=True, for_staff=volunteer
    )
    volunteer.leave_date = timezone.localdate() + dt.timedelta(days=5)
    volunteer.save()
    [task] = lifecycle.leavers_scan()
    assert list(task.secrets_to_rotate.all()) == [secret]


def test_on_the_leave_date_runner_role_and_sign_in_are_withdrawn(running: dict[str, Any]) -> None:
    volunteer = running["volunteer"]
    from socialguard.identity.models import ApiToken
    from socialguard.identity.services import token_create

    token_create(user=volunteer.user, name="laptop", scope="read")
    volunteer.leave_date = timezone.localdate()
    volunteer.save()  # saved on the model, not through people's service: the scan is what acts
    lifecycle.leavers_scan()
    volunteer.user.refresh_from_db()
    assert not volunteer.user.is_active
    # Revoked, so that a later reactivation (a rehire) does not bring the token back.
    assert not ApiToken.objects.filter(user=volunteer.user, revoked_at__isnull=True).exists()
    assert not running["account"].runners.get(staff=volunteer).active
    warnings = selectors.registry()[0].warnings
    assert "only 1 active runner (5.5 asks for two)" in warnings
    assert any(w.startswith("leaver task open: Cara Helper") for w in warnings)


def test_closing_records_how_and_ends_the_task(running: dict[str, Any]) -> None:
    account, smt = running["account"], running["smt"]
    running["tutor"].leave_date = timezone.localdate() + dt.timedelta(days=3)
    running["tutor"].save()
    lifecycle.leavers_scan()
    with pytest.raises(ValidationError):
        lifecycle.account_close(actor=smt, account=account, closed_on=timezone.localdate(), how="")
    lifecycle.account_close(
        actor=smt,
        account=account,
        closed_on=timezone.localdate(),
        how="Deleted in Instagram settings; 30-day grace",
    )
    assert lifecycle.tasks_refresh() == 1
    assert LeaverTask.objects.get().done_at is not None
    assert not account.runners.filter(active=True).exists()


def test_untrained_people_cannot_be_added_as_runners(running: dict[str, Any], make_user: Any) -> None:
    from socialguard.people.models import StaffMember

    newcomer = StaffMember.objects.create(
        external_id="S9", first_name="Nia", last_name="New", employment_type="employee"
    )
    with pytest.raises(ValidationError, match="Nia New has not declared"):
        lifecycle.runner_add(actor=running["smt"], account=running["account"], staff=newcomer)
    staff = make_user(Role.STAFF)
    with pytest.raises(Exception, match="only SMT"):
        lifecycle.runner_add(actor=staff, account=running["account"], staff=newcomer)


def test_smt_are_reminded_of_leaver_tasks_on_home_page_and_digest(running: dict[str, Any]) -> None:
    from socialguard.policies.reminders import digest_for

    running["volunteer"].leave_date = timezone.localdate() + dt.timedelta(days=5)
    running["volunteer"].save()
    lifecycle.leavers_scan()
    digest = digest_for(running["smt"])
    assert "Cara Helper is leaving: hand over @dmm on Instagram" in digest.body and digest.send
    # The registry names the leaver once, by the open task, not also as "runner … leaves on …".
    warnings = selectors.registry()[0].warnings
    assert [w for w in warnings if "Cara Helper" in w] == [
        f"leaver task open: Cara Helper (leaves {running['volunteer'].leave_date:%-d %B %Y})"
    ]


def test_the_services_alone_finish_a_leaver_task_once_they_commit(
    running: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """No view, API operation or command refreshes the tasks any more: the service does, after
    its commit (so a rolled-back change finishes nothing)."""
    account, tutor, smt = running["account"], running["tutor"], running["smt"]
    password = vault.secret_store(actor=smt, account=account, kind="password", value="Old-Password-1234!")
    vault.secret_reveal(
        actor=tutor.user, secret=password, reason="posting the open day", reauthenticated=True
    )
    tutor.leave_date = timezone.localdate() + dt.timedelta(days=14)
    tutor.save()
    [task] = lifecycle.leavers_scan()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.runner_add(actor=smt, account=account, staff=running["boss"])
        lifecycle.lead_transfer(actor=smt, account=account, to=running["boss"])
    task.refresh_from_db()
    assert task.done_at is None  # the password they saw is still to change
    with django_capture_on_commit_callbacks(execute=True):
        vault.secret_store(actor=smt, account=account, kind="password", value="New-Password-5678!")
    task.refresh_from_db()
    assert task.done_at is not None


def test_closing_the_account_alone_ends_its_leaver_task(
    running: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    running["tutor"].leave_date = timezone.localdate() + dt.timedelta(days=3)
    running["tutor"].save()
    [task] = lifecycle.leavers_scan()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lifecycle.account_close(
            actor=running["smt"], account=running["account"], closed_on=timezone.localdate(), how="Deleted"
        )
    assert callbacks
    task.refresh_from_db()
    assert task.done_at is not None
