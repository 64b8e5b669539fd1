"""Keying slips in dates written as digits ("YYYYMMDD"). Pure."""

from __future__ import annotations

from collections.abc import Iterator


def typo_neighbours(birth: str, kind: str = "") -> Iterator[str]:
    """The 8-digit strings one wrong digit ("digit") or one adjacent transposition
    ("transposed") away from `birth`; both when `kind` is empty."""
    for i in range(8):
        if kind != "transposed":
            for digit in "0123456789":
                if digit != birth[i]:
                    yield birth[:i] + digit + birth[i + 1 :]
        if kind != "digit" and i < 7 and birth[i] != birth[i + 1]:
            yield birth[:i] + birth[i + 1] + birth[i] + birth[i + 2 :]
