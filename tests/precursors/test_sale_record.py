"""The chemical-sale record on the shared validation path: field-level errors for anything
malformed, never an exception, and the restriction applied per buyer kind."""

from __future__ import annotations

import copy
from typing import Any

from cryptography.fernet import Fernet
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.intake.samples import SAMPLES
from vigil.core.protect import IdentifierVault
from vigil.intake.validation import PreparedRow, RowValidator

VALIDATOR = RowValidator("chemical", 1, IdentifierVault("k" * 32, Fernet.generate_key().decode()))
FIELDS = list(SAMPLES["chemical"])
values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**7),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6))
def test_any_change_to_a_sale_is_stored_whole_or_refused_field_by_field(
    changes: dict[str, Any],
) -> None:
    record = copy.deepcopy(SAMPLES["chemical"])
    record.update(changes)
    result = VALIDATOR.validate(record, 1)
    if isinstance(result, PreparedRow):
        assert result.record["details"]["substance_cas"]
        return
    assert result
    for error in result:
        assert error.row == 1 and error.field and error.message


def test_restriction_depends_on_the_buyer_kind() -> None:
    strong = copy.deepcopy(SAMPLES["chemical"]) | {"concentration_pct": 35}
    [error] = VALIDATOR.validate(strong, 1)  # type: ignore[misc]
    assert error.field == "concentration_pct" and "restricted-sale" in error.message
    business = strong | {
        "buyer_kind": "business",
        "buyer_business": "Pool Services Ltd",
        "buyer_licence": "911101080000000007",
    }
    assert isinstance(VALIDATOR.validate(business, 1), PreparedRow)
    without_licence = {k: v for k, v in business.items() if k != "buyer_licence"}
    [error] = VALIDATOR.validate(without_licence, 1)  # type: ignore[misc]
    assert error.field == "buyer_licence"
    nitrate = copy.deepcopy(SAMPLES["chemical"]) | {
        "substance_cas": "6484-52-2",
        "concentration_pct": 5,
        "unit": "kg",
    }
    [error] = VALIDATOR.validate(nitrate, 1)  # type: ignore[misc]
    assert "at any concentration" in error.message
