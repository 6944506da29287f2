"""An authenticator is replaced only with a fresh code from it, or after an SMT reset; the person
is emailed and SMT see the change on their home page. A password alone never replaces it."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.audit.models import AuditEvent
from socialguard.identity import reauth, services
from socialguard.identity.models import User
from socialguard.identity.roles import Role
from tests.conftest import PASSWORD, sign_in, totp_code
from tests.smtp import Inbox, smtp_server

SETUP, VERIFY = "/account/two-factor/setup/", "/account/two-factor/verify/"


@pytest.fixture
def inbox(settings: LazySettings) -> Iterator[Inbox]:
    with smtp_server() as (received, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield received


def _password_only(email: str) -> Client:
    client = Client()
    assert client.post("/account/sign-in/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


def _enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _run_worker() -> None:
    """A real task worker delivers what the services queued (the emails)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_password_alone_cannot_replace_an_authenticator(make_user: Any) -> None:
    deputy = make_user(Role.DEPUTY_DSL, email="deputy@dmm.example")
    phone = _enrolled(deputy)
    attacker = _password_only("deputy@dmm.example")

    page = attacker.get(SETUP)
    assert page.status_code == 302 and page["Location"] == VERIFY
    assert not TOTPDevice.objects.filter(user=deputy, confirmed=False).exists()  # no new key shown
    # Even a key the attacker got hold of (an enrolment started earlier) cannot be confirmed.
    spare = TOTPDevice.objects.create(user=deputy, name="spare", confirmed=False)
    refused = attacker.post(SETUP, {"code": totp_code(spare)})
    assert refused.status_code == 302 and refused["Location"] == VERIFY
    assert list(TOTPDevice.objects.filter(user=deputy, confirmed=True)) == [phone]
    assert attacker.get("/incidents/")["Location"].startswith(VERIFY)
    assert reauth.SESSION_KEY not in attacker.session
    assert not AuditEvent.objects.filter(action="user.two_factor_enrolled").exists()


def test_a_key_shown_to_someone_else_is_never_the_one_confirmed(make_user: Any) -> None:
    smt = make_user(Role.SMT, email="new.boss@dmm.example")  # not enrolled yet
    attacker = _password_only("new.boss@dmm.example")
    seen = attacker.get(SETUP).context["secret"]
    owner = _password_only("new.boss@dmm.example")
    shown = owner.get(SETUP).context["secret"]
    assert shown != seen
    device = TOTPDevice.objects.get(user=smt, confirmed=False)
    assert owner.post(SETUP, {"code": totp_code(device)})["Location"] == "/"
    # Now enrolled, the owner's authenticator is asked for; setup is closed to a password alone.
    assert attacker.post(SETUP, {"code": totp_code(device)})["Location"] == VERIFY
    assert TOTPDevice.objects.get(user=smt, confirmed=True).pk == device.pk


def test_a_restarted_set_up_refuses_the_old_pages_code(make_user: Any) -> None:
    make_user(Role.SMT, email="new.boss@dmm.example")
    first, second = _password_only("new.boss@dmm.example"), _password_only("new.boss@dmm.example")
    first.get(SETUP)
    second.get(SETUP)  # starting again elsewhere removes the first page's key
    stale = first.post(SETUP, {"code": "123456"})
    assert stale.status_code == 200 and "started again elsewhere" in stale.content.decode()


def test_the_service_refuses_a_replacement_without_a_fresh_code(make_user: Any) -> None:
    smt = make_user(Role.SMT)
    phone = _enrolled(smt)
    new = services.totp_device_start(user=smt)
    with pytest.raises(PermissionDenied, match="already have an authenticator"):
        services.totp_device_confirm(user=smt, device=new, second_factor_fresh=False)
    assert list(TOTPDevice.objects.filter(user=smt, confirmed=True)) == [phone]


def test_staff_who_set_up_an_authenticator_are_asked_for_it(make_user: Any) -> None:
    tutor = make_user(Role.STAFF, email="tutor@dmm.example")
    _enrolled(tutor)
    client = _password_only("tutor@dmm.example")
    assert client.get("/")["Location"] == VERIFY
    assert client.get(SETUP)["Location"] == VERIFY


@pytest.mark.django_db(transaction=True)  # the email is queued when the enrolment commits
def test_first_enrolment_is_emailed_and_is_not_a_fresh_second_factor(make_user: Any, inbox: Inbox) -> None:
    dsl = make_user(Role.DSL, email="dsl@dmm.example", name="Dee Lead")
    client = _password_only("dsl@dmm.example")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=dsl, confirmed=False)
    done = client.post(SETUP, {"code": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    # Enrolling proves only the password: a vault reveal must still ask for a code.
    assert reauth.SESSION_KEY not in client.session

    _run_worker()
    (message,) = inbox.messages
    assert message["To"] == "dsl@dmm.example"
    assert "authenticator was set up" in message["Subject"]
    assert "Tell the senior management team" in inbox.body()
    assert device.config_url not in message.as_string()


@pytest.mark.django_db(transaction=True)
def test_replacing_needs_a_fresh_code_and_is_emailed_and_shown_to_smt(make_user: Any, inbox: Inbox) -> None:
    boss = make_user(Role.SMT, email="boss@dmm.example", name="Bo Boss")
    client = sign_in(Client(), boss)  # verified at sign-in, but not within REAUTH_SECONDS here
    old = TOTPDevice.objects.get(user=boss)

    asked = client.get(SETUP)
    assert (
        asked.status_code == 302 and asked["Location"] == f"{VERIFY}?next=%2Faccount%2Ftwo-factor%2Fsetup%2F"
    )
    back = client.post(asked["Location"], {"code": totp_code(old)})
    assert back.status_code == 302 and back["Location"] == SETUP
    page = client.get(SETUP)
    assert "codes from the old one stop working" in page.content.decode()
    new = TOTPDevice.objects.get(user=boss, confirmed=False)
    assert client.post(SETUP, {"code": totp_code(new)})["Location"] == "/"
    assert list(TOTPDevice.objects.filter(user=boss)) == [new] and TOTPDevice.objects.get(pk=new.pk).confirmed
    event = AuditEvent.objects.get(action="user.two_factor_enrolled", actor=boss)
    assert event.after == {"replaced": 1}

    _run_worker()
    (message,) = inbox.messages
    assert message["To"] == "boss@dmm.example" and "replaced" in message["Subject"]

    colleague = sign_in(Client(), make_user(Role.SMT))
    home = colleague.get("/").content.decode()
    assert "Bo Boss replaced their authenticator" in home
    own = client.get("/").content.decode()  # told as their own change, not "If they did not…"
    assert "You replaced your authenticator" in own and "If they did not" not in own
    assert f"/people/sign-ins/{boss.pk}/" in home
    staff_home = sign_in(Client(), make_user(Role.STAFF)).get("/").content.decode()
    assert "Bo Boss" not in staff_home


@pytest.mark.django_db(transaction=True)
def test_after_an_smt_reset_the_person_enrols_again_and_is_told(make_user: Any, inbox: Inbox) -> None:
    deputy = make_user(Role.DEPUTY_DSL, email="deputy@dmm.example", name="Dev Deputy")
    _enrolled(deputy)
    smt_user = make_user(Role.SMT, name="Sam Senior")
    smt = sign_in(Client(), smt_user)
    assert smt.post(f"/people/sign-ins/{deputy.pk}/reset-two-factor/").status_code == 302
    assert not TOTPDevice.objects.filter(user=deputy).exists()

    client = _password_only("deputy@dmm.example")
    assert client.get(SETUP).status_code == 200  # the reset made this a first enrolment

    _run_worker()
    (message,) = inbox.messages
    assert message["To"] == "deputy@dmm.example" and "removed" in message["Subject"]
    # The one who reset it reads it as their own act; another member of SMT reads who did it.
    assert "You reset Dev Deputy's authenticator" in html.unescape(smt.get("/").content.decode())
    other = sign_in(Client(), make_user(Role.SMT))
    assert "Sam Senior reset Dev Deputy's authenticator" in html.unescape(other.get("/").content.decode())


def test_nobody_resets_their_own_authenticator(make_user: Any) -> None:
    smt = make_user(Role.SMT)
    _enrolled(smt)
    with pytest.raises(PermissionDenied, match="another member"):
        services.totp_reset(actor=smt, user=smt)
    staff = make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        services.totp_reset(actor=staff, user=smt)
    assert TOTPDevice.objects.filter(user=smt).exists()
