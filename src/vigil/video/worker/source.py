"""Frames from a file or an RTSP/HTTP URL, decoded by OpenCV's FFmpeg back-end."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import cv2
import numpy as np


def is_stream(source: str) -> bool:
    return source.startswith(("rtsp://", "rtsps://", "http://", "https://"))


def frames(source: str, start: int = 0) -> Iterator[tuple[int, np.ndarray]]:
    """(index, BGR frame) from `start` on. A file is read from its first frame (the skipped ones
    are grabbed, not decoded into arrays) so indices always mean the same frame; a live
    stream starts now and counts on from `start`."""
    if not is_stream(source) and not Path(source).exists():
        raise FileNotFoundError(f"no such video file: {source}")
    capture = cv2.VideoCapture(source, cv2.CAP_FFMPEG)
    if not capture.isOpened():
        raise OSError(f"cannot open the video source {source}")
    try:
        index = 0
        if not is_stream(source):
            while index < start and capture.grab():
                index += 1
        else:
            index = start
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield index, frame
            index += 1
    finally:
        capture.release()


def from_arrays(arrays: Sequence[np.ndarray], start: int = 0) -> Iterator[tuple[int, np.ndarray]]:
    for index in range(start, len(arrays)):
        yield index, arrays[index]


def write_clip(path: str | Path, arrays: Sequence[np.ndarray], fps: float) -> None:
    """Write frames losslessly (FFV1 in Matroska), so decoding gives them back exactly."""
    height, width = arrays[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"FFV1"), fps, (width, height))
    if not writer.isOpened():
        raise OSError(f"cannot write {path}")
    for frame in arrays:
        writer.write(frame)
    writer.release()
