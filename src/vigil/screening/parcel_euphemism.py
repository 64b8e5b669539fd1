"""Contraband described by what it does instead of named (the `euphemism` evasion class).

A sender who will not write the name often writes the selling point: "research chemical,
not for human consumption" (the label new psychoactive substances are sold under, as the
EMCDDA's and UNODC's reports on NPS describe), "novelty ID, scannable", banknotes that
"pass the pen test", a "self-defence flashlight 50,000kV", a "9mm barrel", petrol by its
grade and volume (92# 20L), a camera or a listening device that is "hidden" or "needs no
installation", a liquid that is colourless and tasteless. Each telltale here is a phrase
that ordinary goods do not use; a match goes to `inspect`, since a person should look
before a parcel is refused on a description.

Some telltales are a pair of cues in one entry of the list, neither enough alone:
- a form drugs are sold in with a knowing wink ("white powder, you know the kind", 懂的来)
  or with a use only a drug has (dried herb 抽的那种, stamps 舔的那种, sweets 蹦迪用, "green
  for 420", "party powder", a white powder 提神用的, pills for a 派对);
- money or a document with a claim that it passes for real (能花出去的 prop money, "movie
  money that actually spends", an ID card 能过机器, a seal 跟公司那个一模一样, 同版);
- something that sets off a Geiger counter (radioactive ore);
- a noise with a festival (过年放的响的东西, "things that go bang for new year": fireworks);
- a thing for hunting that is long or comes apart (打猎用的长家伙 拆开装的: a gun);
- a device that hears next door or is button-sized (a listening device);
- an endangered animal's tooth, horn, bone, claw, scale or skin named in plain words
  (大象牙齿, "elephant teeth", 老虎骨头);
- a knife with a feature of a controlled knife (血槽, 自锁; 公安部《管制刀具认定标准》)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SELF_DEFENCE = r"(?:self[\s-]?defen[cs]e|防身|防狼)"
_SHOCK = r"(?:\d[\d,.]*\s*(?:万\s*)?(?:kv|千伏)|高压脉冲|高压电击|电击|放电|电人|\bzaps?\b)"
_HIDDEN_ZH = r"(?:隐蔽|隐藏式?|偷拍|偷录|免安装|放车里)"
_DEVICE_ZH = r"(?:摄像头?|摄像机|听音器|监听器?|录音器|拍摄)"

# What may not stand between the two cues of a pair: a line break or a list separator (a
# wink may follow its item after a comma: "white powder, you know the kind").
_ENTRY_BREAK = re.compile(r"[\n,，、;；|\t]")
_LINE_BREAK = re.compile(r"[\n;；|\t]")


# Drugs by their form and a wink or a use that only a drug has.
_WINK = (
    r"懂的来|懂得来|懂的都懂|你懂的|\byou\s+know\s+(?:the\s+kind|what\s+i\s+mean)\b|"
    r"\bif\s+you\s+know\s+you\s+know\b|\biykyk\b"
)
_DRUG_FORM = (
    r"粉末|白粉末|干草|叶子|邮票|药丸|糖丸|嗨糖|\b(?:white\s+)?powder\b|\bcrystals?\b|"
    r"\bherbs?\b|\bgreens?\b|\bleaf\b|\bleaves\b|\bstamps?\b|\bblotters?\b|\bpills?\b|\btabs?\b"
)
_HERB = r"干草|草叶|叶子|烟叶|\bherbs?\b|\bgreens?\b|\bleaf\b|\bleaves\b|\bweeds?\b"
_SMOKED = r"抽的那种|抽的|吸的那种|\bfor\s+smoking\b|\b420\b"
_LICKED = r"舔的那种|舔的|\bfor\s+licking\b|\bunder\s+the\s+tongue\b"
_BLOTTER = r"邮票|贴纸|纸片|\bstamps?\b|\bblotters?\b|\bpaper\s+tabs?\b"
_CLUBBING = r"蹦迪用?|嗨用|嗨的|夜店用|\bfor\s+(?:the\s+)?raves?\b|\bclubbing\b"
_CLUB_FORM = (
    r"糖果?|药丸|小药片|粉(?![色丝红底饼条])|\bpowder\b|\bcrystals?\b|\bcand(?:y|ies)\b|\bpills?\b"
)
_PARTY_POWDER = r"\bparty\s+(?:powder|dust|crystals?)\b"
_STIMULANT = r"提神用的?|\bfor\s+energy\b|\bto\s+stay\s+awake\b"
_WHITE_POWDER = r"白色粉末|白粉末|不明粉末|\bwhite\s+powder\b"

# Money or a document said to pass for the real one.
_PASSES = (
    r"能花出去|花得出去|花得掉|能花的|能过机器|过得了机器|能过验证|能过安检|扫得出|刷得出|"
    r"一模一样|以假乱真|跟真的一样|和真的一样|同版|"
    r"\b(?:actually\s+)?spends\b|\bspendable\b|\bscans?\s+(?:like\s+)?(?:real|fine)\b|"
    r"\bsame\s+as\s+(?:the\s+)?real\b|\bpass(?:es)?\s+(?:as\s+real|(?:the\s+)?scanners?)\b"
)
_MONEY = (
    r"人民币|钞票|纸币|美元|美金|欧元|港币|道具币|钱|\bmoney\b|\bcash\b|\bbills\b|\bnotes\b|"
    r"\bdollars?\b|\byuan\b|\brmb\b|\beuros?\b"
)
_PAPERS = (
    r"身份证|身分证|证件|护照|驾照|驾驶证|行驶证|执照|毕业证|学位证|户口本|结婚证|公章|印章|刻的章|章子|"
    r"\bid\s*cards?\b|\bids\b|\bpassports?\b|\bdriv(?:ing|er'?s?)\s+licen[cs]es?\b|"
    r"\bdiplomas?\b|\bseals?\b|\bcompany\s+stamps?\b"
)
# An endangered animal and the part of it that is traded, in plain words.
_ANIMAL = (
    r"大象|犀牛|老虎|穿山甲|"
    r"\belephants?'?s?|\brhino(?:ceros)?e?s?'?s?|\btigers?'?s?|\bpangolins?'?s?"
)
_PART = (
    r"牙齿|獠牙|牙(?![刷膏签线])|角(?![色落])|骨头|骨(?![架])|爪子?|鳞片|鳞甲|皮(?![鞋包带纹筋])|"
    r"\btusks?\b|\bteeth\b|\btooth\b|\bhorns?\b|\bbones?\b|\bclaws?\b|\bscales?\b|"
    r"\bpelts?\b|\bhides?\b"
)
_KNIFE_FEATURE = r"血槽|自锁|锁定|\bblood\s+grooves?\b"
_KNIFE = r"刀(?![片具架座])|匕首|\bknife\b|\bknives\b|\bdaggers?\b"
_GEIGER = r"盖革|\bgeiger\b"
_SETS_OFF = (
    r"让|使|响|叫|报警|\bmakes?\b|\bsets?\s+off\b|\bclicks?\b|\bticks?\b|\bbeeps?\b|\bgo\s+off\b"
)
_FESTIVAL = r"过年|春节|新年|除夕|元宵|婚礼|结婚|\bnew\s+year'?s?\b|\bwedding\b|\bdiwali\b"
_BANG = (
    r"(?<!音)响的|(?<!音)会响|放的响|放响|"
    r"\bgo(?:es)?\s+(?:bang|boom)\b|\bthings\s+that\s+(?:bang|boom)\b"
)
_HUNTING = r"打猎|狩猎|\bhunting\b"
_LONG_OR_APART = (
    r"长家伙|家伙|拆开装|拆散|分体|\blong\s+(?:one|thing)\b|\btakedown\b|\bcomes\s+apart\b"
)
_HEARS = r"听见|听到|听清|偷听|\bhears?\b|\blisten(?:s|ing)?\s+in\b"
_NEXT_DOOR = (
    r"隔壁|邻居|别人说话|墙那边|\bnext\s+door\b|\bneighbou?rs?\b|\bthrough\s+(?:the\s+)?walls?\b"
)
_BUTTON_SIZED = r"纽扣大小|纽扣般|\bbutton[\s-]sized\b"
_GADGET = r"设备|装置|小东西|摄像|录音|\bdevices?\b|\bcameras?\b|\brecorders?\b|\bgadgets?\b"

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
    ("NA-001", re.compile(_PARTY_POWDER)),
)


@dataclass(frozen=True, slots=True)
class CuePair:
    """Two cues in either order, at most `gap` characters apart, with no break between.
    `cue` is the rarer one: the other is looked for only where it is found."""

    item_id: str
    cue: str
    other: str
    gap: int = 16
    breaks: re.Pattern[str] = _ENTRY_BREAK
    ordered: bool = False  # the cue only before the other

    def find(self, text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
        cues = list(re.finditer(self.cue, text))
        others = list(re.finditer(self.other, text)) if cues else []
        for cue in cues:
            for other in others:
                if self.ordered and other.start() < cue.start():
                    continue
                lo, hi = (other, cue) if other.start() < cue.start() else (cue, other)
                between = text[lo.end() : hi.start()]
                if hi.start() < lo.end() or len(between) > self.gap or self.breaks.search(between):
                    continue
                yield self.item_id, text[lo.start() : hi.end()], (lo.start(), hi.end())
                break


CUE_PAIRS: tuple[CuePair, ...] = (
    # drugs: a form with a wink, or with a use only a drug has
    CuePair("NA-001", _WINK, _DRUG_FORM, 24, _LINE_BREAK),
    CuePair("NA-001", _SMOKED, _HERB),
    CuePair("NA-001", _LICKED, _BLOTTER),
    CuePair("NA-001", _CLUBBING, _CLUB_FORM, 12),
    CuePair("NA-001", _STIMULANT, _WHITE_POWDER),
    CuePair("NA-001", r"派对", r"药丸|小药片|摇头", 8),
    # a knife with a feature of a controlled knife (管制刀具认定标准: 血槽, a locking blade)
    CuePair("KN-001", _KNIFE_FEATURE, _KNIFE, 12),
    # money and papers that pass for the real thing
    CuePair("CU-003", _PASSES, _MONEY, 20),
    CuePair("CU-004", _PASSES, _PAPERS, 20),
    # a noise with a festival: fireworks
    CuePair("EX-002", _BANG, _FESTIVAL, 12),
    # for hunting, long or coming apart: a gun
    CuePair("FA-001", _LONG_OR_APART, _HUNTING, 8),
    # hears next door, or button-sized: a listening device
    CuePair("EP-002", _NEXT_DOOR, _HEARS, 6),
    CuePair("EP-002", _BUTTON_SIZED, _GADGET, 8),
    # something that sets off a Geiger counter: radioactive ore
    CuePair("RA-002", _GEIGER, _SETS_OFF, 12, _LINE_BREAK),
    # an endangered animal's part in plain words (大象牙齿, elephant teeth)
    CuePair("EN-001", _ANIMAL, _PART, 2, ordered=True),
)
# Any rare cue at all: most declarations have none, and are read once for them. Without
# word boundaries and lookbehinds, which would make the search try every cue at every
# character; the pairs themselves check them.
_ANY_CUE = re.compile(
    "|".join(dict.fromkeys(re.sub(r"\\b|\(\?<!.\)", "", pair.cue) for pair in CUE_PAIRS))
)


def find_telltales(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(item id, the words found, their span) for each telltale in the normalised text."""
    for item_id, pattern in TELLTALES:
        for found in pattern.finditer(text):
            yield item_id, found.group(), found.span()
    if _ANY_CUE.search(text):
        for pair in CUE_PAIRS:
            yield from pair.find(text)
