"""Train the fast stage's hate head: a linear model over the fast offensive model's own hashed
sublinear TF-IDF features (its idf), taught by the shipped transformer. Needs no PyTorch.

    .venv/bin/python training/train_fast.py [--models DIR] [--write]

Why: the rule reading hate scores (DI002) runs on every post, and only the whole transformer gave
a hate score, so every post would need it. The cascade uses this head as a gate: a post whose
fast hate probability is at or below `fast_hate.gate` in metadata.json is taken as unable to
reach the rule's threshold and skips the transformer for hate. The gate is chosen here on
hate/val and offensive/val together to keep at least --gate-recall of the posts the whole
transformer scores at the rule's threshold or more.

Training data: TweetEval hate/train and offensive/train (validation chooses C and the gate, never
fits; there is no test split here). Targets are soft: a hate/train tweet keeps --gold of its gold
label and the rest is the transformer's hate probability; an offensive/train tweet (no hate
label) learns the transformer's probability alone. Soft targets are fitted as two weighted rows
(label 1 with weight p, label 0 with weight 1 - p). The transformer's probabilities are computed
with the product's own TransformerScorer (a few minutes on 2 cores) and cached in --cache.

(Retraining the offensive head the same way, without class weights, was tried: at the macro-F1
bar its cascade sent as many unseen tweets to the transformer as the shipped one, so it was kept.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, vstack
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.preprocessing import normalize

from socialguard.rules.detectors.classifiers import MODEL_DIR, TransformerScorer, hashed_features

# Beside the checkout; SOCIALGUARD_TWEETEVAL names another place (a git worktree, say).
DATA = Path(
    os.environ.get("SOCIALGUARD_TWEETEVAL")
    or Path(__file__).resolve().parents[2] / "shared" / "datasets" / "tweeteval"
)
BITS = 20
CHAR_SIZES = (2, 3, 4, 5)


def read(task: str, name: str) -> tuple[list[str], np.ndarray]:
    texts = (DATA / task / f"{name}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in (DATA / task / f"{name}_labels.txt").read_text().split()])
    return texts, labels


def counts(texts: list[str]) -> csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for r, t in enumerate(texts):
        idx = hashed_features(t, BITS, CHAR_SIZES)
        rows += [r] * len(idx)
        cols += idx
    m = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), 1 << BITS))
    m.sum_duplicates()
    return m


def teacher(models: Path, task: str, texts: list[str], cache: Path) -> tuple[np.ndarray, np.ndarray]:
    """The whole transformer's (offensive, hate) probabilities for a training split."""
    path = cache / f"teacher_{task}.npz"
    if not path.exists():
        offensive, hate, _, _ = TransformerScorer(models).predict(texts)
        np.savez(path, off=offensive, hate=hate)
    saved = np.load(path)
    assert len(saved["off"]) == len(texts), f"{path} is for other texts"
    return saved["off"].astype(np.float64), saved["hate"].astype(np.float64)


def fit_soft(x: csr_matrix, target: np.ndarray, c: float) -> LogisticRegression:
    rows = vstack([x, x]).tocsr()
    labels = np.r_[np.ones(len(target)), np.zeros(len(target))]
    weights = np.r_[target, 1.0 - target]
    keep = weights > 1e-6
    return LogisticRegression(C=c, max_iter=3000).fit(rows[keep], labels[keep], sample_weight=weights[keep])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", type=Path, default=MODEL_DIR)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--gold", type=float, default=0.5, help="weight of the gold label in a target")
    parser.add_argument("--gate-recall", type=float, default=0.98)
    parser.add_argument("--hate-threshold", type=float, default=0.8, help="the hate rule's (DI002)")
    parser.add_argument("--write", action="store_true", help="write the heads into --models")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"TweetEval not found at {DATA}")

    off_x, _ = read("offensive", "train")
    hate_x, hate_y = read("hate", "train")
    off_t = teacher(args.models, "offensive", off_x, args.cache)
    hate_t = teacher(args.models, "hate", hate_x, args.cache)
    shipped = np.load(args.models / "fast-offensive.npz")
    assert int(shipped["bits"][0]) == BITS and tuple(int(n) for n in shipped["char_sizes"]) == CHAR_SIZES
    idf = shipped["idf"].astype(np.float64)  # the features the product computes for the fast model

    def features(texts: list[str]) -> csr_matrix:
        m = counts(texts)
        m.data = 1.0 + np.log(m.data)
        m = m.multiply(idf).tocsr()
        return normalize(m)

    x = features(off_x + hate_x)
    hate_target = np.r_[off_t[1], args.gold * hate_y + (1 - args.gold) * hate_t[1]]
    hv_x, hv_y = read("hate", "val")
    ov_x, _ = read("offensive", "val")
    hv, ov = features(hv_x), features(ov_x)
    scorer = TransformerScorer(args.models)
    # What the rule would flag with the whole model, on both validation splits: hateful tweets
    # in the offensive split are worded otherwise than HatEval's, and the gate must keep both.
    must = np.r_[scorer.predict(hv_x)[1], scorer.predict(ov_x)[1]] >= args.hate_threshold
    best = None
    for c in (1.0, 3.0, 10.0):
        clf = fit_soft(x, hate_target, c)
        p = np.r_[clf.predict_proba(hv)[:, 1], clf.predict_proba(ov)[:, 1]]
        gate = float(np.quantile(p[must], 1 - args.gate_recall))  # keeps gate_recall of them
        opened = float((p[: len(hv_x)] > gate).mean())
        f1 = f1_score(hv_y, p[: len(hv_x)] >= 0.5, average="macro")
        print(f"hate head C={c}: hate val macro-F1 {f1:.4f}; gate {gate:.3f} opens {opened:.1%} of hate/val")
        if best is None or opened < best[0]:
            best = (opened, clf, c, gate, f1)
    assert best is not None
    opened, hate_clf, hate_c, gate, hate_f1 = best
    gate = float(np.floor(gate * 1000) / 1000)  # rounded down: never less recall than measured
    print(f"chosen: C={hate_c}, gate {gate}")
    if not args.write:
        return
    np.savez_compressed(
        args.models / "fast-hate.npz",
        weights=hate_clf.coef_[0].astype(np.float16),
        bias=np.array([hate_clf.intercept_[0]], dtype=np.float32),
        bits=np.array([BITS]),
        char_sizes=np.array(CHAR_SIZES),
    )
    meta_path = args.models / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta["fast_hate"] = {
        "hate_val_macro_f1": round(float(hate_f1), 4),
        "C": hate_c,
        "gate": gate,
        "gate_recall_on_hate_and_offensive_val": args.gate_recall,
        "gate_opens_on_hate_val": round(opened, 4),
        "hate_threshold": args.hate_threshold,
    }
    meta["fast_hate"]["training"] = {
        "command": "training/train_fast.py " + " ".join(sys.argv[1:]),
        "data": "TweetEval hate/train (gold mixed with the shipped transformer's hate probability) and "
        "offensive/train (the transformer's alone), over the fast offensive model's features",
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    main()
