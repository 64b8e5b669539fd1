"""Contraband described by what it does instead of named (the `euphemism` evasion class).

A sender who will not write the name often writes the selling point: "research chemical,
not for human consumption" (the label new psychoactive substances are sold under, as the
EMCDDA's and UNODC's reports on NPS describe), "novelty ID, scannable", banknotes that
"pass the pen test", a "self-defence flashlight 50,000kV", a "9mm barrel", petrol by its
grade and volume (92# 20L), a camera or a listening device that is "hidden" or "needs no
installation", a liquid that is colourless and tasteless. Each telltale here is a phrase
that ordinary goods do not use; a match goes to `inspect`, since a person should look
before a parcel is refused on a description."""

from __future__ import annotations

import re
from collections.abc import Iterator

_SELF_DEFENCE = r"(?:self[\s-]?defen[cs]e|防身|防狼)"
_SHOCK = r"(?:\d[\d,.]*\s*(?:万\s*)?(?:kv|千伏)|高压脉冲|高压电击|电击)"
_HIDDEN_ZH = r"(?:隐蔽|隐藏式?|偷拍|偷录|免安装|放车里)"
_DEVICE_ZH = r"(?:摄像头?|摄像机|听音器|监听器?|录音器|拍摄)"

# (item id, telltale); item ids are those of the catalogue (banned_items.csv).
TELLTALES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # new psychoactive substances and other drugs sold under a cover label
    (
        "NA-007",
        re.compile(
            r"\bnot\s+for\s+(?:human\s+consumption|plants|bathing|smoking)\b|"
            r"\bresearch\s+chemicals?\b|\blegal\s+highs?\b|\bherbal\s+incense\b|"
            r"\bparty\s+pills\b|\bparty\s+favou?rs\b[^\n]{0,20}\bpills\b"
        ),
    ),
    # a knock-out drug (迷药, 听话水) described by its effect or by having no taste
    (
        "NA-003",
        re.compile(
            r"无色无味[^\n]{0,10}?(?:水|液|药|粉)|喝了就睡|一喝就倒|"
            r"\b(?:sleepy|sleeping|knock[\s-]?out)\s+(?:water|drops|liquid)\b|"
            r"\bcolou?rless[\s,]+(?:and\s+)?(?:tasteless|odou?rless)\b"
        ),
    ),
    # home-grown "special" leaves
    ("NA-001", re.compile(r"(?:特殊|自种|自己种)[^\n]{0,6}?(?:茶叶|烟叶|草|叶子)")),
    (
        "CU-003",
        re.compile(r"\bpass(?:es)?\s+(?:the\s+)?(?:pen|uv|marker)\s+tests?\b|能过验钞机|过验钞机"),
    ),
    (
        "CU-004",
        re.compile(
            r"\bnovelty\s+(?:ids?|driver'?s?\s+licen[cs]es?|passports?)\b|"
            r"\bscannable\s+(?:ids?|licen[cs]es?)\b"
        ),
    ),
    # a stun device sold for self-defence by its voltage or its shock
    (
        "KN-005",
        re.compile(rf"{_SELF_DEFENCE}[^\n]{{0,30}}?{_SHOCK}|{_SHOCK}[^\n]{{0,30}}?{_SELF_DEFENCE}"),
    ),
    # a barrel named by its calibre, a solvent trap (a suppressor kit)
    (
        "FA-002",
        re.compile(
            r"\b(?:\d{1,2}(?:\.\d+)?\s?mm|\.\d{2,3}|\d{2,3}\s?cal)\s+barrels?\b|\bsolvent\s+traps?\b"
        ),
    ),
    # a camera or a listening device sold as hidden or needing no installation
    (
        "EP-002",
        re.compile(
            rf"{_HIDDEN_ZH}[^\n]{{0,10}}?{_DEVICE_ZH}|{_DEVICE_ZH}[^\n]{{0,10}}?{_HIDDEN_ZH}"
        ),
    ),
    # petrol by its grade and a volume in litres (92# 20L)
    (
        "FL-001",
        re.compile(r"(?<![\d.#])(?:89|92|95|98)\s*#\s*(?:汽油\s*)?\d+(?:\.\d+)?\s*(?:l|升)\b"),
    ),
    # a firework cake or roll by its number of shots
    ("EX-002", re.compile(r"\b\d+[\s-]?shots?\s+(?:rolls?|cakes?|barrages?|repeaters?)\b")),
)


def find_telltales(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(item id, the words found, their span) for each telltale in the normalised text."""
    for item_id, pattern in TELLTALES:
        for found in pattern.finditer(text):
            yield item_id, found.group(), found.span()
