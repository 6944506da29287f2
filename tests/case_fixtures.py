"""Fixtures for concerns and safeguarding cases: a DSL, a deputy, SMT (one of them involved),
an auditor, sample evidence files, and a restricted case full of a marker word that nobody but
the DSL and deputies may ever be shown."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import LazySettings
from PIL import Image

from socialguard.identity.roles import Role
from socialguard.incidents import evidence as files
from socialguard.incidents import services
from socialguard.incidents.models import Case
from socialguard.people.models import StaffMember

MARKER = "Zanzibarquokka"


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def checked(name: str, data: bytes) -> files.CheckedFile:
    return files.check(name, io.BytesIO(data), len(data))


@pytest.fixture
def evidence_dir(settings: LazySettings, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path
    return tmp_path / "evidence"


@pytest.fixture
def team(people: dict[str, Any], make_user: Callable[..., Any], evidence_dir: Any) -> dict[str, Any]:
    """Everyone a case involves: staff from `people`, plus the safeguarding team, a second SMT
    member who is a staff member (so they can be involved), and an auditor."""
    dsl = make_user(Role.DSL, Role.STAFF, email="dsl@dmm.example", name="Dee Lead")
    deputy = make_user(Role.DEPUTY_DSL, Role.STAFF, email="deputy@dmm.example", name="Dep Uty")
    auditor = make_user(Role.AUDITOR, email="auditor@dmm.example", name="Aud Itor")
    involved_smt = make_user(Role.SMT, Role.STAFF, email="ivy@dmm.example", name="Ivy Involved")
    ivy = StaffMember.objects.create(
        external_id="S9",
        first_name="Ivy",
        last_name="Involved",
        email="ivy@dmm.example",
        employment_type="employee",
        user=involved_smt,
    )
    return {
        **people,
        "dsl": dsl,
        "deputy": deputy,
        "auditor": auditor,
        "involved_smt": involved_smt,
        "ivy": ivy,
    }


@pytest.fixture
def restricted_case(team: dict[str, Any]) -> Case:
    """A safeguarding concern reported by the tutor about Ivy (an SMT member), worked on by the
    DSL: every part of it carries MARKER."""
    case = services.report_submit(
        actor=team["tutor"].user,
        category="safeguarding",
        summary=f"{MARKER}: a learner was messaged privately at night",
        platform="Instagram",
        url=f"https://instagram.example/{MARKER}",
        account=f"@{MARKER.lower()}",
        happened_on=dt.date.today(),
        parties=[
            services.PartyInput(role="subject", staff=team["ivy"]),
            services.PartyInput(role="affected", learner=team["young"]),
            services.PartyInput(role="witness", name=f"Wanda {MARKER}"),
        ],
        attachments=[checked(f"{MARKER}.png", png_bytes())],
    )
    dsl = team["dsl"]
    services.triage(
        actor=dsl, case=case, severity="high", investigator=team["deputy"], note=f"{MARKER} triage"
    )
    services.entry_add(actor=dsl, case=case, kind="contact", text=f"Spoke to the learner about {MARKER}")
    services.task_add(
        actor=dsl, case=case, text=f"Call {MARKER}'s parent", due_on=dt.date.today(), assignee=dsl
    )
    services.referral_add(
        actor=dsl,
        case=case,
        agency="lado",
        referred_on=dt.date.today(),
        reference=f"LADO-{MARKER}",
        notes=MARKER,
    )
    case.refresh_from_db()
    return case
