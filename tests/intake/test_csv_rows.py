"""The fast CSV row path agrees with the general `unflatten` on any header."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vigil.intake import readers
from vigil.intake.validation import RowError

_PART = st.sampled_from(["guest", "name", "companions", "0", "1", "id", "a", ""])
_KEY = st.lists(_PART, min_size=1, max_size=3).map(".".join)
_VALUE = st.sampled_from(["", "x", "张伟", '{"k": 1}', "[1, 2]", "{broken"])


@given(st.lists(st.tuples(_KEY, _VALUE), min_size=1, max_size=8, unique_by=lambda kv: kv[0]))
def test_csv_record_matches_unflatten(columns: list[tuple[str, str]]) -> None:
    header = [k for k, _ in columns]
    cells = [v for _, v in columns]
    fast = readers.csv_record(header, 7, cells)
    try:
        general: object = (7, readers.unflatten(dict(columns)))
    except readers.ColumnConflict:
        general = None
    except (IndexError, ValueError):
        return  # odd keys the general path itself cannot place
    if general is None:
        assert isinstance(fast, RowError) and fast.row == 7 and fast.field == "row"
    else:
        assert fast == general
