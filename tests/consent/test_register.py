"""The register: append-only records, the derived state, bad input refused with nothing saved."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.consent import selectors, services
from socialguard.consent.models import ConsentForm, ConsentRecord, Evidence, Status
from socialguard.incidents import evidence as files
from socialguard.people.models import Guardian, Learner
from tests.consent.conftest import png


def give(team: dict[str, Any], ref: str = "L1", **kw: Any) -> ConsentRecord:
    kw.setdefault("status", Status.GIVEN)
    kw.setdefault("given_on", timezone.localdate() - dt.timedelta(days=3))
    return services.consent_record(actor=team["smt"], kind="learner", ref=ref, **kw)


def test_records_are_append_only_and_the_latest_wins(team: dict[str, Any]) -> None:
    first = give(team, guardian_id="G1")
    assert selectors.state_of("learner", "L1").may_post
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    give(team, status=Status.REFUSED, guardian_id="G1")
    state = selectors.state_of("learner", "L1")
    assert state.code == "refused" and not state.may_post
    assert ConsentRecord.objects.count() == 2
    assert AuditEvent.objects.filter(action__in=["consent.given", "consent.refused"]).count() == 2


def test_a_guardians_consent_lapses_on_the_18th_birthday(
    team: dict[str, Any], move_clock: Callable[[dt.date], None]
) -> None:
    young: Learner = team["young"]
    give(team, guardian_id="G1")
    birthday = selectors.eighteenth_birthday(young.date_of_birth)  # type: ignore[arg-type]
    state = selectors.state_of("learner", "L1")
    assert state.may_post and state.lapses_on == birthday
    move_clock(birthday - dt.timedelta(days=1))
    assert selectors.state_of("learner", "L1").may_post
    move_clock(birthday)
    state = selectors.state_of("learner", "L1")
    assert state.code == "lapsed" and not state.may_post
    # Now 18: a guardian may no longer give it; the learner does.
    with pytest.raises(ValidationError) as error:
        give(team, guardian_id="G1", given_on=birthday)
    assert "consent themselves" in error.value.message_dict["guardian"][0]
    give(team, given_on=birthday)
    assert selectors.state_of("learner", "L1").code == "given"


def test_expiry(team: dict[str, Any], move_clock: Callable[[dt.date], None]) -> None:
    today = timezone.localdate()
    give(team, ref="L2", expires_on=today + dt.timedelta(days=10))
    assert selectors.state_of("learner", "L2").may_post
    move_clock(today + dt.timedelta(days=11))
    assert selectors.state_of("learner", "L2").code == "expired"


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"given_on": dt.date.today() + dt.timedelta(days=2)}, "given_on", "in the future"),
        ({"given_on": dt.date(2000, 1, 1)}, "given_on", "before Dan Young was born"),
        ({"guardian_id": "G2"}, "guardian", "not linked to Dan Young"),
        ({"guardian_id": "NOPE"}, "guardian", "no parent or guardian"),
        ({"ref": "L99"}, "person", "no learner with external_id 'L99'"),
        ({"evidence": Evidence.FORM}, "form", "attach the signed form"),
        ({"evidence": Evidence.FORM, "form": services.Upload("form.pdf", io.BytesIO(b"MZ\x90\x00"))},
         "form", "not a readable PDF"),
        ({"evidence": Evidence.FORM, "form": services.Upload("form.exe", io.BytesIO(b"MZ\x90\x00"))},
         "form", "only screenshots, photos and PDFs"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_saved(
    team: dict[str, Any], kw: dict[str, Any], field: str, words: str
) -> None:
    Guardian.objects.create(external_id="G2", first_name="Gus", last_name="Other")
    with pytest.raises(ValidationError) as error:
        give(team, **kw)
    assert words in error.value.message_dict[field][0]
    assert ConsentRecord.objects.count() == 0 and ConsentForm.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="consent.").exists()


def test_a_signed_form_is_checked_and_kept_encrypted(team: dict[str, Any], media_dir: Any) -> None:
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    record = give(team, evidence=Evidence.FORM, form=services.Upload("signed.pdf", io.BytesIO(data)))
    assert record.form is not None and record.form.content_type == "application/pdf"
    stored = (media_dir / "evidence" / record.form.stored_name).read_bytes()
    assert data not in stored  # encrypted at rest, outside MEDIA_ROOT
    assert files.read(record.form) == data
    image = give(team, evidence=Evidence.FORM, form=services.Upload("scan.png", io.BytesIO(png())))
    assert image.form is not None and image.form.content_type == "image/png"


def test_only_smt_and_the_dsl_record_consent(team: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=team["runner"], kind="learner", ref="L1", status=Status.GIVEN, given_on=timezone.localdate()
        )
    assert ConsentRecord.objects.count() == 0


def test_a_master_key_rotation_rewraps_signed_forms_too(team: dict[str, Any], settings: Any) -> None:
    from socialguard.accounts import crypto, vault

    data = b"%PDF-1.4\n%%EOF\n"
    record = give(team, evidence=Evidence.FORM, form=services.Upload("signed.pdf", io.BytesIO(data)))
    old, new = vault.current_key(), crypto.generate_key()
    assert vault.rotate_master_key(new_key=new) == 2  # the team's app password and the form
    settings.VAULT_KEY, settings.VAULT_PREVIOUS_KEY = new.to_text(), ""  # the old key is gone
    form = ConsentForm.objects.get(pk=record.form_id)
    assert form.key_id == new.key_id and files.read(form) == data
    assert old.key_id != new.key_id
