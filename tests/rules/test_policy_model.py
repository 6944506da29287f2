"""The learned policy detector (rules/detectors/policy_model.py) and its rules (catalogue/learned.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from socialguard.rules import Engine, Post
from socialguard.rules.catalogue import all_rules
from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT
from socialguard.rules.catalogue.learned import LEARNED
from socialguard.rules.detectors.policy_model import (
    CATEGORY_FLOORS,
    ENCODER_META_PATH,
    ENCODER_PATH,
    MODEL_PATH,
    PolicyEncoder,
    PolicyModel,
    PolicyModelDetector,
    about_work,
    encoder_input,
    features,
    meta_tokens,
    read_at_work,
    sentences,
    shared_encoder,
)
from socialguard.rules.model import AccountKind
from socialguard.rules.pack import load_pack
from socialguard.rules.text import words_to_learn_from

ROOT = Path(__file__).resolve().parents[2]
PERSONAL = AccountKind.PERSONAL
LEARNED_CODES = {code for code, *_ in LEARNED.values()}


def training_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_policy", ROOT / "training" / "train_policy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_policy"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def model() -> PolicyModel:
    return PolicyModel.load()


@pytest.fixture(scope="module")
def patterns_only() -> Engine:
    """The same engine without the learned rules: what the pattern rules alone find."""
    pack = load_pack()
    pack.ignore = [*pack.ignore, "ML"]
    return Engine(EXAMPLE_CONTEXT, pack)


def test_model_file_has_exactly_what_the_training_script_writes(model: PolicyModel) -> None:
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        keys = set(data.files)
    assert keys == set(training_script().MODEL_ARRAYS)
    assert len(model.categories) == len(model.thresholds) == model.weights.shape[1] == len(model.biases)
    assert model.weights.shape[0] == len(model.idf)
    assert (model.thresholds > 0).all() and (model.thresholds < 1).all()
    # Every example for "reads like" belongs to a category the model has.
    assert set(model.example_categories.tolist()) == set(range(len(model.categories)))
    # a small file in the repository (4.4 MB at 18,701 posts, 5.3 MB at 24,602, 6.0 MB at 30,794)
    assert MODEL_PATH.stat().st_size < 6_500_000


def test_thresholds_were_chosen_with_the_run_times_floors_in_place() -> None:
    """A threshold below its category's floor spent must-pass budget on posts the rule never flags."""
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        trained = dict(zip(data["categories"].tolist(), data["thresholds"].tolist(), strict=True))
    for category, floor in CATEGORY_FLOORS.items():
        assert trained[category] >= floor, (category, trained[category], floor)


def test_training_takes_the_higher_of_the_given_and_the_run_times_floors() -> None:
    categories = ["discrimination", "grievance", "harassment", "offensive", "personal-data"]
    floors = training_script().category_floors(categories, {"grievance": 0.6, "harassment": 0.5})
    assert floors == {
        0: CATEGORY_FLOORS["discrimination"],
        1: 0.6,
        2: CATEGORY_FLOORS["harassment"],  # the run time's 0.95, not the lower one given
        3: CATEGORY_FLOORS["offensive"],
    }


def test_training_vectoriser_matches_run_time(model: PolicyModel) -> None:
    """The training script's features are the product's: same hashing, same vector for a post."""
    train = training_script()
    assert model.bits == train.BITS
    texts = ["Fed up with my manager", "Results day! Well done all 🎉"]
    vec = train.vectoriser(texts, [[], []], model.char_sizes, min_df=1)
    rows, values = vec.vector(texts[0], [])
    assert abs(float(values @ values) - 1.0) < 1e-5
    assert len(rows) == len(set(features(texts[0], [], model.bits, model.char_sizes)))


def test_the_model_scores_a_post_the_same_alone_and_in_a_batch(model: PolicyModel) -> None:
    """probabilities_many sums each post's own features in its own order: the same figures for a
    post whatever the batch around it, and the per-post vector's figures to float precision."""
    texts = ["Fed up with my manager", "", "Café crème @jo_smith", "Results day! Well done all 🎉", "ok"]
    metas = [["__account_personal__"], [], ["__reply__"], ["__account_organisational__"], []]
    together = model.probabilities_many(texts, metas)
    alone = np.vstack([model.probabilities(t, m) for t, m in zip(texts, metas, strict=True)])
    assert np.array_equal(together, alone)
    for text, meta, row in zip(texts, metas, together, strict=True):
        rows, values = model.vector(text, meta)
        expected = 1.0 / (1.0 + np.exp(-(values @ model.weights[rows] + model.biases)))
        assert np.allclose(row, expected, atol=1e-6)


def test_every_learned_category_has_one_rule_citing_its_categorys_clause(model: PolicyModel) -> None:
    rules = all_rules()
    learned = {r.category: r for r in rules.values() if r.code.startswith("ML")}
    assert set(learned) == set(LEARNED) == set(model.categories) - {"data-request"}
    for category, r in learned.items():
        pattern_clauses = {
            p.clause for p in rules.values() if p.category == category and not p.defers_to_category
        }
        assert r.clause in pattern_clauses, (r.code, r.clause, pattern_clauses)
        assert r.severity == "review" and r.defers_to_category and r.needs == (f"ml:{category}",)


@pytest.mark.parametrize("category", list(LEARNED))
def test_a_breach_in_wording_the_patterns_miss_is_caught(
    engine: Engine, patterns_only: Engine, category: str
) -> None:
    code, _clause, _what, _why, examples = LEARNED[category]
    post = next(e.post for e in examples if e.flagged)
    missed = [
        f
        for f in patterns_only.check(post).findings
        if f.category == category and f.severity in ("review", "block")
    ]
    assert not missed, f"the patterns already catch {post.text!r}: pick wording they miss"
    caught = [f for f in engine.check(post).findings if f.rule == code]
    assert caught and caught[0].category == category and caught[0].severity == "review"


@pytest.mark.parametrize(
    "text",
    [
        "Results day! Congratulations to every learner who collected their grades today 🎉",
        "Our Ofsted report is out: we've been graded Good. Thank you to everyone.",
        "Mental Health Awareness Week: drop-in sessions in the library every lunchtime.",
        "Our bake sale raised £412 for the local hospice! Thank you all 🍰",
        "We're hiring: Lecturer in Construction, full time. Apply on our website by 14 March.",
        "If you're worried about a learner's safety, contact our safeguarding team.",
        "We are very sad to share that our former colleague Anne has died. Our thoughts are with her family.",
        "Eid Mubarak to all our learners and staff celebrating today 🌙",
        "Free webinar on Tuesday: apprenticeship funding explained. Register on Eventbrite.",
        "Open evening on Wednesday 5-7pm. Meet the tutors and tour the workshops.",
    ],
)
def test_ordinary_posts_pass(engine: Engine, text: str) -> None:
    report = engine.check(Post(text=text))
    learned = [f for f in report.findings if f.rule in LEARNED_CODES]
    assert not learned, learned


def test_the_finding_names_its_evidence(engine: Engine) -> None:
    post = LEARNED["grievance"][4][0].post
    finding = next(f for f in engine.check(post).findings if f.rule == "ML001")
    assert "reads like: \u201c" in finding.message
    quoted = finding.message.split(": ", 1)[1].split("; reads like")[0]
    words = [w.strip("'") for w in quoted.split(", ")]
    assert words and all(w.lower() in post.text.lower() for w in words), finding.message
    # The finding points at the first evidence word in the post.
    assert post.text[finding.start : finding.end].lower() == words[0].lower()


def test_no_second_finding_where_a_pattern_rule_of_the_category_fired(engine: Engine) -> None:
    """A post both a pattern rule and the model flag is reported once, by the pattern rule."""
    post = Post(text="Any of my learners want help? Add me on Snapchat 👻", account=PERSONAL)
    analysis = engine.analyse(post)
    assert analysis.has("ml:learner-contact")  # the model sees it too ...
    findings = engine.check(post).findings
    assert [f.rule for f in findings if f.category == "learner-contact"] == ["LC003"]  # ... LC003 reports


def test_a_pack_can_ignore_the_learned_rules(patterns_only: Engine) -> None:
    assert not [r for r in patterns_only.rules if r.code.startswith("ML")]
    post = LEARNED["defamation"][4][0].post
    assert not [f for f in patterns_only.check(post).findings if f.rule.startswith("ML")]


# --- the second reader: the policy encoder (PolicyEncoder) -------------------------------------

# Written for this test (not in any training or benchmark file): the n-gram model rates it below
# disparagement's threshold; the encoder reads it as disparaging the organisation's own course.
ENCODER_ONLY = Post(
    text="Our new marketing course is chaos, half the tutors have no clue what they're teaching.",
    account=PERSONAL,
)


@pytest.fixture(scope="module")
def encoder() -> PolicyEncoder:
    found = shared_encoder()
    assert found is not None, "the policy encoder ships with the product (rules/models/policy-encoder.onnx)"
    return found


def encoder_script() -> ModuleType:
    training_script()  # train_policy_encoder imports it
    path = ROOT / "training" / "train_policy_encoder.py"
    spec = importlib.util.spec_from_file_location("train_policy_encoder", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_encoder_has_the_models_categories_and_its_floors(
    encoder: PolicyEncoder, model: PolicyModel
) -> None:
    assert encoder.categories == model.categories
    assert 0 < encoder.gate <= 1
    assert ((encoder.thresholds > 0.5) & (encoder.thresholds < 1)).all()
    # The floors that keep tweets clean (check_policy_tweets.py --engine) hold in the shipped file.
    parser_defaults = {"offensive": 0.87, "discrimination": 0.96, "harassment": 0.98}
    for category, floor in {**CATEGORY_FLOORS, **parser_defaults}.items():
        assert encoder.thresholds[encoder.categories.index(category)] >= floor, category
    assert ENCODER_PATH.stat().st_size < 30_000_000  # int8, ~23 MB


def test_posts_about_work_are_read_below_the_floors_for_tweets(encoder: PolicyEncoder) -> None:
    """The floors keep the encoder quiet on tweets; a post about work is read at the common threshold."""
    common = float(np.median(encoder.thresholds))
    for category in ("offensive", "discrimination", "harassment"):
        k = encoder.categories.index(category)
        assert encoder.thresholds_at_work[k] == pytest.approx(common), category
        assert common < encoder.thresholds[k], category
    others = [k for k in range(len(encoder.categories)) if encoder.thresholds[k] == pytest.approx(common)]
    assert (encoder.thresholds_at_work[others] == encoder.thresholds[others]).all()


def test_a_threat_to_a_colleague_is_flagged_where_the_same_words_in_a_tweet_are_not() -> None:
    pack = load_pack()
    pack.ignore = [*pack.ignore, "HA006"]  # the pile-on rule flags both; this is the encoder's floor
    engine = Engine(EXAMPLE_CONTEXT, pack)

    def harassment(text: str) -> list[str]:
        found = engine.check(Post(text=text, account=PERSONAL)).findings
        return [f.rule for f in found if f.category == "harassment"]

    # The encoder rates both between the common threshold and harassment's floor for tweets.
    assert harassment("Found her Facebook. Anyone fancy leaving her a few comments? 😏") == []
    assert harassment("Found my colleague's Facebook. Anyone fancy leaving her a few comments? 😏") == [
        "ML011"
    ]


def test_the_gate_is_lower_for_posts_about_work(encoder: PolicyEncoder, model: PolicyModel) -> None:
    """Two posts the n-gram model rates between the two gates: the encoder reads the one about work."""
    assert 0 < encoder.gate_at_work < encoder.gate
    detector = PolicyModelDetector(model, encoder=encoder)
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    read = {}
    for text in (
        "Long day with the apprentices, not doing that again.",
        "Long day with the builders, not doing that again.",
    ):
        analysis = engine.analyse(Post(text=text, account=PERSONAL), finish=False)
        rated = float((model.probabilities(text, meta_tokens(analysis)) / model.thresholds).max())
        assert encoder.gate_at_work <= rated < encoder.gate, text  # the premise
        detector.detect(analysis)
        read[text.split()[4]] = len(analysis.later)
    assert read == {"apprentices,": 1, "builders,": 0}


def test_an_encoder_file_without_the_at_work_keys_keeps_its_floors_and_gate(tmp_path: Path) -> None:
    meta = ENCODER_META_PATH.read_text(encoding="utf-8")
    data = json.loads(meta)
    del data["thresholds_at_work"], data["gate_at_work"]
    older = tmp_path / "policy-encoder.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    encoder = PolicyEncoder(ENCODER_PATH, older)
    assert (encoder.thresholds_at_work == encoder.thresholds).all()
    assert encoder.gate_at_work == encoder.gate


def test_the_training_script_reads_posts_as_the_product_does() -> None:
    assert encoder_script().encoder_input is encoder_input
    assert encoder_input("Hi @dmm_college see https://x.org", ["__account_personal__", "__reply__"]) == (
        "personal post ; reply | hi @user see  url "
    )


def test_the_encoder_reads_only_posts_the_gate_lets_through(
    encoder: PolicyEncoder, model: PolicyModel
) -> None:
    detector = PolicyModelDetector(model, encoder=encoder)
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)  # its detectors, without the encoder
    plain = engine.analyse(Post(text="Open evening on Wednesday 5-7pm. Meet the tutors."), finish=False)
    detector.detect(plain)
    assert not plain.later  # rated far below every threshold: not worth the encoder's 3 ms
    rude = engine.analyse(ENCODER_ONLY, finish=False)
    detector.detect(rude)
    assert len(rude.later) == 1 and not rude.has("ml:disparagement")
    before = encoder.runs
    rude.finish()
    assert encoder.runs == before + 1 and rude.has("ml:disparagement") and not rude.later


def test_the_encoder_catches_what_the_ngram_model_misses(engine: Engine, rules_only: Engine) -> None:
    assert not [f for f in rules_only.check(ENCODER_ONLY).findings if f.category == "disparagement"]
    found = [f for f in engine.check(ENCODER_ONLY).findings if f.category == "disparagement"]
    assert [f.rule for f in found] == ["ML004"] and found[0].severity == "review"
    assert "reads like: \u201c" in found[0].message


def test_a_batch_reads_with_the_encoder_as_one_post_does(engine: Engine) -> None:
    """check_many leaves the encoder's reading to its classifier thread: same findings as check."""
    posts = [
        ENCODER_ONLY,
        Post(text="Results day! Congratulations to every learner 🎉"),
        Post(text="Everyone knows the finance manager has been fiddling the expenses.", account=PERSONAL),
        ENCODER_ONLY,
        Post(text="Our bake sale raised £412 for the local hospice!"),
    ]
    one_by_one = [engine.check(p).findings for p in posts]
    assert [r.findings for r in engine.check_many(posts, batch_size=2)] == one_by_one
    assert any(f.rule == "ML004" for f in one_by_one[3])


@pytest.fixture
def reading_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads the encoder reads posts on, one per reading, from now on."""
    names: list[str] = []
    read = PolicyEncoder.probabilities

    def spy(self: PolicyEncoder, *args: object, **kwargs: object) -> np.ndarray:
        names.append(threading.current_thread().name)
        return read(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PolicyEncoder, "probabilities", spy)
    return names


@pytest.mark.parametrize("scores_read_learned", [False, True])
def test_a_batch_reads_on_reader_threads_beside_the_scores(
    engine: Engine, scores_read_learned: bool, monkeypatch: pytest.MonkeyPatch, reading_threads: list[str]
) -> None:
    """In a batch the encoder reads posts on reader threads: beside the cascade where no scored
    rule reads a learned hit (the default pack), after the readings where one does. Same findings."""
    assert engine._scores_read_learned is False  # no scored rule of the default pack needs ml: hits
    posts = [ENCODER_ONLY, Post(text="DMM is rubbish and so are its tutors", account=PERSONAL)] * 3
    one_by_one = [engine.check(p).findings for p in posts]
    monkeypatch.setattr(engine, "_scores_read_learned", scores_read_learned)
    reading_threads.clear()
    assert [r.findings for r in engine.check_many(posts, batch_size=2)] == one_by_one
    assert reading_threads and all(name.startswith("socialguard-readers") for name in reading_threads)


def test_one_post_reads_with_the_encoder_beside_the_transformer(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, reading_threads: list[str]
) -> None:
    """A post checked alone that both the encoder and the classifiers have work for runs them side
    by side (the encoder on a reader thread); the findings are those of running them in turn."""
    post = Post(text="DMM is a joke and its tutors are useless, avoid", account=PERSONAL)
    analysis = engine.analyse(post, finish=False)
    assert analysis.later and engine.scores_needed(analysis)  # work for both
    side_by_side = engine.check(post).findings
    assert len(reading_threads) == 1 and reading_threads[0].startswith("socialguard-readers")
    monkeypatch.setattr(engine, "_scores_read_learned", True)  # the encoder's hits could change the scores
    assert engine.check(post).findings == side_by_side
    assert reading_threads[1] == threading.current_thread().name  # in turn, here
    assert side_by_side


def test_the_engine_without_classifiers_has_no_encoder(rules_only: Engine, engine: Engine) -> None:
    def reader(of: Engine) -> PolicyEncoder | None:
        return next(d for d in of.compiled.detectors if isinstance(d, PolicyModelDetector)).encoder

    assert reader(engine) is not None
    assert reader(rules_only) is None


def test_a_pack_without_the_learned_rules_does_not_run_the_encoder(patterns_only: Engine) -> None:
    detector = next(d for d in patterns_only.compiled.detectors if isinstance(d, PolicyModelDetector))
    assert detector.encoder is None
    assert not patterns_only.analyse(ENCODER_ONLY, finish=False).later


def test_a_post_checked_alone_reads_the_same_on_two_threads(encoder: PolicyEncoder) -> None:
    meta = ["__account_personal__"]
    encoder.solo_threads = 2  # the shared encoder: put back below
    try:
        alone = encoder.probabilities(ENCODER_ONLY.text, meta, solo=True)
    finally:
        encoder.solo_threads = 1
    batch = encoder.probabilities(ENCODER_ONLY.text, meta)
    assert np.abs(alone - batch).max() < 1e-4


@pytest.mark.parametrize(
    ("text", "at_work"),
    [
        ("@sophie_b_assessor your new glasses make you look like an owl", True),  # a role in the handle
        ("Every time @nat_qa_dmm posts, reply with a snail", True),  # the organisation in the handle
        ("Stood outside the finance office waiting for her again", True),  # a workplace word
        ("@sophie_b your new glasses make you look like an owl", False),
        ("Gonna keep ringing @becky_wellbeing until she agrees", True),  # a wellbeing role in the handle
        ("Anyone in the Sheffield team got Ben's new number?", True),  # a team at work
        ("Told the rest of the team what she said", True),
        ("My team lost again, gutted", False),  # a football fan's team is not work
        ("What a team", False),
        ("keep moaning about your grade on here and see how the resit goes", True),  # a resit is work
        ("Inventing a week's attendance for the group that never turns up", True),
        ("Grade A weather for a barbecue", False),
    ],
)
def test_what_makes_a_post_about_work(text: str, at_work: bool) -> None:
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    assert about_work(engine.analyse(Post(text=text, account=AccountKind.PERSONAL))) is at_work


@pytest.mark.parametrize("text", ["Kyle, we see you, we read everything you write.", "What a team"])
def test_every_post_on_an_organisational_account_is_read_at_work(text: str) -> None:
    """The organisation's own account speaks for it at work, whatever the words: the encoder's
    floors for tweets are for personal posts. Its gate still reads the words."""
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    organisational = engine.analyse(Post(text=text, account=AccountKind.ORGANISATIONAL))
    assert read_at_work(organisational) and not about_work(organisational)
    assert not read_at_work(engine.analyse(Post(text=text, account=AccountKind.PERSONAL)))


def test_the_encoder_scores_as_recorded_on_this_cpu() -> None:
    """As the transformer's (tests/rules/test_classifiers.py): uint8 weights, the same scores on
    CPUs with and without VNNI; training/record_model_scores.py wrote them."""
    recorded = json.loads((Path(__file__).with_name("model_scores.json")).read_text(encoding="utf-8"))
    encoder = PolicyEncoder()
    for r in recorded:
        assert list(encoder.probabilities(r["text"], ())) == pytest.approx(r["policy_encoder"], abs=0.005), r[
            "text"
        ]


def test_a_posts_sentences_are_those_of_four_words_or_more_and_only_when_there_are_several() -> None:
    text = "Well done all. Thanks to reception for covering Wednesday! And Lucy, see you at nine.\nBye"
    assert [text[a:b] for a, b in sentences(text)] == [
        "Thanks to reception for covering Wednesday!",
        "And Lucy, see you at nine.",
    ]
    assert sentences("Thanks to reception for covering Wednesday.") == []


# One harassing sentence at the end of an ordinary round-up: the whole post reads at a quarter of the
# model's harassment threshold, the last sentence alone above it.
ROUND_UP = (
    "Friday round-up from the admin team: the new printer works, the rota for January is on the staff "
    "drive and the cake tin is empty again. Thanks to reception for covering Wednesday. And Lucy, I'll "
    "make your life hell until you leave."
)


def test_one_harassing_sentence_in_a_post_about_work_is_flagged_there(model: PolicyModel) -> None:
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    analysis = engine.analyse(Post(text=ROUND_UP, account=PERSONAL))
    column = model.categories.index("harassment")
    meta = meta_tokens(analysis)
    assert model.probabilities(ROUND_UP, meta)[column] < model.thresholds[column]  # the premise
    [hit] = analysis.get("ml:harassment")
    assert ROUND_UP[hit.start : hit.end] == "And Lucy, I'll make your life hell until you leave."
    pack = load_pack()
    pack.ignore = [*pack.ignore, "HA"]  # the harassment rules' own patterns aside; the model alone
    learned = Engine(EXAMPLE_CONTEXT, pack, classifiers=False)
    [finding] = [
        f for f in learned.check(Post(text=ROUND_UP, account=PERSONAL)).findings if f.rule == "ML011"
    ]
    assert "in one sentence" in finding.message
    assert ROUND_UP[finding.start : finding.end].lower() in hit.detail.lower()  # an evidence word, there


def test_a_post_not_about_work_is_read_whole(model: PolicyModel) -> None:
    """Most tweets: reading their sentences added offensive false alarms on TweetEval's tweets."""
    text = (
        "Lovely walk by the canal with the dog this morning, then pancakes. Sun is out at last. And Lucy, "
        "I'll make your life hell until you leave."
    )
    engine = Engine(EXAMPLE_CONTEXT, classifiers=False)
    analysis = engine.analyse(Post(text=text, account=PERSONAL))
    assert not read_at_work(analysis)
    last = text[text.index("And Lucy") :]
    column = model.categories.index("harassment")
    assert model.probabilities(last, meta_tokens(analysis))[column] >= model.thresholds[column]  # the premise
    assert not analysis.get("ml:harassment")


# An organisational round-up whose second sentence the n-gram model rates at 0.6 of its disrepute
# threshold (above SENTENCE_GATE, not flagged), the whole post well below.
NIGHT_OUT = (
    "This week at the college: the new media suite opened, 30 apprentices started and the car park was "
    "finally resurfaced. Half the tutors came to Friday's open morning straight from the staff Christmas "
    "do! 🍻 Next week: the careers fair, come and say hello!"
)


def test_the_encoder_reads_the_likeliest_sentence_of_a_post_about_work(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    detector = next(d for d in engine.compiled.detectors if isinstance(d, PolicyModelDetector))
    assert detector.encoder is not None
    # Its gates closed for whole posts: what the encoder reads here is the one sentence.
    monkeypatch.setattr(detector.encoder, "gate", 99.0)
    monkeypatch.setattr(detector.encoder, "gate_at_work", 99.0)
    post = Post(text=NIGHT_OUT, account=AccountKind.ORGANISATIONAL)
    analysis = engine.analyse(post, finish=False)
    assert not analysis.get("ml:disrepute") and len(analysis.later) == 1
    analysis.finish()
    [hit] = analysis.get("ml:disrepute")
    assert (
        NIGHT_OUT[hit.start : hit.end]
        == "Half the tutors came to Friday's open morning straight from the staff Christmas do!"
    )
    assert hit.detail.startswith("in one sentence: ")
    # A sentence the n-gram model rates below SENTENCE_GATE of every threshold is not read.
    calm = NIGHT_OUT.replace("straight from the staff Christmas do", "with their families")
    assert not engine.analyse(Post(text=calm, account=AccountKind.ORGANISATIONAL), finish=False).later


def test_explanations_say_handles_and_links_as_the_writer_wrote_them() -> None:
    """The model reads '@kyle' as '@user' and a link as 'url'; an explanation never cites those."""
    model = PolicyModel.load()
    for text in ("@kyle you can get lost", "Look at this https://example.com/x you idiot @sam"):
        for category in model.categories:
            words = [w for term in model.explain(text, [], category, 0.9).words for w in term.split()]
            assert "user" not in words and "url" not in words, (text, category, words)
    # A post with the word itself keeps it.
    words = {
        w
        for c in model.categories
        for t in model.explain("Our user group", [], c, 0.9).words
        for w in t.split()
    }
    assert "@someone" not in words


@pytest.mark.parametrize(
    "text", ["We", "We are", "x", "a", "ok", "No", "Well done", "See you there", "We are proud"]
)
@pytest.mark.parametrize("account", [AccountKind.ORGANISATIONAL, AccountKind.PERSONAL])
def test_a_few_words_are_too_little_for_the_learned_rules_to_read(
    engine: Engine, text: str, account: AccountKind
) -> None:
    """A draft as it is typed: the learned models' scores on three words or fewer are noise ("We"
    read as disparagement, controversial and an endorsement; "a" as offensive, 0.87)."""
    findings = engine.check(Post(text=text, account=account)).findings
    assert not [f for f in findings if f.rule.startswith("ML") or f.rule == "OF002"], findings


def test_words_to_learn_from_leave_out_handles_and_links() -> None:
    assert words_to_learn_from("@jen_k88 Lol ok https://x.example/a 👍 123") == 2
    assert words_to_learn_from("Well done to all our learners") == 6
