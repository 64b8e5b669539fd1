"""Short Latin names of precursors and poisons (p2p for phenyl-2-propanone, ddvp for
dichlorvos): each one a whole token, and p2p cleared where it names peer-to-peer."""

from __future__ import annotations

import pytest

from tests.screening.parcel_cases import decide, items
from vigil.screening.parcel_context import CONTEXT_RULES

WITHOUT_PEER_TO_PEER = tuple(r for r in CONTEXT_RULES if r.rule_id != "PEER_TO_PEER")


@pytest.mark.parametrize(
    "text",
    [
        "P2P file-sharing router",
        "p2p camera",
        "wifi p2p ip camera 2 pcs",
        "P2P network video recorder",
        "p2p lending platform brochure",
        "P2P摄像头 1个",
        "P2P网贷宣传册",
    ],
)
def test_p2p_naming_networking_lending_or_a_camera_is_cleared(text: str) -> None:
    decision = decide(text)
    assert decision.decision == "cleared", decision.reason
    assert any("rule PEER_TO_PEER" in note for note in decision.context)
    assert "NA-002" in items(text, rules=WITHOUT_PEER_TO_PEER)


@pytest.mark.parametrize(
    "text",
    [
        "P2P 500ml",
        "p2p liquid 1L",
        "p2p",
        "P2P 99% 1kg",
        "p2p network 1L",  # a volume: the chemical, whatever else the item says
        "p2p camera, P2P 500ml",  # the second item is the chemical
        "p-2-p 1L",
    ],
)
def test_p2p_as_the_chemical_stays_flagged(text: str) -> None:
    assert "NA-002" in items(text), decide(text).reason
    assert decide(text).decision == "refuse"


@pytest.mark.parametrize("text", ["1p 2p 5p coins", "p2 p3 spare parts", "p2p2 adapter"])
def test_p2p_must_be_one_token(text: str) -> None:
    assert "NA-002" not in items(text), decide(text).reason


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("ddvp 80% EC 500ml", True),
        ("DDVP insecticide", True),
        ("ddvp", True),
        ("ddvpx", False),  # inside a longer word
        ("xddvp strip", False),
    ],
)
def test_ddvp_is_matched_as_a_whole_word(text: str, flagged: bool) -> None:
    assert ("TX-001" in items(text)) is flagged, decide(text).reason
