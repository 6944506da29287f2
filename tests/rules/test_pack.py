"""Policy packs: select/ignore like ruff, severity overrides, added lexicons, clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from socialguard.rules import Engine, Post
from socialguard.rules.catalogue import all_rules
from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT
from socialguard.rules.detectors.lexicon import Automaton
from socialguard.rules.pack import (
    DEFAULT_PACK,
    DMM_PACK,
    MAX_PACK_CHARS,
    UNMAPPED,
    Catalogue,
    Pack,
    PackError,
    load_pack,
    load_pack_text,
    validate,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(text)
    return path


def test_select_and_ignore_follow_ruffs_rule() -> None:
    pack = Pack(select=["ALL"], ignore=["QL"])
    assert pack.is_selected("OF001") and not pack.is_selected("QL001")
    assert Pack(select=["QL001"], ignore=["QL"]).is_selected("QL001")  # more specific select wins
    assert not Pack(select=["QL"], ignore=["QL"]).is_selected("QL002")  # equal: ignore wins
    assert not Pack(select=["OF"]).is_selected("PD001")


def test_overrides_and_added_lexicon(tmp_path: Path) -> None:
    pack = load_pack(
        write(
            tmp_path,
            """
[pack]
ignore = ["QL"]
[severity]
PD002 = "block"
[lexicons]
profanity = ["blimey"]
[confidential]
terms = ["Operation Swan"]
""",
        )
    )
    engine = Engine(EXAMPLE_CONTEXT, pack, classifiers=False)
    report = engine.check(Post(text="Blimey, call 07912 345678. Our organization"))
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["PD002"].severity == "block"
    assert "OF001" in by_rule and "QL002" not in by_rule
    assert "shit" in pack.lexicons["profanity"]  # default terms kept
    assert pack.confidential_terms == ["Operation Swan"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[pak]\nname='x'", "line 1: [pak]: unknown section"),
        ("[pack]\nselekt=['ALL']", "[pack] selekt: unknown key"),
        ("[pack]\nselect='ALL'", "[pack] select: expected a list of strings"),
        ("[pack]\nselect=['ZZ']", "[pack] select: 'ZZ' matches no rule code or prefix"),
        ("[severity]\nOF001='blocker'", "[severity] OF001: 'blocker' is not a severity"),
        ("[severity]\nXX001='block'", "[severity] XX001: no rule has this code"),
        ("[lexicons]\nprofanity='x'", "[lexicons] profanity: expected a list of strings"),
        ("[links]\nallowed_domains=[1]", "[links] allowed_domains: expected a list of strings"),
        ("not toml at all [", "not valid TOML"),
        ("x = " + "[" * 5000 + "]" * 5000, "not valid TOML: arrays or tables nested too deeply"),
    ],
)
def test_invalid_pack_names_key_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PackError) as err:
        load_pack(path)
    assert str(path) in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[lexicons]\nprofanty = ['x']", "line 2: [lexicons] profanty: no lexicon has this name"),
        (
            "[remove]\nprofanity = ['shit']\ninsults = ['pig']",
            "line 3: [remove] insults: no lexicon has this name",
        ),
        (
            "[remove]\nprofanity = ['blimey']",
            "line 2: [remove] profanity: 'blimey' is not a term of the base",
        ),
        ("[allow]\nslurs = ['x']", "line 2: [allow] slurs: no lexicon has this name"),
        ("\n[clauses]\n'5.9' = '4.1'", "line 3: [clauses] 5.9: neither a rule code nor a clause"),
        ("[clauses]\nOF001 = 4", "line 2: [clauses] OF001: expected your clause number as a string"),
        ("[severity]\n\nOF001 = 'high'", "line 3: [severity] OF001: 'high' is not a severity"),
    ],
)
def test_unknown_lexicon_key_and_code_refused_with_line_and_reason(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PackError) as err:
        load_pack(path)
    assert f"{path}, {message}" in str(err.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PackError) as err:
        load_pack_text("[severity]\nXX001 = 'block'\n[lexicons]\nnope = ['x']", "our pack")
    first, second = err.value.errors
    assert first == "our pack, line 2: [severity] XX001: no rule has this code"
    assert second.startswith("our pack, line 4: [lexicons] nope: no lexicon has this name; the lexicons are ")
    # A near miss names the lexicon meant instead of listing them all.
    with pytest.raises(PackError) as typo:
        load_pack_text("[lexicons]\ninsutl = ['flibbertigibbet']\n", "our pack")
    assert typo.value.errors == [
        "our pack, line 2: [lexicons] insutl: no lexicon has this name; did you mean insult?"
    ]
    assert "profanity" in second


def test_base_pack_names_no_organisation_and_dmm_pack_does() -> None:
    base, dmm = load_pack(), load_pack(DMM_PACK)
    assert base.organisation_names == [] and base.organisation_handles == []
    assert "Digital Marketing Mentor" not in base.disclaimer
    assert "digitalmarketingmentor.co.uk" not in base.allowed_domains
    assert dmm.organisation_names[0] == "Digital Marketing Mentor"
    assert dmm.disclaimer.endswith("views of Digital Marketing Mentor.")
    named = load_pack_text("[organisation]\nnames = ['Northfield College']")
    assert named.disclaimer.endswith("views of Northfield College.")


def test_remove_drops_a_base_term_for_this_organisation() -> None:
    post = Post(text="Crap, what a result for our learners")
    before = Engine(EXAMPLE_CONTEXT, load_pack(), classifiers=False).check(post)
    pack = load_pack_text("[remove]\nprofanity = ['crap']")
    after = Engine(EXAMPLE_CONTEXT, pack, classifiers=False).check(post)
    assert "crap" in load_pack().lexicons["profanity"] and "crap" not in pack.lexicons["profanity"]
    assert "Crap" in {post.text[f.start : f.end] for f in before.findings}
    assert "Crap" not in {post.text[f.start : f.end] for f in after.findings}


def test_allow_keeps_place_names_and_titles_from_matching() -> None:
    text = "Our learners from Twatt in Orkney saw the panto"
    base = Engine(EXAMPLE_CONTEXT, load_pack(), classifiers=False).check(Post(text=text))
    assert "Twatt" in {text[f.start : f.end] for f in base.findings}
    pack = load_pack_text("[allow]\nprofanity = ['Twatt']")
    allowed = Engine(EXAMPLE_CONTEXT, pack, classifiers=False).check(Post(text=text))
    assert "Twatt" not in {text[f.start : f.end] for f in allowed.findings}
    # Only inside the phrase: the word on its own still counts.
    alone = Engine(EXAMPLE_CONTEXT, pack, classifiers=False).check(Post(text="He is a twat"))
    assert "twat" in {f.message.split("'")[1] for f in alone.findings if f.rule == "OF001"}


def test_clause_mapping_cites_the_organisations_numbers_and_says_when_none() -> None:
    text = "Blimey this is shit, call 07912 345678"
    pack = load_pack_text("[clauses]\n'5.2' = '7.3'\nPD002 = ''")
    pack.clause_texts = {"7.3": "7.3 Conduct online: be professional."}
    report = Engine(EXAMPLE_CONTEXT, pack, classifiers=False).check(Post(text=text))
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["OF001"].clause == "7.3"
    assert by_rule["OF001"].as_dict()["clause_text"] == "7.3 Conduct online: be professional."
    assert by_rule["PD002"].clause == "" and by_rule["PD002"].clause_text == UNMAPPED
    assert UNMAPPED == "This rule maps to no clause of your policy."
    # Without [clauses] the engine's own keys are cited, as before.
    plain = Engine(EXAMPLE_CONTEXT, load_pack(), classifiers=False).check(Post(text=text))
    assert {f.rule: f.clause for f in plain.findings}["OF001"] == "5.2"
    assert "clause_text" not in plain.findings[0].as_dict()


def test_the_documented_example_pack_is_valid(tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Policy packs") :]
    example = section[section.index("```toml") + 7 : section.index("```", section.index("```toml") + 7)]
    pack = load_pack(write(tmp_path, example))
    assert pack.clauses == {"5.2": "7.3", "Do's": "8", "CP001": ""}
    assert "crap" not in pack.lexicons["profanity"] and "Twatt" in pack.allow["profanity"]


def test_the_learned_model_does_not_read_a_term_the_organisation_removed_or_allowed() -> None:
    """An organisation that drops 'crap' from profanity must not see the learned offensive rule
    flag the word instead; the same for allowed phrases."""
    post = Post(text="What a load of crap")
    base = Engine(EXAMPLE_CONTEXT, load_pack(), classifiers=False)
    assert base.analyse(post).has("ml:offensive")  # the model alone reads 'crap' as offensive
    pack = load_pack_text("[remove]\nprofanity = ['crap']")
    after = Engine(EXAMPLE_CONTEXT, pack, classifiers=False).check(post)
    assert not [f for f in after.findings if f.category == "offensive"], after.findings
    allowed = load_pack_text("[allow]\nprofanity = ['What a load of crap']")
    kept = Engine(EXAMPLE_CONTEXT, allowed, classifiers=False).check(post)
    assert not [f for f in kept.findings if f.category == "offensive"], kept.findings


def test_an_organisations_own_signposting_keeps_a_safeguarding_message_from_reading_as_disparagement() -> (
    None
):
    """DP001 reads a worried message that names a colleague as negative about them, unless it sends
    people to help: the base `signposting` lexicon (safeguarding lead, Childline, 999…) and the
    organisation's own terms for its services, added in its pack."""
    post = Post(
        text="Frightened, hurt or worried about abuse at home? Tom Bradley at our Wellbeing Hub will listen, in confidence."
    )
    base = Engine(EXAMPLE_CONTEXT, load_pack()).check(post)
    assert [f.rule for f in base.findings] == ["DP001"]
    own = Engine(EXAMPLE_CONTEXT, load_pack_text("[lexicons]\nsignposting = ['wellbeing hub']"))
    assert not own.check(post).findings
    # A disparaging word still counts beside the organisation's signposting.
    rude = Post(
        text="Worried about abuse at home? Don't bother with Tom Bradley at our Wellbeing Hub, he's useless."
    )
    assert "DP001" in {f.rule for f in own.check(rude).findings}


EMPTY = "is empty once spaces and the trailing * are taken off, so it matches nothing"
ONE_LETTER = "is a single letter or digit, which is never matched; write the whole word"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[lexicons]\ninsult = ['']", f"line 2: [lexicons] insult: '' {EMPTY}"),
        ("[lexicons]\ninsult = ['   ']", f"line 2: [lexicons] insult: '   ' {EMPTY}"),
        ("[lexicons]\ninsult = ['*']", f"line 2: [lexicons] insult: '*' {EMPTY}"),
        ("[lexicons]\n\nprofanity = ['blimey', 'a*']", f"line 3: [lexicons] profanity: 'a*' {ONE_LETTER}"),
        ("[lexicons]\nprofanity = ['7']", f"line 2: [lexicons] profanity: '7' {ONE_LETTER}"),
        ("[allow]\nprofanity = ['']", f"line 2: [allow] profanity: '' {EMPTY}"),
        ("[allow]\nprofanity = ['*']", f"line 2: [allow] profanity: '*' {EMPTY}"),
        ("[links]\nallowed_domains = ['gov.uk', '']", "line 2: [links] allowed_domains: '' is empty"),
        (
            "[links]\nallowed_domains = ['*']",
            "line 2: [links] allowed_domains: '*': a wildcard allows nothing",
        ),
        (
            "[links]\nallowed_domains = ['*.gov.uk']",
            "line 2: [links] allowed_domains: '*.gov.uk': a wildcard",
        ),
        (
            "[links]\nallowed_domains = ['localhost']",
            "line 2: [links] allowed_domains: 'localhost' is not a domain",
        ),
        ("[confidential]\nterms = [' ']", f"line 2: [confidential] terms: ' ' {EMPTY}"),
        ("[organisation]\nnames = ['X']", f"line 2: [organisation] names: 'X' {ONE_LETTER}"),
    ],
)
def test_an_entry_that_would_do_nothing_is_refused_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PackError) as err:
        load_pack(path)
    assert f"{path}, {message}" in err.value.errors[0]
    assert len(err.value.errors) == 1


def test_every_entry_that_does_nothing_is_reported_at_once() -> None:
    text = "[lexicons]\ninsult = ['', '*']\n[links]\nallowed_domains = ['*', '']\n"
    with pytest.raises(PackError) as err:
        load_pack_text(text, "our pack")
    assert [e.split(": ", 2)[1:] for e in err.value.errors] == [
        ["[lexicons] insult", f"'' {EMPTY}"],
        ["[lexicons] insult", f"'*' {EMPTY}"],
        ["[links] allowed_domains", "'*': a wildcard allows nothing; write the domain (gov.uk allows its subdomains too)"],
        ["[links] allowed_domains", "'' is empty, so it allows nothing"],
    ]  # fmt: skip


def test_what_the_validator_refuses_is_what_the_matcher_skips() -> None:
    """An emoji, a two-letter word, a prefix and a handle's @ are real terms; the refused ones are
    exactly those the Automaton drops."""
    kept = ["🖕", "🤬 ", "ok", "wank*", "@x", "ß"]
    pack = load_pack_text("[lexicons]\ninsult = " + repr(kept) + "\n[allow]\nprofanity = ['🍆']")
    assert pack.lexicons["insult"][-len(kept) :] == kept
    assert Automaton({"k": kept}, plain=True).automaton.get_stats()["words_count"] == len(kept)
    assert Automaton({"k": ["", "  ", "*", "a*", "7"]}, plain=True).empty


def test_an_organisation_pack_already_in_use_loads_without_the_strict_checks() -> None:
    """A version saved before these checks keeps working (the matcher skips its empty term) rather
    than be dropped for the base pack; only a proposal is refused."""
    text = "[lexicons]\ninsult = ['', 'numpty']\n"
    with pytest.raises(PackError):
        load_pack_text(text)
    assert "numpty" in load_pack_text(text, strict=False).lexicons["insult"]
    assert load_pack_text("#" * (MAX_PACK_CHARS + 1), strict=False).name == ""


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[pack]\nselect = []", "line 2: [pack] select"),
        ("[pack]\nname = 'x'\nignore = ['ALL']", "line 3: [pack] ignore"),
        ("[pack]\nselect = ['OF']\nignore = ['OF']", "line 2: [pack] select"),
    ],
)
def test_a_pack_that_selects_no_rule_is_refused(text: str, where: str) -> None:
    """Every post would pass unchecked; a pack already in use that does so still loads (as written)."""
    with pytest.raises(PackError) as err:
        load_pack_text(text)
    assert f"{where}: selects no rule, so every post would pass unchecked" in str(err.value)
    pack = load_pack_text(text, strict=False)
    assert not any(pack.is_selected(code) for code in all_rules())
    assert load_pack_text("[pack]\nselect = ['OF']").is_selected("OF001")


def test_the_base_and_demo_packs_have_no_entry_that_does_nothing() -> None:
    text = DEFAULT_PACK.read_text(encoding="utf-8")
    assert validate(tomllib.loads(text), text, "base", Catalogue.current()) == []
    load_pack(DMM_PACK)  # strict by default


def test_a_pack_over_the_size_limit_is_refused_before_it_is_read_saying_its_size_and_the_limit() -> None:
    text = "[lexicons]\nprofanity = [" + ", ".join(f"'word{i:06d}'" for i in range(17_000)) + "]\n"
    assert len(text) > MAX_PACK_CHARS
    with pytest.raises(PackError) as err:
        load_pack_text(text, "our pack")
    assert err.value.errors == [
        f"our pack: the pack is {len(text):,} characters long; a pack may have at most 200,000"
    ]
    # Not valid TOML either: the size is all it says, as nothing was parsed.
    with pytest.raises(PackError) as err:
        load_pack_text("[" * (MAX_PACK_CHARS + 1), "our pack")
    assert err.value.errors == [
        "our pack: the pack is 200,001 characters long; a pack may have at most 200,000"
    ]
    load_pack_text("#" * MAX_PACK_CHARS)  # the limit itself is allowed
