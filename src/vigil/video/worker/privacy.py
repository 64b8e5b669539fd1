"""Privacy by design: masked regions are blacked out before any analysis, and stored
snapshots have people (and anything moving) blurred beyond recognition."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from vigil.video.worker.config import Point
from vigil.video.worker.geometry import fill_mask

Box = tuple[float, float, float, float]


class PrivacyMask:
    """Black out the configured polygons; the analysis never sees what is under them."""

    def __init__(self, polygons: list[list[Point]], shape: tuple[int, int]):
        self.keep = None
        if polygons:
            self.keep = cv2.bitwise_not(fill_mask(shape, polygons))

    def apply(self, frame: np.ndarray) -> np.ndarray:
        if self.keep is None:
            return frame
        return cv2.bitwise_and(frame, frame, mask=self.keep)


def blur_regions(frame: np.ndarray, boxes: Iterable[Box], pad: float = 0.25) -> np.ndarray:
    """A copy of `frame` with each box (grown by `pad`) pixelated, then smoothed: no face or
    figure detail survives, only a coloured shape."""
    out = frame.copy()
    height, width = frame.shape[:2]
    for x1, y1, x2, y2 in boxes:
        w, h = x2 - x1, y2 - y1
        a, b = max(0, int(x1 - w * pad)), max(0, int(y1 - h * pad))
        c, d = min(width, int(x2 + w * pad) + 1), min(height, int(y2 + h * pad) + 1)
        if c - a < 2 or d - b < 2:
            continue
        region = out[b:d, a:c]
        tiny = cv2.resize(
            region, (max(1, (c - a) // 12), max(1, (d - b) // 12)), interpolation=cv2.INTER_AREA
        )
        coarse = cv2.resize(tiny, (c - a, d - b), interpolation=cv2.INTER_NEAREST)
        out[b:d, a:c] = cv2.GaussianBlur(coarse, (0, 0), max(2.0, (c - a) / 10))
    return out


def snapshot_name(camera: str, source_event_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", source_event_id)
    return f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', camera)}/{safe}.jpg"


def write_snapshot(directory: Path, name: str, frame: np.ndarray, people: Iterable[Box]) -> str:
    """Write the blurred snapshot under `directory`; the relative path that events carry."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.jpg")
    if not cv2.imwrite(str(temporary), blur_regions(frame, people), [cv2.IMWRITE_JPEG_QUALITY, 85]):
        raise OSError(f"could not write the snapshot {path}")
    temporary.replace(path)
    return name


def purge_snapshots(directory: Path, max_age_s: float, now: float | None = None) -> int:
    """Delete snapshots older than the retention period; how many went."""
    limit = (time.time() if now is None else now) - max_age_s
    removed = 0
    for path in directory.rglob("*.jpg"):
        if path.stat().st_mtime < limit:
            path.unlink()
            removed += 1
    return removed
