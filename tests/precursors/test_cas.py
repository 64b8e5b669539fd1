"""CAS numbers and licence numbers: every catalogue entry passes its check digit, and the
check digit refuses exactly the single-digit changes its weights can see."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import casrn
from stdnum.cn import uscc

from vigil.core.errors import IdentifierError
from vigil.core.ids import validate_cas_number, validate_uscc
from vigil.precursors.catalogue import LISTS, parse_seed, seed_substances


def test_every_catalogue_entry_passes_its_check_digit() -> None:
    substances = seed_substances()
    assert len(substances) >= 30
    for s in substances:
        assert validate_cas_number(s.cas) == s.cas
        assert casrn.is_valid(s.cas), s.substance_id  # an independent implementation
        assert set(s.lists) <= set(LISTS)
    # both EU annexes and the Chinese catalogue are represented
    lists = {name for s in substances for name in s.lists}
    assert lists == {"cn-2017", "eu-i", "eu-ii"}
    assert sum("eu-i" in s.lists for s in substances) == 9  # Annex I has nine entries
    assert sum("eu-ii" in s.lists for s in substances) == 9  # Annex II has nine entries


def test_known_numbers() -> None:
    assert validate_cas_number("7722-84-1") == "7722-84-1"
    assert validate_cas_number("7722841") == "7722-84-1"
    with pytest.raises(IdentifierError, match="should be 1"):
        validate_cas_number("7722-84-2")
    with pytest.raises(IdentifierError, match="form"):
        validate_cas_number("77-2")


def test_a_seed_row_with_a_wrong_cas_is_refused() -> None:
    header = (
        "substance_id,name_zh,name_en,cas,synonyms,lists,restricted_above_pct,"
        "licence_upper_pct,cumulative_pure_kg,large_quantity_kg,mixture_role,verification"
    )
    with pytest.raises(ValueError, match="check digit"):
        parse_seed([header, "x,甲,x,7722-84-2,,eu-i,12,35,2,10,oxidiser,"])


cas_bodies = (
    st.integers(min_value=10, max_value=9_999_999)
    .map(str)
    .flatmap(
        lambda first: st.integers(min_value=0, max_value=99).map(lambda s: (first, f"{s:02d}"))
    )
)


@given(cas_bodies, st.data())
def test_single_digit_changes(body: tuple[str, str], data: st.DataObject) -> None:
    """A CAS check digit is Σ position·digit mod 10, positions counted from the right. A
    change of one digit by δ at position w goes unseen exactly when w·δ ≡ 0 (mod 10): a
    change of the check digit itself, or at positions 1, 3, 7 and 9, is always refused."""
    first, second = body
    digits = first + second
    number = f"{first}-{second}-{casrn.calc_check_digit(digits)}"
    assert validate_cas_number(number) == number
    index = data.draw(st.integers(min_value=0, max_value=len(digits)))  # len: the check digit
    if index == len(digits):
        old = int(number[-1])
        new = data.draw(st.integers(0, 9).filter(lambda d: d != old))
        with pytest.raises(IdentifierError):
            validate_cas_number(number[:-1] + str(new))
        return
    old = int(digits[index])
    new = data.draw(st.integers(0, 9).filter(lambda d: d != old))
    changed = digits[:index] + str(new) + digits[index + 1 :]
    mutated = f"{changed[: len(first)]}-{changed[len(first) :]}-{number[-1]}"
    weight = len(digits) - index
    if weight * (new - old) % 10 == 0:
        assert validate_cas_number(mutated) == mutated  # the rule's known blind spot
    else:
        with pytest.raises(IdentifierError, match="check digit"):
            validate_cas_number(mutated)
    if weight in (1, 3, 7, 9):
        with pytest.raises(IdentifierError):
            validate_cas_number(mutated)


@given(st.integers(min_value=0, max_value=10**9 - 1), st.integers(0, 17), st.data())
def test_licence_numbers_refuse_single_character_changes(
    serial: int, index: int, data: st.DataObject
) -> None:
    base = f"911101{serial:09d}00"[:17]
    code = base + uscc.calc_check_digit(base)
    assert validate_uscc(code) == code
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    new = data.draw(st.sampled_from([c for c in alphabet if c != code[index]]))
    changed = code[:index] + new + code[index + 1 :]
    with pytest.raises(IdentifierError):
        validate_uscc(changed)
