"""How often the learned policy rules fire on tweets: TweetEval's offensive *train* split (never the
validation split accuracy.py reports), to choose the per-category floors in
rules/detectors/policy_model.py (CATEGORY_FLOORS).

    SOCIALGUARD_TWEETEVAL=/work/shared/datasets/tweeteval PYTHONPATH=src \\
        .venv/bin/python training/check_policy_tweets.py [--model PATH] [--limit N]

For each learned category, at the trained threshold and at a grid of floors, it prints how many
tweets the category's probability reaches: among tweets labelled not offensive (false alarms for
offensive, discrimination and harassment, which accuracy.py counts as "offensive") and among
tweets labelled offensive. It reads the model's raw thresholds (before CATEGORY_FLOORS) and
features as the product does (meta tokens from the engine's other detectors, personal account).

With --engine it also runs the whole engine (classifiers on, as accuracy.py does) and counts, for
the categories accuracy.py counts as offensive, only the tweets the learned rule would *add*: those
no other rule already flags in a counted category. A floor that adds no false alarm there costs
accuracy.py's engine row nothing.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from socialguard.rules.analysis import Analysis
from socialguard.rules.detectors.policy_model import (
    MODEL_PATH,
    PolicyModel,
    meta_tokens,
    shared_encoder,
    use_model,
)
from socialguard.rules.engine import Engine
from socialguard.rules.model import Post
from socialguard.rules.text import normalise

FLOORS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
COUNTED = ("offensive", "discrimination", "harassment")  # what accuracy.py's engine row counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--limit", type=int, default=0, help="only the first N tweets (0: all)")
    parser.add_argument(
        "--engine", action="store_true", help="count only what the learned rules add to the whole engine"
    )
    args = parser.parse_args()
    root = Path(os.environ.get("SOCIALGUARD_TWEETEVAL", "../shared/datasets/tweeteval")) / "offensive"
    texts = (root / "train_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in (root / "train_labels.txt").read_text().split()])
    if args.limit:
        texts, labels = texts[: args.limit], labels[: args.limit]
    with np.load(args.model, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    trained = arrays["thresholds"].astype(np.float32)
    model = PolicyModel(arrays)
    engine = Engine(classifiers=False)
    detectors = [d for d in engine.compiled.detectors if d.name != "policy-model"]
    probs = np.zeros((len(texts), len(model.categories)), dtype=np.float32)
    metas = []
    for i, text in enumerate(texts):
        post = Post(text=text, account="personal")  # type: ignore[arg-type]
        analysis = Analysis(post=post, text=normalise(text))
        for detector in detectors:
            detector.detect(analysis)
        metas.append(meta_tokens(analysis))
        probs[i] = model.probabilities(text, metas[-1])
    clean, offensive = labels == 0, labels == 1
    print(f"{len(texts)} tweets ({clean.sum()} not offensive, {offensive.sum()} offensive)")
    print(f"{'category':<20} {'trained':>7}  " + "  ".join(f"{f:>9}" for f in ("at trained", *FLOORS)))
    for k, category in enumerate(model.categories):
        cells = []
        for t in (float(trained[k]), *FLOORS):
            t = max(t, float(trained[k]))
            hit = probs[:, k] >= t
            cells.append(f"{int((hit & clean).sum()):>4}/{int((hit & offensive).sum()):<4}")
        mark = " *" if category in COUNTED else ""
        print(f"{category:<20} {trained[k]:>7.3f}  " + "  ".join(f"{c:>9}" for c in cells) + mark)
    print("cells: not-offensive tweets flagged / offensive tweets flagged, at max(trained, floor);")
    print("* = counted as offensive by accuracy.py's engine row")
    if args.engine:
        use_model(args.model)
        reports = Engine().check_many(Post(text=t, account="personal") for t in texts)  # type: ignore[arg-type]
        # Flagged in a counted category by any rule but the learned ones.
        others = np.array(
            [any(f.category in COUNTED and not f.rule.startswith("ML") for f in r.findings) for r in reports]
        )
        print(
            f"\nwhole engine, learned rules aside: {int((others & clean).sum())} false alarms, "
            f"{int((others & offensive).sum())} right flags; what each learned rule would add:"
        )
        for category in COUNTED:
            k = model.categories.index(category)
            cells = []
            for t in (float(trained[k]), *FLOORS):
                t = max(t, float(trained[k]))
                hit = (probs[:, k] >= t) & ~others
                cells.append(f"{int((hit & clean).sum()):>4}/{int((hit & offensive).sum()):<4}")
            wrong = probs[:, k][clean & ~others]
            # the highest score of a tweet the rule would add wrongly, whatever the trained threshold
            lowest = float(wrong.max()) + 1e-3 if len(wrong) else 0.0
            print(
                f"{category:<20} {trained[k]:>7.3f}  "
                + "  ".join(f"{c:>9}" for c in cells)
                + f"  lowest floor adding no false alarm: {lowest:.3f}"
            )
        encoder = shared_encoder()
        if encoder is None:
            return
        # The second reader (PolicyEncoder) reads the tweets its gate opens for: what would it add
        # where neither the other rules nor the n-gram model flag a counted category?
        gated = (probs / model.thresholds).max(axis=1) >= encoder.gate
        read = np.zeros_like(probs)
        for i in np.flatnonzero(gated):
            read[i] = encoder.probabilities(texts[i], metas[i])
        ngram = np.zeros(len(texts), dtype=bool)
        for category in COUNTED:
            k = model.categories.index(category)
            ngram |= probs[:, k] >= model.thresholds[k]
        print(
            f"\nthe encoder reads {gated.mean():.1%} of the tweets (gate {encoder.gate}); what it would add:"
        )
        for category in COUNTED:
            k = model.categories.index(category)
            cells = []
            for t in (float(encoder.thresholds[k]), *FLOORS):
                t = max(t, float(encoder.thresholds[k]))
                hit = (read[:, k] >= t) & ~others & ~ngram
                cells.append(f"{int((hit & clean).sum()):>4}/{int((hit & offensive).sum()):<4}")
            wrong = read[:, k][clean & ~others & ~ngram]
            lowest = float(wrong.max()) + 1e-3 if len(wrong) else 0.0
            print(
                f"{category:<20} {encoder.thresholds[k]:>7.3f}  "
                + "  ".join(f"{c:>9}" for c in cells)
                + f"  lowest floor adding no false alarm: {lowest:.3f}"
            )


if __name__ == "__main__":
    main()
