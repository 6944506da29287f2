"""A sign-in belongs to the staff record with its email. Outside the demo nothing linked them (the
pages said "ask SMT to link it", and no page, API or command could), so a leaver's leave date
never ended their sign-in (identity.backends refuses only a sign-in whose staff record has left),
and nobody could declare, run an account or check their connections. Now a sign-in created for a
staff member's email, or a staff record saved or imported with a sign-in's email, is linked,
audited; an email two staff records share, or a sign-in already linked, is left alone, and so is a
leaver's record where the link would only end someone else's access: a sign-in made after the
leave date (an address re-used for a new starter), or one holding a role HR data must not end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.identity.backends import has_left
from socialguard.identity.models import User
from socialguard.identity.roles import Role
from socialguard.identity.services import user_create
from socialguard.people.models import StaffMember
from socialguard.people.services import people_import, person_save
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

HEADER = b"external_id,first_name,last_name,email,employment_type,leave_date\n"


def _import(rows: bytes) -> Any:
    return people_import(actor=None, kind="staff", data=HEADER + rows, filename="hr.csv")


def test_a_sign_in_made_for_a_staff_members_email_is_theirs_and_their_leave_date_ends_it(
    make_user: Any,
) -> None:
    _import(b"Z1,Zoe,Leaver,zoe@dmm.example,employee,\n")
    smt = sign_in(Client(), make_user(Role.SMT, email="smt-link@dmm.example"))
    response = smt.post(
        "/people/sign-ins/", {"email": "Zoe@DMM.example", "full_name": "Zoe Leaver", "roles": ["staff"]}
    )
    assert response.status_code == 302
    zoe = User.objects.get(email="zoe@dmm.example")
    assert StaffMember.objects.get(external_id="Z1").user == zoe
    event = AuditEvent.objects.get(action="staff.sign_in_linked")
    assert event.object_id == str(StaffMember.objects.get(external_id="Z1").pk)
    assert event.after == {"sign_in": "zoe@dmm.example"}
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _import(f"Z1,Zoe,Leaver,zoe@dmm.example,employee,{yesterday.isoformat()}\n".encode())
    zoe.refresh_from_db()
    assert has_left(zoe) and not zoe.is_active


def test_a_staff_record_saved_after_the_sign_in_is_linked_and_a_past_leave_date_ends_it_at_once(
    db: Any,
) -> None:
    ada = user_create(actor=None, email="ada@dmm.example", full_name="Ada", password=None)
    ben = user_create(actor=None, email="ben@dmm.example", full_name="Ben", password=None)
    User.objects.filter(pk=ben.pk).update(date_joined=dt.datetime(2019, 9, 1, tzinfo=dt.UTC))  # before 2020
    _import(b"E1,Ada,Lovelace,ADA@dmm.example,employee,\n")
    assert StaffMember.objects.get(external_id="E1").user == ada
    person_save(
        actor=None, kind="staff",
        raw={"external_id": "E2", "first_name": "Ben", "last_name": "Okri", "employment_type": "employee",
             "email": "ben@dmm.example", "leave_date": "2020-01-31"},
    )  # fmt: skip
    assert StaffMember.objects.get(external_id="E2").user == ben
    ben.refresh_from_db()
    assert not ben.is_active


def test_an_email_two_records_share_or_a_sign_in_already_linked_is_left_alone(db: Any) -> None:
    cy = user_create(actor=None, email="cy@dmm.example", full_name="Cy", password=None)
    _import(b"E1,Cy,One,cy@dmm.example,employee,\n")
    assert StaffMember.objects.get(external_id="E1").user == cy
    StaffMember.objects.create(external_id="E9", first_name="Cy", last_name="Two", email="cy@dmm.example")
    person_save(
        actor=None,
        kind="staff",
        raw={"job_title": "Tutor"},
        instance=StaffMember.objects.get(external_id="E9"),
    )
    assert StaffMember.objects.get(external_id="E9").user is None  # cy's sign-in stays E1's
    StaffMember.objects.create(external_id="D1", first_name="Di", last_name="A", email="di@dmm.example")
    StaffMember.objects.create(external_id="D2", first_name="Di", last_name="B", email="di@dmm.example")
    user_create(actor=None, email="di@dmm.example", full_name="Di", password=None)
    result = CliRunner().invoke(
        main, ["createuser", "--email", "eve@dmm.example", "--name", "Eve", "--password-stdin"],
        input="a-long-and-strong-passphrase-2026\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not StaffMember.objects.filter(email="di@dmm.example", user__isnull=False).exists()
    assert AuditEvent.objects.filter(action="staff.sign_in_linked").count() == 1


def test_the_command_line_links_a_sign_in_it_creates(db: Any) -> None:
    _import(b"E1,Eve,Example,eve@dmm.example,employee,\n")
    result = CliRunner().invoke(
        main, ["createuser", "--email", "Eve@dmm.example", "--name", "Eve", "--password-stdin"],
        input="a-long-and-strong-passphrase-2026\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert StaffMember.objects.get(external_id="E1").user == User.objects.get(email="eve@dmm.example")


def test_importing_the_same_file_again_links_records_saved_before_sign_ins_were_linked(db: Any) -> None:
    _import(b"E1,Fay,Before,fay@dmm.example,employee,\n")
    fay = user_create(actor=None, email="fay@dmm.example", full_name="Fay", password=None)
    StaffMember.objects.filter(external_id="E1").update(user=None)  # as a deployment before the link
    result = _import(b"E1,Fay,Before,fay@dmm.example,employee,\n")
    assert result.unchanged == 1
    assert StaffMember.objects.get(external_id="E1").user == fay


def test_an_address_re_used_for_a_new_starter_is_not_linked_to_the_leaver_who_had_it(
    make_user: Any,
) -> None:
    """John Smith left in 2024 and HR keeps his row; Jane Smith starts with the same address. Her
    new sign-in was linked to John's record and ended at once, with no way back."""
    _import(b"S1,John,Smith,j.smith@dmm.example,employee,2024-07-31\n")
    smt = sign_in(Client(), make_user(Role.SMT, email="smt-link@dmm.example"))
    response = smt.post(
        "/people/sign-ins/", {"email": "j.smith@dmm.example", "full_name": "Jane Smith", "roles": ["staff"]},
        follow=True,
    )  # fmt: skip
    jane = User.objects.get(email="j.smith@dmm.example")
    assert jane.is_active and not has_left(jane)
    assert StaffMember.objects.get(external_id="S1").user is None
    assert "Not linked to staff record S1 with the same email: John Smith left on 31 July 2024" in (
        response.content.decode()
    )
    assert not AuditEvent.objects.filter(action="staff.sign_in_linked").exists()
    result = CliRunner().invoke(
        main, ["createuser", "--email", "j.smith2@dmm.example", "--name", "J", "--password-stdin"],
        input="a-long-and-strong-passphrase-2026\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_hr_data_never_ends_an_smt_sign_in_through_a_leavers_record(db: Any) -> None:
    """A leaver's address forwarded to the principal's mailbox in the HR export linked the
    principal's SMT sign-in to the leaver's record and withdrew it."""
    principal = user_create(
        actor=None, email="principal@dmm.example", full_name="Pat Principal", password=None, roles=[Role.SMT]
    )
    User.objects.filter(pk=principal.pk).update(date_joined=dt.datetime(2019, 9, 1, tzinfo=dt.UTC))
    _import(b"L9,Lou,Leaver,principal@dmm.example,employee,2025-08-31\n")
    principal.refresh_from_db()
    assert principal.is_active and not has_left(principal)
    assert StaffMember.objects.get(external_id="L9").user is None
    # An SMT member still in post is linked, so that their own leave date will end their access.
    _import(b"L9,Lou,Leaver,,employee,2025-08-31\nS2,Pat,Principal,principal@dmm.example,employee,\n")
    assert StaffMember.objects.get(external_id="S2").user == principal
