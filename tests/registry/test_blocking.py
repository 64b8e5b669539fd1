"""The pure blocking helpers of online resolution."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vigil.core.dates import typo_neighbours
from vigil.registry.blocking import KnownPerson, PersonBlocks, one_digit_away


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
    born = date(1980, 1, 1)
    for pid in (5, 2, 9):
        blocks.put(KnownPerson(pid, "王伟", "wangwei", born, None, [("cn_resident_id", f"h{pid}")]))
    assert blocks.blocked(["wangwei"], born) == [2, 5, 9]
    assert blocks.blocked(["wangwei"], born + timedelta(days=1)) == [2, 5, 9]  # 19800102
    assert blocks.blocked(["wangwei"], date(1985, 6, 6)) == []
    blocks.put(KnownPerson(5, "王伟", "wangwei", born, 2, [("cn_resident_id", "h5")]))
    assert blocks.blocked(["wangwei"], None) == [2, 9]
    assert blocks.by_identifier("cn_resident_id", "h5") == 2  # the survivor
    blocks.drop(9)
    assert blocks.blocked(["wangwei"], born) == [2]
    assert blocks.by_identifier("cn_resident_id", "h9") is None
