"""Offensive probabilities of the training tweets from one or more teachers, averaged, for distillation.

    .venv-train/bin/python training/teacher_probs.py --out teacher.npz \
        --onnx DIR [--onnx DIR ...] [--torch STATE BASE ...] [--saved FILE WEIGHT] [--fast-oof]

Teachers: a model directory in the product's format (`--onnx`: the single `model.onnx` of the
first release, read with its own tokenizer and length), torch weights saved by
`train_classifiers.py --save-state` on the base encoder they were fine-tuned from (`--torch`),
an earlier output of this script counted as WEIGHT teachers (`--saved`), or the cascade's fast
TF-IDF model (`--fast-oof`): its out-of-fold probabilities (5 folds) on the offensive tweets, so
that it never scores a tweet it was fitted on, and the whole-split model's on the hate tweets.
The texts are the offensive and hate training splits (the hate tweets have no offensive labels:
the teachers label them). The result feeds `train_classifiers.py --teacher-probs`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from train_classifiers import (
    FAST_BITS,
    FAST_CHAR_SIZES,
    MultiTask,
    fast_classifier,
    fast_counts,
    predict,
    read_split,
)


def onnx_offensive(model_dir: Path, texts: list[str]) -> np.ndarray:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    meta = json.loads((model_dir / "metadata.json").read_text())
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(int(meta.get("max_length", 64)))
    tokenizer.enable_padding()
    session = ort.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), 2), dtype=np.float32)
    for s in range(0, len(order), 64):
        chunk = order[s : s + 64]
        encoded = tokenizer.encode_batch([texts[i] for i in chunk])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        out[chunk] = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    return out


def torch_offensive(state: Path, base: Path, texts: list[str]) -> np.ndarray:
    import torch
    from transformers import AutoTokenizer

    model = MultiTask(base)
    model.load_state_dict(torch.load(state))
    return predict(model, AutoTokenizer.from_pretrained(base), texts)[0]


def fast_out_of_fold(texts: list[str], c: float = 1.0, folds: int = 5) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.model_selection import StratifiedKFold

    x, y = read_split("offensive", "train")
    labels = np.array(y)
    counts = fast_counts(x, FAST_BITS, FAST_CHAR_SIZES)
    labelled = np.zeros(len(x), dtype=np.float32)

    def fit(rows: np.ndarray):  # type: ignore[no-untyped-def]
        tfidf = TfidfTransformer(sublinear_tf=True).fit(counts[rows])
        return tfidf, fast_classifier(c).fit(tfidf.transform(counts[rows]), labels[rows])

    for k, (train, held) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=13).split(x, y)):
        tfidf, clf = fit(train)
        labelled[held] = clf.predict_proba(tfidf.transform(counts[held]))[:, 1]
        print(f"fast model fold {k + 1}/{folds}", flush=True)
    tfidf, clf = fit(np.arange(len(x)))
    by_text = dict(zip(x, labelled, strict=True))
    rest = [t for t in texts if t not in by_text]
    unseen = clf.predict_proba(tfidf.transform(fast_counts(rest, FAST_BITS, FAST_CHAR_SIZES)))[:, 1]
    by_text.update(zip(rest, unseen, strict=True))
    p = np.array([by_text[t] for t in texts], dtype=np.float32)
    return np.stack([1 - p, p], axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--onnx", type=Path, action="append", default=[])
    parser.add_argument("--torch", nargs=2, type=Path, action="append", default=[], metavar=("STATE", "BASE"))
    parser.add_argument("--saved", nargs=2, action="append", default=[], metavar=("FILE", "WEIGHT"))
    parser.add_argument("--fast-oof", action="store_true", help="the fast model, out of fold, as a teacher")
    args = parser.parse_args()
    texts = list(dict.fromkeys(read_split("offensive", "train")[0] + read_split("hate", "train")[0]))
    probs = [onnx_offensive(d, texts) for d in args.onnx]
    probs += [torch_offensive(state, base, texts) for state, base in args.torch]
    weights = [1.0] * len(probs)
    for path, weight in args.saved:
        saved = np.load(path, allow_pickle=True)
        by_text = dict(zip(saved["texts"], saved["offensive"], strict=True))
        probs.append(np.stack([by_text[t] for t in texts]))
        weights.append(float(weight))
    if args.fast_oof:
        probs.append(fast_out_of_fold(texts))
        weights.append(1.0)
    if not probs:
        parser.error("name at least one teacher")
    averaged = np.average(np.stack(probs), axis=0, weights=weights).astype(np.float32)
    np.savez_compressed(args.out, texts=np.array(texts, dtype=object), offensive=averaged)
    print(f"{len(texts)} tweets, teachers weighing {sum(weights):g} in all -> {args.out}")


if __name__ == "__main__":
    main()
