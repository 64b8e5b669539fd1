"""Path and query parameters the routers share, bounded so that a number the database cannot
hold is a field error (422) rather than a failed query (500)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from vigil.core.db import BIGINT_MAX

RowId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="a row id")]
RowIdQuery = Annotated[int, Query(ge=1, le=BIGINT_MAX, description="a row id")]
OptionalRowIdQuery = Annotated[int | None, Query(ge=1, le=BIGINT_MAX, description="a row id")]
AfterId = Annotated[int, Query(ge=0, le=BIGINT_MAX, description="only rows after this id")]
OptionalAfterId = Annotated[
    int | None, Query(ge=0, le=BIGINT_MAX, description="only rows after this id")
]
PageSize = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
