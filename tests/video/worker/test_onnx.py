"""The ONNX detector path, with a tiny model built here by the `onnx` helpers: it reports one
box (fixed, in input pixels) whose score is the input's mean brightness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from vigil.video.worker.config import DetectorSpec
from vigil.video.worker.detectors import OnnxDetector


def _tiny_model(path: Path, size: int = 64) -> None:
    image = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, size, size])
    rows = helper.make_tensor_value_info("detections", TensorProto.FLOAT, [1, 6])
    box = helper.make_tensor("box", TensorProto.FLOAT, [1, 4], [16.0, 8.0, 48.0, 56.0])
    cls = helper.make_tensor("cls", TensorProto.FLOAT, [1, 1], [0.0])
    shape = helper.make_tensor("shape", TensorProto.INT64, [2], [1, 1])
    nodes = [
        helper.make_node("ReduceMean", ["images"], ["mean"], keepdims=0),  # a scalar
        helper.make_node("Reshape", ["mean", "shape"], ["score"]),
        helper.make_node("Concat", ["box", "score", "cls"], ["detections"], axis=1),
    ]
    graph = helper.make_graph(nodes, "tiny", [image], [rows], initializer=[box, cls, shape])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


@pytest.fixture
def detector(tmp_path: Path) -> OnnxDetector:
    _tiny_model(tmp_path / "tiny.onnx")
    spec = DetectorSpec(
        kind="onnx",
        model_path=str(tmp_path / "tiny.onnx"),
        input_size=(64, 64),
        class_labels={0: "person"},
        min_score=0.3,
    )
    return OnnxDetector(spec)


def test_a_bright_frame_gives_the_models_box_mapped_back_to_the_frame(
    detector: OnnxDetector,
) -> None:
    frame = np.full(
        (128, 256, 3), 200, np.uint8
    )  # letterboxed: scale 0.25, 16 px bands above and below
    found = detector.detect(frame, None, None)
    assert len(found) == 1
    assert found[0].label == "person"
    assert found[0].box == pytest.approx((64.0, 0.0, 192.0, 128.0))  # (64, -32, 192, 160) clipped
    # the score is the mean of the letterboxed input: 200/255 over half the canvas
    assert found[0].score == pytest.approx(200 / 255 * 0.5, abs=0.01)


def test_a_dark_frame_gives_nothing_and_the_cpu_is_the_fallback(detector: OnnxDetector) -> None:
    assert detector.detect(np.zeros((128, 256, 3), np.uint8), None, None) == []
    assert detector.providers[-1] == "CPUExecutionProvider"


def test_an_onnx_detector_needs_a_model_path() -> None:
    with pytest.raises(ValueError, match="model_path"):
        DetectorSpec(kind="onnx")
