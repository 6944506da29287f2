"""Record the shipped transformer's and policy encoder's scores on a few fixed posts, for
tests/rules/test_classifiers.py and test_policy_model.py, which check that this machine computes
the same (the encoder to 0.005, the transformer to 0.015: on an AMD Zen 4 one of its 80 scores moved
by 0.0055 from the Zen 1 that recorded them). Run after writing new model files:

    PYTHONPATH=src .venv/bin/python training/record_model_scores.py [--only policy_encoder]

`--only policy_encoder` keeps the transformer's recorded scores (after retraining only the encoder),
so that they stay those of the machine that first recorded them.

A CPU whose int8 arithmetic differs (AVX2 without VNNI, on weights left as int8: see
unsigned_weights.py) moved these scores by 0.01 to 0.19 in session 20; the tests catch that.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from socialguard.rules.detectors.classifiers import MODEL_DIR, TransformerScorer
from socialguard.rules.detectors.policy_model import PolicyEncoder

OUT = Path(__file__).resolve().parent.parent / "tests" / "rules" / "model_scores.json"
POSTS = [
    "Stop whining and get on with the coursework",
    "What an absolute shambles of a training day, the trainer was useless and rude",
    "Congratulations to all our Level 3 learners on their results today!",
    "You are a pathetic excuse for a manager and everyone knows it",
    "I hate Mondays so much, this commute is killing me",
    "Women just aren't suited to leading technical teams",
    "Thanks to everyone who came to our open evening, it was brilliant to meet you",
    "Shut up you idiot, nobody asked for your opinion",
    "Our new digital marketing course starts in September, book your place now",
    "That referee was blind, worst decision I have ever seen in football",
    "Get out of our country, you people are ruining everything",
    "Feeling so proud of my apprentices this week, they worked incredibly hard",
    "He is such a loser, laughing at him all day long lol",
    "The inspection report is out and we are rated good in every area",
    "Honestly some of the learners this year are thick as two short planks",
    "Damn, that was a hell of a week but we got there in the end",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["policy_encoder"], help="re-record this model's scores only")
    args = parser.parse_args()
    offensive, hate, sentiment, _ = TransformerScorer(MODEL_DIR).predict(POSTS)  # whole model, each post
    encoder = PolicyEncoder()
    rows = [
        {
            "text": text,
            "offensive": round(float(offensive[i]), 5),
            "hate": round(float(hate[i]), 5),
            "sentiment": [round(float(v), 5) for v in sentiment[i]],
            "policy_encoder": [round(float(v), 5) for v in encoder.probabilities(text, ())],
        }
        for i, text in enumerate(POSTS)
    ]
    if args.only:
        kept = {r["text"]: r for r in json.loads(OUT.read_text(encoding="utf-8"))}
        if set(kept) != set(POSTS):
            raise SystemExit(f"{OUT} holds other posts: record every model's scores")
        rows = [{**kept[r["text"]], args.only: r[args.only]} for r in rows]
    OUT.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} posts -> {OUT}")


if __name__ == "__main__":
    main()
