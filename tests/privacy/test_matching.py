"""Names match despite accents, apostrophes, case, order and middle names; handles match exactly."""

from __future__ import annotations

from socialguard.privacy.exports import Connection
from socialguard.privacy.matching import (
    CURRENT_LEARNER,
    GUARDIAN,
    PAST_LEARNER_UNDER_18,
    Index,
    RegisterEntry,
    match,
    name_key,
)

INDEX = Index.build(
    [
        RegisterEntry("Renée O'Brien", CURRENT_LEARNER, ("@renee_ob",), "learner:1"),
        RegisterEntry("Siobhán Ní Mháille", PAST_LEARNER_UNDER_18, (), "learner:2"),
        RegisterEntry("Tom Smith-Jones", GUARDIAN, (), "guardian:1"),
        RegisterEntry("Tom Smith-Jones", GUARDIAN, (), "guardian:2"),  # a duplicate in the register
    ]
)


def test_name_key_folds_accents_apostrophes_case_and_order() -> None:
    assert name_key("Renée O\u2019Brien") == name_key("RENEE OBRIEN") == name_key("OBrien, Renee")


def test_fuzzy_names() -> None:
    found = match(
        [
            Connection(name="renee o\u2019brien"),
            Connection(name="Ni Mhaille, Siobhan"),
            Connection(name="Tom Smith Jones"),
            Connection(name="Renée Marie O'Brien"),  # a middle name
            Connection(name="René O'Brian"),  # a different person: not matched
        ],
        INDEX,
    )
    assert [(m.shown_as, m.kinds) for m in found] == [
        ("Renée Marie O'Brien", (CURRENT_LEARNER,)),
        ("renee o\u2019brien", (CURRENT_LEARNER,)),
        ("Ni Mhaille, Siobhan", (PAST_LEARNER_UNDER_18,)),
        ("Tom Smith Jones", (GUARDIAN,)),
    ]
    assert found[-1].register_count == 2


def test_handles_match_exactly() -> None:
    found = match(
        [Connection(handle="renee_ob"), Connection(handle="renee_ob2"), Connection(handle="renee")], INDEX
    )
    assert [(m.shown_as, m.how) for m in found] == [("@renee_ob", "handle")]


def test_x_account_numbers_match_only_recorded_numbers() -> None:
    index = Index.build([RegisterEntry("A B", CURRENT_LEARNER, ("123456",), "learner:9")])
    assert [
        m.shown_as for m in match([Connection(account_id="123456"), Connection(account_id="7")], index)
    ] == ["X account 123456"]
