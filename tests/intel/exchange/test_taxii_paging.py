"""TAXII 2.1 query parsing and paging (pure): filters give field-level errors for any bad
input, never a crash; paging by `next` walks every matching object exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core.errors import BadRequest
from vigil.intel.exchange.taxii import Filters, Served, parse_filters, select_page, taxii_time
from vigil.intel.exchange.taxii_api import _is_taxii

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
KEYS = ("added_after", "match[type]", "match[id]", "match[version]", "limit", "next")


def _objects(n: int) -> list[Served]:
    kinds = ("report", "identity", "note", "opinion")
    out = [
        Served(
            T0 + timedelta(seconds=i // 3),  # several objects share a date_added
            {"type": kinds[i % 4], "id": f"{kinds[i % 4]}--00000000-0000-4000-8000-{i:012d}"},
            clue_id=i // 3,
        )
        for i in range(n)
    ]
    return sorted(out, key=lambda s: s.key)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.text(max_size=40), max_size=6))
def test_any_query_parses_or_names_the_bad_field(params: dict[str, str]) -> None:
    try:
        f = parse_filters(params)
    except BadRequest as exc:
        assert exc.status == 400
        assert exc.errors and exc.errors[0].loc in KEYS
        return
    assert 1 <= f.limit <= 500
    try:
        select_page(_objects(7), f)
    except BadRequest as exc:  # a `next` token this server never gave
        assert exc.errors[0].loc == "next"


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=40),
    limit=st.integers(min_value=1, max_value=12),
    types=st.sets(st.sampled_from(["report", "identity", "note", "opinion"])),
    after=st.integers(min_value=-1, max_value=15),
)
def test_next_walks_every_match_once(n: int, limit: int, types: set[str], after: int) -> None:
    objects = _objects(n)
    f = Filters(
        limit=limit,
        types=frozenset(types),
        added_after=T0 + timedelta(seconds=after) if after >= 0 else None,
    )
    expected = [
        s
        for s in objects
        if (not types or s.obj["type"] in types)
        and (f.added_after is None or s.date_added > f.added_after)
    ]
    walked: list[Served] = []
    while True:
        page, more, token = select_page(objects, f)
        assert len(page) <= limit
        walked += page
        if not more:
            break
        assert token is not None
        f.next = token
    assert [s.id for s in walked] == [s.id for s in expected]


def test_added_after_is_exclusive_and_time_format() -> None:
    objects = _objects(6)
    last = objects[-1].date_added
    page, more, _ = select_page(objects, parse_filters({"added_after": taxii_time(last)}))
    assert page == [] and not more
    assert taxii_time(T0) == "2026-03-01T08:00:00.000000Z"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("application/taxii+json;version=2.1", True),
        ("application/taxii+json; version=2.1", True),
        ("application/taxii+json", True),
        ("application/TAXII+json;version=2.1", True),
        ("application/taxii+json;version=2.0", False),
        ("application/stix+json;version=2.1", False),
        ("application/json", False),
        ("*/*", False),
        ("", False),
    ],
)
def test_media_types(value: str, ok: bool) -> None:
    assert _is_taxii(value) is ok


@pytest.mark.parametrize("limit", ["²", "١٠", "0", "ten", "-5"])
def test_a_limit_that_is_not_plain_digits_names_the_field(limit: str) -> None:
    # '²' passes str.isdigit but int() refuses it; '١٠' is ten in Arabic-Indic digits
    with pytest.raises(BadRequest) as raised:
        parse_filters({"limit": limit})
    assert [e.loc for e in raised.value.errors] == ["limit"]
