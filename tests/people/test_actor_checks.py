"""Every people service checks its actor itself: called directly (as a script, the API or the
CLI would), a person without the role is refused and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from socialguard.audit.models import AuditEvent
from socialguard.identity.roles import Role
from socialguard.people import services
from socialguard.people.models import Learner, Organisation, StaffMember

pytestmark = pytest.mark.django_db

LEARNERS_CSV = b"external_id,first_name,last_name,date_of_birth\nL-NEW,New,Learner,2001-01-01\n"


def test_saving_a_learner_needs_learners_manage(make_user: Any) -> None:
    raw = {"external_id": "L-NEW", "first_name": "New", "last_name": "L", "date_of_birth": "2001-01-01"}
    for role in (Role.QUALITY_DIRECTOR, Role.AUDITOR, Role.STAFF):
        actor = make_user(role)
        events = AuditEvent.objects.count()
        with pytest.raises(PermissionDenied):
            services.person_save(actor=actor, kind="learners", raw=raw)
        assert AuditEvent.objects.count() == events
    assert not Learner.objects.filter(external_id="L-NEW").exists()


def test_editing_a_staff_record_needs_staff_manage(register: dict[str, Any], make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.person_save(
            actor=make_user(Role.DSL), kind="staff", raw={"job_title": "Head"}, instance=register["tutor"]
        )
    assert StaffMember.objects.get(pk=register["tutor"].pk).job_title == "Tutor"


def test_importing_needs_people_import(make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.people_import(
            actor=make_user(Role.AUDITOR), kind="learners", data=LEARNERS_CSV, filename="l.csv"
        )
    assert not Learner.objects.exists()
    result = services.people_import(
        actor=make_user(Role.SMT), kind="learners", data=LEARNERS_CSV, filename="l.csv"
    )
    assert len(result.created) == 1


def test_changing_the_organisation_needs_organisation_manage(make_user: Any) -> None:
    organisation = Organisation.objects.create(name="DMM")
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=make_user(Role.STAFF), organisation=organisation, values={"name": "X"}
        )
    assert Organisation.objects.get().name == "DMM"
