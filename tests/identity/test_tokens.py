"""A password change revokes the person's API tokens, whichever way the password changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.conf import LazySettings
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.identity.models import ApiToken, User
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from tests.conftest import PASSWORD, sign_in
from tests.smtp import smtp_server
from tests.worker import run_due_tasks

NEW = "a different long passphrase 42"


def _api(secret: str) -> int:
    return Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def _with_tokens(make_user: Any) -> tuple[User, list[str]]:
    user: User = make_user(Role.STAFF, email="tutor@dmm.example")
    secrets = [token_create(user=user, name=name, scope="read").secret for name in ("laptop", "script")]
    assert all(_api(s) == 200 for s in secrets)
    return user, secrets


def _revoked_for(user: User, how: str) -> None:
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    events = AuditEvent.objects.filter(action="api_token.revoked", after__reason="password changed")
    assert events.count() == 2
    assert AuditEvent.objects.filter(action="user.password_changed", after__how=how).exists()


def test_changing_ones_password_revokes_ones_tokens(make_user: Any) -> None:
    user, secrets = _with_tokens(make_user)
    someone_else = token_create(user=make_user(Role.STAFF), name="theirs", scope="read").secret
    client = sign_in(Client(), user)
    page = client.get("/account/password/").content.decode()
    assert "revokes your API tokens" in page
    done = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Your 2 API tokens were revoked" in done.content.decode()
    assert [_api(s) for s in secrets] == [401, 401]
    assert _api(someone_else) == 200
    _revoked_for(user, "changed by the person")
    assert (
        "Changing or resetting your password revokes them all"
        in client.get("/account/tokens/").content.decode()
    )


@pytest.mark.django_db
def test_a_password_reset_by_email_revokes_tokens(
    make_user: Any, settings: LazySettings, django_capture_on_commit_callbacks: Any
) -> None:
    user, secrets = _with_tokens(make_user)
    client = Client()
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/account/password-reset/", {"email": "tutor@dmm.example"})
        run_due_tasks()
    link = re.search(r"http://testserver(/account/password-reset/\S+/\S+/)", inbox.body())
    assert link is not None
    form = client.get(link.group(1), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert [_api(s) for s in secrets] == [401, 401]
    _revoked_for(user, "reset by email")


def test_setting_a_password_from_the_command_line_revokes_tokens(make_user: Any) -> None:
    user, secrets = _with_tokens(make_user)
    result = CliRunner().invoke(
        main, ["setpassword", "--email", "Tutor@DMM.example", "--password-stdin"], input=NEW + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "2 API token(s) revoked" in result.output
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert [_api(s) for s in secrets] == [401, 401]
    _revoked_for(user, "set by an administrator")


def test_setpassword_refuses_a_weak_password_and_an_unknown_address(make_user: Any) -> None:
    user, secrets = _with_tokens(make_user)
    weak = CliRunner().invoke(
        main, ["setpassword", "--email", user.email, "--password-stdin"], input="short\n"
    )
    assert weak.exit_code == 1 and "too short" in weak.output
    unknown = CliRunner().invoke(main, ["setpassword", "--email", "nobody@dmm.example", "--password-stdin"])
    assert unknown.exit_code == 1 and "no sign-in for nobody@dmm.example" in unknown.output
    assert all(_api(s) == 200 for s in secrets)


def test_djangos_changepassword_points_to_setpassword() -> None:
    result = CliRunner().invoke(main, ["manage", "changepassword", "tutor@dmm.example"])
    assert result.exit_code == 1 and "socialguard setpassword" in result.output


def test_the_page_says_tokens_are_for_the_api_not_the_command_line_tool(
    client_for: Callable[..., Client],
) -> None:
    page = client_for(Role.STAFF).get("/account/tokens/").content.decode()
    assert "use socialguard's API as you" in page and "REST API at <code>/api/v1/</code>" in page
    assert "Tokens let the <code>socialguard</code> command-line tool" not in page
    # Staff never run the server's command-line tool: its --as option is not theirs to read about.
    # Checked in the words shown, not the markup: a random CSRF token may well contain "CLI".
    shown = re.sub(r"<[^>]+>", " ", page)
    assert "--as" not in shown and "command-line" not in shown and not re.search(r"\bCLI\b", shown)
    for role in (Role.DSL, Role.QUALITY_DIRECTOR, Role.AUDITOR):
        assert "--as" not in client_for(role).get("/account/tokens/").content.decode(), role
    # Those who manage sign-ins (SMT), who may also run the server, are told how the tool acts.
    smt = client_for(Role.SMT).get("/account/tokens/").content.decode()
    assert (
        "command-line tool on the server: it does not use tokens" in smt and "<code>--as EMAIL</code>" in smt
    )


def test_a_role_added_revokes_tokens_made_before_it_and_a_role_removed_does_not(make_user: Any) -> None:
    """A staff member's token (made with a password alone) read restricted safeguarding cases once
    SMT made its owner DSL, while the web asked them for a second factor first."""
    from socialguard.identity.services import user_set_roles

    smt = make_user(Role.SMT)
    user, secrets = _with_tokens(make_user)
    user_set_roles(actor=smt, user=user, roles=[Role.STAFF, Role.DSL])
    assert [_api(s) for s in secrets] == [401, 401]
    assert AuditEvent.objects.filter(action="api_token.revoked", after__reason="role added").count() == 2

    kept = token_create(user=user, name="after", scope="read").secret
    user_set_roles(actor=smt, user=user, roles=[Role.STAFF])
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    assert _api(kept) == 200


def test_deactivating_a_sign_in_revokes_its_tokens_so_reactivating_does_not_bring_them_back(
    make_user: Any,
) -> None:
    from socialguard.identity.services import user_set_active

    smt = make_user(Role.SMT)
    user, secrets = _with_tokens(make_user)
    user_set_active(actor=smt, user=user, active=False)
    user_set_active(actor=smt, user=user, active=True)
    assert [_api(s) for s in secrets] == [401, 401]
    revoked = AuditEvent.objects.filter(action="api_token.revoked", after__reason="sign-in deactivated")
    assert revoked.count() == 2


def test_the_roles_page_says_how_many_tokens_adding_a_role_revoked(make_user: Any) -> None:
    smt = make_user(Role.SMT)
    user, secrets = _with_tokens(make_user)
    client = sign_in(Client(), smt)
    page = client.get(f"/people/sign-ins/{user.pk}/").content.decode()
    assert "revokes their API tokens" in page
    done = client.post(
        f"/people/sign-ins/{user.pk}/", {"roles": ["staff", "dsl"], "active": "on"}, follow=True
    )
    assert "Their 2 API tokens were revoked" in done.content.decode()
    assert [_api(s) for s in secrets] == [401, 401]
