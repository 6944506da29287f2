"""The int8 models' weights as signed bytes, for CPUs that multiply unsigned by signed bytes natively.

The shipped ONNX models (the transformer's halves, the policy encoder) hold unsigned weights (uint8,
since session 20: training/unsigned_weights.py): on a CPU without VNNI instructions, onnxruntime's
signed-weight kernels add pairs of products in 16 bits and can saturate (on an AVX2-only CPU they
moved single scores by up to 0.47), so unsigned weights are the safe default. A CPU with
VNNI (AVX512-VNNI or AVX-VNNI) multiplies unsigned activations by signed weights in one
instruction without saturation, and there onnxruntime's signed-weight path is the faster one: on
such a CPU (session 26, a 2-core AMD EPYC with AVX512-VNNI) the policy encoder read a 32-token tweet
in 4.4 ms with signed weights against 7.1 ms with unsigned ones, and the CLI checked unseen tweets
1.1-1.4 times as fast.

The change is exact: a weight w with zero point z becomes w - 128 with zero point z - 128, and
(w - z) is unchanged, so every integer product and every score is the same (tested on the
benchmark's posts and TweetEval tweets: identical to the last bit). It is made when a session is
built (into a private temporary file the session reads and which is then removed), so one shipped
file serves both kinds of CPU.

The model is read with a schema of the few ONNX fields this needs (protobuf keeps every other
field as it found it, unread); protobuf comes with onnxruntime and is declared in the
`classifiers` extra too.
"""

from __future__ import annotations

import logging
import os
import platform
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# onnx.proto's field numbers (TensorProto.DataType: UINT8 = 2, INT8 = 3).
UINT8, INT8 = 2, 3
EXTERNAL = 1  # TensorProto.DataLocation: the tensor's bytes are in another file
# MatMulInteger(A, B, a_zero_point, b_zero_point): the weight and its zero point.
WEIGHT_INPUTS = (1, 3)
# SOCIALGUARD_INT8_WEIGHTS: "signed" or "unsigned" forces a choice (tests, a machine whose CPU
# flags mislead); anything else, or unset, lets the CPU decide.
SETTING = "SOCIALGUARD_INT8_WEIGHTS"
# onnxruntime's AVX512-VNNI kernels need AVX512 F, BW, DQ and VL beside it; AVX-VNNI stands alone.
AVX512_VNNI = frozenset({"avx512_vnni", "avx512f", "avx512bw", "avx512dq", "avx512vl"})


def cpu_has_vnni(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this x86-64 CPU says it has VNNI (Linux's /proc/cpuinfo flags); False where it
    cannot tell (another system or architecture), which keeps the safe unsigned weights."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        text = cpuinfo.read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return "avx_vnni" in flags or flags >= AVX512_VNNI
    return False


def forced_choice() -> bool | None:
    """True or False where SOCIALGUARD_INT8_WEIGHTS says "signed" or "unsigned"; None where the CPU
    decides."""
    forced = os.environ.get(SETTING, "").strip().lower()
    return forced == "signed" if forced in ("signed", "unsigned") else None


def use_signed_weights() -> bool:
    """Whether sessions should be built with signed weights on this machine (see the module)."""
    forced = forced_choice()
    return _vnni() if forced is None else forced


@cache
def _vnni() -> bool:
    return cpu_has_vnni()


@cache
def _schema() -> Any:
    """A ModelProto message class with only the fields used here (the rest are kept unread)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field = descriptor_pb2.FieldDescriptorProto
    optional, repeated = field.LABEL_OPTIONAL, field.LABEL_REPEATED
    messages: dict[str, list[tuple[str, int, int, int, str | None]]] = {
        "TensorProto": [
            ("data_type", 2, field.TYPE_INT32, optional, None),
            ("int32_data", 5, field.TYPE_INT32, repeated, None),
            ("name", 8, field.TYPE_STRING, optional, None),
            ("raw_data", 9, field.TYPE_BYTES, optional, None),
            ("data_location", 14, field.TYPE_INT32, optional, None),
        ],
        "AttributeProto": [
            ("g", 6, field.TYPE_MESSAGE, optional, ".socialguard_onnx.GraphProto"),
            ("graphs", 11, field.TYPE_MESSAGE, repeated, ".socialguard_onnx.GraphProto"),
        ],
        "NodeProto": [
            ("input", 1, field.TYPE_STRING, repeated, None),
            ("op_type", 4, field.TYPE_STRING, optional, None),
            ("attribute", 5, field.TYPE_MESSAGE, repeated, ".socialguard_onnx.AttributeProto"),
            ("domain", 7, field.TYPE_STRING, optional, None),
        ],
        "ValueInfoProto": [
            ("name", 1, field.TYPE_STRING, optional, None),
        ],
        "GraphProto": [
            ("node", 1, field.TYPE_MESSAGE, repeated, ".socialguard_onnx.NodeProto"),
            ("initializer", 5, field.TYPE_MESSAGE, repeated, ".socialguard_onnx.TensorProto"),
            ("input", 11, field.TYPE_MESSAGE, repeated, ".socialguard_onnx.ValueInfoProto"),
            ("output", 12, field.TYPE_MESSAGE, repeated, ".socialguard_onnx.ValueInfoProto"),
            ("value_info", 13, field.TYPE_MESSAGE, repeated, ".socialguard_onnx.ValueInfoProto"),
        ],
        "ModelProto": [
            ("graph", 7, field.TYPE_MESSAGE, optional, ".socialguard_onnx.GraphProto"),
        ],
    }
    file = descriptor_pb2.FileDescriptorProto(
        name="socialguard_onnx_subset.proto", package="socialguard_onnx", syntax="proto2"
    )
    for message_name, fields in messages.items():
        message = file.message_type.add(name=message_name)
        for name, number, kind, label, type_name in fields:
            added = message.field.add(name=name, number=number, type=kind, label=label)
            if type_name:
                added.type_name = type_name
            if kind == field.TYPE_INT32 and label == repeated:
                added.options.packed = True  # as onnx.proto's writers emit them
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("socialguard_onnx.ModelProto"))


def signed_weights(model: bytes) -> tuple[bytes, int]:
    """The model with its MatMulIntegers' uint8 weights and weight zero points made int8 (each
    shifted by 128, so their difference is unchanged), and how many tensors changed.

    A node is changed only with both its weight and its zero point (a weight moved without a zero
    point moving with it would change every product), and a tensor only if no other node of the
    graph reads it and the graph does not declare it as an input, an output or a typed value (each
    would expect uint8): what either leaves out stays as it is, and so do the nodes sharing it. A
    model with subgraphs (If, Loop, Scan: their nodes may read the outer graph's tensors) or with
    tensors stored outside the file is returned unchanged.
    """
    parsed = _schema()()
    parsed.ParseFromString(model)
    graph = parsed.graph
    if any(t.data_location == EXTERNAL for t in graph.initializer) or any(
        a.HasField("g") or len(a.graphs) for node in graph.node for a in node.attribute
    ):
        return model, 0
    tensors = {t.name: t for t in graph.initializer}
    readers: dict[str, set[tuple[int, int]]] = {}
    for index, node in enumerate(graph.node):
        for position, name in enumerate(node.input):
            if name:
                readers.setdefault(name, set()).add((index, position))
    for declared in (*graph.input, *graph.output, *graph.value_info):
        readers.setdefault(declared.name, set()).add((-1, -1))  # the graph itself: never one of ours

    def unsigned(name: str) -> bool:
        return name in tensors and tensors[name].data_type == UINT8

    nodes = {
        index
        for index, node in enumerate(graph.node)
        if node.op_type == "MatMulInteger"
        and node.domain in ("", "ai.onnx")
        and len(node.input) > WEIGHT_INPUTS[1]
        and all(unsigned(node.input[i]) for i in WEIGHT_INPUTS)
    }
    while True:  # drop what a reader outside the changed nodes' weight inputs would see changed
        names = {graph.node[i].input[p] for i in nodes for p in WEIGHT_INPUTS}
        kept = {name for name in names if all(i in nodes and p in WEIGHT_INPUTS for i, p in readers[name])}
        still = {i for i in nodes if all(graph.node[i].input[p] in kept for p in WEIGHT_INPUTS)}
        if still == nodes:
            break
        nodes = still
    for name in sorted(kept):
        tensor = tensors[name]
        if tensor.raw_data:
            tensor.raw_data = _flip(tensor.raw_data)
        else:  # small tensors may hold their bytes as int32s
            values = [v - 128 for v in tensor.int32_data]
            del tensor.int32_data[:]
            tensor.int32_data.extend(values)
        tensor.data_type = INT8
    return parsed.SerializeToString(), len(kept)


def _flip(raw: bytes) -> bytes:
    """u - 128 as a two's-complement byte is u with its top bit flipped."""
    return (np.frombuffer(raw, dtype=np.uint8) ^ np.uint8(0x80)).tobytes()


@contextmanager
def model_for_session(path: Path) -> Iterator[str | bytes]:
    """What onnxruntime.InferenceSession should load for the model at `path` on this machine, for
    the `with` block that builds the session: the file itself, or a private temporary copy with
    signed weights (see the module), removed when the block ends. A file rather than the bytes,
    where a temporary folder can be had: onnxruntime keeps the bytes it is given for the session's
    whole life (25 MB more a process for the policy encoder)."""
    if not use_signed_weights():
        yield str(path)
        return
    try:
        model, changed = signed_weights(path.read_bytes())
    except Exception:
        # No protobuf, an older one, a damaged file: onnxruntime reads the file as it is, and
        # reports a real problem in its own words.
        logging.getLogger("socialguard.rules").warning(
            "%s: kept its unsigned weights", path.name, exc_info=True
        )
        changed = 0
    if not changed:
        yield str(path)
        return
    copy = _written(model, path.name)
    if copy is None:  # no writable temporary folder, or a full one: the bytes, at the cost above
        yield model
        return
    del model
    try:
        yield str(copy)
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


def _written(model: bytes, name: str) -> Path | None:
    """The model in a new private temporary folder (mkdtemp: mode 0700), or None if it cannot be."""
    folder = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="socialguard-model-"))
        (folder / name).write_bytes(model)
    except BaseException as error:  # nothing left behind, whatever stopped the writing
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(error, OSError):
            return None
        raise
    return folder / name
