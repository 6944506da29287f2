"""The shipped classifiers: files, the cascade's routing, and a quality guard on TweetEval."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest

from socialguard.rules.detectors.classifiers import (
    MODEL_DIR,
    Cascade,
    FastOffensive,
    TransformerScorer,
    bounded_parts,
    counted_features,
    hashed_feature_array,
    hashed_feature_keys,
    hashed_features,
)

# Beside the checkout; SOCIALGUARD_TWEETEVAL names another place (a git worktree, say).
DATA = Path(
    os.environ.get("SOCIALGUARD_TWEETEVAL")
    or Path(__file__).resolve().parents[3] / "shared" / "datasets" / "tweeteval"
)


@pytest.fixture(scope="module")
def cascade() -> Cascade:
    return Cascade()


def test_model_files_ship_within_budget() -> None:
    names = (
        "encoder-lower.onnx",
        "encoder-upper.onnx",
        "tokenizer.json",
        "fast-offensive.npz",
        "fast-hate.npz",
        "fast-sentiment.npz",
        "metadata.json",
    )
    files = [MODEL_DIR / n for n in names]
    assert all(f.exists() for f in files)
    assert sum(f.stat().st_size for f in files) <= 30 * 1024 * 1024
    meta = json.loads((MODEL_DIR / "metadata.json").read_text())
    assert "all-MiniLM-L6-v2" in meta["training"]["base_model"]
    assert "TweetEval" in meta["training"]["data"]


def test_hashed_features_are_stable() -> None:
    assert hashed_features("Hello there", 18) == hashed_features("hello THERE", 18)
    assert all(0 <= i < 2**18 for i in hashed_features("any text at all", 18))
    assert len(hashed_features("ab", 18, (2, 3))) == 1 + 3 + 2  # a word, 3 character pairs, 2 triples


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "@user you are a total IDIOT!! http://t.co/x",
        "Café crème, naïve résumé",  # two-byte characters
        "Monday \U0001f595\U0001f3fd again",  # four-byte emoji with a skin tone
        "\u0130stanbul",  # lower() makes it two characters
        "\u65e5\u672c\u8a9e \u0442\u0435\u043a\u0441\u0442 mixed",
        "x\u0301y \U0001f468\u200d\U0001f469\u200d\U0001f467 family",
    ],
)
def test_the_vectorised_hashing_gives_the_same_features_as_training(text: str) -> None:
    # The fast stage scores with the array version; the models were trained with the list one.
    for sizes in [(2, 3, 4, 5), (3, 5), (1,), (8,)]:
        assert sorted(hashed_feature_array(text, 20, sizes).tolist()) == sorted(
            hashed_features(text, 20, sizes)
        )


def test_the_vectorised_hashing_matches_on_random_text() -> None:
    rng = np.random.default_rng(3)
    alphabet = list("abc XYZ'!\u00e9\u20ac\U0001f600\u65e5\u0301\u00df\u0130")
    for _ in range(300):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(0, 40))))
        assert sorted(hashed_feature_array(text, 18, (2, 3, 4, 5)).tolist()) == sorted(
            hashed_features(text, 18, (2, 3, 4, 5))
        )


def test_fast_model_separates_obvious_cases(cascade: Cascade) -> None:
    rude, kind = cascade.fast.predict(["@user you are a fucking idiot", "have a lovely day everyone"])
    assert rude >= cascade.high and kind <= cascade.low  # both decided without the transformer


def test_fast_model_computes_tfidf_as_scikit_learn_does(tmp_path: Path) -> None:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    texts = ["you are an idiot", "what a lovely lovely day", "idiot idiot idiot!!", "see you at college"]
    bits, sizes = 12, (2, 3)
    rows = [r for r, t in enumerate(texts) for _ in hashed_features(t, bits, sizes)]
    cols = [i for t in texts for i in hashed_features(t, bits, sizes)]
    counts = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), 1 << bits))
    counts.sum_duplicates()
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    weights = np.random.default_rng(3).normal(size=1 << bits).astype(np.float16)
    path = tmp_path / "fast.npz"
    np.savez(
        path,
        weights=weights,
        idf=tfidf.idf_.astype(np.float16),
        bias=np.array([0.1]),
        bits=np.array([bits]),
        char_sizes=np.array(sizes),
    )
    expected = tfidf.transform(counts) @ weights.astype(np.float64) + 0.1
    got = FastOffensive(path).predict(texts)
    assert np.allclose(got, 1 / (1 + np.exp(-expected)), atol=2e-3)


def test_cascade_routes_only_unsure_posts_to_the_transformer(cascade: Cascade) -> None:
    texts = ["have a lovely day everyone", "@user you are a fucking idiot", "meh, whatever you think", "ok"]
    fast = cascade.fast.predict(texts)
    stages = [s.stage for s in cascade.scores(texts)]
    assert [s != "fast" for s in stages] == [bool(cascade.low < p < cascade.high) for p in fast]
    banded = Cascade()
    banded.low, banded.high = 0.05, 0.95  # a band the fast model can decide outside
    assert "fast" in [s.stage for s in banded.scores(texts)]  # clear cases never pay for the transformer
    forced = cascade.scores(texts, [{"sentiment"}, {"offensive"}, {"offensive"}, {"offensive"}])
    assert forced[0].negative is not None and forced[0].positive is not None
    if forced[1].stage == "fast":
        assert forced[1].hate is None
    # A post that needs no score never goes past the fast model, however unsure it is.
    assert {s.stage for s in cascade.scores(texts, [set()] * 4)} == {"fast"}


def test_early_exit_stops_at_the_lower_layers_when_they_are_sure(cascade: Cascade) -> None:
    texts = ["have a lovely day everyone", "you are a disgusting pathetic idiot", "meh, whatever you think"]
    early = cascade.transformer.predict(texts, early_band=(2.0, 2.0))
    assert not early[3].any() and np.isnan(early[1]).all()  # nobody went past the lower layers
    band = (cascade.early_low, cascade.early_high)
    _, hate, _, full = cascade.transformer.predict(texts, early_band=band)
    assert list(full) == [bool(band[0] < p < band[1]) for p in early[0]]
    assert np.isnan(hate[~full]).all() and not np.isnan(hate[full]).any()
    forced = cascade.transformer.predict(texts, early_band=(2.0, 2.0), need_full=[False, True, False])[3]
    assert list(forced) == [False, True, False]


def test_a_post_scores_the_same_alone_and_in_a_batch(cascade: Cascade) -> None:
    """int8 activations are scaled per run: a batch would let neighbours move a post's score."""
    texts = [
        "ok",
        "@user you are a pathetic idiot and your college is a joke",
        "What a wonderful result, so proud of our learners! " * 3,
        "shut up, nobody cares what you think about immigration",
    ]
    forced = [{"offensive"}, {"sentiment"}, {"offensive"}, {"sentiment", "offensive"}]
    together = cascade.scores(texts, forced)
    alone = [cascade.scores([t], [f])[0] for t, f in zip(texts, forced, strict=True)]
    assert together == alone
    assert [s.stage for s in together][1::2] == ["transformer", "transformer"]


def test_the_fast_hate_head_gates_the_whole_model(cascade: Cascade) -> None:
    """A post that needs a hate score runs the whole model only when the fast hate head is above
    the gate chosen on validation; below it, the fast head's probability is the score."""
    texts = ["have a lovely day everyone", "Women should stay in the kitchen where they belong"]
    assert cascade.hate_gate is not None
    fast_hate = cascade.fast.predict_heads(texts)[:, 1]
    assert fast_hate[0] <= cascade.hate_gate < fast_hate[1]
    kind, hateful = cascade.scores(texts, [{"hate"}, {"hate"}])
    assert kind.stage == "fast" and kind.hate == pytest.approx(float(fast_hate[0]))
    assert hateful.stage == "transformer" and hateful.hate is not None and hateful.hate >= 0.8
    assert cascade.scores(texts, [{"offensive"}] * 2)[0].hate is None  # not asked for


def test_the_fast_sentiment_head_sends_only_possibly_negative_posts_to_the_whole_model() -> None:
    """Sentiment is read on every monitored item: a post whose fast negative probability is at or
    below the gate (chosen on validation to keep 98 % of the posts the whole model scores at the
    disparagement threshold) takes the fast head's scores; above it, the whole model runs."""
    cascade = Cascade()
    assert cascade.sentiment_gate is not None
    texts = [
        "have a lovely day everyone",
        "What a wonderful result, so proud of our learners!",
        "This college is a disgrace, the worst course I have ever wasted my money on",
        "ok",
    ]
    negative = cascade.fast.predict_heads(texts)[:, cascade.fast.sentiment_columns][:, 0]
    opened = negative > cascade.sentiment_gate
    assert list(opened[:3]) == [False, False, True]
    scores = cascade.scores(texts, [{"sentiment"}] * len(texts))
    assert [s.stage == "transformer" for s in scores] == list(opened)
    assert cascade.runs()[1] == int(opened.sum())  # the whole model ran for those posts only
    kind = scores[0]
    assert kind.negative == pytest.approx(float(negative[0])) and kind.positive is not None
    assert kind.positive > kind.negative
    assert scores[2].negative is not None and scores[2].negative >= 0.7
    assert cascade.scores(texts[:1])[0].negative is None  # not asked for


def test_posts_run_side_by_side_score_as_one_at_a_time() -> None:
    texts = [
        "ok",
        "you are a disgusting pathetic idiot",
        "What a wonderful result!",
        "meh, whatever you think",
    ]
    alone, together = Cascade(workers=1), Cascade(workers=3)
    alone.sentiment_gate = together.sentiment_gate = None  # every post to the whole model
    assert alone.scores(texts, [{"sentiment"}] * 4) == together.scores(texts, [{"sentiment"}] * 4)
    assert alone.runs() == together.runs() == (4, 4)


def test_a_forked_process_runs_posts_side_by_side_on_its_own_threads() -> None:
    """A child forked after the parent used its thread pool (a worker started from a server that
    had checked a file) has the pool object but none of its threads: it must start its own."""
    cascade = Cascade(workers=2)
    cascade.sentiment_gate = None  # both posts to the whole model
    texts, needs = ["ok", "you are a disgusting pathetic idiot"], [{"sentiment"}, {"sentiment"}]
    expected = cascade.scores(texts, needs)
    pid = os.fork()
    if pid == 0:  # the child: killed by the alarm if it hangs waiting for threads it lacks
        signal.alarm(60)
        os._exit(0 if cascade.scores(texts, needs) == expected else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_transformer_heads(cascade: Cascade) -> None:
    offensive, hate, sentiment, full = cascade.transformer.predict(
        ["What a wonderful result, so proud of our learners!", "you are a disgusting pathetic idiot"]
    )
    assert full.all()  # the default band sends every text through the whole model
    assert offensive[1] > 0.5 > offensive[0]
    assert sentiment[0].argmax() == 2 and sentiment[1].argmax() == 0
    assert np.allclose(sentiment.sum(axis=1), 1.0, atol=1e-3)
    assert 0.0 <= hate.min() <= hate.max() <= 1.0


def _validation_macro_f1(cascade: Cascade) -> float:
    from sklearn.metrics import f1_score

    texts = (DATA / "offensive" / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (DATA / "offensive" / "val_labels.txt").read_text().split()]
    predicted = [s.offensive >= cascade.threshold for s in cascade.scores(texts)]
    return float(f1_score(labels, predicted, average="macro"))


@pytest.mark.skipif(not DATA.exists(), reason="TweetEval is not in ../shared/datasets")
def test_offensive_quality_bar_on_validation(cascade: Cascade) -> None:
    """Issue 3's bar, as shipped (the cascade with its chosen threshold): measured 0.783 here."""
    assert _validation_macro_f1(cascade) >= 0.78


def test_offensive_tone_flags_at_the_cascades_own_cut_off() -> None:
    """OF002 flags what the cascade decides is offensive, at the threshold chosen with its bands,
    not at a separate fixed score the stages' differently calibrated probabilities do not share."""
    from socialguard.rules import Engine, Post

    cascade = Cascade()
    engine = Engine(classifiers=cascade)
    text = "Stop whining and get on with the coursework"  # rude, no listed word
    needs = engine.scores_needed(engine.analyse(Post(text=text)))  # as the engine will ask
    score = cascade.scores([text], [needs])[0].offensive

    def of002(threshold: float) -> list[str]:
        cascade.threshold = threshold
        return [f.message for f in engine.check(Post(text=text)).findings if f.rule == "OF002"]

    assert of002(score - 0.01) == [f"reads as offensive (score {score:.2f}; flagged from {score - 0.01:.2f})"]
    assert of002(score + 0.01) == []


BATCH = [
    "Café crème @jo_smith http://x.co/a",  # not ASCII: hashed on its own
    "WE'RE HIRING!! apply now",
    "",
    "a",
    "ab",
    "Well done to our level 3 learners \U0001f389",
    "x" * 300,
    "The the cat",
]


@pytest.mark.parametrize(
    ("bits", "sizes", "lower"), [(18, (3, 5), False), (20, (4,), True), (18, (2, 9), True)]
)
def test_a_batch_hashed_at_once_gives_each_text_its_own_features(
    bits: int, sizes: tuple[int, ...], lower: bool
) -> None:
    """The joined pass over a batch drops every window that spans two texts: each text's tagged
    indices are exactly its own `hashed_feature_array`, whatever its neighbours."""
    extras = [["__reply__"] if n % 2 else [] for n in range(len(BATCH))]
    keys = hashed_feature_keys(BATCH, bits, sizes, extras, lower)
    for position, text in enumerate(BATCH):
        mine = keys[(keys >> bits) == position] & ((1 << bits) - 1)
        expected = hashed_feature_array(text, bits, sizes, extras[position], lower)
        assert sorted(mine.tolist()) == sorted(expected.tolist()), text
    position, index, counts = counted_features(keys, bits)
    assert counts.sum() == len(keys) and (np.diff(position * (1 << bits) + index) > 0).all()


def test_a_batch_of_long_posts_is_hashed_in_parts_of_bounded_size() -> None:
    """A file of the longest posts must not hold all their features at once: parts of at most
    `most_chars` characters, in order, each at least one post, covering every post once."""
    texts = ["a" * 50, "b" * 30, "c" * 30, "d" * 200, "e", "f" * 60]
    parts = list(bounded_parts(texts, most_chars=100))
    assert parts == [(0, 2), (2, 3), (3, 4), (4, 6)]
    assert list(bounded_parts([], most_chars=100)) == []
    assert list(bounded_parts(texts)) == [(0, len(texts))]


def test_the_fast_heads_score_a_post_the_same_alone_and_in_a_batch(cascade: Cascade) -> None:
    together = cascade.fast.predict_heads(BATCH)
    alone = np.vstack([cascade.fast.predict_heads([text]) for text in BATCH])
    assert np.array_equal(together, alone)
    assert np.array_equal(cascade.fast.predict_heads(BATCH[::-1]), together[::-1])


@pytest.mark.parametrize(
    "text", ["Café crème @jo_smith http://x.co/a", "WE'RE HIRING!! \U0001f389 apply now", ""]
)
def test_the_vectorised_hashing_gives_the_policy_models_features_too(text: str) -> None:
    """The learned policy detector hashes the same way (its text prepared, its meta tokens as
    extra terms): the array version is a drop-in for it as well."""
    from socialguard.rules.detectors.policy_model import features, prepared

    meta = ["__account_personal__", "__reply__"]
    for sizes in [(3, 5), (9,)]:
        fast = hashed_feature_array(prepared(text), 18, sizes, extra=meta, lower=False)
        assert sorted(fast.tolist()) == sorted(features(text, meta, 18, sizes))


def test_a_post_checked_on_its_own_may_use_two_cores_and_scores_the_same() -> None:
    from socialguard.rules.detectors.classifiers import MODEL_DIR, TransformerScorer

    scorer = TransformerScorer(MODEL_DIR)
    assert scorer.solo_sessions()[0] is scorer.lower  # by default one thread: the batches' sessions
    scorer.solo_threads = 2
    texts = ["Women should stay in the kitchen where they belong", "What a lovely open day, thank you all"]
    for text in texts:
        batch = scorer.predict([text])
        solo = scorer.predict([text], solo=True)
        for a, b in zip(batch, solo, strict=True):
            assert np.allclose(a, b, atol=1e-4, equal_nan=True)
    if (os.cpu_count() or 1) > 1:
        assert scorer.solo_sessions()[0] is not scorer.lower  # sessions of their own, two threads


# Scores written by training/record_model_scores.py from the shipped model files.
RECORDED = json.loads((Path(__file__).with_name("model_scores.json")).read_text(encoding="utf-8"))


def test_the_transformer_scores_as_recorded_on_this_cpu() -> None:
    """The int8 weights are stored as uint8 (training/unsigned_weights.py) so that every x86 CPU
    multiplies them exactly: with int8 weights, a CPU without VNNI (AVX2 only) saturated sums and
    moved these scores by up to 0.19, and the offensive macro-F1 from 0.781 to 0.774.

    The integer products are exact, the float parts between them are not: on an AMD Zen 4 (AVX-512
    VNNI) one of these 80 scores moved by 0.0055 from the Zen 1 that recorded them (the rest by under
    0.001), so each may move by 0.015, and on average by no more than 0.002."""
    scorer = TransformerScorer(MODEL_DIR)
    offensive, hate, sentiment, full = scorer.predict([r["text"] for r in RECORDED])
    assert full.all()
    moved = []
    for i, r in enumerate(RECORDED):
        assert offensive[i] == pytest.approx(r["offensive"], abs=0.015), r["text"]
        assert hate[i] == pytest.approx(r["hate"], abs=0.015), r["text"]
        assert list(sentiment[i]) == pytest.approx(r["sentiment"], abs=0.015), r["text"]
        moved += [abs(offensive[i] - r["offensive"]), abs(hate[i] - r["hate"])]
        moved += [abs(a - b) for a, b in zip(sentiment[i], r["sentiment"], strict=True)]
    assert float(np.mean(moved)) <= 0.002
