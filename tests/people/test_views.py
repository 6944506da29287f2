"""The register pages: add and edit through forms that validate like the importer; all audited."""

from __future__ import annotations

from typing import Any

from socialguard.audit.models import AuditEvent
from socialguard.identity.models import User
from socialguard.identity.roles import Role
from socialguard.people.models import Organisation, StaffMember


def test_add_staff_member_with_form_errors_then_success(client_for: Any, register: dict[str, Any]) -> None:
    smt = client_for(Role.SMT)
    bad = smt.post(
        "/people/staff/new/",
        {
            "external_id": "S9",
            "first_name": "Ivy",
            "last_name": "New",
            "employment_type": "employee",
            "start_date": "next week",
            "line_manager_id": "NOPE",
        },
    )
    page = bad.content.decode()
    assert "is not a date" in page and "no staff member with external_id" in page
    assert not StaffMember.objects.filter(external_id="S9").exists()
    ok = smt.post(
        "/people/staff/new/",
        {
            "external_id": "S9",
            "first_name": "Ivy",
            "last_name": "New",
            "employment_type": "employee",
            "start_date": "01/09/2025",
            "line_manager_id": "S1",
        },
    )
    assert ok.status_code == 302
    ivy = StaffMember.objects.get(external_id="S9")
    assert ivy.line_manager == register["boss"]
    assert AuditEvent.objects.filter(action="staff.created", object_id=str(ivy.pk)).exists()


def test_edit_prefills_and_audits_changed_fields_only(client_for: Any, register: dict[str, Any]) -> None:
    smt = client_for(Role.SMT)
    tutor = register["tutor"]
    form = smt.get(f"/people/staff/{tutor.pk}/edit/").content.decode()
    assert 'value="Ben"' in form and 'value="S1"' in form
    data = {
        "external_id": "S2",
        "first_name": "Ben",
        "last_name": "Tutor",
        "employment_type": "contract_worker",
        "job_title": "Lead Tutor",
        "department": "Digital Marketing",
        "site": "Manchester",
        "line_manager_id": "S1",
        "email": "",
        "start_date": "",
        "leave_date": "2027-07-31",
    }
    assert smt.post(f"/people/staff/{tutor.pk}/edit/", data).status_code == 302
    event = AuditEvent.objects.filter(action="staff.updated").get()
    assert event.after == {"fields": ["job_title", "leave_date"]}


def test_organisation_details_edit_is_audited(client_for: Any, db: Any) -> None:
    smt = client_for(Role.SMT)
    smt.post(
        "/people/organisation/edit/",
        {
            "name": "DMM",
            "aliases": "Digital Marketing Mentor",
            "handles": "@DMMentorUK",
            "email_domains": "dmm.example",
        },
    )
    assert Organisation.objects.get().handle_list == ["@DMMentorUK"]
    assert AuditEvent.objects.filter(action="organisation.updated").exists()
    staff_view = client_for(Role.STAFF).get("/people/organisation/").content.decode()
    assert "@DMMentorUK" in staff_view and "Edit details" not in staff_view


def test_smt_grants_roles_but_not_to_themselves(client_for: Any, make_user: Any) -> None:
    smt = client_for(Role.SMT)
    me = User.objects.get(role_assignments__role=Role.SMT)
    colleague = make_user(Role.STAFF)
    response = smt.post(f"/people/sign-ins/{colleague.pk}/", {"roles": ["staff", "dsl"], "active": "on"})
    assert response.status_code == 302
    colleague.forget_roles()
    assert colleague.roles == {Role.STAFF, Role.DSL}
    assert (
        smt.post(f"/people/sign-ins/{me.pk}/", {"roles": ["smt", "auditor"], "active": "on"}).status_code
        == 404
    )
    me.forget_roles()
    assert me.roles == {Role.SMT}


def test_learner_list_filters(client_for: Any, register: dict[str, Any]) -> None:
    dsl = client_for(Role.DSL)
    assert "Dan Young" in dsl.get("/people/learners/?status=under18").content.decode()
    past = dsl.get("/people/learners/?status=past").content.decode()
    assert "Eve Former" in past and "Dan Young" not in past


def test_exports_are_csv_with_import_columns(client_for: Any, register: dict[str, Any]) -> None:
    response = client_for(Role.AUDITOR).get("/people/guardians/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # read in chunks, never held whole in memory
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[arg-type]
    assert lines[0] == "external_id,first_name,last_name,email,phone,learner_ids"
    assert lines[1].startswith("G1,Fay,Young") and lines[1].endswith("L1")


def test_forms_check_references_like_the_importer(client_for: Any, register: dict[str, Any]) -> None:
    smt = client_for(Role.SMT)
    tutor = register["tutor"]
    data = {
        "external_id": "S2",
        "first_name": "Ben",
        "last_name": "Tutor",
        "employment_type": "contract_worker",
        "line_manager_id": "S2",
    }
    page = smt.post(f"/people/staff/{tutor.pk}/edit/", data).content.decode()
    assert "a person cannot be their own line manager" in page
    guardian = smt.post(
        "/people/guardians/new/",
        {"external_id": "G9", "first_name": "Gil", "last_name": "Young", "learner_ids": "L1;L404"},
    ).content.decode()
    assert "no learner with external_id &#x27;L404&#x27;" in guardian
    tutor.refresh_from_db()
    assert tutor.line_manager == register["boss"]


def test_the_staff_list_says_how_many_are_in_post_when_leavers_are_listed_too(
    client_for: Any, register: dict[str, Any]
) -> None:
    """The declaration and training pages count staff in post; the list, which also shows those
    who have left, says both numbers so the two never seem to disagree."""
    import datetime as dt

    from django.utils import timezone

    in_post = StaffMember.objects.count()
    left = register["tutor"]
    left.leave_date = timezone.localdate() - dt.timedelta(days=3)
    left.save()
    smt = client_for(Role.SMT)
    total = in_post
    page = smt.get("/people/staff/").content.decode()
    assert f"<caption>{total} staff members: {total - 1} in post, 1 has left</caption>" in page
    only_current = smt.get("/people/staff/?status=current").content.decode()
    assert f"<caption>{total - 1} staff members</caption>" in only_current


def test_record_pages_call_the_register_id_an_id_of_its_kind(
    client_for: Any, register: dict[str, Any]
) -> None:
    page = client_for(Role.SMT).get(f"/people/staff/{register['tutor'].pk}/").content.decode()
    assert "<dt>Staff ID</dt>" in page and "External id" not in page


def test_the_import_page_names_the_id_column_as_the_file_spells_it(client_for: Any) -> None:
    page = client_for(Role.SMT).get("/people/import/").content.decode()
    assert "by their ID in that system (the <code>external_id</code> column)" in page
    assert "external id." not in page
