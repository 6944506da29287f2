"""Choose the cascade's thresholds on the offensive *validation* split.

    .venv/bin/python training/choose_cascade.py

For each (LOW, HIGH) pair, the fast model decides alone outside [LOW, HIGH] and the transformer
decides inside it. Prints macro-F1 and the share of posts sent to the transformer, so the
pair can be chosen that keeps the transformer's accuracy while sending it the fewest posts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from socialguard.rules.detectors.classifiers import Cascade

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "tweeteval" / "offensive"


def main() -> None:
    texts = (DATA / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in (DATA / "val_labels.txt").read_text().split()])
    cascade = Cascade()
    fast = cascade.fast.predict(texts)
    full, _, _ = cascade.transformer.predict(texts)
    print(f"fast alone        macro-F1 {f1_score(labels, fast >= 0.5, average='macro'):.4f}")
    print(f"transformer alone macro-F1 {f1_score(labels, full >= 0.5, average='macro'):.4f}")
    print(f"{'low':>5} {'high':>5} {'macro-F1':>9} {'to transformer':>15}")
    for low in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
        for high in (0.7, 0.8, 0.9, 0.95):
            routed = (fast > low) & (fast < high)
            combined = np.where(routed, full, fast)
            score = f1_score(labels, combined >= 0.5, average="macro")
            print(f"{low:5.2f} {high:5.2f} {score:9.4f} {routed.mean():14.1%}")


if __name__ == "__main__":
    main()
