"""Accuracy on TweetEval validation splits, ours beside alt-profanity-check and VADER, same run.

    .venv/bin/python benchmarks/accuracy.py

Metrics are TweetEval's official ones: macro-F1 for offensive and hate, macro-recall for sentiment
(3 classes). Hate is also shown at the hate rule's threshold, with the whole model and as the rule
reads it (the fast hate head at or below its gate, the whole transformer above it). Thresholds are
the product's fixed ones: the cascade's chosen threshold for offensive (OF002 flags at it too),
probability >= 0.5 elsewhere; the engine row counts any offensive, discrimination or harassment
finding, with the thresholds each rule documents. Our sentiment head's class biases were chosen on
this validation split, so VADER is also shown with its two thresholds chosen on the same split, for
a like-for-like comparison.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING

import numpy as np
from _data import require_data, split
from sklearn.metrics import f1_score, recall_score

if TYPE_CHECKING:
    from socialguard.rules.detectors.classifiers import Cascade


def offensive_stages(cascade: Cascade, texts: list[str]) -> dict[str, np.ndarray]:
    """Each stage's offensive decision alone, and the cascade's as shipped."""
    early = cascade.transformer.predict(texts, early_band=(2.0, 2.0))[0]
    whole = cascade.transformer.predict(texts)[0]
    return {
        "cascade": np.array([s.offensive for s in cascade.scores(texts)]) >= cascade.threshold,
        "transformer": whole >= 0.5,
        "early": early >= 0.5,
        "fast": cascade.fast.predict(texts) >= 0.5,
    }


def engine_flags(texts: list[str]) -> np.ndarray:
    """The whole product: a post counts as flagged offensive when any offensive, discrimination or
    harassment rule fires (lexicons, obfuscation handling and classifiers together)."""
    from socialguard.rules import Engine, Post

    engine = Engine()
    wanted = {"offensive", "discrimination", "harassment"}
    reports = engine.check_many(Post(text=t, account="personal") for t in texts)  # type: ignore[arg-type]
    return np.array([any(f.category in wanted for f in r.findings) for r in reports])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    require_data()
    from profanity_check import predict as apc_predict
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rows: list[tuple[str, str, str, float]] = []
    started = time.time()

    from socialguard.rules.detectors.classifiers import Cascade

    cascade = Cascade()
    off_x, off_y = split("offensive", "val")
    mine = offensive_stages(cascade, off_x)
    labels = {
        "cascade": "socialguard (as shipped)",
        "transformer": "transformer alone @0.5",
        "early": "early exit alone @0.5",
        "fast": "fast model alone @0.5",
    }
    for name, label in labels.items():
        rows.append(("offensive", label, "macro-F1", f1_score(off_y, mine[name], average="macro")))
    rows.append(
        (
            "offensive",
            "socialguard engine (rules)",
            "macro-F1",
            f1_score(off_y, engine_flags(off_x), average="macro"),
        )
    )
    rows.append(
        ("offensive", "alt-profanity-check", "macro-F1", f1_score(off_y, apc_predict(off_x), average="macro"))
    )

    hate_x, hate_y = split("hate", "val")
    rows.append(
        (
            "hate",
            "socialguard transformer",
            "macro-F1",
            f1_score(hate_y, cascade.transformer.predict(hate_x)[1] >= 0.5, average="macro"),
        )
    )
    # At the hate rule's (DI002) threshold: the whole model on every post, and the score the rule
    # reads (the fast hate head at or below its gate, the whole model above it).
    from socialguard.rules.catalogue.conduct import HATE_THRESHOLD

    whole = cascade.transformer.predict(hate_x)[1]
    gated = np.array([s.hate for s in cascade.scores(hate_x, [{"hate"}] * len(hate_x))])
    for label, scores in (("transformer", whole), ("socialguard (as shipped)", gated)):
        f1 = f1_score(hate_y, scores >= HATE_THRESHOLD, average="macro")
        rows.append(("hate", f"{label} @{HATE_THRESHOLD}", "macro-F1", f1))
    rows.append(
        ("hate", "alt-profanity-check", "macro-F1", f1_score(hate_y, apc_predict(hate_x), average="macro"))
    )

    sen_x, sen_y = split("sentiment", "val")
    whole_sentiment = cascade.transformer.predict(sen_x)[2]
    rows.append(
        (
            "sentiment",
            "socialguard transformer",
            "macro-recall",
            recall_score(sen_y, whole_sentiment.argmax(1), average="macro"),
        )
    )
    # The fast sentiment head alone, and as the rules read it (the fast head at or below its gate,
    # the whole model above it): its classes, and its agreement with the whole model at the
    # disparagement rule's (DP001) threshold. The head and its gate never saw these tweets.
    from socialguard.rules.catalogue.conduct import NEGATIVE_THRESHOLD

    columns = cascade.fast.sentiment_columns
    if columns is not None:
        fast_sentiment = cascade.fast.predict_heads(sen_x)[:, columns]
        rows.append(
            (
                "sentiment",
                "fast head alone",
                "macro-recall",
                recall_score(sen_y, fast_sentiment.argmax(1), average="macro"),
            )
        )
        read = cascade.scores(sen_x, [{"sentiment"}] * len(sen_x))
        negative = np.array([s.negative for s in read])
        whole_negative = whole_sentiment[:, 0] >= NEGATIVE_THRESHOLD
        rows.append(
            (
                "sentiment",
                f"shipped vs whole, neg @{NEGATIVE_THRESHOLD}",
                "recall",
                float(
                    ((negative >= NEGATIVE_THRESHOLD) & whole_negative).sum() / max(1, whole_negative.sum())
                ),
            )
        )
        rows.append(
            (
                "sentiment",
                "posts sent to the transformer",
                "share",
                float(np.mean([s.stage == "transformer" for s in read])),
            )
        )
    vader = SentimentIntensityAnalyzer()
    compound = np.array([vader.polarity_scores(t)["compound"] for t in sen_x])
    vader_pred = np.where(compound <= -0.05, 0, np.where(compound >= 0.05, 2, 1))
    rows.append(("sentiment", "VADER", "macro-recall", recall_score(sen_y, vader_pred, average="macro")))
    tuned = max(
        recall_score(sen_y, np.where(compound <= low, 0, np.where(compound >= high, 2, 1)), average="macro")
        for low in np.arange(-0.8, 0.01, 0.05)
        for high in np.arange(0.0, 0.81, 0.05)
    )
    rows.append(("sentiment", "VADER, thresholds tuned", "macro-recall", tuned))

    print(f"TweetEval validation splits: {len(off_x)} offensive, {len(hate_x)} hate, {len(sen_x)} sentiment")
    print(f"{'task':<10} {'system':<30} {'metric':<13} {'score':>6}")
    for task, system, metric, score in rows:
        print(f"{task:<10} {system:<30} {metric:<13} {score:6.3f}")
    print(f"({time.time() - started:.0f} s)")
    if args.json:
        print(
            json.dumps([{"task": t, "system": s, "metric": m, "score": round(v, 4)} for t, s, m, v in rows])
        )


if __name__ == "__main__":
    main()
