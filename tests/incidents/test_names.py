"""A report naming a learner under 18 is restricted however the name is written (the probe found
"Abbott, Caroline", a middle initial, a note in brackets, an invisible joiner and a Cyrillic "о"
all reached SMT); a name that is not the child's is not."""

from __future__ import annotations

from typing import Any

import pytest

from socialguard.incidents import services
from socialguard.incidents.names import name_words, names
from socialguard.people.models import Learner

pytestmark = pytest.mark.django_db

# team["young"] is Dan Young, under 18.
SPELLINGS = [
    "Dan Young",
    "  dan   YOUNG ",
    "Young, Dan",
    "Young Dan",
    "Dan J. Young",
    "Dan Young (learner)",
    "Dan\u2060 Young",  # an invisible word joiner pasted from a chat
    "Dan Yоung",  # Cyrillic о
    "Ｄａｎ Ｙｏｕｎｇ",  # full-width letters
]


@pytest.mark.parametrize("typed", SPELLINGS)
def test_a_child_named_any_way_restricts_the_case(team: dict[str, Any], typed: str) -> None:
    case = services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="A rude comment",
        parties=[services.PartyInput(role="affected", name=typed)],
    )
    assert case.restricted, typed


@pytest.mark.parametrize("typed", ["Dan Smith", "Young", "Danny Young", "Dan Youngs"])
def test_another_name_does_not(team: dict[str, Any], typed: str) -> None:
    case = services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="A rude comment",
        parties=[services.PartyInput(role="affected", name=typed)],
    )
    assert not case.restricted, typed


def test_accents_in_the_register_match_a_name_typed_without_them(team: dict[str, Any]) -> None:
    zoe = Learner.objects.create(external_id="L77", first_name="Zoë", last_name="Brontë")
    zoe.date_of_birth = team["young"].date_of_birth
    zoe.save()
    case = services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="A rude comment",
        parties=[services.PartyInput(role="affected", name="Zoe Bronte")],
    )
    assert case.restricted


def test_name_words_fold_what_people_type() -> None:
    assert name_words("O'Brien-Smith, Mary Ann") == {"o", "brien", "smith", "mary", "ann"}
    assert names(name_words("Smith, Mary Ann O'Brien"), "Mary Ann", "O'Brien-Smith")
    assert not names(name_words("Mary Smith"), "Mary Ann", "O'Brien-Smith")
    assert not names(name_words("Mary"), "Mary", "")  # a register name needs both parts
