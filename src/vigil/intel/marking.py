"""TLP 2.0 markings, Admiralty grading and the ONE visibility rule every read path uses.

Pure: no I/O. `may_see(clue, viewer)` decides; the service builds the facts from the
database, and `visible_clue_filter` in the service is the same rule written as SQL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tlp(StrEnum):
    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"


# Increasing restriction; an agreement covering AMBER covers CLEAR and GREEN too.
TLP_ORDER: tuple[Tlp, ...] = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "cannot be judged",
}
CREDIBILITY = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}
SOURCE_TYPES = ("officer", "informant", "public_tip", "partner_agency", "sensor")
ENTITY_KINDS = ("person", "vehicle", "phone", "address", "place", "event")


def parse_tlp(raw: str) -> Tlp:
    value = raw.strip().upper().removeprefix("TLP:")
    if value == "WHITE":  # TLP 1.0 name
        value = "CLEAR"
    try:
        return Tlp(value)
    except ValueError as exc:
        raise ValueError(f"TLP must be one of {', '.join(t.value for t in Tlp)}") from exc


def parse_grading(raw: str) -> tuple[str, int]:
    """'B2' -> ('B', 2): source reliability A-F and information credibility 1-6."""
    value = raw.strip().upper()
    if len(value) != 2 or value[0] not in RELIABILITY or value[1] not in "123456":
        raise ValueError(
            "grading is a reliability letter A-F then a credibility digit 1-6, e.g. B2"
        )
    return value[0], int(value[1])


def grading(reliability: str, credibility: int) -> str:
    return f"{reliability}{credibility}"


def tlp_rank(tlp: Tlp | str) -> int:
    return TLP_ORDER.index(Tlp(tlp))


@dataclass(frozen=True)
class ClueFacts:
    originating_org: int
    tlp: Tlp
    shared_orgs: frozenset[int] = frozenset()  # org-wide grants (not for RED)
    named_recipients: frozenset[int] = frozenset()  # user ids; the only audience for RED
    partner_orgs: frozenset[int] = frozenset()  # orgs with an active agreement from originator


@dataclass(frozen=True)
class ViewerFacts:
    user_id: int
    org_id: int
    may_read_intel: bool  # the role may read personal data at all
    is_system: bool = False


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def may_see(clue: ClueFacts, viewer: ViewerFacts) -> Decision:
    """Whether a viewer may read a clue, and why."""
    if viewer.is_system:
        return Decision(True, "system job")
    if not viewer.may_read_intel:
        return Decision(False, "role may not read intelligence")
    if clue.tlp == Tlp.RED:
        if viewer.user_id in clue.named_recipients:
            return Decision(True, "TLP:RED named recipient")
        return Decision(False, "TLP:RED: only its named recipients")
    if viewer.org_id == clue.originating_org:
        return Decision(True, "originating agency")
    if viewer.org_id in clue.shared_orgs:
        return Decision(True, f"TLP:{clue.tlp.value} shared with the viewer's agency")
    if clue.tlp == Tlp.CLEAR:
        return Decision(True, "TLP:CLEAR")
    if clue.tlp == Tlp.GREEN and viewer.org_id in clue.partner_orgs:
        return Decision(True, "TLP:GREEN within the sharing community (agreement)")
    return Decision(False, f"TLP:{clue.tlp.value} not shared with the viewer's agency")


@dataclass(frozen=True)
class ShareFacts:
    clue: ClueFacts
    actor_org: int
    actor_user: int
    recipient_org: int
    recipient_user: int | None
    agreement_max_tlp: Tlp | None  # the active originator -> recipient agreement, if any


def share_needs_approval(facts: ShareFacts) -> Decision:
    """Whether a direct share stays within the marking (allowed) or goes beyond it (needs the
    originating agency's approval through a share request)."""
    clue = facts.clue
    if clue.tlp == Tlp.RED and facts.recipient_user is None:
        return Decision(False, "TLP:RED goes only to named individuals")
    if facts.actor_org != clue.originating_org:
        if clue.tlp == Tlp.CLEAR:
            return Decision(True, "TLP:CLEAR may be shared freely")
        return Decision(False, "onward sharing beyond the marking needs the originator's approval")
    if clue.tlp == Tlp.RED:
        if facts.actor_user not in clue.named_recipients:
            return Decision(False, "only a named recipient may name further recipients")
        if facts.recipient_org != clue.originating_org:
            return Decision(False, "TLP:RED outside the originating agency needs approval")
        return Decision(True, "TLP:RED named recipient inside the originating agency")
    if facts.recipient_org == clue.originating_org:
        return Decision(True, "inside the originating agency")
    if clue.tlp == Tlp.CLEAR:
        return Decision(True, "TLP:CLEAR may be shared freely")
    if facts.agreement_max_tlp is None:
        return Decision(False, "no active sharing agreement with the recipient agency")
    if tlp_rank(clue.tlp) > tlp_rank(facts.agreement_max_tlp):
        return Decision(
            False, f"the agreement covers up to TLP:{facts.agreement_max_tlp.value} only"
        )
    return Decision(True, f"within the agreement (up to TLP:{facts.agreement_max_tlp.value})")
