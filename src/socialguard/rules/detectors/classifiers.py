"""Statistical classifiers behind a stable interface, run as a cascade.

Stage 1, `FastOffensive`: a hashed linear model (word 1-2 grams, character 4-grams); pure NumPy,
~100 µs a post. Stage 2, `TransformerScorer`: all-MiniLM-L6-v2 fine-tuned on TweetEval with three
heads (offensive, hate, sentiment), exported to ONNX int8 and run with onnxruntime. The cascade
sends a post to stage 2 only when stage 1 is unsure, or when a rule needs hate or sentiment scores
(the post names the organisation, its people, or a protected characteristic).
Models and their provenance: rules/models/metadata.json; training: training/train_classifiers.py.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9]")


@dataclass(frozen=True)
class Scores:
    """Probabilities in [0, 1]; None where the cascade did not need to compute one."""

    offensive: float
    hate: float | None = None
    negative: float | None = None
    positive: float | None = None
    stage: str = "fast"


class ClassifierUnavailable(RuntimeError):
    pass


def hashed_features(text: str, bits: int) -> list[int]:
    """Feature indices; must match training/train_classifiers.py exactly."""
    lowered = text.lower()
    words = TOKEN.findall(lowered)
    feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    padded = f" {lowered} "
    feats += [padded[i : i + 4] for i in range(len(padded) - 3)]
    mask = (1 << bits) - 1
    return [zlib.crc32(f.encode()) & mask for f in feats]


class FastOffensive:
    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise ClassifierUnavailable(f"model file missing: {path}")
        data = np.load(path)
        self.weights = data["weights"].astype(np.float32)
        self.bias = float(data["bias"][0])
        self.bits = int(data["bits"][0])

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty(len(texts), dtype=np.float32)
        weights = self.weights
        for i, text in enumerate(texts):
            idx = np.fromiter(set(hashed_features(text, self.bits)), dtype=np.int64)
            out[i] = weights[idx].sum() + self.bias
        return 1.0 / (1.0 + np.exp(-out))


class TransformerScorer:
    def __init__(self, model_dir: Path, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx_path = model_dir / "model.onnx"
        if not onnx_path.exists():
            raise ClassifierUnavailable(f"model file missing: {onnx_path}")
        meta = json.loads((model_dir / "metadata.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(meta.get("max_length", 64)))
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def predict(self, texts: Sequence[str], batch: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(offensive, hate, sentiment[neg, neu, pos]) probabilities; batches sorted by length."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        offensive = np.zeros(len(texts), dtype=np.float32)
        hate = np.zeros(len(texts), dtype=np.float32)
        sentiment = np.zeros((len(texts), 3), dtype=np.float32)
        for s in range(0, len(order), batch):
            chunk = order[s : s + batch]
            encoded = self.tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            off, hat, sen = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            offensive[chunk] = off[:, 1]
            hate[chunk] = hat[:, 1]
            sentiment[chunk] = sen
        return offensive, hate, sentiment


class Cascade:
    """Fast model first; the transformer where the fast model is unsure or a rule needs more.

    The routing band (`low`, `high`), the weight given to the fast model when both run (`blend`)
    and the offensive decision threshold were chosen on TweetEval's validation split by
    training/choose_cascade.py and are read from metadata.json.
    """

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 0) -> None:
        self.fast = FastOffensive(model_dir / "fast-offensive.npz")
        self.model_dir = model_dir
        self.threads = threads
        meta_path = model_dir / "metadata.json"
        settings = json.loads(meta_path.read_text()).get("cascade", {}) if meta_path.exists() else {}
        self.low = float(settings.get("low", 0.2))
        self.high = float(settings.get("high", 0.9))
        self.blend = float(settings.get("blend", 0.0))
        self.threshold = float(settings.get("threshold", 0.5))
        self._transformer: TransformerScorer | None = None
        self._lock = threading.Lock()

    @property
    def transformer(self) -> TransformerScorer:
        with self._lock:
            if self._transformer is None:
                self._transformer = TransformerScorer(self.model_dir, self.threads)
            return self._transformer

    def scores(self, texts: Sequence[str], need_full: Sequence[bool] | None = None) -> list[Scores]:
        fast = self.fast.predict(texts)
        full_idx = [
            i
            for i, p in enumerate(fast)
            if self.low < p < self.high or (need_full is not None and need_full[i])
        ]
        results = [Scores(offensive=float(p)) for p in fast]
        if full_idx:
            off, hate, sen = self.transformer.predict([texts[i] for i in full_idx])
            for k, i in enumerate(full_idx):
                offensive = self.blend * float(fast[i]) + (1 - self.blend) * float(off[k])
                results[i] = Scores(
                    offensive=offensive,
                    hate=float(hate[k]),
                    negative=float(sen[k, 0]),
                    positive=float(sen[k, 2]),
                    stage="transformer",
                )
        return results
