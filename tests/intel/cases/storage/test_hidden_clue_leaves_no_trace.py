"""A TLP:RED clue that the viewer may not see is, to that viewer, a clue that does not exist:
the correlation and case answers are byte-identical with and without it (ids and times
normalised, the viewer's own activity left out)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.intel.helpers import IntelWorld
from tests.world import build_world  # noqa: F401 - used by the helpers' world
from vigil.core.runtime import Runtime

pytestmark = pytest.mark.storage
PHONE = "13800138000"


@pytest.fixture
def w(runtime: Runtime) -> IntelWorld:
    from tests.intel.helpers import build_intel_world

    return build_intel_world(runtime)


def _normalised(answer: Any) -> str:
    text = json.dumps(answer, sort_keys=True, ensure_ascii=False)
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+(\+00:00|Z)?", "<time>", text)


def _answers(w: IntelWorld, viewer: str, case_id: int) -> tuple[str, str]:
    correlation = w.client.get(
        "/v1/correlation", params={"kind": "phone", "value": PHONE}, headers=w.h(viewer)
    )
    case = w.client.get(f"/v1/cases/{case_id}", headers=w.h(viewer))
    assert correlation.status_code == 200 and case.status_code == 200, case.text
    return _normalised(correlation.json()), _normalised(case.json())


def test_a_red_clue_changes_no_answer_for_a_non_recipient(w: IntelWorld) -> None:
    case_id = int(w.basis["analyst2"].split(":")[1])
    before = _answers(w, "analyst2", case_id)
    red = w.clue("analyst", "RED", "informant names a buyer", [{"kind": "phone", "value": PHONE}])
    added = w.client.post(f"/v1/cases/{case_id}/clues/{red}", headers=w.h("analyst"))
    assert added.status_code == 201, added.text
    assert _answers(w, "analyst2", case_id) == before
    # the recipient (its author) sees both: the test could fail
    mine = _answers(w, "analyst", case_id)
    assert str(red) in mine[0] and f"clue {red}" in mine[1]
