"""The spelling detector: unknown words in organisational posts, with a correction."""

from __future__ import annotations

import json

import pytest

from socialguard.rules import Engine, Post
from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT
from socialguard.rules.detectors.spelling import (
    BRITISH_FILE,
    KIND,
    MAX_CORRECTED,
    SpellingDetector,
    british_forms,
    correction,
    dictionary,
    english_words,
)
from socialguard.rules.model import AccountKind, PolicyContext, RegisterPerson
from socialguard.rules.pack import load_pack_text


def unknown(engine: Engine, text: str, **post: object) -> list[tuple[str, str]]:
    """(word as written, suggested correction) for each unknown word the detector reports."""
    a = engine.analyse(Post(text=text, **post))  # type: ignore[arg-type]
    return [(text[h.start : h.end], h.detail) for h in a.get(KIND)]


@pytest.mark.parametrize(
    "word",
    [
        "colour",
        "colours",
        "organisation",
        "organisations",
        "organised",
        "programme",
        "programmes",
        "centre",
        "centred",
        "licence",
        "enrol",
        "enrolment",
        "travelled",
        "cancelled",
        "catalogue",
        "favourite",
        "behaviour",
        "neighbourhood",
        "defence",
        "jewellery",
        "recognise",
        "analyse",
        "paediatric",
        "practise",
        "whilst",
    ],
)
def test_british_spellings_are_known(word: str) -> None:
    assert word in dictionary()


def test_the_british_forms_file_is_what_the_patterns_make() -> None:
    # Out of date after a change to the patterns or to pyspellchecker: run
    # training/make_british_spellings.py.
    assert json.loads(BRITISH_FILE.read_text(encoding="utf-8")) == british_forms(english_words())


def test_british_forms_do_not_invent_words_from_lookalikes() -> None:
    words = dictionary()
    # size and prize are not American -ize verbs; smile-d and feel-ing double no l; moment is no mom
    for made_up in ("sise", "sised", "prise", "smilled", "feelling", "mument"):
        assert made_up not in words


def test_unknown_words_are_found_with_their_correction(rules_only: Engine) -> None:
    found = unknown(rules_only, "Our new cources start in septmber, with a welcom evening")
    assert found[0] == ("cources", "courses")
    assert [w for w, _ in found] == ["cources", "septmber", "welcom"]
    assert dict(found)["welcom"] == "welcome"


def test_months_and_days_are_suggested_with_a_capital(rules_only: Engine) -> None:
    assert unknown(rules_only, "Our new cources start in septmber") == [
        ("cources", "courses"),
        ("septmber", "September"),
    ]


def test_a_word_missing_an_apostrophe_is_corrected_with_it(rules_only: Engine) -> None:
    assert unknown(rules_only, "Please dont forget your lanyard") == [("dont", "don't")]


def test_no_correction_without_a_frequent_word_one_edit_away() -> None:
    assert correction("zqxjkvbw") == ""
    assert correction("x" * 40) == ""  # longer than any word: not even tried


def test_corrections_keep_the_first_letter() -> None:
    assert correction("mocktails") != "cocktails"
    assert correction("hte") == "the"  # the first two letters swapped is still one edit


def test_personal_posts_are_not_checked(rules_only: Engine) -> None:
    assert unknown(rules_only, "Our new cources start in septmber", account=AccountKind.PERSONAL) == []


@pytest.mark.parametrize(
    "text",
    [
        "Well done to Priya, Callum and Aleksandra, our Apprentices of the Year!",  # names
        "Our campus in Todmorden and Ashton-under-Lyne hosts the fair",  # places
        "Results for BTEC, NVQ and HNC learners are out",  # capitals
        "Thanks @jsmithcollege and @mcrcolleges for the support",  # handles
        "Follow #FEweek and #LoveOurColleges for more",  # hashtags
        "Apply at https://www.example-college.ac.uk/applyy or exmaple.co.uk/enrrol",  # links
        "Questions? Email admissionz@example-college.ac.uk",  # emails
        "Gr8 Expectations opens at 7pm in room B12x",  # digits
        "Our drama learners perform 'The Importance of Being Earnest' in the atrium",
        'Here is what our learners said: "the tutors r ace, honestlyyy"',  # quotations
        "Our learners said it best: ‘the tutors r ace, honestlyyy’",
        "We sell eBay vouchers and iPad cases",  # inner capitals: brands
        "Congrats to the whole teem, ace work on the gig",  # short words are not checked (ace, gig)
    ],
)
def test_what_is_not_a_misspelling_is_skipped(rules_only: Engine, text: str) -> None:
    found = unknown(rules_only, text)
    assert found == [] or all(w == "teem" for w, _ in found), found


def test_a_name_opening_a_sentence_is_not_a_misspelling(rules_only: Engine) -> None:
    assert unknown(rules_only, "Kayden starts his apprenticeship on Monday. Keir visited too.") == []


def test_a_misspelt_first_word_is_found(rules_only: Engine) -> None:
    assert unknown(rules_only, "Thier going to love the new canteen") == [("Thier", "their")]


def test_the_packs_known_words_are_honoured(rules_only: Engine) -> None:
    assert unknown(rules_only, "Ofsted praised our wellbeing webinars, T-levels and EHCP support") == []


def test_an_organisation_adds_and_removes_known_words() -> None:
    text = "Our zorbing and wellbeing sessions start on Monday"
    base = Engine(EXAMPLE_CONTEXT, load_pack_text(None), classifiers=False)
    assert [w for w, _ in unknown(base, text)] == ["zorbing"]
    own = load_pack_text("[lexicons]\nspelling_known = ['zorbing']\n[remove]\nspelling_known = ['wellbeing']")
    engine = Engine(EXAMPLE_CONTEXT, own, classifiers=False)
    assert [w for w, _ in unknown(engine, text)] == ["wellbeing"]


def test_register_and_staff_names_are_skipped() -> None:
    context = PolicyContext(
        staff_names=["bryony kettleworth"],
        register=[RegisterPerson(name="zaynab", kind="learner")],
    )
    engine = Engine(context, classifiers=False)
    text = "well done zaynab, and thanks to bryony kettleworth for the lesson"
    assert unknown(engine, text) == []


def test_corrections_are_capped_per_post(rules_only: Engine) -> None:
    text = " ".join(["qwertyy", "asdfghh", "zxcvbnn", "poiuytt", "lkjhgff", "mnbvcxx"]) + " everyone"
    a = rules_only.analyse(Post(text=text))
    hits = a.get(KIND)
    assert len(hits) == 6  # every unknown word is reported ...
    assert sum(1 for h in hits if h.detail) <= MAX_CORRECTED  # ... but only the first few corrected


def test_the_detector_is_left_out_when_no_rule_reads_it() -> None:
    engine = Engine(EXAMPLE_CONTEXT, load_pack_text("[pack]\nignore = ['QL010']"), classifiers=False)
    assert not any(isinstance(d, SpellingDetector) for d in engine.compiled.detectors)
    assert unknown(engine, "Our new cources start in septmber") == []
