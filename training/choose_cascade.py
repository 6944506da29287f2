"""Choose the cascade's settings on the offensive *validation* split and record them.

    .venv/bin/python training/choose_cascade.py [--write]

The fast model decides alone outside [low, high]; inside, the offensive probability is
blend * fast + (1 - blend) * transformer. A post counts as offensive at probability >= threshold.
For every combination this prints macro-F1 and the share of posts sent to the transformer, then
picks the best macro-F1 among settings that send at most --max-routed of posts to the
transformer (the throughput budget). With --write the choice goes into models/metadata.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from socialguard.rules.detectors.classifiers import MODEL_DIR, Cascade

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "tweeteval" / "offensive"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-routed", type=float, default=0.35)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    texts = (DATA / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in (DATA / "val_labels.txt").read_text().split()])
    cascade = Cascade()
    fast = cascade.fast.predict(texts)
    full, _, _ = cascade.transformer.predict(texts)
    print(f"fast alone @0.5        macro-F1 {f1_score(labels, fast >= 0.5, average='macro'):.4f}")
    print(f"transformer alone @0.5 macro-F1 {f1_score(labels, full >= 0.5, average='macro'):.4f}")
    results = []
    grid = itertools.product(
        (0.05, 0.1, 0.15, 0.2, 0.25),
        (0.7, 0.8, 0.9, 0.95, 1.01),
        (0.0, 0.2, 0.3, 0.4, 0.5),
        (0.35, 0.4, 0.45, 0.5),
    )
    for low, high, blend, threshold in grid:
        routed = (fast > low) & (fast < high)
        prob = np.where(routed, blend * fast + (1 - blend) * full, fast)
        score = f1_score(labels, prob >= threshold, average="macro")
        results.append((score, routed.mean(), low, high, blend, threshold))
    within = [r for r in results if r[1] <= args.max_routed]
    print(f"{'macro-F1':>9} {'routed':>7} {'low':>5} {'high':>5} {'blend':>5} {'thr':>5}")
    for r in sorted(within, reverse=True)[:10]:
        print(f"{r[0]:9.4f} {r[1]:7.1%} {r[2]:5.2f} {r[3]:5.2f} {r[4]:5.2f} {r[5]:5.2f}")
    best = max(within)
    choice = {
        "low": best[2],
        "high": best[3],
        "blend": best[4],
        "threshold": best[5],
        "validation_macro_f1": round(best[0], 4),
        "routed_share_validation": round(float(best[1]), 4),
        "chosen_by": "training/choose_cascade.py on TweetEval offensive validation",
    }
    print("chosen:", json.dumps(choice))
    if args.write:
        meta_path = MODEL_DIR / "metadata.json"
        meta = json.loads(meta_path.read_text())
        meta["cascade"] = choice
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    main()
