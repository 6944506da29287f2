"""Email is sent by the worker, never inside a request: a page that causes mail answers at once with
the SMTP server stopped, and the mail goes out, retried, once the server is back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import LazySettings
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard import mail
from socialguard.identity.roles import Role
from socialguard.incidents.models import Case
from tests.conftest import sign_in
from tests.smtp import Inbox, free_port
from tests.worker import run_due_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def stopped_smtp(settings: LazySettings) -> int:
    """The configured SMTP server's port, with nothing listening on it yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return port


@contextmanager
def smtp_back_on(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def _a_minute_later(task_path: str) -> None:
    pending = DBTaskResult.objects.ready().filter(task_path=task_path)
    assert not pending.exists()  # not due yet: it waits for its back-off
    scheduled = DBTaskResult.objects.filter(task_path=task_path, status="READY")
    assert scheduled.count() == 1
    (row,) = scheduled
    assert (
        timezone.now() + dt.timedelta(seconds=50) < row.run_after < timezone.now() + dt.timedelta(minutes=2)
    )
    scheduled.update(run_after=timezone.now())


def test_a_report_is_taken_with_the_smtp_server_stopped_and_its_mail_goes_out_when_it_returns(
    team: dict[str, Any], stopped_smtp: int, django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in(Client(), team["tutor"].user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cases/report/",
            {"category": "offensive", "summary": "A rude reply", "party_name": [""], "party_role": [""]},
        )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    queued = DBTaskResult.objects.filter(task_path="socialguard.mail.deliver_email")
    recipients = sorted(row.args_kwargs["kwargs"]["to"] for row in queued)
    assert "smt@dmm.example" in recipients and "tutor@dmm.example" not in recipients

    assert set(run_due_tasks()) == {"will retry"}  # the worker finds the server down
    retries = DBTaskResult.objects.filter(task_path="socialguard.mail.deliver_email", status="READY")
    assert sorted(row.args_kwargs["kwargs"]["to"] for row in retries) == recipients
    assert {row.args_kwargs["kwargs"]["attempt"] for row in retries} == {2}
    assert not DBTaskResult.objects.ready().exists()  # each waits for its back-off

    retries.update(run_after=timezone.now())  # a minute later, the server is back
    with smtp_back_on(stopped_smtp) as inbox:
        assert set(run_due_tasks()) == {"sent"}
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == recipients
    assert all(case.reference in m.as_string() for m in inbox.messages)


def test_a_password_reset_waits_for_the_server_without_storing_its_link(
    make_user: Any, stopped_smtp: int, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user(Role.STAFF, email="tutor@dmm.example")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/account/password-reset/", {"email": "tutor@dmm.example"}).status_code == 302
    assert run_due_tasks() == ["will retry"]
    _a_minute_later("socialguard.identity.tasks.send_password_reset")
    stored = str(list(DBTaskResult.objects.values_list("args_kwargs", "return_value")))
    assert "password-reset/" not in stored  # the one-time link is made when the mail is sent
    with smtp_back_on(stopped_smtp) as inbox:
        assert run_due_tasks() == ["sent"]
    (message,) = inbox.messages
    link = re.search(r"http://testserver(/account/password-reset/\S+/\S+/)", inbox.body())
    assert message["X-Envelope-To"] == user.email and link is not None
    assert "Choose a new password" in client.get(link.group(1), follow=True).content.decode()


def test_delivery_is_given_up_after_a_day_of_tries(
    stopped_smtp: int, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        mail.email_after_commit(subject="socialguard: test", body="Hello", to=["someone@dmm.example", ""])
    assert DBTaskResult.objects.count() == 1  # blank addresses are dropped
    results = []
    for _ in range(len(mail.RETRY_AFTER_MINUTES) + 1):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        results += run_due_tasks()
    assert results == ["will retry"] * len(mail.RETRY_AFTER_MINUTES) + ["given up"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert sum(mail.RETRY_AFTER_MINUTES) >= 16 * 60
    assert "someone@dmm.example" not in caplog.text  # addresses stay out of the log
    assert "given up after 7 attempts" in caplog.text
