"""Store a dynamically quantised ONNX model's int8 weights as uint8 (each value and its zero point
moved up by 128), so that it computes the same on every x86 CPU.

    /work/venv-train/bin/python training/unsigned_weights.py MODEL.onnx [MODEL.onnx ...]

Why: `quantize_dynamic(weight_type=QInt8)` writes MatMulInteger nodes with uint8 activations and
int8 weights. On CPUs with VNNI (AVX512-VNNI, AVX-VNNI) onnxruntime multiplies those exactly; on
CPUs with AVX2 only (AMD Zen 1-3, older Intel) it uses VPMADDUBSW, whose 16-bit sums of two
products saturate (onnxruntime's quantisation guide warns of it). Measured in session 20 on an AMD
EPYC (Zen 1, AVX2): the cascade's offensive macro-F1 on TweetEval validation fell from 0.781 to
0.774, single scores moved by up to 0.47. With uint8 weights onnxruntime uses its U8U8 kernels,
which do not saturate, so every CPU gets the scores we measured.

The move is exact: (a - za) * (b - zb) is unchanged when b and zb both gain 128, and int8 plus
128 always fits uint8. Only initialisers read as a MatMulInteger's weights or weight zero point
are changed; a weight without a zero point gets one (128).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

WEIGHT, WEIGHT_ZERO_POINT = 1, 3  # MatMulInteger's inputs: A, B, a_zero_point, b_zero_point


def unsigned_weights(model: onnx.ModelProto) -> int:
    """Rewrite the model in place; returns how many MatMulInteger nodes now read uint8 weights."""
    graph = model.graph
    initialisers = {t.name: t for t in graph.initializer}
    readers: dict[str, list[tuple[str, int]]] = {}
    for node in graph.node:
        for position, name in enumerate(node.input):
            readers.setdefault(name, []).append((node.op_type, position))

    def shift(name: str, position: int) -> None:
        tensor = initialisers[name]
        if tensor.data_type != onnx.TensorProto.INT8:
            return  # already moved (shared by several nodes)
        if any(reader != ("MatMulInteger", position) for reader in readers[name]):
            raise ValueError(f"{name}: another kind of node reads it too; moving it would change that node")
        values = numpy_helper.to_array(tensor).astype(np.int16) + 128
        tensor.CopyFrom(numpy_helper.from_array(values.astype(np.uint8), name))

    changed = 0
    moved: set[str] = set()
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        weight = initialisers.get(node.input[WEIGHT])
        if weight is None:
            continue  # computed weights: not ours to move
        if weight.data_type != onnx.TensorProto.INT8 and weight.name not in moved:
            continue  # uint8 from the start
        shift(weight.name, WEIGHT)  # a weight several nodes share is moved once; each node's zero point below
        moved.add(weight.name)
        if len(node.input) > WEIGHT_ZERO_POINT and node.input[WEIGHT_ZERO_POINT]:
            shift(node.input[WEIGHT_ZERO_POINT], WEIGHT_ZERO_POINT)
        else:
            name = f"{node.input[WEIGHT]}_zero_point_uint8"
            if name not in initialisers:  # one for all the nodes that share the weight
                graph.initializer.append(numpy_helper.from_array(np.array(128, dtype=np.uint8), name))
                initialisers[name] = graph.initializer[-1]
            if len(node.input) > WEIGHT_ZERO_POINT:
                node.input[WEIGHT_ZERO_POINT] = name  # an empty slot ("") is filled, not followed
            else:
                while len(node.input) < WEIGHT_ZERO_POINT:
                    node.input.append("")
                node.input.append(name)
        changed += 1
    return changed


def rewrite(path: Path) -> int:
    model = onnx.load(str(path))
    changed = unsigned_weights(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return changed


def main() -> None:
    for name in sys.argv[1:]:
        print(f"{name}: {rewrite(Path(name))} MatMulInteger nodes read uint8 weights")


if __name__ == "__main__":
    main()
