"""The engine's routing of posts through the classifier cascade, derived from the rules' declared scores."""

from __future__ import annotations

import inspect
import os
import signal
from dataclasses import replace

import pytest

from socialguard.rules import Engine, Post
from socialguard.rules.catalogue import SCORES, all_rules
from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT
from socialguard.rules.detectors.classifiers import Cascade, Scores
from socialguard.rules.model import AccountKind
from socialguard.rules.pack import load_pack

# Hostile to a group, no listed word: the offensive cascade alone exits at its early stage.
HATEFUL = "Women should stay in the kitchen where they belong"


def rules_reading(score: str) -> list[str]:
    return [r.code for r in all_rules().values() if score in r.scores]


def test_every_rule_that_reads_scores_declares_them() -> None:
    """A rule that reads `a.scores` without declaring them would see None wherever the fast stage
    decided alone (the routing follows the declarations), so each must declare what it reads."""
    for r in all_rules().values():
        assert set(r.scores) <= set(SCORES), r.code
        reads = ".scores" in inspect.getsource(r.check)
        assert reads == bool(r.scores) == r.uses_classifier, r.code
    assert rules_reading("hate") and rules_reading("sentiment") and rules_reading("offensive")


def test_a_rule_declaring_uses_classifier_without_scores_is_refused() -> None:
    rule = all_rules()["OF002"]
    with pytest.raises(ValueError, match="declare the scores"):
        replace(rule, scores=(), uses_classifier=True)
    with pytest.raises(ValueError, match="unknown score"):
        replace(rule, scores=("toxicity",))


def test_a_hateful_post_the_fast_stages_would_pass_is_caught() -> None:
    """DI002-style routing: the rule reading hate scores runs on every post, so every post gets a
    hate score, however sure the offensive stages are (the old engine sent a post on only when it
    named a listed signal, so this one passed)."""
    (hate_rule,) = rules_reading("hate")
    cascade = Cascade()
    assert cascade.scores([HATEFUL])[0].stage != "transformer"  # offensive alone exits early
    engine = Engine(EXAMPLE_CONTEXT, classifiers=cascade)
    assert "hate" in engine.scores_needed(engine.analyse(Post(text=HATEFUL)))
    assert hate_rule in [f.rule for f in engine.check(Post(text=HATEFUL)).findings]
    (report,) = engine.check_many([Post(text=HATEFUL)])
    assert hate_rule in [f.rule for f in report.findings]


def test_scores_are_asked_for_only_where_a_rule_that_reads_them_runs() -> None:
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    (sentiment_rule,) = rules_reading("sentiment")
    assert all_rules()[sentiment_rule].needs  # it runs only on posts naming someone
    plain = engine.scores_needed(engine.analyse(Post(text="Lovely weather for the open day")))
    named = engine.scores_needed(engine.analyse(Post(text="Digital Marketing Mentor is a joke")))
    assert "sentiment" not in plain and "sentiment" in named
    empty = Engine(
        EXAMPLE_CONTEXT, replace(load_pack(), ignore=rules_reading("sentiment")), classifiers=False
    )
    assert "sentiment" not in empty.scores_needed(
        empty.analyse(Post(text="Digital Marketing Mentor is a joke"))
    )


# Posts naming the organisation or a listed word: the old engine sent each to the whole model.
NAMED = [
    "Thank you Digital Marketing Mentor for a brilliant open day, have a lovely weekend everyone",
    "@user you are a fucking idiot",
    "have a lovely day everyone",
]


def test_a_pack_that_ignores_the_hate_and_sentiment_rules_never_runs_the_whole_model() -> None:
    pack = replace(load_pack(), ignore=[*rules_reading("hate"), *rules_reading("sentiment")])
    cascade = Cascade()
    engine = Engine(EXAMPLE_CONTEXT, pack, classifiers=cascade)
    assert engine.cascade is cascade
    fast = cascade.fast.predict(NAMED)
    assert all(not cascade.low < p < cascade.high for p in fast)  # the fast stage is sure of each
    list(engine.check_many(Post(text=t) for t in NAMED))
    for t in NAMED:
        engine.check(Post(text=t))
    assert cascade.runs() == (0, 0)


def test_a_pack_that_ignores_every_rule_reading_scores_never_runs_the_transformer() -> None:
    ignored = [r.code for r in all_rules().values() if r.scores]
    cascade = Cascade()
    engine = Engine(EXAMPLE_CONTEXT, replace(load_pack(), ignore=ignored), classifiers=cascade)
    posts = [Post(text=t) for t in [*NAMED, HATEFUL, "meh, whatever you think", "ok"]]
    assert [r.findings for r in engine.check_many(posts)] == [engine.check(p).findings for p in posts]
    assert engine.cascade is None and cascade.runs() == (0, 0)


def test_a_rule_reading_offensive_scores_gets_them_in_a_pack_of_its_own() -> None:
    """HA002 reads the offensive score; selected alone it still gets one (it did not declare it
    before, so an engine with only it loaded no classifier and the insult passed)."""
    pack = replace(load_pack(), select=["HA002"])
    engine = Engine(EXAMPLE_CONTEXT, pack)
    assert engine.cascade is not None
    report = engine.check(Post(text="@jo_smith your work is rubbish and so are you"))
    assert [f.rule for f in report.findings] == ["HA002"]


def test_a_file_checked_in_batches_gives_the_findings_of_one_post_at_a_time() -> None:
    """check_many shares the classifier work across a batch (one fast pass, the uncertain posts
    to the transformer together); each post's findings must be those it gets checked alone, and
    no post may run the transformer twice."""
    posts = [
        Post(text=t)
        for t in [
            *NAMED,
            HATEFUL,
            "Digital Marketing Mentor is a shambles, Tom Bradley never answers an email",
            "Tom Bradley is a useless idiot",
            "meh, whatever you think",
            "Stop whining and get on with the coursework",
            "ok",
            "",
            "So proud of our learners at DMM today!",
        ]
    ]
    batched, alone = Cascade(), Cascade()
    by_batch = [r.findings for r in Engine(EXAMPLE_CONTEXT, classifiers=batched).check_many(posts, 4)]
    one_engine = Engine(EXAMPLE_CONTEXT, classifiers=alone)
    by_post = [one_engine.check(p).findings for p in posts]
    assert by_batch == by_post
    assert any(by_batch) and batched.runs() == alone.runs()  # the same transformer runs either way
    lower, whole = batched.runs()
    assert 0 < lower < len(posts) and whole <= lower  # only the uncertain posts, each at most once


# Swearing the profanity rule flags itself; the fast stage is unsure whether it is offensive, and
# the hate head is sure it is not hateful.
PROFANE_UNSURE = "Bloody hell, Monday again"


def test_a_post_whose_swearing_decides_the_offensive_rules_is_not_scored_for_offensive() -> None:
    """OF002 and HA002 decide without the offensive score where the post has a listed swear word
    (OF001 flags it), so they declare it (`scores_unless`) and the post skips the transformer."""
    cascade = Cascade()
    engine = Engine(EXAMPLE_CONTEXT, classifiers=cascade)
    analysis = engine.analyse(Post(text=PROFANE_UNSURE))
    assert analysis.has("lexicon:profanity")
    assert cascade.low < cascade.fast.predict([PROFANE_UNSURE])[0] < cascade.high  # fast is unsure
    assert engine.scores_needed(analysis) == {"hate"}  # DI002 still reads hate, on every post
    (report,) = engine.check_many([Post(text=PROFANE_UNSURE)])
    assert [f.rule for f in report.findings] == ["OF001"]
    assert cascade.runs() == (0, 0)  # the hate gate was shut and nothing else needed the model
    # Without swearing the same unsure post goes on to the transformer for OF002.
    engine.check(Post(text="Honestly, Monday again"))
    plain = engine.scores_needed(engine.analyse(Post(text="Honestly, Monday again")))
    assert "offensive" in plain


SCORE_CASES = [
    Scores(offensive=0.0, hate=0.0, negative=0.0, positive=1.0),
    Scores(offensive=1.0, hate=1.0, negative=1.0, positive=0.0, stage="transformer"),
    None,
]


@pytest.mark.parametrize(
    "text",
    [
        "@jo_smith you absolute clown",
        "Tom Bradley is a useless idiot",
        "@jo_smith what a fucking mess you made",
        PROFANE_UNSURE,
        "you are shit at this, Tom Bradley",
    ],
)
def test_a_rule_decides_without_its_scores_where_it_says_it_does(text: str) -> None:
    """The engine does not score a post for a rule when the post has one of the rule's
    `scores_unless` hits: the rule's findings must then be the same whatever the scores."""
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    analysis = engine.analyse(Post(text=text))
    checked = 0
    for r in all_rules().values():
        if not r.scores_unless or not analysis.has(*r.scores_unless):
            continue
        found = []
        for scores in SCORE_CASES:
            analysis.set_scores(scores)
            found.append([(f.start, f.end, f.message) for f in r.check(analysis, engine.compiled)])
        assert found[0] == found[1] == found[2], (r.code, text)
        checked += 1
    assert checked


def test_scores_unless_needs_scores() -> None:
    with pytest.raises(ValueError, match="scores_unless without scores"):
        replace(all_rules()["OF001"], scores_unless=("lexicon:profanity",))


def test_a_reader_that_stops_early_leaves_the_engine_working() -> None:
    """check_many scores the next batch on a background thread while this one is evaluated; a
    caller that stops reading part-way must not block or disturb the next call."""
    engine = Engine(EXAMPLE_CONTEXT)
    posts = [Post(text=t) for t in [*NAMED, HATEFUL, "Tom Bradley is a useless idiot"] * 4]
    reports = engine.check_many(posts, 3)
    first = next(reports)
    reports.close()
    again = list(engine.check_many(posts, 3))
    assert again[0].findings == first.findings
    assert [r.findings for r in again] == [engine.check(p).findings for p in posts]


def test_a_forked_process_scores_batches_on_a_thread_of_its_own() -> None:
    """A child forked after the parent checked a file in several batches has the engine's scoring
    executor and the process's reader pool (the policy encoder's) but not their threads: it must
    start its own, not wait for ever."""
    engine = Engine(EXAMPLE_CONTEXT)
    texts = [*NAMED, HATEFUL, "Tom Bradley is a useless idiot", "DMM is a joke and its tutors are useless"]
    posts = [Post(text=t) for t in texts * 2]
    assert engine.analyse(posts[-1], finish=False).later  # one the encoder reads, on a reader thread
    expected = [r.findings for r in engine.check_many(posts, 2)]
    pid = os.fork()
    if pid == 0:  # the child: killed by the alarm if it hangs
        signal.alarm(60)
        os._exit(0 if [r.findings for r in engine.check_many(posts, 2)] == expected else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_warming_up_pays_the_first_posts_costs_once_and_changes_no_finding() -> None:
    from socialguard.rules.detectors.links import _suffixes
    from socialguard.rules.detectors.policy_model import PolicyModelDetector
    from socialguard.rules.detectors.spelling import dictionary

    posts = [Post(text=t) for t in [*NAMED, HATEFUL, "Read https://www.bbc.co.uk/news today"]]
    cold = [Engine(EXAMPLE_CONTEXT).check(p).findings for p in posts]
    _suffixes.cache_clear()
    dictionary.cache_clear()
    cascade = Cascade()
    engine = Engine(EXAMPLE_CONTEXT, classifiers=cascade)
    learned = [d for d in engine.compiled.detectors if isinstance(d, PolicyModelDetector)]
    assert learned and cascade._transformer is None
    for d in learned:
        d.model._example_vectors = {}  # shared by engines: another test's check may have made them
    engine.warm_up()
    assert cascade._transformer is not None  # loaded, and run once ...
    assert cascade.runs() == (0, 0)  # ... without counting as a post's run
    assert _suffixes.cache_info().currsize == 1
    assert dictionary.cache_info().currsize == 1
    assert all(len(d.model._example_vectors) == len(d.model.categories) for d in learned)
    assert [engine.check(p).findings for p in posts] == cold


@pytest.mark.parametrize(
    ("text", "rule", "marked"),
    [
        # Invisible characters inside a word: zero-width space, Hangul filler, soft hyphen, joiner.
        ("This company is s\u200bhit.", "OF001", "s\u200bhit"),
        ("This company is s\u3164hit.", "OF001", "s\u3164hit"),
        ("This company is s\u00adhit.", "OF001", "s\u00adhit"),
        ("Learners, a\u200bdd m\u200be on W\u200bhatsApp", "LC003", "a\u200bdd m\u200be on"),
        ("W\u200bomen just aren't cut out for the construction trades", "DI003", "W\u200bomen"),
        # Letters from other scripts that look Latin, and small capitals.
        ("This company is sh\u0456t.", "OF001", "sh\u0456t"),
        ("W\u043emen just aren't cut out for the construction trades", "DI003", "W\u043emen"),
        ("ʏᴏᴜ ᴀʀᴇ ᴀ ᴄᴜɴᴛ", "OF001", "ᴄᴜɴᴛ"),
        # Letters stretched three times or more, and a spaced-out word after "a".
        ("This place is shiiiit", "OF001", "shiiiit"),
        ("fffuuuccckkk you", "OF001", "fffuuuccckkk"),
        ("You are a c u n t", "OF001", "c u n t"),
    ],
)
def test_what_does_not_show_does_not_hide_a_word(
    rules_only: Engine, text: str, rule: str, marked: str
) -> None:
    """Found by trying to get past the checks (session 29); the finding marks the text as written."""
    report = rules_only.check(Post(text=text, account=AccountKind.PERSONAL))
    assert report.post.text == text
    spans = {text[f.start : f.end] for f in report.findings if f.rule == rule}
    assert marked in spans, report.findings


@pytest.mark.parametrize(
    "text",
    [
        "Привет, как дела?",
        "Καλημέρα σε όλους",
        "👨\u200d👩\u200d👧 family fun day!",
        "Soooo good!!! Yessss",
        "Helllllo everyone",
    ],
)
def test_other_scripts_emoji_and_stretched_words_stay_as_they_are(rules_only: Engine, text: str) -> None:
    assert not rules_only.check(Post(text=text, account=AccountKind.PERSONAL)).findings


@pytest.mark.parametrize(
    "text",
    [
        "you are a disgusting pathetic idiot and everyone hates you",
        "Our manager Dave has been stealing from the tills for months and everyone knows it",
    ],
)
def test_the_models_read_a_post_without_its_invisible_characters(engine: Engine, text: str) -> None:
    """Zero-width spaces between every letter blinded the classifiers too; alone or in a file,
    a post reads as it would without them."""
    hidden = "\u200b".join(text)
    plain = {(f.rule, f.category) for f in engine.check(Post(text=text)).findings}
    alone = {(f.rule, f.category) for f in engine.check(Post(text=hidden)).findings}
    (in_a_file,) = engine.check_many([Post(text=hidden)])
    assert alone == plain == {(f.rule, f.category) for f in in_a_file.findings}
    assert plain


def test_the_transformer_reads_a_post_without_its_invisible_characters(engine: Engine) -> None:
    text = "\u200b".join("you are a disgusting pathetic idiot and everyone hates you")
    assert "OF002" in {f.rule for f in engine.check(Post(text=text)).findings}
