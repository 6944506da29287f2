"""Reading a register for `socialguard check --register`: the product's own learner export reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from socialguard.rules.register import read_register

TODAY = dt.date(2026, 11, 30)


def test_handles_guarded_by_our_csv_export_are_read_without_the_apostrophe(tmp_path: Path) -> None:
    # The learner export guards a cell starting '@' (a formula character) with a leading apostrophe.
    path = tmp_path / "learners.csv"
    path.write_text(
        "external_id,first_name,last_name,date_of_birth,end_date,social_handles\n"
        "L1,Jamie,Fletcher,2009-03-01,,'@jamief;@jamie.art\n",
        encoding="utf-8",
    )
    [person] = read_register(path, TODAY)
    assert person.handles == ("@jamief", "@jamie.art")


def test_end_dates_in_the_imports_formats(tmp_path: Path) -> None:
    path = tmp_path / "learners.csv"
    path.write_text(
        "first_name,last_name,end_date\nAna,Past,31/07/2025\nBen,Current,31/07/2027\nCal,Iso,2025-07-31\n",
        encoding="utf-8",
    )
    kinds = {p.name: p.kind for p in read_register(path, TODAY)}
    assert kinds == {"Ana Past": "past_learner", "Ben Current": "learner", "Cal Iso": "past_learner"}


def test_the_guard_undone_is_the_csv_writers_own() -> None:
    from socialguard import csvfiles
    from socialguard.rules import register

    assert register.FORMULA_STARTS == csvfiles.FORMULA_STARTS


def test_adult_past_learners_may_be_connected_with_but_under_18s_may_not(tmp_path: Path) -> None:
    # 5.2: do not invite learners of any age or past learners under 18; an adult past learner is neither.
    from socialguard.rules import Engine, Post
    from socialguard.rules.engine import context_from_pack
    from socialguard.rules.pack import load_pack

    path = tmp_path / "learners.csv"
    path.write_text(
        "first_name,last_name,date_of_birth,end_date\n"
        "Ada,Adult,01/02/1990,31/07/2020\nYan,Young,2010-01-01,2025-07-31\nCat,Current,1990-01-01,\n",
        encoding="utf-8",
    )
    people = read_register(path, TODAY)
    assert {p.name: p.adult for p in people} == {"Ada Adult": True, "Yan Young": False, "Cat Current": True}
    engine = Engine(context_from_pack(load_pack(), register=people), classifiers=False)
    flagged = {
        name: any(f.rule == "LC002" for f in engine.check(Post("", connection_request_to=(name,))).findings)
        for name in ("Ada Adult", "Yan Young", "Cat Current")
    }
    assert flagged == {"Ada Adult": False, "Yan Young": True, "Cat Current": True}


def test_the_finding_says_who_the_register_has_them_as() -> None:
    """A guardian was called a learner ("is in the learner register")."""
    from socialguard.rules import Engine, Post
    from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT

    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    text = "Thanks Sandra Fletcher, Jamie Fletcher and @priyanair for coming"
    messages = sorted(f.message for f in engine.check(Post(text=text)).findings if f.rule == "LI001")
    assert messages == [
        "'@priyanair' is a past learner in the register",
        "'Jamie Fletcher' is a learner in the register",
        "'Sandra Fletcher' is a learner's parent or guardian in the register",
    ]
