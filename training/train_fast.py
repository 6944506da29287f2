"""Train the fast stage's heads (offensive, hate, sentiment): linear models over hashed sublinear
TF-IDF features (the shipped fast model's idf), taught by the shipped transformer. No PyTorch.

    .venv/bin/python training/train_fast.py [--heads offensive,hate,sentiment] [--models DIR] [--write]

Why: every post needs an offensive score (OF002, HA002), the rule reading hate scores (DI002)
runs on every post, and monitoring reads sentiment on every item; the cascade sends a post to
the transformer only where the fast heads are unsure, so the better they agree with it, the
fewer posts pay for it.
- offensive: distilled; a post's target mixes its gold label (--gold) with the whole
  transformer's probability; the hate tweets (no offensive label) learn the transformer's alone.
  The setting kept is the one whose cheapest cascade reaching --min-f1 on offensive/val costs
  least (choose_cascade.py then chooses the bands themselves).
- hate and sentiment are gates: at or below `fast_hate.gate` / `fast_sentiment.gate` (negative
  probability) in metadata.json a post is taken as unable to reach the rule's threshold and keeps
  the fast score; each gate is chosen on hate/val and offensive/val together to keep at least
  --gate-recall of the posts the whole transformer scores at the rule's threshold or more.
  The sentiment head learns the transformer's (calibrated) sentiment: TweetEval's sentiment
  training text is not available here, and sentiment/val stays unseen (the throughput figure).

Training data: TweetEval hate/train and offensive/train (validation chooses C and the gates,
never fits; there is no test split here). Soft targets are fitted as weighted rows, one per class.
The transformer's probabilities are computed with the product's own TransformerScorer (~10 min on
2 cores) and cached in --cache.
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


def teacher(models: Path, task: str, split: str, texts: list[str], cache: Path) -> dict[str, np.ndarray]:
    """The shipped transformer's probabilities for a split: `early` (its lower layers' offensive
    head), and the whole model's `off`, `hate` and `sen` (negative, neutral, positive)."""
    path = cache / f"teach_{task}_{split}.npz"
    if not path.exists():
        scorer = TransformerScorer(models, workers=os.cpu_count() or 1)
        early = scorer.predict(texts, early_band=(2.0, 2.0))[0]
        offensive, hate, sentiment, _ = scorer.predict(texts)
        np.savez(path, early=early, off=offensive, hate=hate, sen=sentiment)
    saved = np.load(path)
    assert len(saved["off"]) == len(texts), f"{path} is for other texts"
    return {k: saved[k].astype(np.float64) for k in ("early", "off", "hate", "sen")}


def fit_soft(x: csr_matrix, target: np.ndarray, c: float) -> LogisticRegression:
    """Logistic regression on soft targets: each row twice (label 1 weighted p, label 0 1 - p);
    with a (rows, classes) target, once per class, weighted by that class's probability."""
    if target.ndim == 1:
        target = np.c_[1.0 - target, target]
    k = target.shape[1]
    rows = vstack([x] * k).tocsr()
    labels = np.repeat(np.arange(k), x.shape[0])
    weights = target.T.reshape(-1)
    keep = weights > 1e-6
    return LogisticRegression(C=c, max_iter=3000).fit(rows[keep], labels[keep], sample_weight=weights[keep])


def cheapest_cascade(
    fast: np.ndarray, early: np.ndarray, full: np.ndarray, labels: np.ndarray, min_f1: float
):
    """(cost in transformer passes, macro-F1) of the cheapest cascade over choose_cascade.py's grid
    that reaches `min_f1` on these (validation) posts; None when none does."""
    from choose_cascade import BANDS, EARLY_BANDS, THRESHOLDS, macro_f1_each

    best = None
    everyone = np.ones(len(labels), dtype=bool)
    for low, high in BANDS:
        to_lower = (fast > low) & (fast < high)
        for e_low, e_high in EARLY_BANDS:
            to_upper = to_lower & (early > e_low) & (early < e_high)
            cost = 0.5 * to_lower.mean() + 0.5 * to_upper.mean()
            if best is not None and cost >= best[0]:
                continue
            prob = np.where(to_upper, full, np.where(to_lower, early, fast))
            predicted = np.array([prob >= t for t in THRESHOLDS])
            f1 = macro_f1_each(predicted, labels, everyone).max()
            if f1 >= min_f1:
                best = (float(cost), float(f1))
    return best


def gate_for(p: np.ndarray, must: np.ndarray, recall: float) -> float:
    """The highest gate that keeps `recall` of the posts in `must` above it, rounded down."""
    return float(np.floor(np.quantile(p[must], 1 - recall) * 1000) / 1000)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", type=Path, default=MODEL_DIR)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--heads", default="offensive,hate,sentiment", help="the heads to (re)train")
    parser.add_argument("--gold", type=float, default=0.5, help="weight of the gold label in a target")
    parser.add_argument("--gate-recall", type=float, default=0.98)
    parser.add_argument("--hate-threshold", type=float, default=0.8, help="the hate rule's (DI002)")
    parser.add_argument("--negative-threshold", type=float, default=0.7, help="the disparagement rule's")
    parser.add_argument("--min-f1", type=float, default=0.78, help="the offensive cascade's bar")
    parser.add_argument("--golds", default="0.5,0.25", help="offensive head: gold weights to try")
    parser.add_argument("--offensive-c", default="3,10,30", help="offensive head: C values to try")
    parser.add_argument("--hate-c", default="1,3,10", help="hate head: C values to try")
    parser.add_argument("--sentiment-c", default="3,10", help="sentiment head: C values to try")
    parser.add_argument("--write", action="store_true", help="write the heads into --models")
    args = parser.parse_args()

    def grid(values: str) -> list[float]:
        return [float(v) for v in values.split(",")]

    if not DATA.exists():
        sys.exit(f"TweetEval not found at {DATA}")
    heads = set(args.heads.split(","))

    off_x, off_y = read("offensive", "train")
    hate_x, hate_y = read("hate", "train")
    ov_x, ov_y = read("offensive", "val")
    hv_x, hv_y = read("hate", "val")
    off_t = teacher(args.models, "offensive", "train", off_x, args.cache)
    hate_t = teacher(args.models, "hate", "train", hate_x, args.cache)
    ov_t = teacher(args.models, "offensive", "val", ov_x, args.cache)
    hv_t = teacher(args.models, "hate", "val", hv_x, args.cache)
    shipped = np.load(args.models / "fast-offensive.npz")
    assert int(shipped["bits"][0]) == BITS and tuple(int(n) for n in shipped["char_sizes"]) == CHAR_SIZES
    idf = shipped["idf"].astype(np.float64)  # the features the product computes for the fast model

    def features(texts: list[str]) -> csr_matrix:
        m = counts(texts)
        m.data = 1.0 + np.log(m.data)
        m = m.multiply(idf).tocsr()
        return normalize(m)

    x = features(off_x + hate_x)
    hv, ov = features(hv_x), features(ov_x)
    meta_path = args.models / "metadata.json"
    meta = json.loads(meta_path.read_text())
    command = "training/train_fast.py " + " ".join(sys.argv[1:])

    def save(name: str, clf: LogisticRegression) -> None:
        coef, bias = clf.coef_, clf.intercept_
        weights = coef[0] if len(coef) == 1 else coef.T  # (features,) or (features, classes)
        extra = {"idf": idf.astype(np.float16)} if name == "fast-offensive.npz" else {}
        np.savez_compressed(
            args.models / name,
            weights=weights.astype(np.float16),
            bias=bias.astype(np.float32),
            bits=np.array([BITS]),
            char_sizes=np.array(CHAR_SIZES),
            **extra,
        )

    if "offensive" in heads:
        # Distilled: the gold label mixed with the whole transformer's probability on the
        # offensive tweets, the transformer's alone on the hate tweets (no offensive label).
        # Chosen by what the cascade pays: the cheapest setting reaching --min-f1 on validation.
        best_off = None
        for gold in grid(args.golds):
            target = np.r_[gold * off_y + (1 - gold) * off_t["off"], hate_t["off"]]
            for c in grid(args.offensive_c):
                clf = fit_soft(x, target, c)
                p = clf.predict_proba(ov)[:, 1]
                f1 = float(f1_score(ov_y, p >= 0.5, average="macro"))
                cheapest = cheapest_cascade(p, ov_t["early"], ov_t["off"], ov_y, args.min_f1)
                print(
                    f"offensive head gold={gold} C={c}: val macro-F1 {f1:.4f}; "
                    f"cascade at {args.min_f1}: {cheapest}"
                )
                if cheapest is not None and (best_off is None or cheapest[0] < best_off[0]):
                    best_off = (cheapest[0], clf, c, gold, f1)
        assert best_off is not None, "no offensive head reaches the bar"
        cost, off_clf, off_c, off_gold, off_f1 = best_off
        print(f"offensive head chosen: gold={off_gold} C={off_c}, cascade cost {cost:.4f}")
        if args.write:
            save("fast-offensive.npz", off_clf)
            meta["fast_offensive_validation"] = {
                "offensive": round(off_f1, 4),
                "C": off_c,
                "gold": off_gold,
                "cheapest_cascade_cost_at_min_f1": round(cost, 4),
                "training": {
                    "command": command,
                    "data": "TweetEval offensive/train (gold mixed with the shipped transformer's "
                    "probability) "
                    "and hate/train (the transformer's alone); C chosen on offensive/val",
                },
            }

    if "hate" in heads:
        hate_target = np.r_[off_t["hate"], args.gold * hate_y + (1 - args.gold) * hate_t["hate"]]
        # What the rule would flag with the whole model, on both validation splits: hateful tweets
        # in the offensive split are worded otherwise than HatEval's, and the gate must keep both.
        must = np.r_[hv_t["hate"], ov_t["hate"]] >= args.hate_threshold
        best = None
        for c in grid(args.hate_c):
            clf = fit_soft(x, hate_target, c)
            p = np.r_[clf.predict_proba(hv)[:, 1], clf.predict_proba(ov)[:, 1]]
            gate = gate_for(p, must, args.gate_recall)
            opened = float((p[: len(hv_x)] > gate).mean())
            f1 = f1_score(hv_y, p[: len(hv_x)] >= 0.5, average="macro")
            print(
                f"hate head C={c}: hate val macro-F1 {f1:.4f}; gate {gate:.3f} opens {opened:.1%} of hate/val"
            )
            if best is None or opened < best[0]:
                best = (opened, clf, c, gate, f1)
        assert best is not None
        opened, hate_clf, hate_c, gate, hate_f1 = best
        print(f"hate head chosen: C={hate_c}, gate {gate}")
        if args.write:
            save("fast-hate.npz", hate_clf)
            meta["fast_hate"] = {
                "hate_val_macro_f1": round(float(hate_f1), 4),
                "C": hate_c,
                "gate": gate,
                "gate_recall_on_hate_and_offensive_val": args.gate_recall,
                "gate_opens_on_hate_val": round(opened, 4),
                "hate_threshold": args.hate_threshold,
                "training": {
                    "command": command,
                    "data": "TweetEval hate/train (gold mixed with the shipped transformer's hate "
                    "probability) and "
                    "offensive/train (the transformer's alone), over the fast offensive model's features",
                },
            }

    if "sentiment" in heads:
        # TweetEval's sentiment training text is not here: the head learns the whole transformer's
        # (calibrated) sentiment on the offensive and hate training tweets. Its gate is chosen on
        # their validation tweets, so TweetEval sentiment/val stays unseen (the throughput figure).
        target = np.r_[off_t["sen"], hate_t["sen"]]
        val_sen = np.r_[ov_t["sen"], hv_t["sen"]]
        must = val_sen[:, 0] >= args.negative_threshold
        best_s = None
        for c in grid(args.sentiment_c):
            clf = fit_soft(x, target, c)
            p = np.r_[clf.predict_proba(ov), clf.predict_proba(hv)]
            agree = float((p.argmax(1) == val_sen.argmax(1)).mean())
            gate = gate_for(p[:, 0], must, args.gate_recall)
            opened = float((p[:, 0] > gate).mean())
            print(
                f"sentiment head C={c}: agrees with the transformer on {agree:.1%}; "
                f"gate {gate:.3f} opens {opened:.1%}"
            )
            if best_s is None or opened < best_s[0]:
                best_s = (opened, clf, c, gate, agree)
        assert best_s is not None
        opened, sen_clf, sen_c, gate, agree = best_s
        print(f"sentiment head chosen: C={sen_c}, gate {gate}")
        if args.write:
            save("fast-sentiment.npz", sen_clf)
            meta["fast_sentiment"] = {
                "C": sen_c,
                "gate": gate,
                "agreement_with_transformer_on_offensive_and_hate_val": round(agree, 4),
                "gate_recall_on_offensive_and_hate_val": args.gate_recall,
                "gate_opens_on_offensive_and_hate_val": round(opened, 4),
                "negative_threshold": args.negative_threshold,
                "training": {
                    "command": command,
                    "data": "the shipped transformer's sentiment probabilities on TweetEval "
                    "offensive/train and "
                    "hate/train, over the fast offensive model's features",
                },
            }
    if args.write:
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    main()
