"""Email + password sign-in (Argon2), lockout, password reset by email over real SMTP."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django_tasks_db.models import DBTaskResult

from socialguard.audit.models import AuditEvent
from socialguard.identity.models import User
from socialguard.identity.roles import Role
from tests.conftest import PASSWORD
from tests.smtp import smtp_server
from tests.worker import run_due_tasks


def _sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/account/sign-in/", {"username": email, "password": password})


def test_password_is_stored_with_argon2(make_user: Any) -> None:
    user = make_user(Role.STAFF)
    assert user.password.startswith("argon2$argon2id$")


def test_staff_member_signs_in_and_reaches_home(client: Client, make_user: Any) -> None:
    user = make_user(Role.STAFF, email="tutor@dmm.example")
    response = _sign_in(client, "Tutor@DMM.example", PASSWORD)  # email is case-insensitive
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "What to do next" in home.content.decode()
    assert AuditEvent.objects.filter(action="user.signed_in", actor=user).exists()


def test_wrong_password_says_so_without_saying_which(client: Client, make_user: Any) -> None:
    make_user(Role.STAFF, email="tutor@dmm.example")
    response = _sign_in(client, "tutor@dmm.example", "wrong password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_lockout_after_repeated_failures(client: Client, make_user: Any, settings: Any) -> None:
    make_user(Role.STAFF, email="tutor@dmm.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "tutor@dmm.example", "wrong password")
    locked = _sign_in(client, "tutor@dmm.example", PASSWORD)  # even the right password now waits
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(action="user.locked_out").exists()


def test_lockout_is_per_account(client: Client, make_user: Any, settings: Any) -> None:
    make_user(Role.STAFF, email="a@dmm.example")
    make_user(Role.STAFF, email="b@dmm.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "a@dmm.example", "wrong password")
    assert _sign_in(client, "b@dmm.example", PASSWORD).status_code == 302


def test_withdrawn_sign_in_cannot_sign_in(client: Client, make_user: Any) -> None:
    user = make_user(Role.STAFF, email="gone@dmm.example")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _sign_in(client, "gone@dmm.example", PASSWORD).status_code == 200
    assert client.get("/").status_code == 302


def test_a_leavers_session_ends_on_their_leave_date_before_the_daily_scan_runs(
    client: Client, register: dict[str, Any], make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A leave date saved in advance comes while the daily leavers scan has not run: the open
    session ended only at the scan, though the API already refused the leaver's tokens."""
    import datetime as dt

    from django.utils import timezone

    from socialguard.people.models import StaffMember

    user = make_user(Role.STAFF, email="leaving@dmm.example")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    StaffMember.objects.filter(pk=register["tutor"].pk).update(user=user, leave_date=tomorrow)
    assert _sign_in(client, "leaving@dmm.example", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    # The day comes (written around the services, as the calendar would: no scan, no withdrawal).
    StaffMember.objects.filter(pk=register["tutor"].pk).update(leave_date=timezone.localdate())
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/account/sign-in/")
    assert _sign_in(Client(), "leaving@dmm.example", PASSWORD).status_code == 200  # refused
    user.refresh_from_db()
    assert user.is_active  # the scan withdraws it (and audits that); sign-in is refused until then
    make_user(Role.SMT, email="no.record@dmm.example")  # no staff record: no leave date
    # Nor does a password reset reach them: no link is sent, whether asked for today or before.
    from socialguard.identity.tasks import send_password_reset

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/account/password-reset/", {"email": "Leaving@dmm.example"})
        Client().post("/account/password-reset/", {"email": "no.record@dmm.example"})  # the peer
    sent_to = [t.args_kwargs["kwargs"]["user_id"] for t in DBTaskResult.objects.all()]
    assert sent_to == [User.objects.get(email="no.record@dmm.example").pk]
    assert send_password_reset.call(user_id=user.pk, site="http://testserver") == "no one to send to"
    # A link sent the day before opens nothing now.
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    link = Client().get(f"/account/password-reset/{uid}/{token}/", follow=True)
    assert (
        "This link has expired" in link.content.decode()
        and 'name="new_password1"' not in link.content.decode()
    )
    # Nor do they act through the command line.
    from click.testing import CliRunner

    from socialguard.cli import main

    refused = CliRunner().invoke(main, ["cases", "list", "--as", "leaving@dmm.example"])
    assert refused.exit_code == 2 and "no active sign-in" in refused.output
    peer = CliRunner().invoke(main, ["cases", "list", "--as", "no.record@dmm.example"])
    assert peer.exit_code == 0, peer.output
    # Someone with no staff record, or no leave date, signs in as before.
    assert _sign_in(Client(), "no.record@dmm.example", PASSWORD).status_code == 302


def test_session_cookie_is_http_only(client: Client, make_user: Any) -> None:
    make_user(Role.STAFF, email="tutor@dmm.example")
    response = _sign_in(client, "tutor@dmm.example", PASSWORD)
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


@pytest.mark.django_db
def test_password_reset_by_email_over_smtp(
    client: Client, make_user: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user(Role.STAFF, email="tutor@dmm.example")
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/account/password-reset/", {"email": "tutor@dmm.example"})
            assert response.status_code == 302
            # An unknown address gets the same answer and no email.
            client.post("/account/password-reset/", {"email": "stranger@dmm.example"})
        # The worker writes and sends it; the one-time link is never stored with the task.
        (task,) = DBTaskResult.objects.all()
        assert task.args_kwargs["kwargs"] == {"user_id": user.pk, "site": "http://testserver"}
        assert run_due_tasks() == ["sent"]
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["X-Envelope-To"] == "tutor@dmm.example"
    link = re.search(r"http://\S+/account/password-reset/\S+/\S+/", inbox.body())
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "a different long passphrase 42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert AuditEvent.objects.filter(action="user.password_changed", actor=user).exists()
    # The password itself never reaches the audit trail.
    assert not AuditEvent.objects.filter(after__icontains="passphrase").exists()


@pytest.mark.django_db
def test_a_sign_in_created_on_the_web_sets_its_password_by_email(
    client_for: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    smt = client_for(Role.SMT)
    created = smt.post(
        "/people/sign-ins/",
        {"email": "New.Starter@DMM.example", "full_name": "Nia Starter", "roles": ["staff"]},
    )
    assert created.status_code == 302
    user = User.objects.get(email="new.starter@dmm.example")
    assert not user.check_password("")  # nobody knows the password it was given
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/account/password-reset/", {"email": "new.starter@dmm.example"})
        run_due_tasks()
    assert len(inbox.messages) == 1 and inbox.messages[0]["X-Envelope-To"] == "new.starter@dmm.example"
    link = re.search(r"http://testserver(/account/password-reset/\S+/\S+/)", inbox.body())
    assert link is not None
    form = client.get(link.group(1), follow=True)
    new = "my own long passphrase 7"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _sign_in(Client(), "new.starter@dmm.example", new).status_code == 302


def test_sign_ins_left_without_a_usable_password_get_one_nobody_knows(make_user: Any) -> None:
    migration = importlib.import_module("socialguard.identity.migrations.0004_usable_passwords")
    user = make_user(Role.STAFF)
    user.set_unusable_password()
    user.save()
    migration.make_usable(apps, None)
    user.refresh_from_db()
    assert user.has_usable_password() and not user.check_password(PASSWORD)


def test_the_home_page_lists_roles_in_the_products_order(client: Client, make_user: Any) -> None:
    """Not in a set's order, which changes from one server process to the next."""
    from tests.conftest import sign_in

    user = make_user(Role.STAFF, Role.DEPUTY_DSL, Role.SMT, Role.QUALITY_DIRECTOR)
    page = sign_in(client, user).get("/").content.decode()
    section = page[page.index("<h2>Your roles</h2>") :]
    shown = re.findall(r'<span class="tag">([^<]+)</span>', section)[:4]
    assert shown == ["Quality Director", "Senior Management Team", "Deputy Safeguarding Lead", "Staff"]
    assert user.roles_in_order == [Role.QUALITY_DIRECTOR, Role.SMT, Role.DEPUTY_DSL, Role.STAFF]
