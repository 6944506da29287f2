"""Issue 5's path in a real browser: a member of staff proposes; approval is blocked because a
runner is untrained; training is recorded; another SMT member approves and creates the account;
the password is stored and revealed with a reason; the lead leaves; the transfer task is done;
the password they saw is changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from socialguard.accounts.lifecycle import leavers_scan
from socialguard.accounts.models import OrgAccount
from socialguard.audit.models import AuditEvent
from socialguard.people.models import Organisation
from socialguard.policies import services as policy_services
from socialguard.policies.models import Audience
from tests.browser.conftest import sign_in_through_the_page

ALL = dict.fromkeys(policy_services.DECLARATION_FIELDS, True)


def _tab(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_propose_approve_create_store_reveal_leave_transfer_rotate(
    page: Any, browser: Any, live_server: Any, published: dict[str, Any]
) -> None:
    Organisation.objects.create(name="Digital Marketing Mentor", email_domains="dmm.example")
    smt_user = published["smt"]
    course = policy_services.course_save(
        actor=smt_user,
        values={
            "code": "runner",
            "name": "Runner training",
            "required_for": Audience.ACCOUNT_RUNNERS,
            "refresher_months": 12,
        },
    )
    for key in ("boss", "tutor", "volunteer"):
        member = published[key]
        policy_services.declaration_make(
            actor=member.user, staff=member, version=published["v1"], confirmations=ALL
        )
    for key in ("boss", "tutor"):  # Cara (volunteer) is not trained yet
        policy_services.completion_record(
            actor=smt_user, staff=published[key], course=course, completed_on=timezone.localdate()
        )

    # A member of staff proposes the account.
    sign_in_through_the_page(page, published["boss"].user)
    page.goto("/accounts/proposals/new/")
    page.get_by_label("Platform").select_option("instagram")
    page.get_by_label("Proposed name or handle").fill("@dmm_learners")
    page.get_by_label("Aim of the account").fill("Celebrate learners' achievements")
    page.get_by_label("Intended audience").fill("Prospective learners and employers")
    page.get_by_label("How it will be promoted").fill("Website and email signatures")
    page.get_by_label("Ben Tutor").check()
    page.get_by_label("Cara Helper").check()
    page.get_by_label("Lead runner").select_option(label="Ben Tutor")
    page.get_by_label("Role mailbox it will sign in with").fill("social@dmm.example")
    page.get_by_role("button", name="Send to SMT").click()
    assert "gone to the senior management team" in page.get_by_role("status").inner_text()

    # SMT: approval is blocked until Cara is trained.
    smt = _tab(browser, live_server)
    sign_in_through_the_page(smt, smt_user)
    smt.get_by_role("link", name="Decide the proposal for @dmm_learners").click()
    assert "Cara Helper has not completed Runner training" in smt.locator("#blockers").inner_text()
    smt.get_by_label("Approve").check()
    smt.get_by_role("button", name="Record the decision").click()
    # One line at the top; the blockers are listed once, below, each with its link to act.
    assert "Not approved yet" in smt.locator(".messages").inner_text()
    assert "Cara Helper has not completed Runner training" in smt.locator("#blockers").inner_text()
    proposal_url = smt.url

    smt.goto("/policy/training/record/")
    smt.get_by_label("Staff member").select_option(label="Cara Helper")
    smt.get_by_label("Course").select_option(label="Runner training")
    smt.get_by_role("button", name="Save").click()
    assert "Recorded Runner training for Cara Helper" in smt.get_by_role("status").inner_text()
    smt.goto(proposal_url)
    assert smt.locator("#blockers").count() == 0
    smt.get_by_label("Approve").check()
    smt.get_by_role("button", name="Record the decision").click()
    assert "Approved" in smt.get_by_role("status").inner_text()

    # SMT records the account created on the platform.
    smt.get_by_label("Profile address").fill("https://www.instagram.com/dmm_learners")
    smt.get_by_label("Two-factor sign-in is on").check()
    smt.get_by_label("SMT monitor").select_option(index=1)
    smt.get_by_role("button", name="Record the account").click()
    assert "Store its password in the vault now" in smt.get_by_role("status").inner_text()

    # Store the password, then reveal it with a reason (two-factor sign-in just now counts).
    smt.get_by_label("Kind").select_option("password")
    smt.get_by_label("Secret").fill("First-Password-123!")
    smt.get_by_role("button", name="Store encrypted").click()
    assert "Stored, encrypted" in smt.get_by_role("status").inner_text()
    assert "First-Password-123!" not in smt.content()
    smt.get_by_role("link", name="Reveal").click()
    smt.get_by_label("Why do you need it?").fill("Give it to Ben to post the open day")
    smt.get_by_role("button", name="Reveal").click()
    assert smt.locator("#revealed").inner_text() == "First-Password-123!"
    assert (
        AuditEvent.objects.get(action="vault.secret_revealed").after["reason"]
        == "Give it to Ben to post the open day"
    )

    # Ben, the lead, is also in SMT and reveals the password himself; then his leave date is set.
    account = OrgAccount.objects.get()
    tutor = published["tutor"]
    tutor.user.role_assignments.create(role="smt")
    tutor.user.forget_roles()
    from socialguard.accounts.vault import secret_reveal

    secret_reveal(
        actor=tutor.user, secret=account.secrets.get(), reason="posting on the day", reauthenticated=True
    )
    tutor.leave_date = timezone.localdate() + dt.timedelta(days=14)
    tutor.save()
    leavers_scan()  # the daily job
    smt.goto("/")
    smt.get_by_role("link", name="Ben Tutor is leaving: hand over @dmm_learners on Instagram").click()
    task = smt.locator("section[id^=leaver-]").inner_text()
    assert (
        "✘ Lead transferred to a runner who is staying" in task and "✘ Change the password they saw" in task
    )

    smt.get_by_label("Person to add").select_option(label="Ada Boss")
    smt.get_by_role("button", name="Add runner").click()
    assert "Ada Boss now runs the account" in smt.get_by_role("status").inner_text()
    smt.get_by_label("New lead").select_option(label="Ada Boss")
    smt.get_by_role("button", name="Make lead").click()
    assert "Ada Boss is now the lead" in smt.get_by_role("status").inner_text()
    smt.get_by_label("Kind").select_option("password")
    smt.get_by_label("Secret").fill("Second-Password-456!")
    smt.get_by_role("button", name="Store encrypted").click()
    assert "Stored, encrypted" in smt.get_by_role("status").inner_text()  # the redirected page
    assert "done" in smt.locator("section[id^=leaver-]").inner_text()
