"""A subject access export holds every part, and withholds other people's data and safeguarding
content with a note saying so."""

from __future__ import annotations

import io
import json
import zipfile
from html import unescape
from typing import Any

import pytest
from django.test import Client

from socialguard import demo
from socialguard.audit.models import AuditEvent
from socialguard.identity.models import User
from socialguard.identity.roles import Role
from socialguard.incidents.models import Case, Category
from socialguard.privacy.subject_access import PARTS, WITHHELD_NOTE
from tests.conftest import sign_in


def _export(client: Client, kind: str, pk: int) -> tuple[dict[str, Any], str, bytes]:
    response = client.post(f"/privacy/subject-access/{kind}/{pk}/export/")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "summary.html"]
        return json.loads(archive.read("data.json")), unescape(archive.read("summary.html").decode()), raw


@pytest.mark.django_db(transaction=False)
def test_a_demo_learner_in_a_safeguarding_case_gets_every_part_and_no_safeguarding_content(
    make_user: Any,
) -> None:
    demo.load_all()
    case = Case.objects.filter(category=Category.SAFEGUARDING, parties__learner__isnull=False).first()
    assert case is not None
    learner = case.parties.exclude(learner=None).first().learner  # type: ignore[union-attr]
    smt = make_user(Role.SMT, email="sar-smt@dmm.example")
    data, html, raw = _export(sign_in(Client(), smt), "learner", learner.pk)
    for name, title in PARTS:
        assert name in data, name
        assert title in html
    assert data["register_record"]["first_name"] == learner.first_name
    assert data["register_record"]["date_of_birth"] == learner.date_of_birth.isoformat()
    assert data["withheld"] == WITHHELD_NOTE and WITHHELD_NOTE in html
    # Nothing of any safeguarding case: not its reference, its words, its other people.
    text = raw.decode("latin-1") + json.dumps(data) + html
    for sg in Case.objects.filter(category=Category.SAFEGUARDING):
        assert sg.reference not in json.dumps(data) and sg.reference not in html
        assert sg.summary[:40] not in json.dumps(data) and sg.summary[:40] not in html
        for entry in sg.entries.all():
            assert entry.text[:40] not in html
        for party in sg.parties.exclude(learner=learner):
            assert party.display_name not in html
    assert "safeguarding" not in json.dumps(data["cases"]).lower()
    assert text
    event = AuditEvent.objects.filter(action="privacy.subject_access_exported").get()
    assert event.actor == smt and event.object_id == str(learner.pk)


def test_a_staff_member_gets_their_declarations_training_posts_and_cases(
    team: dict[str, Any], published: dict[str, Any], make_user: Any
) -> None:
    tutor = team["tutor"]
    smt = make_user(Role.SMT, email="sar2@dmm.example")
    data, html, _ = _export(sign_in(Client(), smt), "staff", tutor.pk)
    assert data["sign_in"]["email"] == tutor.user.email
    assert data["declarations"] or data["training"] or data["posts"] is not None
    assert tutor.full_name in html


def test_only_smt_may_export(client_for: Any, register: dict[str, Any]) -> None:
    for role in (Role.STAFF, Role.DSL, Role.AUDITOR, Role.QUALITY_DIRECTOR):
        response = client_for(role).post(f"/privacy/subject-access/learner/{register['young'].pk}/export/")
        assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="privacy.subject_access_exported").exists()
    assert User.objects.exists()


def test_consent_records_and_alerts_on_their_own_posts_are_in_it_and_safeguarding_alerts_are_not(
    register: dict[str, Any], make_user: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from socialguard.consent.models import ConsentRecord
    from socialguard.monitoring.models import Alert

    young, guardian = register["young"], register["guardian"]
    young.social_handles = "@dan.young"
    young.save()
    ConsentRecord.objects.create(
        subject_kind="learner",
        subject_id=young.external_id,
        subject_name=young.full_name,
        status="given",
        scope="social_media",
        guardian=guardian,
        given_on=dt.date(2026, 9, 1),
        evidence="link",
        recorded_at=timezone.now(),
    )
    now = timezone.now()
    Alert.objects.create(
        dedup_key="a1", kind="criticism", author="dan.young", text="This course is a joke", created_at=now
    )
    Alert.objects.create(
        dedup_key="a2", kind="safeguarding", author="@dan.young", text="MARKER-SG", created_at=now
    )
    Alert.objects.create(
        dedup_key="a3", kind="criticism", author="someone.else", text="MARKER-OTHER", created_at=now
    )
    client = sign_in(Client(), make_user(Role.SMT, email="sar3@dmm.example"))
    data, html, _ = _export(client, "learner", young.pk)
    (consent,) = data["consent_records"]
    assert consent["status"] == "Given" and consent["given_by"] == "a parent or guardian"
    assert [a["text"] for a in data["alerts"]] == ["This course is a joke"]
    assert "MARKER-SG" not in html and "MARKER-OTHER" not in html
    # The guardian's own export lists the consent they gave.
    data, _, _ = _export(client, "guardian", guardian.pk)
    assert [c["about"] for c in data["consent_records"]] == [young.full_name]


def test_what_a_person_did_to_other_peoples_records_is_listed_without_naming_them(
    register: dict[str, Any], make_user: Any
) -> None:
    """The changes a person made are theirs to see, but the events' names were other people's: an
    SMT member's export listed every child whose photo consent they recorded ("Refused … for Dan
    Young"), the colleagues whose training they recorded and the candidates they screened, though
    the export says other people's data is withheld. Those events now name the kind of record."""
    import datetime as dt

    from django.utils import timezone

    from socialguard.consent import services as consent
    from socialguard.consent.models import Status
    from socialguard.people.services import person_save
    from socialguard.privacy import services as privacy
    from socialguard.privacy.subject_access import subject_access_export

    boss = register["boss"]  # Ada Boss
    boss.user = make_user(Role.SMT, email="ada.boss@dmm.example", name="Ada Boss")
    boss.save()
    consent.consent_record(
        actor=boss.user, kind="learner", ref="L1", status=Status.REFUSED, guardian_id="G1",
        given_on=timezone.localdate() - dt.timedelta(days=2),
    )  # fmt: skip
    privacy.screening_create(
        actor=boss.user, candidate="Jo Candidate", role_applied_for="Tutor",
        lawful_basis="legitimate_interests", candidate_told=True, platforms=["linkedin"],
    )  # fmt: skip
    smt = make_user(Role.SMT)
    person_save(actor=smt, kind="staff", raw={"job_title": "Director"}, instance=boss)
    export = subject_access_export(actor=smt, kind="staff", pk=boss.pk)
    held = json.dumps(export.parts) + export.content.decode("latin-1")
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        held += archive.read("summary.html").decode() + archive.read("data.json").decode()
    for other in ("Dan", "Young", "Jo Candidate"):
        assert other not in held, other
    about = {e["what"]: e["about"] for e in export.parts["audit"]}
    assert about["consent.refused"] == "Consent record"
    assert about["staff.updated"] == "Ada Boss"  # their own record is named as before


def test_photos_a_person_is_named_in_are_matched_by_their_external_id_only(
    register: dict[str, Any], make_user: Any
) -> None:
    """Media name people by external id ("learner", "L1"), but the export also matched the record's
    database id: where the MIS's ids are numbers, a learner whose row is number 7 was sent the
    photos of the learner whose MIS id is "7"."""
    from socialguard.accounts.models import OrgAccount
    from socialguard.content.models import Draft, DraftMedia
    from socialguard.people.models import Learner
    from socialguard.privacy.subject_access import subject_access_export

    young = register["young"]
    other = Learner.objects.create(external_id=str(young.pk), first_name="Numbered", last_name="Learner")
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    draft = Draft.objects.create(account=account, author=register["tutor"], text="Sports day")
    DraftMedia.objects.create(
        draft=draft, original_name="sports-day.jpg", stored_name="sports-day", content_type="image/jpeg",
        size=1, sha256="0" * 64, people_shown=[{"kind": "learner", "id": other.external_id}],
    )  # fmt: skip
    smt = make_user(Role.SMT, email="sar-photos@dmm.example")
    assert subject_access_export(actor=smt, kind="learner", pk=young.pk).parts["consent"] == []
    (shown,) = subject_access_export(actor=smt, kind="learner", pk=other.pk).parts["consent"]
    assert shown["file"] == "sports-day.jpg"
