"""Ways a declaration hides a banned word, each undone by one named, length-preserving step
(so that positions found in the undone text are positions in the declaration).

Evasion classes:
- fullwidth: full-width and compatibility forms (ｐｉｓｔｏｌ), by NFKC;
- zero_width: zero-width and invisible format characters (he\u200broin);
- homoglyph: Cyrillic and Greek letters that look Latin (рistоl), folded only where they
  stand in for Latin letters (fold_lookalikes): real Russian or Greek stays as written;
- confusables: any other letter that Unicode's confusables data (UTS #39 confusables.txt,
  as shipped by the pinned confusable-homoglyphs package) draws like one Latin letter
  (Cherokee, Armenian, Latin small capitals, IPA: ꮲistol, ᴘistol);
- tones: pinyin tone marks (zǐ dàn), folded to plain letters;
- leet: digits and symbols for letters (pist0l, her0in, c0c@ine; 1 and ! as i or l,
  whichever makes a term: r1f1e), and letters masked by * or ? (h*roin, c?caine);
- traditional: traditional characters (槍支), by OpenCC;
- split_join: a word split in two (fire works) or a phrase run together (brassknuckles);
- punctuation: a word split by any punctuation or spaced letter by letter (p.i.s.t.o.l,
  her/oin, c_o_c_a_i_n_e, 海.洛.因, K 粉);
- segmentation: a catalogue word run together with ordinary words (buyheroinnow,
  ketaminepowder), found by segmenting the token over the catalogue and an English word list;
- pinyin: a Han term written in pinyin, with or without spaces and tones (zi dan, zidan);
- initials: a Han term of three or more characters written as its pinyin initials (hly);
- slang: street names for drugs and weapons (the catalogue's `slang` column);
- homophone: a Han character replaced by one of the same sound (海络因, 手抢 for 手枪,
  氯安酮 for 氯胺酮), or by its pinyin in Latin letters (冰du);
- counterfeit: a forgery word with a currency, a document or a brand, in any wording
  (fake 100 yuan notes, forged visa stickers, fake Gucci bag, 高仿人民币, 劳力士A货), a brand
  by its sound or in pinyin (假冒毛台, jiamaomaotai), or 假冒伪劣 with any goods, read by
  parcel_forgery;
- euphemism: contraband described by its selling point instead of named ("research
  chemical, not for human consumption", "novelty ID, scannable", "self-defence flashlight
  50,000kV", 92# 20L for petrol), read by parcel_euphemism;
- formula: a catalogue chemical by its formula, CAS number or nuclide (KMnO4, HF 40%,
  CAS 7664-93-9, Cs-137), read by parcel_formula;
- ocr: characters a recogniser misread on a scanned waybill, a radical lost or a look-alike
  (仓官 for 枪管, 氢氟夋 for 氢氟酸, uraniurn for uranium), read by parcel_ocr."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

EVASION_CLASSES = (
    "fullwidth",
    "zero_width",
    "homoglyph",
    "confusables",
    "tones",
    "leet",
    "traditional",
    "split_join",
    "punctuation",
    "segmentation",
    "pinyin",
    "initials",
    "slang",
    "homophone",
    "counterfeit",
    "euphemism",
    "formula",
    "ocr",
    "emoji",
)
ALL_EVASIONS = frozenset(EVASION_CLASSES)

# Invisible characters: zero-width space/joiners, BOM, word joiner, soft hyphen, bidi marks.
INVISIBLE: dict[int, int | None] = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\ufeff\u2060\u2061\u2062\u2063\u2064\u00ad\u180e\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u034f",
    )
)
# Lower-case Cyrillic and Greek letters drawn like Latin ones (after case folding).
HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "с": "c", "е": "e", "ё": "e", "н": "h", "і": "i", "ї": "i",
        "ј": "j", "к": "k", "м": "m", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t",
        "у": "y", "х": "x", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ո": "n", "ս": "u",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ø": "o",
        # drawn like a Latin lower-case letter in the x-height of a running text, though
        # no confusable of it by Unicode's data (п as n, г as r, ш as w, π as n, μ as u)
        "п": "n", "г": "r", "ш": "w", "ь": "b", "и": "u", "ц": "u",
        "π": "n", "μ": "u", "γ": "y", "ɩ": "i",
    }
)  # fmt: skip
_HOMOGLYPH_KEYS = frozenset(HOMOGLYPHS)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
     "!": "i", "|": "l", "€": "e", "¡": "i", "9": "g", "6": "b", "2": "z", "+": "t", "(": "c",
     "¢": "c", "§": "s", "¥": "y", "#": "h"}
)  # fmt: skip
_LEET_L = str.maketrans({"1": "l", "|": "l", "!": "l"})
# A word with letters and at least one stand-in character (pist0l, c0c@ine, h3r0in).
_STAND_IN = r"0-9@$!|€¡+(¢§¥#"
_LEET_WORD = re.compile(rf"(?<![a-z{_STAND_IN}])(?=[a-z{_STAND_IN}]*[a-z][a-z{_STAND_IN}]*[a-z])"
                        rf"(?=[a-z{_STAND_IN}]*[{_STAND_IN}])[a-z{_STAND_IN}]{{4,}}")  # fmt: skip


@lru_cache(maxsize=1)
def confusables_table() -> dict[int, str]:
    """Letters that Unicode's confusables data draws like a single Latin letter, as that
    letter (lower case). Han, kana and hangul are left alone, and so is ASCII; letters that
    NFKC already turns into ASCII are left to the fullwidth step."""
    from confusable_homoglyphs import confusables

    table: dict[int, str] = {}
    for char, entries in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        if unicodedata.normalize("NFKC", char).isascii():
            continue  # full-width and mathematical letters: the fullwidth step (NFKC)
        if ord(char) in _HOMOGLYPH_KEYS or ord(char.casefold()[:1]) in _HOMOGLYPH_KEYS:
            continue  # the common Cyrillic and Greek ones: the homoglyph step
        name = unicodedata.name(char, "")
        if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO")):
            continue
        latin = {e["c"].lower() for e in entries if len(e["c"]) == 1 and e["c"].isascii()}
        latin = {c for c in latin if "a" <= c <= "z"}
        if len(latin) == 1:
            target = latin.pop()
            table[ord(char)] = target
            folded = char.casefold()
            if len(folded) == 1 and not folded.isascii():
                table.setdefault(ord(folded), target)
    return table


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    """A letter's script, by the first word of its Unicode name (LATIN, CYRILLIC, GREEK)."""
    return unicodedata.name(char, "").split(" ", 1)[0]


# Scripts never folded, so never counted: Han, kana, hangul (and digits, marks: not letters).
_UNFOLDED_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})
_TOKEN = re.compile(r"\S+")
_LATIN_RUN = re.compile(r"[a-z]{2,}")


def _foreign_scripts(token: str) -> tuple[bool, frozenset[str]]:
    """Whether the token has a Latin letter, and the other scripts of its letters."""
    latin = False
    others: set[str] = set()
    for char in token:
        if not char.isalpha():
            continue
        script = _script(char)
        if script == "LATIN":
            latin = True
        elif script not in _UNFOLDED_SCRIPTS:
            others.add(script)
    return latin, frozenset(others)


@dataclass(frozen=True, slots=True)
class FoldingWords:
    """The catalogue's words that a token wholly in Cyrillic or Greek may fold to: `latin`,
    the Latin words of its terms (oc of "oc spray"); `own`, its terms written in another
    script, folded (a Russian name in the catalogue), which are folded wherever they stand."""

    latin: frozenset[str]
    own: frozenset[str] = frozenset()  # folded, without marks (y羟基丁酸 for γ-羟基丁酸)


def _reads_as(folded: str, words: frozenset[str]) -> bool:
    """Does the folded token hold one of `words` or is it one, as written or with its
    stand-ins read as letters (ѕ3мт3х, Р2Р)?"""
    for reading in {folded, unleet(folded), unleet(folded, one_as_l=True)}:
        if _EDGE_MARKS.sub("", reading) in words:
            return True
        if any(run in words for run in _LATIN_RUN.findall(reading)):
            return True
    return False


# A whole token folded to a catalogue word this long is no word of its own script (сосаіпе).
_NO_NATIVE_WORD = 5
_EDGE_MARKS = re.compile(r"^[\W_]+|[\W_]+$")
_MARKS = re.compile(r"[\W_]+")


def _whole_word(folded: str, words: frozenset[str]) -> bool:
    """Is the folded token, edge marks aside, one catalogue word of five letters or more,
    every letter of it drawn like a Latin one (сосаіпе, ѕ3мт3х)?"""
    core = _EDGE_MARKS.sub("", folded)
    for reading in {core, unleet(core), unleet(core, one_as_l=True)}:
        if len(reading) >= _NO_NATIVE_WORD and reading in words:
            return True
    return False


@lru_cache(maxsize=4)
def _lookalike_tables(homoglyph: bool, confusables: bool) -> tuple[dict[int, str], dict[int, str]]:
    """The letters to fold (homoglyphs, confusables or both) and those of them in the Latin
    script (small capitals, ɡ), which are folded wherever they stand."""
    table: dict[int, str] = dict(confusables_table()) if confusables else {}
    if homoglyph:
        table.update(HOMOGLYPHS)
    latin = {k: v for k, v in table.items() if _script(chr(k)) == "LATIN"}
    return table, latin


def fold_lookalikes(
    text: str,
    *,
    homoglyph: bool = True,
    confusables: bool = True,
    words: FoldingWords | None = None,
) -> str:
    """Letters of another script drawn like Latin ones (the `homoglyph` table, Unicode's
    `confusables`), as those Latin letters. Without `words` every one is folded (the
    catalogue's own terms are read so). With the catalogue's `words`, only where they stand
    in for Latin letters, token by token (a run without spaces):
    - a token with a Latin letter (рistоl, p.і.s.t.о.l) or with letters of two other
      scripts (Cyrillic е beside Greek η) is folded: no real word mixes them;
    - a token wholly of one other script is folded where every letter of it folds, the
      folding holds a Latin word of the catalogue and the text has no other word of that
      script that does not ("ос spray", "ісе 5g"); where it folds whole to a catalogue
      word of five letters or more, which no Russian or Greek word does ("книги и
      сосаіпе"); or where it is one of the catalogue's own words in that script;
    - real Russian or Greek stays as written ("книги и одежда", "βιβλία", the "соке" of
      "персики в соке", peaches in juice, not coke);
    - Latin letters in the tables (small capitals, ɡ) are always folded.
    Same length."""
    table, latin_only = _lookalike_tables(homoglyph, confusables)
    if not any(ord(char) in table for char in text):
        return text
    if words is None:
        return text.translate(table)
    tokens = list(_TOKEN.finditer(text))
    fold: list[bool] = []
    single: list[str | None] = []  # the script of a token wholly of one other script
    for found in tokens:
        token = found.group()
        latin, others = _foreign_scripts(token)
        mixed = bool(others) and (latin or len(others) > 1)
        fold.append(mixed and any(ord(char) in table for char in token))
        single.append(next(iter(others)) if others and not mixed else None)
    folded = [found.group().translate(table) for found in tokens]
    # a word that folds only in part (γαβαλά as yabaλά) is a word of its script: no one
    # writing a Latin word leaves a Greek λ in it
    catalogue_like = [
        script is not None
        and all(ord(c) in table for c in found.group() if c.isalpha())
        and _reads_as(reading, words.latin)
        for found, reading, script in zip(tokens, folded, single, strict=True)
    ]
    # a letter standing alone (the а of "frоm а swіnе-fеvеr zоnе", the в of "в соке") is
    # read with the text around it
    lone = [
        script is not None and sum(c.isalpha() for c in found.group()) == 1 and bool(reading)
        for found, reading, script in zip(tokens, folded, single, strict=True)
    ]
    # a script with a word that folds to nothing of the catalogue: text written in it
    written_in = {
        s
        for s, like, alone in zip(single, catalogue_like, lone, strict=True)
        if s and not like and not alone
    }
    for i, script in enumerate(single):
        if script is None:
            continue
        if (
            ((catalogue_like[i] or lone[i]) and script not in written_in)
            or _whole_word(folded[i], words.latin)
            or any(word in _MARKS.sub("", folded[i]) for word in words.own)
        ):
            fold[i] = True
    out: list[str] = []
    last = 0
    for found, reading, whole in zip(tokens, folded, fold, strict=True):
        out.append(text[last : found.start()])
        out.append(reading if whole else found.group().translate(latin_only))
        last = found.end()
    out.append(text[last:])
    return "".join(out)


def fold_tones(text: str) -> str:
    """Latin letters with tone marks or diacritics as plain letters (zǐ → zi, ü → u)."""
    out = []
    for char in text:
        if "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff":
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(base if len(base) == 1 else char)
        else:
            out.append(char)
    return "".join(out)


# Bars that part the fields of a record (EDI: 123|PEK|air rif1e|2 pcs): a bar with a space or
# a Chinese character beside it, or any bar on a line that holds several. A lone bar inside a
# word stands for a letter (a|cohol, cu|7ur3).
_BAR_RUN = re.compile(r"[^\n|]*\|[^\n]*")
_WORDY = re.compile(r"[a-z0-9]")


def _field_bars(text: str) -> list[int]:
    """Positions of the bars in `text` that part fields."""
    bars: list[int] = []
    for run in _BAR_RUN.finditer(text):
        at = [run.start() + i for i, char in enumerate(run.group()) if char == "|"]
        if len(at) > 1:
            bars.extend(at)
            continue
        i = at[0]
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if not (_WORDY.match(before) and _WORDY.match(after)):
            bars.append(i)
    return bars


def _by_field(text: str, read: Callable[[str], str]) -> str:
    """`read` applied to each field between bars that part fields; same length kept."""
    if "|" not in text:
        return read(text)
    out: list[str] = []
    last = 0
    for bar in _field_bars(text):
        out.extend((read(text[last:bar]), "|"))
        last = bar + 1
    out.append(read(text[last:]))
    return "".join(out)


def unleet(text: str, *, one_as_l: bool = False, words: frozenset[str] | None = None) -> str:
    """Digits and symbols standing for letters inside words, as the letters (pist0l →
    pistol). Pure numbers and words without a stand-in are left alone. Given `words`, a
    word whose 1, ! and | stand for both i and l (r1f1e, r!f13) is read the way that makes
    one of them, if any."""

    def read(found: re.Match[str]) -> str:
        word = found.group()
        if words is not None and not _QUANTITY_WORD.fullmatch(word):
            for reading in _i_or_l_readings(word):
                if reading in words:
                    return reading
        return _short_letters(word, one_as_l)

    return _by_field(text, lambda field: _LEET_WORD.sub(read, field))


_I_OR_L = "1!|"


def _i_or_l_readings(word: str) -> list[str]:
    """The readings of a word with two to four of 1, ! and | each as i or as l (only
    mixed readings: all-i and all-l are `unleet`'s own two)."""
    at = [i for i, char in enumerate(word) if char in _I_OR_L]
    if not 2 <= len(at) <= 4:
        return []
    readings = []
    for mask in range(1, 2 ** len(at) - 1):
        chars = list(word)
        for bit, i in enumerate(at):
            chars[i] = "l" if mask >> bit & 1 else "i"
        readings.append(_letters("".join(chars), False))
    return readings


# An opening bracket and a number after a word are a quantity, not letters: ha$h!sh(1袋).
_BRACKET_TAIL = re.compile(r"\(\d*$")


def _letters(word: str, one_as_l: bool) -> str:
    tail = _BRACKET_TAIL.search(word)
    kept = word[tail.start() :] if tail and tail.start() > 0 else ""
    word = word[: len(word) - len(kept)]
    if one_as_l:
        word = word.translate(_LEET_L)
    return word.translate(_LEET) + kept


# Any run of letters and stand-ins with at least one letter (m4, z!, 1d); pure numbers stay.
_LEET_ANY = re.compile(rf"(?<![a-z{_STAND_IN}])(?=[a-z{_STAND_IN}]*[a-z])[a-z{_STAND_IN}]+")


def unleet_all(text: str, *, one_as_l: bool = False) -> str:
    """Like `unleet`, but for words of one letter too (m4 f3i → ma fei, z! d@n → zi dan,
    f@ke 1d → fake id). Too eager for plain words; the pinyin and forgery steps use it,
    where only a whole catalogue term or a forgery phrase counts."""

    return _by_field(
        text, lambda field: _LEET_ANY.sub(lambda f: _short_letters(f.group(), one_as_l), field)
    )


# Quantities and sizes are not words: x2, 5g, 2pcs, 4k, 10x.
_QUANTITY_WORD = re.compile(
    r"x\d+|\d+x|\d+(?:\.\d+)?(?:g|kg|mg|ml|l|cm|mm|m|pcs|pc|k|gb|tb|mah|w|v|hz|p|sets?|"
    r"box(?:es)?|units?|packs?|bottles?|bags?|pairs?|rolls?|pieces?|cans?|boxes)?"
)


def _short_letters(word: str, one_as_l: bool) -> str:
    return word if _QUANTITY_WORD.fullmatch(word) else _letters(word, one_as_l)
