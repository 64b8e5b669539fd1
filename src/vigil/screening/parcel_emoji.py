"""Emoji that stand for a catalogue thing, read as words (the `emoji` evasion class).

A sender writes 🔫 for a gun, 💣 for a bomb, 🦏角 for rhino horn or ❄️ 2g for ice. The table
is built over every emoji code point by its Unicode name (`unicodedata.name`), so that each
emoji whose name denotes a thing the catalogue bans, or the animal of a banned animal part,
has a reading, whatever its block or version: a keyword of the name maps to a Chinese word
that the catalogue's own matching then reads (枪支, 炸弹, 犀牛 + 角 → 犀牛角).

Readings are nouns of the catalogue or its street names (冰 for ❄, 叶子 for 🌿), so that the
catalogue's own gates hold precision: a street name still needs a unit of its kind (冰 2g,
not ❄ 冬季外套), an animal needs the part beside it (🐘🦷 is 象牙; 🐘 alone is nothing).
Emoji that name no catalogue thing, or one too common as decoration or in a kitchen (💰,
🔥, 🚀, 💊, ☠, 💎, 🔪, ⚔), have no reading. Variation selectors, skin tones and zero-width
joiners are dropped, and a run of one emoji repeated (🍃🍃) reads as one word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A keyword of an emoji's Unicode name (whole words) → the Chinese word it reads as.
# Ordered: the first keyword found in a name wins (FIREWORK SPARKLER before SPARKLE).
NAME_READINGS: tuple[tuple[str, str], ...] = (
    ("WATER PISTOL", ""),  # a toy by its own name
    ("PISTOL", "枪支"),
    ("BOMB", "炸弹"),
    ("FIRECRACKER", "鞭炮"),
    ("FIREWORKS", "烟花"),
    ("FIREWORK SPARKLER", "烟花"),
    ("RADIOACTIVE", "放射性物质"),
    ("BIOHAZARD", "病菌"),
    ("MICROBE", "病菌"),
    ("DROP OF BLOOD", "血液"),
    ("FUEL PUMP", "汽油"),
    ("DAGGER KNIFE", "匕首"),
    ("DAGGER", "匕首"),
    ("BOW AND ARROW", "弓弩"),
    ("FIRE EXTINGUISHER", "灭火器"),
    ("SNOWFLAKE", "冰"),
    ("ICE CUBE", "冰"),
    ("MAPLE LEAF", "叶子"),
    ("HERB", "叶子"),
    ("LEAF FLUTTERING IN WIND", "叶子"),
    # animals whose parts the catalogue bans: the part is written beside them
    ("RHINOCEROS", "犀牛"),
    ("ELEPHANT", "象"),
    ("TOOTH", "牙"),
    ("TIGER", "虎"),
    ("LEOPARD", "豹"),
    ("TEDDY BEAR", ""),
    ("BEAR", "熊"),
    ("BONE", "骨"),
    ("SHARK", "鲨鱼"),
    ("TURTLE", "海龟"),
    ("PARROT", "鹦鹉"),
)
# Blocks that hold emoji: Miscellaneous Symbols and Dingbats, and the pictographs above.
_EMOJI_RANGES = ((0x2600, 0x27BF), (0x1F300, 0x1FAFF))
# Dropped before reading: variation selectors, skin tones, zero-width joiner, keycap.
_DROPPED = re.compile("[\ufe0e\ufe0f\u200d\u20e3\U0001f3fb-\U0001f3ff]")


@lru_cache(maxsize=1)
def emoji_readings() -> dict[str, str]:
    """Every emoji code point whose Unicode name holds a keyword of NAME_READINGS, as the
    word it reads as."""
    out: dict[str, str] = {}
    for lo, hi in _EMOJI_RANGES:
        for code in range(lo, hi + 1):
            name = unicodedata.name(chr(code), "")
            if not name:
                continue
            words = f" {name} "
            for keyword, reading in NAME_READINGS:
                if f" {keyword} " in words:
                    if reading:
                        out[chr(code)] = reading
                    break
    return out


@lru_cache(maxsize=1)
def _emoji_run() -> re.Pattern[str]:
    chars = "".join(re.escape(c) for c in sorted(emoji_readings()))
    return re.compile(f"([{chars}])(?:\\1)*")


def emoji_reading(text: str) -> str | None:
    """The text with each reading emoji written as its word (a repeated one once), or None
    when it holds none. A word beside Latin letters or digits is set off by spaces."""
    readings = emoji_readings()
    if not any(c in readings for c in text):
        return None
    text = _DROPPED.sub("", text)

    def word(found: re.Match[str]) -> str:
        reading = readings[found.group(1)]
        before = text[found.start() - 1 : found.start()]
        after = text[found.end() : found.end() + 1]
        left = " " if before.isascii() and before.isalnum() else ""
        right = " " if after.isascii() and after.isalnum() else ""
        return left + reading + right

    return _emoji_run().sub(word, text)


# Emoji that decorate any listing (faces, hands, hearts, stars, gifts, marks): never a
# stand-in for a character of a word.
_DECORATION_WORDS = (
    "FACE", "HAND", "HEART", "SPARKLE", "STAR", "THUMBS", "GIFT", "PARTY", "CLAPPING",
    "SIGN", "PRESENT", "FLAG", "CHECK", "ARROW", "MARK", "BUTTON", "SYMBOL", "RIBBON", "BALLOON",
    "CONFETTI", "TROPHY", "MEDAL", "GLOWING", "SMIL", "GRIN", "KISS", "RAISED", "FIST",
    "OK ", "FINGER", "SQUARED", "CIRCLED", "NUMBER", "DIGIT", "DOWNWARDS", "UPWARDS",
    "PACKAGE", "BLOSSOM", "FLOWER", "ROSE", "TULIP", "BOUQUET", "TRUCK", "SHOPPING",
)  # fmt: skip
_EMOJI_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _EMOJI_RANGES)
_EMOJI_STANDIN = re.compile(
    f"([{_EMOJI_CLASS}])(?:[\ufe0e\ufe0f\u200d\u20e3\U0001f3fb-\U0001f3ff]|\\1)*"
)


def has_emoji(text: str) -> bool:
    return _EMOJI_STANDIN.search(text) is not None


@lru_cache(maxsize=4096)
def _decorates(emoji: str) -> bool:
    name = f" {unicodedata.name(emoji, '')} "
    return any(word in name for word in _DECORATION_WORDS)


def emoji_holes(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """Emoji standing for one character inside a Han word (摇💊丸, 氰化☠️, 🧯火器): for each,
    the Han characters before and after it (up to four each) and its span. Decoration
    emoji (faces, hearts, stars, gifts, or whatever opens or closes the text) and emoji
    read as a word of their own (emoji_reading) stand for no character."""
    holes = []
    readings = emoji_readings()
    bounds = (len(text) - len(text.lstrip()), len(text.rstrip()))
    for found in _EMOJI_STANDIN.finditer(text):
        if _decorates(found.group(1)) or found.group(1) in readings:
            continue  # decoration, or an emoji read as its own word
        start, end = found.span()
        if start == bounds[0] or end == bounds[1]:
            continue  # the first or last thing written: a decoration of the listing
        left = _han_tail(text[max(0, start - 4) : start])
        right = _han_head(text[end : end + 4])
        if left or right:
            holes.append((left, right, (start, end)))
    return holes


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _han_tail(piece: str) -> str:
    at = len(piece)
    while at and _is_han(piece[at - 1]):
        at -= 1
    return piece[at:]


def _han_head(piece: str) -> str:
    at = 0
    while at < len(piece) and _is_han(piece[at]):
        at += 1
    return piece[:at]
