"""The prepared models kept per machine: the same scores as a session built from the shipped file,
read by later sessions instead of preparing again, and never in the way when the cache cannot be."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from socialguard.rules.detectors import int8_weights, model_cache
from socialguard.rules.detectors.classifiers import MODEL_DIR, inference_session, model_text
from socialguard.rules.detectors.model_cache import KEPT_PER_MODEL, SETTING, cache_folder, cache_key
from socialguard.rules.detectors.policy_model import ENCODER_PATH, encoder_input

ort = pytest.importorskip("onnxruntime")
tokenizers = pytest.importorskip("tokenizers")
BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "policy_posts.jsonl"
MODELS = ("policy-encoder.onnx", "encoder-lower.onnx", "encoder-upper.onnx")


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    monkeypatch.setenv(SETTING, str(folder))
    return folder


@pytest.fixture
def preparations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each time a model is prepared from its shipped file (signed weights, optimised)."""
    made: list[Path] = []
    real = model_cache.model_for_session

    def counted(path: Path):  # type: ignore[no-untyped-def]
        made.append(path)
        return real(path)

    monkeypatch.setattr(model_cache, "model_for_session", counted)
    return made


def _texts() -> list[str]:
    rows = [json.loads(line) for line in BENCHMARK.read_text(encoding="utf-8").splitlines()]
    return [*[row["text"] for row in rows[::11]][:100], "", "ok", "x " * 300]


def _outputs(sessions: list[object], text: str) -> list[np.ndarray]:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(128)
    encoder, lower, upper = sessions
    e = tokenizer.encode(encoder_input(text, ()))
    categories = encoder.run(
        None, {"input_ids": np.array([e.ids]), "attention_mask": np.array([e.attention_mask])}
    )  # type: ignore[attr-defined]
    e = tokenizer.encode(model_text(text))
    mask = np.array([e.attention_mask])
    hidden, early = lower.run(None, {"input_ids": np.array([e.ids]), "attention_mask": mask})  # type: ignore[attr-defined]
    heads = upper.run(None, {"hidden": hidden, "attention_mask": mask})  # type: ignore[attr-defined]
    return [categories[0], hidden, early, *heads]


@pytest.mark.parametrize("weights", ["signed", "unsigned"])
def test_sessions_from_the_cache_give_the_same_scores_to_the_last_bit(
    monkeypatch: pytest.MonkeyPatch, cache: Path, preparations: list[Path], weights: str
) -> None:
    """The policy encoder and both halves of the transformer, built from the cached copies, give
    the benchmark's posts (and an empty, a short and a truncated one) the very outputs of sessions
    built from the shipped files; the second build reads the copies without preparing again."""
    if weights == "signed" and not int8_weights.cpu_has_vnni():
        pytest.skip("signed weights are only chosen on a CPU with VNNI (test_int8_weights.py)")
    monkeypatch.setenv(int8_weights.SETTING, weights)
    monkeypatch.setenv(SETTING, "off")
    shipped = [inference_session(MODEL_DIR / n, 1) for n in MODELS]
    assert preparations == [MODEL_DIR / n for n in MODELS] and not cache.exists()
    monkeypatch.setenv(SETTING, str(cache))
    preparations.clear()
    first = [inference_session(MODEL_DIR / n, 1) for n in MODELS]
    assert preparations == [MODEL_DIR / n for n in MODELS]  # each prepared once, to be written
    assert sorted(p.name.rsplit("-", 1)[0] for p in cache.glob("*.onnx")) == sorted(
        n.removesuffix(".onnx") for n in MODELS
    )
    preparations.clear()
    cached = [inference_session(MODEL_DIR / n, 1) for n in MODELS]
    assert preparations == []  # read from the cache
    for text in _texts():
        expected = _outputs(shipped, text)
        for sessions in (first, cached):
            for want, got in zip(expected, _outputs(sessions, text), strict=True):
                assert np.array_equal(want, got), text


def test_the_cache_folder_is_private_and_holds_one_file_a_model(cache: Path) -> None:
    inference_session(ENCODER_PATH, 1)
    inference_session(ENCODER_PATH, 2)  # another session of the same model: the same copy
    assert cache.stat().st_mode & 0o077 == 0
    (copy,) = cache.iterdir()
    assert copy.name == f"policy-encoder-{cache_key(ENCODER_PATH, int8_weights.use_signed_weights())}.onnx"
    assert copy.stat().st_mode & 0o077 == 0


def test_off_means_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for value in ("off", "OFF", "0", "none"):
        monkeypatch.setenv(SETTING, value)
        assert cache_folder() is None
        inference_session(ENCODER_PATH, 1)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv(SETTING, "")
    assert cache_folder() == tmp_path / ".cache" / "socialguard" / "models"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "socialguard" / "models"


def test_the_key_changes_with_the_model_and_the_weights(tmp_path: Path) -> None:
    a, b = tmp_path / "a.onnx", tmp_path / "b.onnx"
    a.write_bytes(b"model one")
    b.write_bytes(b"model two")
    assert cache_key(a, signed=True) != cache_key(b, signed=True)
    assert cache_key(a, signed=True) != cache_key(a, signed=False)
    assert cache_key(a, signed=True) == cache_key(a, signed=True)


def test_a_damaged_copy_is_removed_and_the_model_prepared_again(
    cache: Path, preparations: list[Path], caplog: pytest.LogCaptureFixture
) -> None:
    inference_session(ENCODER_PATH, 1)
    (copy,) = cache.iterdir()
    good = copy.read_bytes()
    copy.write_bytes(good[:100_000])  # a disk that lost its end, say
    preparations.clear()
    session = inference_session(ENCODER_PATH, 1)
    assert session.get_inputs()[0].name == "input_ids"
    assert "did not load; removed" in caplog.text
    assert preparations == [ENCODER_PATH] and not copy.exists()
    inference_session(ENCODER_PATH, 1)  # the next session writes a good copy again
    assert copy.read_bytes() == good


def test_a_folder_others_can_write_to_is_not_used(
    cache: Path, preparations: list[Path], caplog: pytest.LogCaptureFixture
) -> None:
    cache.mkdir()
    cache.chmod(0o777)
    inference_session(ENCODER_PATH, 1)
    assert list(cache.iterdir()) == [] and preparations == [ENCODER_PATH]
    assert "not private to this user" in caplog.text


def test_a_cache_that_cannot_be_written_leaves_the_session_as_before(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, preparations: list[Path]
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(SETTING, str(blocked / "models"))
    assert inference_session(ENCODER_PATH, 1).get_inputs()[0].name == "input_ids"
    assert preparations == [ENCODER_PATH]

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    folder = tmp_path / "full"
    monkeypatch.setenv(SETTING, str(folder))
    monkeypatch.setattr(model_cache.os, "replace", full)
    assert inference_session(ENCODER_PATH, 1).get_inputs()[0].name == "input_ids"
    assert list(folder.iterdir()) == []  # the half-made copy went too


def test_old_versions_go_the_recently_used_stay(tmp_path: Path) -> None:
    now = time.time()
    for age in range(5):
        old = tmp_path / f"policy-encoder-{age:032d}.onnx"
        old.write_bytes(b"x")
        os.utime(old, (now - 60 * (age + 1), now - 60 * (age + 1)))
    (tmp_path / "encoder-lower-0.onnx").write_bytes(b"another model's: kept")
    stale, fresh = tmp_path / ".policy-encoder-abc.onnx", tmp_path / ".policy-encoder-def.onnx"
    stale.write_bytes(b"half")
    os.utime(stale, (now - 7200, now - 7200))
    fresh.write_bytes(b"being written now")
    current = tmp_path / "policy-encoder-current.onnx"
    current.write_bytes(b"y")
    model_cache._clear_old(tmp_path, "policy-encoder", keep=current)
    left = sorted(p.name for p in tmp_path.glob("policy-encoder-*.onnx"))
    assert len(left) == KEPT_PER_MODEL and "policy-encoder-current.onnx" in left
    assert f"policy-encoder-{0:032d}.onnx" in left  # the most recently used of the others
    assert (tmp_path / "encoder-lower-0.onnx").exists()
    assert not stale.exists() and fresh.exists()


def test_a_cache_that_can_be_read_but_not_written_is_still_used(
    cache: Path, preparations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    inference_session(ENCODER_PATH, 1)
    preparations.clear()

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(model_cache.os, "utime", read_only)
    inference_session(ENCODER_PATH, 1)
    assert preparations == []
