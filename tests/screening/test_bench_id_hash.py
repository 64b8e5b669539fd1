"""The screening bench (bench/screen.py) hashes identity numbers exactly as intake keeps them:
separators and full-width digits folded, a legacy 15-digit number as its 18-character form."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def screen() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("screen")
    finally:
        sys.path.remove(str(BENCH))


def test_separators_and_full_width_digits_hash_as_the_plain_number(screen: ModuleType) -> None:
    plain = screen.id_hash("11010519491231002X")
    assert plain
    assert screen.id_hash("110105 19491231 002x") == plain
    assert screen.id_hash("110105-19491231-002X") == plain
    assert screen.id_hash("１１０１０５１９４９１２３１００２Ｘ") == plain


def test_legacy_number_hashes_as_its_upgrade(screen: ModuleType) -> None:
    assert screen.id_hash("110105491231002") == screen.id_hash("11010519491231002X")


def test_numbers_intake_rejects_hash_as_missing(screen: ModuleType) -> None:
    assert screen.id_hash("110105194912310021") == ""  # wrong check character
    assert screen.id_hash("") == ""
