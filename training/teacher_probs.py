"""Offensive probabilities of the training tweets from one or more teachers, averaged, for distillation.

    .venv-train/bin/python training/teacher_probs.py --out teacher.npz \
        --onnx DIR [--onnx DIR ...] [--torch STATE BASE ...]

Teachers: a model directory in the product's format (`--onnx`: the single `model.onnx` of the
first release, read with its own tokenizer and length) or torch weights saved by
`train_classifiers.py --save-state` on the base encoder they were fine-tuned from (`--torch`).
The texts are the offensive and hate training splits (the hate tweets have no offensive labels:
the teachers label them). The result feeds `train_classifiers.py --teacher-probs`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from train_classifiers import MultiTask, predict, read_split


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--onnx", type=Path, action="append", default=[])
    parser.add_argument("--torch", nargs=2, type=Path, action="append", default=[], metavar=("STATE", "BASE"))
    args = parser.parse_args()
    texts = list(dict.fromkeys(read_split("offensive", "train")[0] + read_split("hate", "train")[0]))
    probs = [onnx_offensive(d, texts) for d in args.onnx]
    probs += [torch_offensive(state, base, texts) for state, base in args.torch]
    if not probs:
        parser.error("name at least one teacher")
    np.savez_compressed(args.out, texts=np.array(texts, dtype=object), offensive=np.mean(probs, axis=0))
    print(f"{len(texts)} tweets, {len(probs)} teachers -> {args.out}")


if __name__ == "__main__":
    main()
