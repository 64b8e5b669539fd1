"""Forgeries named by what they are: a forgery word with a currency, a document or a brand
("fake 100 yuan notes", "counterfeit US dollars", "forged visa stickers", "fake Gucci bag",
高仿人民币, 伪造房产证, 假冒耐克鞋, "Rolex replica", 劳力士A货).

The annex bans forged currency and documents (十五、非法伪造物品) and counterfeit goods
(十六、侵犯知识产权和假冒伪劣物品). No list of names can hold every banknote, document and
brand a sender may pair with "fake", so this step reads the pair. The thing must be a
currency, a document or a brand: "fake plants", "faux fur" and "fake eyelashes" are not
forgeries, and "copy" or "dupe" are not forgery words (a passport copy, a perfume dupe)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pypinyin import Style, lazy_pinyin


def _word_pattern(pattern: str) -> re.Pattern[str]:
    """A pattern whose word boundaries are ASCII ones, so that a Chinese character beside a
    Latin word bounds it (寄p0rk, 9mm啊): Python's Unicode \\b sees no edge between them."""
    return re.compile(pattern, re.ASCII)


CURRENCY_ITEM = "CU-003"
DOCUMENT_ITEM = "CU-004"
BRAND_ITEM = "IP-002"
SHODDY_ITEM = "IP-001"  # 假冒伪劣: fake food, medicine and the like

_MARKER_EN = (
    r"fake|forged|counterfeit(?:ed)?|bogus|falsified|fraudulent|replica|knock[\s-]?offs?|"
    r"bootleg|imitation|phon(?:e)?y|cloned"
)
_CURRENCY_EN = (
    r"money|cash|currency|bank[\s-]?notes?|bills|notes|dollars?|usd|euros?|eur|yuan|rmb|"
    r"renminbi|pounds?|gbp|yen|jpy|hkd|coins?"
)
_DOCUMENT_EN = (
    r"passports?|visa[\s-]stickers?|visas?|id[\s-]cards?|ids?|identity[\s-]cards?|"
    r"driv(?:ing|er'?s?)[\s-]licen[cs]es?|licen[cs]es?|diplomas?|degrees?|certificates?|"
    r"transcripts?|invoices?|receipts?|seals?|stamps?|chops?|permits?|badges?|"
    r"(?:number|license|licence)[\s-]plates?|deeds?|cheques?|checks|bank[\s-]cards?|"
    r"credit[\s-]cards?|documents?|residence[\s-]permits?|work[\s-]permits?"
)
_BRAND_EN = (
    r"louis[\s-]vuitton|lv|gucci|chanel|herm[eè]s|prada|dior|burberry|fendi|balenciaga|"
    r"versace|rolex|omega|cartier|patek(?:[\s-]philippe)?|tiffany|nike|adidas|jordans?|"
    r"yeezys?|supreme|moncler|canada[\s-]goose|north[\s-]face|airpods|iphones?|ipads?|"
    r"macbooks?|apple[\s-]watch|beats|samsung|ray[\s-]?bans?|oakleys?|pandora|swarovski|"
    r"coach|michael[\s-]kors|ysl|saint[\s-]laurent|givenchy|bvlgari|bulgari|longines|"
    r"tudor|breitling|hublot|montblanc|louboutins?|dyson|uggs?|off[\s-]white|designer|"
    r"luxury|branded|brand[\s-]name|"
    r"moutai|maotai|wuliangye|lafite"  # liquor brands, as 茅台 and 五粮液 are
)
_MARKER_ZH = r"伪造|仿造|仿制|高仿|仿冒|假冒|山寨|克隆|假"
_CURRENCY_ZH = r"人民币|美元|美金|欧元|港币|日元|英镑|钞票|纸币|硬币|钱币|货币|外币|票子"
_DOCUMENT_ZH = (
    r"身份证|身分证|驾驶证|驾照|行驶证|护照|签证|发票|证件|证书|证明|文凭|毕业证|学位证|学历|"
    r"印章|公章|合同章|财务章|车牌|号牌|营业执照|执照|户口本|户口簿|房产证|结婚证|离婚证|病历|"
    r"社保卡|医保卡|银行卡|信用卡|票据|支票|存折|警官证|军官证|记者证|工作证|学生证"
)
_BRAND_ZH = (
    r"耐克|阿迪达斯|阿迪|香奈儿|古驰|爱马仕|普拉达|迪奥|劳力士|欧米茄|卡地亚|路易威登|巴黎世家|"
    r"范思哲|博柏利|蔻驰|浪琴|天梭|万宝龙|茅台|五粮液|华为|戴森|名牌|名表|大牌|奢侈品|"
    r"(?:lv|gucci|chanel|dior|prada|nike|adidas|rolex|ysl|hermes|airpods|iphone)"
)
_AFTER_BRAND = r"replicas?|knock[\s-]?offs?|fakes?|高仿|仿品|a货|仿冒品"
_NOT_KIT = r"(?![\s-]*(?:jerseys?|kits?|shirts?))"
_GAP_EN = r"(?:[\s-]+[a-z0-9$¥€£.]+){0,3}?[\s-]+"  # up to three words between

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (CURRENCY_ITEM, _word_pattern(rf"\b(?:{_MARKER_EN}){_GAP_EN}(?:{_CURRENCY_EN})\b")),
    (DOCUMENT_ITEM, _word_pattern(rf"\b(?:{_MARKER_EN}){_GAP_EN}(?:{_DOCUMENT_EN})\b")),
    (BRAND_ITEM, _word_pattern(rf"\b(?:{_MARKER_EN}){_GAP_EN}(?:{_BRAND_EN})\b")),
    # "replica jersey" is what clubs call the shirt they sell
    (
        BRAND_ITEM,
        _word_pattern(rf"\b(?:{_BRAND_EN})(?:[\s-]+[a-z]+)?[\s-]*(?:{_AFTER_BRAND}){_NOT_KIT}"),
    ),
    (CURRENCY_ITEM, _word_pattern(rf"(?:{_MARKER_ZH})的?\s*(?:{_CURRENCY_ZH})")),
    (DOCUMENT_ITEM, _word_pattern(rf"(?:{_MARKER_ZH})的?\s*(?:{_DOCUMENT_ZH})")),
    (BRAND_ITEM, _word_pattern(rf"(?:{_MARKER_ZH})的?\s*(?:{_BRAND_ZH})")),
    (BRAND_ITEM, _word_pattern(rf"(?:{_BRAND_ZH})\s*(?:{_AFTER_BRAND}){_NOT_KIT}")),
)


# 假冒伪劣 ("fake and shoddy") names counterfeit goods by itself, with any goods after it;
# not in an anti-counterfeiting leaflet (打击假冒伪劣, 防伪).
_SHODDY = _word_pattern(r"假冒伪劣|伪劣(?=\s*[\u4e00-\u9fffa-z])")
_NOT_SHODDY_BEFORE = _word_pattern(r"(?:打击|反|识别|防|假冒)$")
_HAN_BRANDS = tuple(b for b in _BRAND_ZH.split("|") if re.fullmatch("[\u4e00-\u9fff]{2,4}", b))
_HAN_MARKERS = tuple(_MARKER_ZH.split("|"))
_HAN_MARKER = _word_pattern(_MARKER_ZH)


@lru_cache(maxsize=8192)
def _sound(han: str) -> tuple[str, ...]:
    """Toneless pinyin of Han characters, one syllable each."""
    return tuple(lazy_pinyin(han, style=Style.NORMAL))


@lru_cache(maxsize=1)
def _brands_by_sound() -> dict[tuple[str, ...], str]:
    return {_sound(brand): brand for brand in _HAN_BRANDS}


def _sound_alike_brands(part: str) -> Iterator[tuple[int, int]]:
    """A brand written with other characters of the same sound right after a forgery word
    (假冒毛台 for 假冒茅台, 高仿耐可 for 高仿耐克): the spans of marker and brand."""
    by_sound = _brands_by_sound()
    lengths = sorted({len(k) for k in by_sound})
    for found in _HAN_MARKER.finditer(part):
        end = found.end()
        for length in lengths:
            chars = part[end : end + length]
            if len(chars) == length and re.fullmatch("[\u4e00-\u9fff]+", chars):
                brand = by_sound.get(_sound(chars))
                if brand is not None and brand != chars:
                    yield found.start(), end + length


@lru_cache(maxsize=1)
def _pinyin_pairs() -> re.Pattern[str]:
    """A forgery word and a Han brand written in pinyin, spaced or run together
    (jiamaomaotai, gao fang nai ke xie): syllables of a marker of two or more characters,
    then the brand's, then up to two more syllables of goods (xie, bao, biao)."""

    def spelled(han: str) -> str:
        return r"\s?".join(_sound(han))

    markers = "|".join(spelled(m) for m in _HAN_MARKERS if len(m) >= 2)
    brands = "|".join(spelled(b) for b in _HAN_BRANDS)
    return _word_pattern(rf"(?:{markers})\s?(?:{brands})(?:\s?[a-z]{{1,6}}){{0,2}}(?![a-z])")


# Fake goods that endanger health: food, infant formula, medicine, farm inputs (假冒婴儿奶粉,
# fake infant formula): the annex bans 假冒伪劣 goods (十六) whatever the brand.
_FAKE_STAPLES = (
    _word_pattern(
        r"(?:假冒|伪劣|仿冒|山寨|假)\s*[\u4e00-\u9fff]{0,4}?"
        r"(?:奶粉|食品|药品|保健品|化妆品|农药|化肥|种子|白酒|洋酒|红酒|香烟|卷烟|烟草|烟丝|雪茄)"
    ),
    _word_pattern(
        r"\b(?:fake|counterfeit|knock[\s-]?off)\s+(?:[a-z]+\s+)?(?:infant\s+formula|baby\s+formula|"
        r"milk\s+powder|baby\s+food|medicines?|pesticides?|fertili[sz]ers?|seeds|liquor|"
        r"spirits|wine|cosmetics|cigarettes|tobacco|cigars|pills|tablets|capsules|drugs|"
        r"vaccines?|insulin|viagra|cialis)\b"
    ),
)


def find_counterfeit_goods(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """Counterfeit goods named without a brand the pair rules know: 假冒伪劣 with any goods,
    a brand written by its sound after a forgery word (假冒毛台), or the pair in pinyin
    (jiamaomaotai, gaofangnaikexie)."""
    for found in _SHODDY.finditer(text):
        if _NOT_SHODDY_BEFORE.search(text, 0, found.start()) is None:
            yield BRAND_ITEM, found.group(), found.span()
    for pattern in _FAKE_STAPLES:
        for found in pattern.finditer(text):
            yield SHODDY_ITEM, found.group(), found.span()
    for lo, hi in _sound_alike_brands(text):  # the brand right after the forgery word
        yield BRAND_ITEM, text[lo:hi], (lo, hi)
    for found in _pinyin_pairs().finditer(text):
        if found.start() == 0 or not "a" <= text[found.start() - 1] <= "z":
            yield BRAND_ITEM, found.group(), found.span()


# Obscene or pirated media named by a marker and a format, in one item (色情DVD, 淫秽视频,
# "porn dvds", 盗版 教材): the annex bans obscene publications (十三) and pirated copies (十六).
PUBLICATION_ITEM = "PB-001"
PIRATED_ITEM = "IP-001"
_MEDIA_ZH = r"光盘|光碟|碟片|dvd|vcd|cd|影碟|视频|影片|电影|录像|书刊|杂志|画册|漫画|小说|图书|书籍"
_MEDIA_EN = (
    r"dvds?|vcds?|blu[\s-]?rays?|videos?|movies?|films?|magazines?|comics?|books?|discs?|"
    r"textbooks?|novels?"
)
_OBSCENE_ZH = r"色情|淫秽|淫荡|(?:成人)?无码|成人(?=\s*(?:影片|电影|录像|视频|光盘|光碟|碟片|dvd))"
_OBSCENE_EN = r"porn(?:o|ographic)?|obscene|xxx"
_PIRATED_ZH = r"盗版"
_PIRATED_EN = r"pirated|bootleg(?:ged)?"
_MEDIA_MARKER = _word_pattern("|".join((_OBSCENE_ZH, _OBSCENE_EN, _PIRATED_ZH, _PIRATED_EN)))
_MEDIA_PAIRS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PUBLICATION_ITEM, _word_pattern(rf"(?:{_OBSCENE_ZH})\s*的?\s*(?:{_MEDIA_ZH})")),
    (PUBLICATION_ITEM, _word_pattern(rf"\b(?:{_OBSCENE_EN}){_GAP_EN}?(?:{_MEDIA_EN})\b")),
    (
        PIRATED_ITEM,
        _word_pattern(rf"(?:{_PIRATED_ZH})\s*的?\s*(?:{_MEDIA_ZH}|软件|游戏|教材|课本)"),
    ),
    (
        PIRATED_ITEM,
        _word_pattern(rf"\b(?:{_PIRATED_EN}){_GAP_EN}?(?:{_MEDIA_EN}|software|games?)\b"),
    ),
)


def find_media_pairs(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(item id, the words found, their span) for each obscene or pirated marker with a
    media format in one item of the normalised declaration."""
    if _MEDIA_MARKER.search(text) is None:
        return
    start = 0
    for brk in [*_ITEM_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        part = text[start:end]
        for item_id, pattern in _MEDIA_PAIRS:
            for found in pattern.finditer(part):
                yield item_id, found.group(), (start + found.start(), start + found.end())
        if brk:
            start = brk.end()


def _joined(words: str) -> str:
    return words.replace(r"[\s-]", r"[\s-]?")


# The same pair run together in one word (counterfeitusdollars, fakevatinvoices).
_JOINED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        item_id,
        _word_pattern(rf"(?:{_joined(_MARKER_EN)})[a-z0-9]{{0,15}}?(?:{_joined(heads)}){tail}"),
    )
    for item_id, heads, tail in (
        (CURRENCY_ITEM, _CURRENCY_EN, ""),
        (DOCUMENT_ITEM, _DOCUMENT_EN, ""),
        (BRAND_ITEM, _BRAND_EN, "[a-z]{0,8}"),  # fakeguccibag
    )
)
_WORD = _word_pattern(r"[a-z0-9][a-z0-9-]{8,}")
# What ends one item of a list: a forgery word and its thing are in the same item.
_ITEM_BREAK = _word_pattern(r"[\n,;，、；。|/()（）]| and | with | plus |\s\+\s")


def find_forgeries(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(item id, the words found, their span) for each forgery word paired with a
    currency, a document or a brand in one item of the normalised declaration."""
    start = 0
    parts = [*_ITEM_BREAK.finditer(text), None]
    for brk in parts:
        end = brk.start() if brk else len(text)
        part = text[start:end]
        if part.strip():
            for item_id, pattern in _PATTERNS:
                for found in pattern.finditer(part):
                    span = (start + found.start(), start + found.end())
                    yield item_id, found.group(), span
        if brk:
            start = brk.end()
    for word in _WORD.finditer(text):
        for item_id, pattern in _JOINED:
            if pattern.fullmatch(word.group()):
                yield item_id, word.group(), word.span()


# Goods banned from import and export (annex 十八、禁止进出境物品) named by two words rather
# than one: a secrecy grade with a kind of paper (机密级 文件, 绝密资料, "top secret files"),
# and meat or animal products with a word that says they escaped quarantine or come from an
# epidemic area (未经检疫 生肉, 疫区 猪肉, "uninspected raw meat", "pork from an ASF area").
# A grade alone (机密 is also "confidential" on a notebook's cover) or meat alone is not one.
EXPORT_ITEM = "XB-001"
_SECRET_ZH = (
    r"绝密级?|机密级|秘密级|涉密|国家秘密|内部机密|(?:带|有|标)?密级|"
    r"标有?(?:绝密|机密|秘密)级?的?[\u4e00-\u9fff]{0,3}?"  # marked with a grade: 标有机密的军工图纸
)
_PAPER_ZH = r"文件|资料|材料|文档|档案|图纸|公文|卷宗|地图"
# a grade the paper is marked with, after it (红头文件（标秘密级）, drawings marked confidential)
_MARKED_ZH = r"标有?|标注|标明|盖有?"
_MARKED_EN = r"marked|stamped|labell?ed"
_GRADE_EN = r"secret|top[\s-]secret|classified"  # not "confidential": a business mark
_QUARANTINE_ZH = r"未经检疫|未检疫|无检疫证?明?|疫区|非洲猪瘟|口蹄疫"
_MEAT_ZH = r"生猪肉|生牛肉|生羊肉|生肉|猪肉|牛肉|羊肉|禽肉|鸡肉|肉类|肉制品|肉品|腊肉|香肠|火腿|肉"
_SECRET_EN = r"top[\s-]?secret|classified|state[\s-]secret"
_PAPER_EN = (
    r"documents?|files?|papers?|dossiers?|materials?|records?|drawings?|blueprints?|maps?|"
    r"plans?"
)
_QUARANTINE_EN = (
    r"bird[\s-]flu|avian[\s-](?:flu|influenza)|h5n1|h7n9|swine[\s-]fever|asf|mad[\s-]cow|bse|"
    r"newcastle[\s-]disease|"
    r"uninspected|unquarantined|un-inspected|not[\s-]quarantined|asf[\s-]affected|"
    r"african[\s-]swine[\s-]fever|foot[\s-]and[\s-]mouth|epidemic[\s-]area|outbreak[\s-]area"
)
_MEAT_EN = r"meat|pork|beef|mutton|lamb|poultry|sausages?|ham|bacon|jerky"
# Plants, seeds and soil need a quarantine certificate too (植物检疫条例; 禁止进出境物品表:
# animals and plants carrying dangerous pests): 未检疫种苗, unquarantined seedlings.
_PLANT_ZH = (
    r"种苗|苗木|树苗|花苗|幼苗|种子|种球|插条|接穗|植物|土壤|泥土|活禽|禽蛋|鸡蛋|鸭蛋|蛋|水果|蔬菜|"
    r"活体|活鸟|活鸡"
)
_PLANT_EN = r"seedlings?|saplings?|seeds?|plants?|cuttings?|scions?|bulbs?|soil|live\s+birds?|eggs"
# Relics dug out of the ground are not to be traded or sent abroad (文物保护法; 禁止出境: 珍贵
# 文物): a word for digging or looting with a relic (出土 青铜器, looted antiquities).
RELIC_ITEM = "XB-002"
_DUG_ZH = r"出土|盗掘|盗墓|生坑|墓里|古墓"
_RELIC_ZH = r"文物|古董|青铜器|玉器|陶器|瓷器|古钱币|古币|铜器|陶俑|明器"
_DUG_EN = r"excavated|unearthed|looted|dug[\s-]up|grave[\s-]robbed|tomb"
_RELIC_EN = r"relics?|artifacts?|artefacts?|antiquities|antiques?|bronzes?|pottery|figurines?"
# read over the whole text: the grade may stand in brackets after the paper
_MARKED_PATTERNS: tuple[re.Pattern[str], ...] = (
    _word_pattern(
        rf"(?:{_PAPER_ZH})[^\n,，、;；|]{{0,4}}?(?:{_MARKED_ZH})\s*(?:绝密|机密|秘密)级?"
    ),
    _word_pattern(rf"\b(?:{_PAPER_EN})\s+(?:{_MARKED_EN})\s+(?:as\s+)?(?:{_GRADE_EN})\b"),
    # the grade written after the paper (军用地图 机密, 图纸（绝密）)
    _word_pattern(rf"(?:{_PAPER_ZH})\s*[（(]?\s*(?:绝密|机密)级?(?!\s*[\u4e00-\u9fffa-z])"),
    # "confidential" is the grade 秘密 only on defence or government papers
    _word_pattern(
        rf"\b(?:defen[cs]e|military|government|state|army)\s+(?:{_PAPER_EN})\s+"
        rf"(?:{_MARKED_EN})\s+(?:as\s+)?confidential\b"
    ),
)
_EXPORT_PATTERNS: tuple[re.Pattern[str], ...] = (
    _word_pattern(rf"(?:{_SECRET_ZH})\s*的?\s*(?:{_PAPER_ZH})"),
    _word_pattern(
        rf"(?:{_QUARANTINE_ZH})\s*的?\s*[\u4e00-\u9fff]{{0,2}}?(?:{_MEAT_ZH}|{_PLANT_ZH})"
    ),
    _word_pattern(rf"\b(?:{_SECRET_EN}){_GAP_EN}?(?:{_PAPER_EN})\b"),
    _word_pattern(rf"\b(?:{_QUARANTINE_EN})(?:{_GAP_EN}|[\s-]+)(?:{_MEAT_EN})\b"),
    _word_pattern(rf"\b(?:{_MEAT_EN})\b(?:[\s-]+[a-z0-9]+){{0,3}}?[\s-]+(?:{_QUARANTINE_EN})\b"),
    _word_pattern(rf"\b(?:{_QUARANTINE_EN})(?:{_GAP_EN}|[\s-]+)(?:{_PLANT_EN})\b"),
    _word_pattern(rf"\b(?:{_PLANT_EN})\b(?:[\s-]+[a-z0-9]+){{0,3}}?[\s-]+(?:{_QUARANTINE_EN})\b"),
)
_RELIC_PATTERNS: tuple[re.Pattern[str], ...] = (
    _word_pattern(rf"(?:{_DUG_ZH})的?\s*[\u4e00-\u9fff]{{0,2}}?(?:{_RELIC_ZH})"),
    _word_pattern(rf"\b(?:{_DUG_EN}){_GAP_EN}?(?:{_RELIC_EN})\b"),
    _word_pattern(rf"\b(?:{_RELIC_EN})\s+(?:from\s+(?:a\s+)?tombs?|dug\s+up|excavated)\b"),
)


def find_export_pairs(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(item id, the words found, their span) for each secrecy grade with a kind of paper,
    and each quarantine or epidemic word with meat, in one item of the declaration."""
    for pattern in _MARKED_PATTERNS:
        for found in pattern.finditer(text):
            yield EXPORT_ITEM, found.group(), found.span()
    start = 0
    for brk in [*_ITEM_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        part = text[start:end]
        if part.strip():
            for pattern in _EXPORT_PATTERNS:
                for found in pattern.finditer(part):
                    yield EXPORT_ITEM, found.group(), (start + found.start(), start + found.end())
            for pattern in _RELIC_PATTERNS:
                for found in pattern.finditer(part):
                    yield RELIC_ITEM, found.group(), (start + found.start(), start + found.end())
        if brk:
            start = brk.end()
