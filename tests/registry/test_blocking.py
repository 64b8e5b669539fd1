"""The pure blocking helpers of online resolution."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from vigil.core.dates import typo_neighbours
from vigil.registry.blocking import (
    KnownPerson,
    PersonBlocks,
    best_candidate,
    birth_agreement,
    one_digit_away,
)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2099, 12, 31)))
def test_one_digit_away_is_every_real_date_one_typed_digit_away(born: date) -> None:
    expected = []
    for digits in typo_neighbours(born.strftime("%Y%m%d"), "digit"):
        try:
            expected.append(date(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
        except ValueError:
            continue
    assert sorted(one_digit_away(born)) == sorted(expected)


def test_blocks_keep_ids_sorted_and_forget_merged_and_replaced_persons() -> None:
    blocks = PersonBlocks()
    born = "1980-01-01"
    for pid in (5, 2, 9):
        blocks.put(KnownPerson(pid, "王伟", "wangwei", born, None, [("cn_resident_id", f"h{pid}")]))
    assert blocks.blocked(["wangwei"], born) == [2, 5, 9]
    assert blocks.blocked(["wangwei"], "1980-01-02") == [2, 5, 9]  # one digit away
    assert blocks.blocked(["wangwei"], "1985-06-06") == []
    blocks.put(KnownPerson(5, "王伟", "wangwei", born, 2, [("cn_resident_id", "h5")]))
    assert blocks.blocked(["wangwei"], None) == [2, 9]
    assert blocks.by_identifier("cn_resident_id", "h5") == 2  # the survivor
    blocks.drop(9)
    assert blocks.blocked(["wangwei"], born) == [2]
    assert blocks.by_identifier("cn_resident_id", "h9") is None


def test_a_partial_birth_date_blocks_and_agrees_only_at_its_precision() -> None:
    blocks = PersonBlocks()
    filed = {1: "1985", 2: "1985-03", 3: "1985-03-12", 4: "1986", 5: None, 6: "1985-04-02"}
    for pid, born in filed.items():
        blocks.put(KnownPerson(pid, "王伟", "wangwei", born, None, []))
    # a full date finds that day, a digit from it, its month, its year and an unknown date
    assert blocks.blocked(["wangwei"], "1985-03-12") == [1, 2, 3, 5]
    # a year-month finds the persons who agree at the month (or the year only)
    assert blocks.blocked(["wangwei"], "1985-03") == [1, 2, 3, 5]
    # a year finds every person born that year, and those with no date
    assert blocks.blocked(["wangwei"], "1985") == [1, 2, 3, 5, 6]
    assert blocks.blocked(["wangwei"], "1986-07") == [4, 5]


def test_birth_agreement_of_partial_dates() -> None:
    assert birth_agreement("1985-03-12", "1985-03-12") == 1.0
    assert birth_agreement("1985-03-12", "1985-03-13") == 0.8
    assert birth_agreement("1985", "1985-03-12") == birth_agreement("1985-03-12", "1985") == 0.7
    assert birth_agreement("1985-03", "1985-03-12") == 0.75
    assert birth_agreement("1985-03", "1985") == 0.7  # only the year is known of one
    assert birth_agreement("1985-03", "1985-04-01") == 0.05
    assert birth_agreement("1986", "1985-03-12") == 0.05
    assert birth_agreement("1985", None) == 0.6


def test_a_year_alone_never_links_automatically() -> None:
    persons: list[tuple[int, str, str | None, list[tuple[str, str]]]] = [
        (1, "王伟", "1985-03-12", [])
    ]
    best = best_candidate("王伟", "1985", None, None, persons)
    assert best is not None
    assert 0.6 <= best.probability < 0.9  # a clerk decides
    full = best_candidate("王伟", "1985-03-12", None, None, persons)
    assert full is not None and full.probability >= 0.9
