"""The int8 models kept on this machine as onnxruntime last prepared them, so later processes skip
the preparing.

Every process used to build each session from the shipped file: the weights made signed where the
CPU wants them (int8_weights, ~65 ms for the policy encoder here) and the graph optimised by
onnxruntime (~80 ms); three models, a quarter to half a second of every `socialguard check`. The
first session built for a model now also writes the prepared graph (signed weights, optimised at
onnxruntime's extended level) into a cache folder, and sessions after it are built from that file,
in ~35 ms. The scores are the same to the last bit (tests/rules/detectors/test_model_cache.py):
the file holds what the session would have run, and the session still optimises it at the level it
always did.

A cached file is named by a hash of everything that decides its contents (the shipped file's bytes,
onnxruntime's version, signed or unsigned weights, the machine's architecture), so a retrained model,
an upgraded onnxruntime or another setting makes a new one. The folder is private to its user (made
0700; one others can write to is not used); a file that does not load is removed and the model is
prepared again. Anything that stops the cache (no home folder, a read-only or full disk) leaves the
session to be built as before.

SOCIALGUARD_MODEL_CACHE names another folder, or "off" for none; by default
$XDG_CACHE_HOME/socialguard/models (~/.cache/socialguard/models).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import platform
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from socialguard.rules.detectors.int8_weights import model_for_session, use_signed_weights

SETTING = "SOCIALGUARD_MODEL_CACHE"
OFF = frozenset({"off", "none", "no", "false", "0"})
# Versions of one model kept side by side (two checkouts, or an upgrade and a rollback, each keep
# theirs); the least recently used go first.
KEPT_PER_MODEL = 3
log = logging.getLogger("socialguard.rules")


def cache_folder() -> Path | None:
    """Where prepared models are kept, or None where the setting turns the cache off."""
    value = os.environ.get(SETTING, "").strip()
    if value.lower() in OFF:
        return None
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    return root / "socialguard" / "models"


def cache_key(path: Path, signed: bool) -> str:
    """A name for the prepared model: what decides its contents, hashed."""
    import onnxruntime

    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    weights = "signed" if signed else "unsigned"
    digest.update(f"|{onnxruntime.__version__}|{weights}|{platform.machine()}".encode())
    return digest.hexdigest()[:32]


def cached_session(path: Path, options: Any) -> Any:
    """An onnxruntime session for the model at `path` with `options`, built from the prepared copy
    in the cache (made now if there is none), or from the shipped file where there is no cache."""
    import onnxruntime as ort

    providers = ["CPUExecutionProvider"]
    prepared = _prepared(path)
    if prepared is not None:
        try:
            return ort.InferenceSession(str(prepared), options, providers=providers)
        except Exception:  # a damaged or foreign file: gone, and the model prepared as before
            log.warning("%s: the cached copy did not load; removed", path.name, exc_info=True)
            prepared.unlink(missing_ok=True)
    with model_for_session(path) as model:
        return ort.InferenceSession(model, options, providers=providers)


def _prepared(path: Path) -> Path | None:
    """The cached prepared copy of the model at `path`, written now if missing; None if there is
    no usable cache folder or the copy cannot be written."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        signed = use_signed_weights()
        target = folder / f"{path.stem}-{cache_key(path, signed)}.onnx"
        if not _private_folder(folder):
            return None
        if target.is_file():
            with contextlib.suppress(OSError):  # a read-only cache is still a cache
                os.utime(target)  # recently used: kept when older versions are cleared
            return target
        _write(path, target)
        with contextlib.suppress(OSError):  # another process clearing at the same time, say
            _clear_old(folder, path.stem, keep=target)
        return target
    except Exception as error:  # a full or read-only disk, say (onnxruntime's own errors included)
        log.info("%s: no cached copy (%s); prepared in this process", path.name, error)
        return None


def _private_folder(folder: Path) -> bool:
    """Make the folder (0700) if need be; False if it is someone else's or others may write to it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if (hasattr(os, "getuid") and info.st_uid != os.getuid()) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        log.warning("%s is not private to this user: models are not cached there", folder)
        return False
    return True


def _write(path: Path, target: Path) -> None:
    """Let onnxruntime write the prepared graph beside `target` (a session built only for that),
    then move it into place in one step, so that no process ever reads half a file."""
    import onnxruntime as ort

    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".onnx", dir=target.parent)
    os.close(handle)
    try:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = temporary
        options.intra_op_num_threads = 1
        with model_for_session(path) as model:
            ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        if os.path.getsize(temporary) == 0:
            raise OSError(f"onnxruntime wrote nothing to {temporary}")
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _clear_old(folder: Path, stem: str, keep: Path) -> None:
    """All but the KEPT_PER_MODEL most recently used versions of a model go, and so do half-written
    files a killed process left (an hour old or more)."""
    for left in folder.glob(f".{stem}-*.onnx"):
        with contextlib.suppress(OSError):
            if left.stat().st_mtime < time.time() - 3600:
                left.unlink()
    copies = sorted(
        (p for p in folder.glob(f"{stem}-*.onnx") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in copies[KEPT_PER_MODEL - 1 :]:
        old.unlink(missing_ok=True)
