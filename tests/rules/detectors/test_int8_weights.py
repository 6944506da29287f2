"""Signed int8 weights on CPUs with VNNI: the same scores as the shipped unsigned weights, faster."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from socialguard.rules.detectors import int8_weights, model_cache
from socialguard.rules.detectors.classifiers import MODEL_DIR, inference_session, model_text
from socialguard.rules.detectors.int8_weights import (
    INT8,
    SETTING,
    UINT8,
    cpu_has_vnni,
    model_for_session,
    signed_weights,
    use_signed_weights,
)
from socialguard.rules.detectors.policy_model import ENCODER_PATH, encoder_input

ort = pytest.importorskip("onnxruntime")
tokenizers = pytest.importorskip("tokenizers")
BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "policy_posts.jsonl"


def _schema_model(
    nodes: list[tuple[str, list[str]]], tensors: list[tuple[str, int, bytes, list[int]]]
) -> bytes:
    model_class = int8_weights._schema()
    model = model_class()
    for op, inputs in nodes:
        node = model.graph.node.add(op_type=op)
        node.input.extend(inputs)
    for name, data_type, raw, ints in tensors:
        tensor = model.graph.initializer.add(name=name, data_type=data_type)
        if raw:
            tensor.raw_data = raw
        tensor.int32_data.extend(ints)
    return model.SerializeToString()


def _tensors(model: bytes) -> dict[str, tuple[int, bytes, list[int]]]:
    model_class = int8_weights._schema()
    parsed = model_class()
    parsed.ParseFromString(model)
    return {t.name: (t.data_type, t.raw_data, list(t.int32_data)) for t in parsed.graph.initializer}


def test_a_weight_and_its_zero_point_move_down_by_128_together() -> None:
    model = _schema_model(
        [("DynamicQuantizeLinear", ["x"]), ("MatMulInteger", ["xq", "w", "xz", "wz"])],
        [("w", UINT8, bytes([0, 1, 127, 128, 200, 255]), []), ("wz", UINT8, b"", [131])],
    )
    out, changed = signed_weights(model)
    tensors = _tensors(out)
    assert changed == 2
    data_type, raw, _ = tensors["w"]
    assert data_type == INT8
    assert np.frombuffer(raw, dtype=np.int8).tolist() == [-128, -127, -1, 0, 72, 127]
    assert tensors["wz"][0] == INT8 and tensors["wz"][2] == [3]  # held as int32s: shifted too
    # (w - z) is what the product reads: unchanged for every weight
    before = np.array([0, 1, 127, 128, 200, 255]) - 131
    after = np.frombuffer(raw, dtype=np.int8).astype(int) - 3
    assert before.tolist() == after.tolist()


def test_a_tensor_another_node_reads_stays_unsigned() -> None:
    """A uint8 weight another kind of node also reads (a DequantizeLinear here) keeps its type: that
    reader expects uint8."""
    model = _schema_model(
        [("MatMulInteger", ["xq", "w", "xz", "wz"]), ("DequantizeLinear", ["w", "s", "wz"])],
        [("w", UINT8, bytes([5, 250]), []), ("wz", UINT8, bytes([128]), [])],
    )
    out, changed = signed_weights(model)
    assert changed == 0
    assert _tensors(out)["w"] == (UINT8, bytes([5, 250]), [])


def test_the_activations_of_a_matmul_are_not_weights() -> None:
    """MatMulInteger's first and third inputs (the activations and their zero point) are left."""
    model = _schema_model(
        [("MatMulInteger", ["a", "w", "az", "wz"])],
        [
            ("a", UINT8, bytes([7]), []),
            ("az", UINT8, bytes([0]), []),
            ("w", UINT8, bytes([9]), []),
            ("wz", UINT8, bytes([128]), []),
        ],
    )
    out, changed = signed_weights(model)
    assert changed == 2
    tensors = _tensors(out)
    assert tensors["a"][0] == UINT8 and tensors["az"][0] == UINT8
    assert tensors["w"][0] == INT8 and tensors["wz"][0] == INT8


def test_a_weight_without_a_zero_point_stays_unsigned() -> None:
    """Without a zero point either type is read as it is (zero point 0), so moving a weight by 128
    would change every product: it is left, and so is a zero point read with it by another node."""
    model = _schema_model(
        [
            ("MatMulInteger", ["a", "w"]),
            ("MatMulInteger", ["a", "v", "az", "vz"]),
            ("MatMulInteger", ["a", "w", "az", "vz"]),
        ],
        [("w", UINT8, bytes([9]), []), ("v", UINT8, bytes([3]), []), ("vz", UINT8, bytes([128]), [])],
    )
    out, changed = signed_weights(model)
    assert changed == 0  # w cannot move, so neither can vz (read with w), nor v (read with vz)
    assert {name: t[0] for name, t in _tensors(out).items()} == {"w": UINT8, "v": UINT8, "vz": UINT8}


def test_a_model_with_subgraphs_or_outside_data_is_left_as_it_is() -> None:
    """An If/Loop body may read the outer graph's tensors, and a tensor stored in another file has no
    bytes here: either way the model is returned unchanged."""
    nodes = [("MatMulInteger", ["a", "w", "az", "wz"])]
    tensors = [("w", UINT8, bytes([9]), []), ("wz", UINT8, bytes([128]), [])]
    model_class = int8_weights._schema()
    with_body = model_class()
    with_body.ParseFromString(_schema_model(nodes, tensors))
    branch = with_body.graph.node.add(op_type="If").attribute.add()
    branch.g.node.add(op_type="Identity").input.append("w")
    assert signed_weights(with_body.SerializeToString())[1] == 0
    outside = model_class()
    outside.ParseFromString(_schema_model(nodes, tensors))
    outside.graph.initializer[0].data_location = int8_weights.EXTERNAL
    assert signed_weights(outside.SerializeToString())[1] == 0
    assert signed_weights(_schema_model(nodes, tensors))[1] == 2  # the same model, plain


def test_a_tensor_the_graph_declares_or_a_custom_domain_stays_unsigned() -> None:
    nodes = [("MatMulInteger", ["a", "w", "az", "wz"])]
    tensors = [("w", UINT8, bytes([9]), []), ("wz", UINT8, bytes([128]), [])]
    model_class = int8_weights._schema()
    for field in ("input", "output", "value_info"):
        declared = model_class()
        declared.ParseFromString(_schema_model(nodes, tensors))
        getattr(declared.graph, field).add(name="w")
        out, changed = signed_weights(declared.SerializeToString())
        assert changed == 0 and _tensors(out)["w"][0] == UINT8, field
    custom = model_class()
    custom.ParseFromString(_schema_model(nodes, tensors))
    custom.graph.node[0].domain = "com.example"
    assert signed_weights(custom.SerializeToString())[1] == 0


def test_vnni_is_read_from_the_cpu_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(int8_weights.platform, "machine", lambda: "x86_64")
    info = tmp_path / "cpuinfo"
    info.write_text(
        "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni\n"
    )
    assert cpu_has_vnni(info)
    info.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512dq avx512bw avx512vl\n")
    assert not cpu_has_vnni(info)
    # onnxruntime's AVX512-VNNI kernels need the rest of AVX-512 too (BW, DQ, VL).
    info.write_text("flags\t\t: avx2 avx512f avx512_vnni\n")
    assert not cpu_has_vnni(info)
    info.write_text("flags\t\t: avx2 avx_vnni\n")
    assert cpu_has_vnni(info)  # Alder Lake's 256-bit VNNI
    assert not cpu_has_vnni(tmp_path / "missing")
    monkeypatch.setattr(int8_weights.platform, "machine", lambda: "aarch64")
    info.write_text("flags\t\t: avx512_vnni\n")
    assert not cpu_has_vnni(info)  # not an x86 CPU: the safe unsigned weights


def _signed_tensors(model: bytes) -> int:
    return sum(data_type == INT8 for data_type, _, _ in _tensors(model).values())


def test_the_setting_forces_a_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SETTING, "unsigned")
    assert not use_signed_weights()
    with model_for_session(ENCODER_PATH) as model:
        assert model == str(ENCODER_PATH)
    monkeypatch.setenv(SETTING, "Signed")
    assert use_signed_weights()
    with model_for_session(ENCODER_PATH) as model:
        copy = Path(str(model))
        assert copy != ENCODER_PATH and copy.name == ENCODER_PATH.name
        assert _signed_tensors(copy.read_bytes()) > 0 and _signed_tensors(ENCODER_PATH.read_bytes()) == 0
        assert copy.parent.stat().st_mode & 0o077 == 0  # its folder is private to this user
    assert not copy.exists() and not copy.parent.exists()  # removed once the session has read it
    monkeypatch.setenv(SETTING, "")
    assert use_signed_weights() == int8_weights._vnni()


def test_a_damaged_model_file_is_left_to_onnxruntime(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = tmp_path / "policy-encoder.onnx"
    damaged.write_bytes(ENCODER_PATH.read_bytes()[:1_000_000])
    monkeypatch.setenv(SETTING, "signed")
    with model_for_session(damaged) as model:
        assert model == str(damaged)  # onnxruntime reads it and says what is wrong
    assert "kept its unsigned weights" in caplog.text


def test_the_copy_goes_even_when_the_session_cannot_be_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SETTING, "signed")
    with pytest.raises(RuntimeError), model_for_session(ENCODER_PATH) as model:
        copy = Path(str(model))
        assert copy.exists()
        raise RuntimeError("the session failed")
    assert not copy.parent.exists()


def test_without_a_temporary_folder_the_session_gets_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_folder(*args: object, **kwargs: object) -> None:
        raise OSError("read-only file system")

    monkeypatch.setenv(SETTING, "signed")
    monkeypatch.setattr(int8_weights.tempfile, "mkdtemp", no_folder)
    with model_for_session(ENCODER_PATH) as model:
        assert isinstance(model, bytes) and _signed_tensors(model) > 0
        ort.InferenceSession(model, providers=["CPUExecutionProvider"])  # loads


def test_a_full_temporary_folder_leaves_nothing_behind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A folder made but the model not written (a full disk): the folder goes, the bytes are used."""

    def full(self: Path, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setenv(SETTING, "signed")
    monkeypatch.setattr(int8_weights.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(Path, "write_bytes", full)
    with model_for_session(ENCODER_PATH) as model:
        assert isinstance(model, bytes)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["policy-encoder.onnx", "encoder-lower.onnx", "encoder-upper.onnx"])
def test_every_shipped_matmul_weight_becomes_signed(name: str) -> None:
    model_class = int8_weights._schema()
    original = model_class()
    original.ParseFromString((MODEL_DIR / name).read_bytes())
    weights = {
        node.input[i] for node in original.graph.node if node.op_type == "MatMulInteger" for i in (1, 3)
    }
    out, changed = signed_weights((MODEL_DIR / name).read_bytes())
    assert changed == len(weights) > 0
    types = {name: data_type for name, (data_type, _, _) in _tensors(out).items()}
    assert {types[w] for w in weights} == {INT8}


def _texts() -> list[str]:
    rows = [json.loads(line) for line in BENCHMARK.read_text(encoding="utf-8").splitlines()]
    return [*[row["text"] for row in rows[::7]][:150], "", "ok", "x " * 300]


@pytest.mark.skipif(
    not cpu_has_vnni(),
    reason="without VNNI onnxruntime's signed-weight kernels may saturate: the scores may differ "
    "there, which is why such a CPU keeps the unsigned weights",
)
def test_signed_weights_give_the_same_scores_to_the_last_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a VNNI CPU the change is exact: the policy encoder and both halves of the transformer
    give the benchmark's posts (and an empty, a short and a truncated one) the very same outputs."""
    from tokenizers import Tokenizer

    converted: list[int] = []
    convert = int8_weights.signed_weights

    def counted(model: bytes) -> tuple[bytes, int]:
        out, changed = convert(model)
        converted.append(changed)
        return out, changed

    monkeypatch.setattr(int8_weights, "signed_weights", counted)
    monkeypatch.setenv(model_cache.SETTING, "off")  # every session converts its own (no cached copy)
    sessions = {}
    for choice in ("unsigned", "signed"):
        monkeypatch.setenv(SETTING, choice)
        sessions[choice] = [
            inference_session(MODEL_DIR / n, 1)
            for n in ("policy-encoder.onnx", "encoder-lower.onnx", "encoder-upper.onnx")
        ]
    assert len(converted) == 3 and min(converted) > 0  # the signed sessions really are signed
    tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(128)
    for text in _texts():
        outputs = {}
        for choice, (encoder, lower, upper) in sessions.items():
            e = tokenizer.encode(encoder_input(text, ()))
            feed = {"input_ids": np.array([e.ids]), "attention_mask": np.array([e.attention_mask])}
            categories = encoder.run(None, feed)[0]
            e = tokenizer.encode(model_text(text))
            mask = np.array([e.attention_mask])
            hidden, early = lower.run(None, {"input_ids": np.array([e.ids]), "attention_mask": mask})
            heads = upper.run(None, {"hidden": hidden, "attention_mask": mask})
            outputs[choice] = [categories, hidden, early, *heads]
        for unsigned, signed in zip(outputs["unsigned"], outputs["signed"], strict=True):
            assert np.array_equal(unsigned, signed), text
