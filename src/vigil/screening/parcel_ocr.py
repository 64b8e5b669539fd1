"""Characters that optical character recognition (OCR) of a hand-written or faded waybill
reads as another character (the `ocr` evasion class).

A courier scans paper waybills; a faint or hurried hand loses a radical or a stroke, and
the recogniser returns the character that is left. Two mechanisms cover most misreadings:

- a component lost: the left or top radical of a character is dropped and what remains is
  a character of its own (枪 → 仓, 钠 → 内, 酸 → 夋, 管 → 官, 雷 → 田, 药 → 约);
- a look-alike: a character drawn with one stroke more or less, or two strokes run
  together (刀 → 刁, 麻 → 床, 毒 → 母, 气 → 乞, 器 → 哭, 骨 → 冎);

and for Latin letters, two letters read as one (rn → m, vv → w) besides the digits that
the leet step already reads (0 → o, 1 → l).

The table is written from the shapes, for the characters of the catalogue's terms
(chemistry, weapons, drugs, documents); each entry is one confusion a recogniser makes.
A reading through it counts only where it makes a whole catalogue term of two or more
characters, aligned with word boundaries and not itself a word (parcels._find_ocr_han).
"""

from __future__ import annotations

import re

# Original character → characters an OCR engine may return for it.
_LOST_COMPONENT = (
    # metal radical 钅 lost
    "钠内 钾甲 铵安 铀由 钴古 铯色 镭雷 铊它 锰孟 铝吕 镁美 锂里 钚不 钍土 铬各 钡贝 "
    "锶思 铱衣 镅眉 钋卜 锌辛 铜同 铁失 钢冈 镍臬 "
    # 石 lost or read as 氵
    "硫流 硝肖 磷粦 砷申 碱咸 硼朋 硒西 砒比 "
    # 气 lost
    "氧羊 氰青 氯录 氟弗 氢圣 氮炎 氨安 氦亥 氩亚 "
    # 酉 lost
    "酸夋 醚迷 醇享 醋昔 酐干 酮同 "
    # 月 lost
    "胺安 "
    # 木, 火, 扌, 弓, 亻, 口, 犭, 虫 lost
    "枪仓 炸乍 烟因 炮包 弹单 弩奴 假叚 "
    # 艹, 竹, 雨, 穴 and other tops lost
    "药约 菌囷 苗田 蔽敝 芬分 管官 雷田 窃切 罂婴 "
    # 巾 for 币 (the top stroke lost)
    "币巾 "
)
_LOOK_ALIKE = (
    "刀刁力 麻床 毒母毐 气乞 器哭 骨冎 爆暴 粉份 匕七ヒ 弓引 矢失 "
    # the classic pairs of the printed and hand-written forms
    "汽汔 酒洒 管菅 烟炯 子孑了 手毛 大太犬 药葯 炮泡"
)


def _pairs(table: str) -> dict[str, frozenset[str]]:
    originals: dict[str, set[str]] = {}
    for pair in table.split():
        original, written = pair[0], pair[1:]
        for char in written:
            originals.setdefault(char, set()).add(original)
    return {written: frozenset(chars) for written, chars in originals.items()}


# Written character → the characters it may have been before the OCR misread it.
OCR_ORIGINALS: dict[str, frozenset[str]] = {}
for _written, _originals in (*_pairs(_LOST_COMPONENT).items(), *_pairs(_LOOK_ALIKE).items()):
    OCR_ORIGINALS[_written] = OCR_ORIGINALS.get(_written, frozenset()) | _originals

# Two Latin letters read as one (uraniurn, specirnens, vvire).
_MERGED_LETTERS = {"rn": "m", "vv": "w"}
_MERGED = re.compile("|".join(_MERGED_LETTERS))


def merged_letters_reading(text: str) -> tuple[str, list[int], list[int]] | None:
    """The text with letter pairs an OCR engine reads for one letter (rn, vv) read as that
    letter, and for each character of the reading where it starts and ends in the text;
    None when the text has no such pair."""
    if _MERGED.search(text) is None:
        return None
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for found in _MERGED.finditer(text):
        for k in range(last, found.start()):
            chars.append(text[k])
            starts.append(k)
            ends.append(k + 1)
        chars.append(_MERGED_LETTERS[found.group()])
        starts.append(found.start())
        ends.append(found.end())
        last = found.end()
    for k in range(last, len(text)):
        chars.append(text[k])
        starts.append(k)
        ends.append(k + 1)
    return "".join(chars), starts, ends
