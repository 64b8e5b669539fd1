"""What several worker tests share: an event sink that keeps what it is given, and one OpenCV
thread (the accuracy figures must not depend on how many threads OpenCV picks)."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import pytest


class Collect:
    def __init__(self) -> None:
        self.events: list = []

    def emit(self, event) -> bool:
        self.events.append(event)
        return True

    def close(self) -> None:
        pass


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    yield
    cv2.setNumThreads(threads)
