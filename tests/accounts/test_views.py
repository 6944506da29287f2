"""Proposal, registry and vault pages: the reveal needs SMT, a reason and a fresh authenticator
code; the auditor sees that a reveal happened but never the secret."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.accounts import vault
from socialguard.accounts.models import OrgAccount, Proposal
from socialguard.audit.models import AuditEvent
from socialguard.identity.roles import Role
from socialguard.people.models import Organisation
from tests.conftest import sign_in, totp_code

SECRET = "Correct-Horse-Battery-42!"


@pytest.fixture
def account(db: Any) -> OrgAccount:
    return OrgAccount.objects.create(
        platform="linkedin", handle="dmm-careers", login_email="careers@dmm.example"
    )


def test_reveal_needs_a_reason_and_a_fresh_code(account: OrgAccount, make_user: Any, client: Client) -> None:
    smt = make_user(Role.SMT)
    secret = vault.secret_store(actor=smt, account=account, kind="password", value=SECRET)
    sign_in(client, smt)
    url = f"/accounts/secrets/{secret.pk}/reveal/"
    page = client.post(url, {"reason": "Posting the open day", "code": ""}).content.decode()
    assert SECRET not in page and "confirm your authenticator code" in page.lower()
    page = client.post(url, {"reason": "Posting the open day", "code": "000000"}).content.decode()
    assert SECRET not in page and "That code is not right" in page
    device = TOTPDevice.objects.get(user=smt)
    device.throttle_reset()  # django-otp makes a person wait after a wrong code; we do not wait here
    response = client.post(url, {"reason": "Posting the open day", "code": totp_code(device)})
    assert SECRET in response.content.decode() and "no-store" in response["Cache-Control"]
    # Within the re-authentication window a second reveal needs only the reason.
    assert SECRET in client.post(url, {"reason": "Checking it again", "code": ""}).content.decode()
    assert AuditEvent.objects.filter(action="vault.secret_revealed").count() == 2


def test_auditor_sees_the_reveal_event_not_the_secret(account: OrgAccount, make_user: Any) -> None:
    smt = make_user(Role.SMT)
    secret = vault.secret_store(actor=smt, account=account, kind="password", value=SECRET)
    vault.secret_reveal(actor=smt, secret=secret, reason="Posting the open day", reauthenticated=True)
    auditor = sign_in(Client(), make_user(Role.AUDITOR))
    trail = auditor.get("/audit/?action=vault.secret_revealed").content.decode()
    assert "Posting the open day" in trail and SECRET not in trail
    assert auditor.get(f"/accounts/{account.pk}/").status_code == 200
    assert auditor.get(f"/accounts/secrets/{secret.pk}/reveal/").status_code == 403
    assert SECRET not in auditor.get(f"/accounts/{account.pk}/").content.decode()
    staff = sign_in(Client(), make_user(Role.STAFF))
    assert staff.post(f"/accounts/secrets/{secret.pk}/reveal/", {"reason": "x" * 20}).status_code == 403


def test_staff_propose_through_the_form(published: dict[str, Any], client: Client) -> None:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    sign_in(client, published["boss"].user)
    response = client.post(
        "/accounts/proposals/new/",
        {
            "platform": "instagram",
            "handle": "@dmm",
            "aim": "a",
            "audience": "b",
            "promotion": "c",
            "runners": [published["tutor"].pk],
            "lead": published["tutor"].pk,
            "two_factor": "on",
            "visibility": "open",
        },
    )
    assert "Name at least two staff members" in response.content.decode()
    response = client.post(
        "/accounts/proposals/new/",
        {
            "platform": "instagram",
            "handle": "@dmm",
            "aim": "a",
            "audience": "b",
            "promotion": "c",
            "runners": [published["tutor"].pk, published["volunteer"].pk],
            "lead": published["tutor"].pk,
            "two_factor": "on",
            "visibility": "open",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/accounts/proposals/{proposal.pk}/"
    assert client.get(response["Location"]).status_code == 200
    outsider = sign_in(Client(), published["qd"])  # not involved, but may see the registry
    assert outsider.get(response["Location"]).status_code == 200


def test_proposals_are_visible_to_the_people_named_and_the_registry_readers(
    published: dict[str, Any], make_user: Any
) -> None:
    from socialguard.accounts import services

    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    proposal = services.proposal_submit(
        actor=published["boss"].user,
        values={
            "platform": "x",
            "handle": "@dmm",
            "aim": "a",
            "audience": "b",
            "promotion": "c",
            "two_factor": True,
            "visibility": "open",
        },
        runners=[
            services.RunnerChoice(published["tutor"], True),
            services.RunnerChoice(published["volunteer"], False),
        ],
    )
    url = f"/accounts/proposals/{proposal.pk}/"
    assert sign_in(Client(), published["tutor"].user).get(url).status_code == 200
    auditor_page = sign_in(Client(), make_user(Role.AUDITOR)).get(url)
    assert auditor_page.status_code == 200 and "Add comment" not in auditor_page.content.decode()
    assert sign_in(Client(), make_user(Role.STAFF)).get(url).status_code == 404
    assert sign_in(Client(), make_user(Role.DSL)).get(url).status_code == 404


def test_smt_find_the_closure_form_on_the_account_page(account: OrgAccount, make_user: Any) -> None:
    """The form used to sit inside the page's <title> (shown as text, CSRF token and all)."""
    page = sign_in(Client(), make_user(Role.SMT)).get(f"/accounts/{account.pk}/").content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert "form" not in title and "csrf" not in title
    body = page[page.index("<main") :]
    assert f'action="/accounts/{account.pk}/close/"' in body and "Record closure" in body
