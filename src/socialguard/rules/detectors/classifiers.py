"""Statistical classifiers behind a stable interface, run as a cascade.

Stage 1, `FastOffensive`: hashed linear models over sublinear TF-IDF (word 1-2 grams, character
2-5-grams) with offensive, hate and sentiment heads distilled from the transformer; pure NumPy, a
fraction of a millisecond a post. Stage 2, `TransformerScorer`:
all-MiniLM-L6-v2 fine-tuned on TweetEval with three heads (offensive, hate, sentiment), exported
to ONNX int8 and run with onnxruntime, its lower layers first (early exit). The cascade sends a
post on only for the scores the engine asks for (those the selected rules that would run on the
post declare) and only as far as the stage that gives each of them reliably.
Models and their provenance: rules/models/metadata.json; training: training/train_classifiers.py.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
import unicodedata
import zlib
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from socialguard.rules.detectors.model_cache import cached_session

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9]")
MENTION = re.compile(r"@\w+")
MENTION_RUN = re.compile(r"(?:@user\b\s*){2,}", re.IGNORECASE)
LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
SYMBOLS = re.compile(r"[\u2190-\U0010ffff]")
# What a post is scored for when the caller does not say: the offensive decision alone.
OFFENSIVE_ONLY: frozenset[str] = frozenset({"offensive"})


@dataclass(frozen=True)
class Scores:
    """Probabilities in [0, 1]; None where the cascade was not asked for one.

    `hate` is the whole transformer's, or, where the fast hate head was sure the post could not
    reach a rule's threshold (at or below the cascade's gate), the fast head's (stage "fast" or
    "early"); `negative` and `positive` likewise with the fast sentiment head and its gate. The
    cascade computes what the caller's `needs` ask for; others may be missing.
    """

    offensive: float
    hate: float | None = None
    negative: float | None = None
    positive: float | None = None
    stage: str = "fast"
    # The cascade's decision threshold for offensive (chosen on validation with its bands): the
    # stages' probabilities are calibrated differently, and only this cut-off was measured.
    offensive_threshold: float = 0.5

    @property
    def is_offensive(self) -> bool:
        return self.offensive >= self.offensive_threshold


class ClassifierUnavailable(RuntimeError):
    pass


def hashed_features(text: str, bits: int, char_sizes: Sequence[int] = (4,)) -> list[int]:
    """Feature indices (repeats kept: they are term counts); training uses this very function."""
    lowered = text.lower()
    words = TOKEN.findall(lowered)
    feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    padded = f" {lowered} "
    for n in char_sizes:
        feats += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    mask = (1 << bits) - 1
    return [zlib.crc32(f.encode()) & mask for f in feats]


def _crc_tables(most_bytes: int) -> tuple[np.ndarray, np.ndarray]:
    """CRC-32 is affine in the message for a fixed length: crc32(m) = crc32(zeros(len(m))) xor the
    xor, over m's bytes, of a table entry for that byte and the number of bytes after it. Returns
    (`after[d][b]`: byte b followed by d bytes, `zeros[n]`: crc32 of n zero bytes)."""
    after = np.empty((most_bytes, 256), dtype=np.uint32)
    zeros = np.array([zlib.crc32(bytes(n)) for n in range(most_bytes + 1)], dtype=np.uint32)
    for d in range(most_bytes):
        tail = bytes(d)
        after[d] = [zlib.crc32(bytes((b,)) + tail) ^ int(zeros[d + 1]) for b in range(256)]
    return after, zeros


_CRC_AFTER, _CRC_ZEROS = _crc_tables(4 * 8)  # a UTF-8 character is at most 4 bytes; n-grams to 8


def _word_hashes(lowered: str, extra: Sequence[str], mask: int, tag: int = 0) -> np.ndarray:
    """The indices of the words, the word pairs and the `extra` terms, each tagged with `tag`."""
    words = TOKEN.findall(lowered)
    terms = [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words)), *extra]
    return np.array([(zlib.crc32(t.encode()) & mask) | tag for t in terms], dtype=np.int64)


def _ascii_gram_hashes(
    padded: Sequence[str], tags: Sequence[int], sizes: Sequence[int], mask: int
) -> list[np.ndarray]:
    """The character n-grams' indices of ASCII texts (each padded with a space either side), one
    array per size, each index tagged with its text's tag. The texts are read joined, in one pass:
    every window grows by one byte to its left at a time, crc(n bytes ending at e) = crc(n - 1
    bytes ending at e) ^ after[n - 1][byte e - n], and a window that spans two texts is dropped."""
    joined = np.frombuffer("".join(padded).encode(), dtype=np.uint8)
    after, zeros, wanted = _CRC_AFTER, _CRC_ZEROS, set(sizes)
    if len(padded) > 1:
        lengths = np.array([len(p) for p in padded], dtype=np.int64)
        # Per byte: where its text starts in `joined`, and its text's tag.
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        tag_of = np.repeat(np.array(tags, dtype=np.int64), lengths)
        ends = np.arange(len(joined), dtype=np.int64)  # a window is indexed by its last byte
    found = []
    linear = np.zeros(len(joined), dtype=np.uint32)
    for size in range(1, max(wanted, default=0) + 1):
        if size > len(joined):
            break
        linear[size - 1 :] ^= after[size - 1][joined[: len(joined) - size + 1]]
        if size not in wanted:
            continue
        if len(padded) == 1:  # one text: every window from the size-th byte on is inside it
            crc = ((linear[size - 1 :] ^ zeros[size]) & np.uint32(mask)).astype(np.int64)
            found.append(crc | tags[0] if tags[0] else crc)
        else:
            inside = ends - (size - 1) >= starts  # the window starts in its last byte's text
            crc = (linear[inside] ^ zeros[size]) & np.uint32(mask)
            found.append(crc.astype(np.int64) | tag_of[inside])
    return found


def hashed_feature_array(
    text: str, bits: int, char_sizes: Sequence[int] = (4,), extra: Sequence[str] = (), lower: bool = True
) -> np.ndarray:
    """`hashed_features` as an array, the same indices (in another order): the character n-grams'
    CRC-32s come from table lookups over all windows at once instead of one Python call each,
    which was the fast stage's main cost (~0.2 ms a tweet). `extra` terms are hashed as words;
    `lower=False` takes text already in lower case as it is (the policy model's scheme)."""
    lowered = text.lower() if lower else text
    mask = (1 << bits) - 1
    # A lone surrogate raises UnicodeEncodeError here, as hashed_features does.
    parts = [_word_hashes(lowered, extra, mask)]
    padded = f" {lowered} "
    if max(char_sizes, default=0) > 8:  # beyond the tables (never so far): one call per n-gram
        grams = [padded[i : i + n] for n in char_sizes for i in range(len(padded) - n + 1)]
        parts.append(np.array([zlib.crc32(f.encode()) & mask for f in grams], dtype=np.int64))
        return np.concatenate(parts)
    if padded.isascii():  # one byte a character
        return np.concatenate(parts + _ascii_gram_hashes([padded], [0], char_sizes, mask))
    # Other text: windows of n characters are of varying byte lengths; all sizes at once.
    encoded = np.frombuffer(padded.encode(), dtype=np.uint8)
    after, zeros = _CRC_AFTER, _CRC_ZEROS
    bounds = np.append(np.flatnonzero((encoded & 0xC0) != 0x80), len(encoded))  # where characters start
    sizes = [n for n in char_sizes if n < len(bounds)]
    if sizes:
        ends = np.concatenate([bounds[n:] for n in sizes])
        lengths = ends - np.concatenate([bounds[: len(bounds) - n] for n in sizes])
        crc = zeros[lengths]
        for d in range(int(lengths.max())):
            inside = d < lengths
            crc ^= np.where(inside, after[d][encoded[np.where(inside, ends - 1 - d, 0)]], np.uint32(0))
        parts.append((crc & np.uint32(mask)).astype(np.int64))
    return np.concatenate(parts)


def hashed_feature_keys(
    texts: Sequence[str],
    bits: int,
    char_sizes: Sequence[int] = (4,),
    extras: Sequence[Sequence[str]] | None = None,
    lower: bool = True,
) -> np.ndarray:
    """Every text's `hashed_feature_array` at once, each index tagged with its text's position
    (`(position << bits) | index`; unsorted). The ASCII texts' character n-grams come from one pass
    over all of them joined (`_ascii_gram_hashes`), which saves a dozen array operations a post;
    other texts take `hashed_feature_array` one by one (same indices)."""
    if len(texts) == 1:  # one post (Engine.check): its own position is 0, nothing to join
        return hashed_feature_array(texts[0], bits, char_sizes, extras[0] if extras else (), lower)
    mask = (1 << bits) - 1
    parts: list[np.ndarray] = []
    joined: list[str] = []
    tags: list[int] = []
    for position, text in enumerate(texts):
        extra = extras[position] if extras is not None else ()
        lowered = text.lower() if lower else text
        if not lowered.isascii() or max(char_sizes, default=0) > 8:
            parts.append(
                hashed_feature_array(lowered, bits, char_sizes, extra, lower=False) | (position << bits)
            )
            continue
        parts.append(_word_hashes(lowered, extra, mask, position << bits))
        joined.append(f" {lowered} ")
        tags.append(position << bits)
    if joined and char_sizes:
        parts += _ascii_gram_hashes(joined, tags, char_sizes, mask)
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


# A batch's joined features are held in memory at once: a batch is cut into parts of at most this
# many characters (a part holds one post at least), so that a file of the longest posts costs what
# one such post does at a time, not a thousand times it.
BATCH_CHARS = 1 << 18


def bounded_parts(texts: Sequence[str], most_chars: int = BATCH_CHARS) -> Iterator[tuple[int, int]]:
    """(first, last) ranges of `texts`, in order, each of at most `most_chars` characters in all
    unless it is a single text."""
    first, total = 0, 0
    for i, text in enumerate(texts):
        if i > first and total + len(text) > most_chars:
            yield first, i
            first, total = i, 0
        total += len(text)
    if first < len(texts):
        yield first, len(texts)


def post_ranges(post: np.ndarray, n: int) -> Iterator[tuple[int, int, int]]:
    """(position, start, end): the run of each of `n` texts in `post` (text positions, sorted, as
    `counted_features` gives them), for the texts that have features."""
    bounds = np.searchsorted(post, np.arange(n + 1)).tolist()
    for i in range(n):
        if bounds[i + 1] > bounds[i]:
            yield i, bounds[i], bounds[i + 1]


def counted_features(keys: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text position, feature index, count) of each distinct tagged index from
    `hashed_feature_keys`, sorted by position, then index."""
    keys = np.sort(keys)
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(keys)))
    distinct = keys[starts]
    return distinct >> bits, distinct & ((1 << bits) - 1), counts


def model_text(text: str) -> str:
    """The text as the transformer sees it, in training and at run time.

    TweetEval's offensive tweets have every mention replaced by "@user" and links removed, so
    handles and links are anonymised the same way; runs of mentions are collapsed (they used a
    tenth of the token budget); emoji are spelt out by their Unicode names because the model's
    vocabulary has none (they were all [UNK]).
    """
    text = LINK.sub("url", MENTION.sub("@user", text))
    text = MENTION_RUN.sub("@user ", text)
    if SYMBOLS.search(text) is None:
        return text
    parts = []
    for ch in text:
        category = unicodedata.category(ch)
        if ord(ch) >= 0x2190 and category == "So":
            parts.append(f" {unicodedata.name(ch, '').lower()} ")
        elif category != "Sk" or ord(ch) < 0x2190:  # skin-tone modifiers carry nothing here
            parts.append(ch)
    return "".join(parts)


class FastOffensive:
    """Linear heads over hashed sublinear TF-IDF features (word 1-2-grams, character n-grams),
    L2-normalised as scikit-learn's TfidfTransformer does: one feature pass, one gather, a dot
    product per head.

    The offensive head always; with `hate_path`, a hate head and with `sentiment_path` a
    three-way sentiment head (negative, neutral, positive) over the same features. The cascade
    uses the hate and sentiment heads as gates (see Cascade).
    """

    def __init__(self, path: Path, hate_path: Path | None = None, sentiment_path: Path | None = None) -> None:
        if not path.exists():
            raise ClassifierUnavailable(f"model file missing: {path}")
        data = np.load(path)
        self.bias = float(data["bias"][0])
        self.bits = int(data["bits"][0])
        # Weights and idf stay float16 as stored (the gathered rows are widened per post, exactly):
        # converting 2^20 rows of every head took a tenth of the command's start-up.
        self.idf = data["idf"]
        self.char_sizes = tuple(int(n) for n in data["char_sizes"])
        heads = [data["weights"].reshape(-1, 1)]
        biases = [self.bias]
        self.hate_bias: float | None = None
        self.has_sentiment = False
        for extra in (hate_path, sentiment_path):
            if extra is None or not extra.exists():
                continue
            head = np.load(extra)
            if (
                int(head["bits"][0]) != self.bits
                or tuple(int(n) for n in head["char_sizes"]) != self.char_sizes
            ):
                raise ClassifierUnavailable(f"{extra} was trained on other features than {path}")
            weights = head["weights"]
            heads.append(weights.reshape(len(weights), -1))
            biases += [float(b) for b in head["bias"]]
            if extra == hate_path:
                self.hate_bias = float(head["bias"][0])
            else:
                self.has_sentiment = True
        # One row per feature, one column per head output: a post's features are gathered once.
        self.weights = np.concatenate(heads, axis=1)
        self.biases = np.array(biases, dtype=np.float32)
        # Columns: offensive, then hate (if any), then negative, neutral, positive (if any).
        self.sentiment_columns = slice(len(biases) - 3, len(biases)) if self.has_sentiment else None

    @property
    def has_hate(self) -> bool:
        return self.hate_bias is not None

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The offensive probability of each text."""
        return self.predict_heads(texts)[:, 0]

    def _sums(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's weighted TF-IDF sums per head, before the biases: the batch's features at
        once (hashed_feature_keys); each post's sums over its own features."""
        n = len(texts)
        out = np.zeros((n, self.weights.shape[1]), dtype=np.float32)
        post, index, counts = counted_features(
            hashed_feature_keys(texts, self.bits, self.char_sizes), self.bits
        )
        values = (1.0 + np.log(counts)) * self.idf[index].astype(np.float32)
        gathered = self.weights[index].astype(np.float32)
        for i, start, end in post_ranges(post, n):
            mine = values[start:end]
            out[i] = (mine @ gathered[start:end]) / (float(np.sqrt(mine @ mine)) or 1.0)
        return out

    def predict_heads(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text: offensive, [hate], [negative, neutral, positive]."""
        out = np.zeros((len(texts), self.weights.shape[1]), dtype=np.float32)
        for first, last in bounded_parts(texts):
            out[first:last] = self._sums(texts[first:last])
        out += self.biases
        columns = self.sentiment_columns
        if columns is None:
            return 1.0 / (1.0 + np.exp(-out))
        binary = slice(0, columns.start)
        out[:, binary] = 1.0 / (1.0 + np.exp(-out[:, binary]))
        logits = out[:, columns] - out[:, columns].max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out[:, columns] = exp / exp.sum(axis=1, keepdims=True)
        return out


def inference_session(path: Path, threads: int) -> Any:
    """An onnxruntime CPU session for one-post runs on `threads` threads (the transformer's halves,
    the policy encoder)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    if threads > 1:
        # Threads that spin between runs would take the core from the rest of the check.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Signed int8 weights where the CPU multiplies them natively (int8_weights: same scores, faster),
    # prepared once a machine and kept (model_cache: the same scores, a faster start).
    return cached_session(path, options)


class TransformerScorer:
    """The fine-tuned transformer, split after its lower layers so that it can exit early.

    `encoder-lower.onnx` runs the embeddings and the first layers and gives an offensive
    probability from them (a logistic head on their mean-pooled output); `encoder-upper.onnx`
    continues from the lower layers' hidden states to the three full heads. A post whose early
    probability is outside `early_band` stops there; the rest (and posts for which a rule needs
    hate or sentiment scores) run the upper layers too.
    """

    def __init__(self, model_dir: Path, threads: int = 1, workers: int = 1) -> None:
        from tokenizers import Tokenizer

        paths = [model_dir / "encoder-lower.onnx", model_dir / "encoder-upper.onnx"]
        for path in paths:
            if not path.exists():
                raise ClassifierUnavailable(f"model file missing: {path}")
        meta = json.loads((model_dir / "metadata.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(meta.get("max_length", 64)))
        self.tokenizer.no_padding()  # one post per run (see predict); the saved file pads batches
        self.sentiment_bias = np.array(meta.get("sentiment_bias", [0.0, 0.0, 0.0]), dtype=np.float32)
        self._paths = paths
        # One thread by default: a single post is too small a job to share out (measured: more
        # posts/s and a lower p99 than with every core); use more processes to use more cores.
        self.lower, self.upper = self._sessions(threads)
        # A post checked on its own (Engine.check: the compose page, the API) could use sessions
        # of more threads, made on first use (see `predict`'s `solo`). One by default: on a quiet
        # 2-core machine (session 18) a two-thread run of a 130-character post took 3.5 ms against
        # 2.75 ms on one thread (threads that sleep between runs wake too slowly for a 3 ms job;
        # spinning ones, 2.5 ms, would burn a core between posts).
        self.solo_threads = 1
        self._solo: tuple[Any, Any] | None = None
        self._solo_lock = threading.Lock()
        # Runs of each half since start: what the benchmarks and the routing tests count.
        self.lower_runs = 0
        self.upper_runs = 0
        # Posts run side by side, each alone in its own run (onnxruntime releases the GIL while
        # it runs), so a post's scores do not depend on its neighbours: see `predict`.
        self.workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0

    def _sessions(self, threads: int) -> tuple[Any, Any]:
        lower, upper = (inference_session(path, threads) for path in self._paths)
        return lower, upper

    def solo_sessions(self) -> tuple[Any, Any]:
        """The sessions for one post checked on its own (see __init__)."""
        if self.solo_threads < 2:
            return self.lower, self.upper
        with self._solo_lock:
            if self._solo is None:
                self._solo = self._sessions(self.solo_threads)
            return self._solo

    def predict(
        self,
        texts: Sequence[str],
        early_band: tuple[float, float] = (-1.0, 2.0),
        need_full: Sequence[bool] | None = None,
        solo: bool = False,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(offensive, hate, sentiment[neg, neu, pos], full) for each text.

        `full[i]` says whether text i ran the whole model; where it did not, offensive is the early
        probability and hate and sentiment are NaN. The default band sends every text through.

        Each post runs on its own. The int8 model quantises its activations with one scale per
        run, so in a batch a post's score would depend on the posts beside it: the same text
        could pass alone and be flagged in a file. One at a time is also faster here (no padding).
        With `workers` > 1 several posts run at once on threads, each still alone in its run.
        `solo`: one post checked on its own, which may use two cores (same scores).
        """
        low, high = early_band
        n = len(texts)
        offensive = np.zeros(n, dtype=np.float32)
        hate = np.full(n, np.nan, dtype=np.float32)
        sentiment = np.full((n, 3), np.nan, dtype=np.float32)
        full = np.zeros(n, dtype=bool)
        forced = np.zeros(n, dtype=bool) if need_full is None else np.asarray(need_full, dtype=bool)
        encodings = self.tokenizer.encode_batch([model_text(t) for t in texts])
        lower, upper = self.solo_sessions() if solo and n == 1 else (self.lower, self.upper)

        def run(i: int) -> None:
            ids = np.array([encodings[i].ids], dtype=np.int64)
            mask = np.array([encodings[i].attention_mask], dtype=np.int64)
            hidden, early = lower.run(None, {"input_ids": ids, "attention_mask": mask})
            offensive[i] = early[0]
            if not (forced[i] or low < early[0] < high):
                return
            off, hat, sen = upper.run(None, {"hidden": hidden, "attention_mask": mask})
            offensive[i] = off[0, 1]
            hate[i] = hat[0, 1]
            sentiment[i] = self._calibrated(sen)[0]
            full[i] = True

        if self.workers > 1 and n > 1:
            # A forked child inherits the pool object but not its threads: it starts its own.
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="socialguard-transformer")
                self._pool_pid = os.getpid()
            list(self._pool.map(run, range(n)))  # each index is written by one thread only
        else:
            for i in range(n):
                run(i)
        self.lower_runs += n
        self.upper_runs += int(full.sum())
        return offensive, hate, sentiment, full

    def warm_up(self) -> None:
        """Run both halves once on a short text, uncounted, in the batch and the solo sessions:
        onnxruntime sets up a session's memory on its first run, which would otherwise add a few
        hundred milliseconds to a real post."""
        encoding = self.tokenizer.encode(model_text("Warm up"))
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        for lower, upper in {(self.lower, self.upper), self.solo_sessions()}:
            hidden, _ = lower.run(None, {"input_ids": ids, "attention_mask": mask})
            upper.run(None, {"hidden": hidden, "attention_mask": mask})

    def _calibrated(self, sentiment: np.ndarray) -> np.ndarray:
        """Shift the sentiment head's class priors by the biases chosen on validation."""
        if not self.sentiment_bias.any():
            return sentiment
        logits = np.log(np.clip(sentiment, 1e-9, 1.0)) + self.sentiment_bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


class Cascade:
    """Three stages, each paid for only where a score a rule needs is not yet reliable.

    The caller says, post by post, which scores it needs (`needs`: names from the catalogue's
    SCORES; the engine derives them from the selected rules that would run on the post).
    - offensive: the fast model decides alone outside (`low`, `high`); the transformer's lower
      layers decide alone outside (`early_low`, `early_high`); the whole transformer the rest.
    - hate: the fast model's hate head is a gate: at or below `hate_gate` the post cannot reach
      the hate rule's threshold (chosen on hate validation to keep 98 % of the posts the whole
      model scores that high) and its hate score is the fast one; above it, the whole model.
      Without the head or the gate, every post that needs hate runs the whole model.
    - sentiment: the same with the fast sentiment head's negative probability and
      `sentiment_gate` (chosen to keep 98 % of the posts the whole model scores at the
      disparagement threshold or more); without the head, only the whole transformer gives it.
    A post that needs no score runs only the fast model (its probabilities are cheap) and never
    the transformer. The bands and the offensive decision `threshold` were chosen on TweetEval's
    validation split by training/choose_cascade.py, the gates by training/train_fast.py; both are
    read from metadata.json.
    """

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 1, workers: int | None = None) -> None:
        self.fast = FastOffensive(
            model_dir / "fast-offensive.npz", model_dir / "fast-hate.npz", model_dir / "fast-sentiment.npz"
        )
        self.model_dir = model_dir
        self.threads = threads
        # Posts of a batch run on the transformer side by side, one per core (at most 4).
        self.workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        meta_path = model_dir / "metadata.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        settings = meta.get("cascade", {})
        gate = meta.get("fast_hate", {}).get("gate")
        self.hate_gate: float | None = float(gate) if gate is not None and self.fast.has_hate else None
        gate = meta.get("fast_sentiment", {}).get("gate")
        self.sentiment_gate: float | None = (
            float(gate) if gate is not None and self.fast.has_sentiment else None
        )
        self.low = float(settings.get("low", 0.0))
        self.high = float(settings.get("high", 1.01))
        self.early_low = float(settings.get("early_low", 0.0))
        self.early_high = float(settings.get("early_high", 1.01))
        self.threshold = float(settings.get("threshold", 0.5))
        self._transformer: TransformerScorer | None = None
        self._lock = threading.Lock()

    @property
    def transformer(self) -> TransformerScorer:
        with self._lock:
            if self._transformer is None:
                self._transformer = TransformerScorer(self.model_dir, self.threads, self.workers)
            return self._transformer

    def load(self) -> None:
        """Load the transformer now (it loads on first use otherwise)."""
        _ = self.transformer

    def warm_up(self) -> None:
        """Load the transformer and run it once, so that no post pays for either."""
        self.transformer.warm_up()

    def runs(self) -> tuple[int, int]:
        """(lower-half runs, whole-model runs) so far; (0, 0) if the transformer never loaded."""
        t = self._transformer
        return (t.lower_runs, t.upper_runs) if t is not None else (0, 0)

    def scores(
        self, texts: Sequence[str], needs: Sequence[Collection[str]] | None = None, solo: bool = False
    ) -> list[Scores]:
        """Scores for each text; `needs[i]` names the scores text i must have reliably (default:
        offensive only). A score not needed may be None (hate, sentiment) or the fast stage's.
        `solo`: one post checked on its own (TransformerScorer.predict)."""
        heads = self.fast.predict_heads(texts)
        fast = heads[:, 0]
        hate_gate, sentiment_gate = self.hate_gate, self.sentiment_gate
        fast_hate = heads[:, 1] if hate_gate is not None else None
        columns = self.fast.sentiment_columns
        fast_sentiment = heads[:, columns] if sentiment_gate is not None and columns is not None else None
        wanted = [OFFENSIVE_ONLY] * len(texts) if needs is None else list(needs)
        full_needed = [
            ("sentiment" in w and (fast_sentiment is None or fast_sentiment[i, 0] > sentiment_gate))  # type: ignore[operator]
            or ("hate" in w and (fast_hate is None or fast_hate[i] > hate_gate))  # type: ignore[operator]
            for i, w in enumerate(wanted)
        ]
        unsure = [
            i
            for i, p in enumerate(fast)
            if full_needed[i] or ("offensive" in wanted[i] and self.low < p < self.high)
        ]
        cut = self.threshold
        results = []
        for i, p in enumerate(fast):
            w = wanted[i]
            sentiment = fast_sentiment is not None and "sentiment" in w
            results.append(
                Scores(
                    offensive=float(p),
                    hate=float(fast_hate[i]) if fast_hate is not None and "hate" in w else None,
                    negative=float(fast_sentiment[i, 0]) if sentiment else None,  # type: ignore[index]
                    positive=float(fast_sentiment[i, 2]) if sentiment else None,  # type: ignore[index]
                    offensive_threshold=cut,
                )
            )
        if unsure:
            band = (self.early_low, self.early_high)
            offensive, hate, sentiment_full, full = self.transformer.predict(
                [texts[i] for i in unsure], band, [full_needed[i] for i in unsure], solo=solo
            )
            for k, i in enumerate(unsure):
                if full[k]:
                    results[i] = Scores(
                        offensive=float(offensive[k]),
                        hate=float(hate[k]),
                        negative=float(sentiment_full[k, 0]),
                        positive=float(sentiment_full[k, 2]),
                        stage="transformer",
                        offensive_threshold=cut,
                    )
                else:
                    results[i] = replace(results[i], offensive=float(offensive[k]), stage="early")
        return results


# The transformer's runtime is the `classifiers` extra (pyproject.toml): a deployment may leave it
# out and check posts with the pattern rules alone. Said once per process, not once per engine.
RUNTIME = ("onnxruntime", "tokenizers")
NOT_INSTALLED = (
    "The classifiers are not installed (%s missing): posts are checked with the pattern rules only, "
    "and the rules that need classifier scores are skipped. Install them with: "
    "pip install 'socialguard[classifiers]'"
)
_said_missing = False


def runtime_available() -> bool:
    """Whether the classifiers' runtime can be imported; logs a warning the first time it cannot."""
    from importlib.util import find_spec

    global _said_missing
    missing = [name for name in RUNTIME if find_spec(name) is None]
    if missing and not _said_missing:
        _said_missing = True
        import logging

        logging.getLogger("socialguard.rules").warning(NOT_INSTALLED, ", ".join(missing))
    return not missing
