"""Erasing a person erases them from the photo consent register too: its records held their name
and external id as written (for the history), so after an erasure the learner's name was still in
the register, in their guardian's subject-access export and on the takedowns page, and their
signed consent form (a scan with their name and signature) was still kept."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.consent import selectors as consent_selectors
from socialguard.consent import services as consent
from socialguard.consent.models import ConsentForm, ConsentRecord, Evidence, Status
from socialguard.identity.roles import Role
from socialguard.privacy import services
from socialguard.privacy.subject_access import subject_access_export

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def smt(make_user: Any, settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path  # the signed forms' store
    return make_user(Role.SMT, email="erase-consent@dmm.example")


def test_erasing_a_learner_erases_their_name_and_signed_form_from_the_consent_register(
    register: dict[str, Any], smt: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    young, guardian = register["young"], register["guardian"]  # Dan Young, under 18; Fay Young
    given_on = timezone.localdate() - dt.timedelta(days=30)
    form = consent.Upload("signed.pdf", io.BytesIO(PDF))
    consent.consent_record(
        actor=smt, kind="learner", ref="L1", status=Status.GIVEN, given_on=given_on, guardian_id="G1",
        evidence=Evidence.FORM, form=form, note="Dan Young's mum signed at enrolment",
    )  # fmt: skip
    consent.consent_withdraw(actor=smt, kind="learner", ref="L1", note="Dan asked us to stop")
    stored = ConsentForm.objects.get().stored_name
    assert (tmp_path / "evidence" / stored).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the form's file goes once it commits
        erasure = services.person_erase(actor=smt, kind="learner", pk=young.pk, reason="Erasure request")

    records = list(ConsentRecord.objects.all())
    assert len(records) == 2  # the history stays, under the pseudonym
    for record in records:
        assert (record.subject_id, record.note, record.form_id) == (erasure.pseudonym, "", None)
        assert "Dan" not in record.subject_name and "Young" not in record.subject_name
    assert consent_selectors.state_of("learner", erasure.pseudonym).code == "withdrawn"
    assert not ConsentForm.objects.exists()
    assert not (tmp_path / "evidence" / stored).exists()
    export = subject_access_export(actor=smt, kind="guardian", pk=guardian.pk)
    about = [r["about"] for r in export.parts["consent_records"]]
    assert about == [f"Erased {erasure.pseudonym}"]  # the consent Fay gave
    assert "Dan" not in json.dumps(export.parts["consent_records"])
    event = AuditEvent.objects.get(action="privacy.erased")
    assert event.after["consent_records"] == 2 and event.after["signed_forms"] == 1
    result = audit_verify()
    assert result.ok, result.problem


def test_a_learner_with_no_consent_records_is_erased_as_before(register: dict[str, Any], smt: Any) -> None:
    erasure = services.person_erase(actor=smt, kind="learner", pk=register["past"].pk, reason="Retention")
    event = AuditEvent.objects.get(action="privacy.erased")
    assert event.object_repr == erasure.pseudonym
    assert event.after["consent_records"] == 0 and event.after["signed_forms"] == 0


def test_a_takedown_step_naming_the_person_by_an_earlier_name_is_erased_too(
    register: dict[str, Any], smt: Any
) -> None:
    """A step names the person as their consent record did when it was written; a learner renamed
    since (Dan Young, now Dan Smith) kept the old name on the takedowns page after erasure."""
    from socialguard.accounts.models import OrgAccount
    from socialguard.consent.models import Takedown
    from socialguard.people.services import person_save

    young = register["young"]
    record = consent.consent_record(
        actor=smt, kind="learner", ref=young.external_id, status=Status.REFUSED,
        given_on=timezone.localdate(), evidence=Evidence.MIS,
    )  # fmt: skip
    account = OrgAccount.objects.create(platform="x", handle="college", login_email="social@dmm.example")
    takedown = Takedown(withdrawal=record, account=account, created_at=timezone.now())
    consent.takedown_step(takedown, f"listed: the post shows {record.subject_name}; waiting for a runner")
    takedown.save()
    person_save(actor=None, kind="learners", raw={"last_name": "Smith"}, instance=young)
    services.person_erase(actor=smt, kind="learner", pk=young.pk, reason="Erasure request")
    what = Takedown.objects.get().steps[0]["what"]
    assert "Young" not in what and "Smith" not in what
    assert what.startswith("listed: the post shows Erased ")
