"""Firearms and rounds named by their designation rather than a word: a cartridge by its
calibre (.22lr, 7.62×39, 12ga, 9mm parabellum) and a gun by its maker and model
(莫斯伯格500, m1911, 沙漠之鹰) or its Chinese service pattern (92式 with a gun's count).

Works on normalised text (case folded, full-width folded); pure, no catalogue lookups."""

from __future__ import annotations

import re
from collections.abc import Iterator

FIREARM = "FA-001"
AMMUNITION = "FA-003"

# Bullet diameters of standard metric cartridges (mm), so that 7.62×39 is a round and
# 2.5×30 a size: a cartridge is written diameter × case length.
_METRIC_BORES = "4.6|5.45|5.56|5.7|6.5|6.8|7.62|7.63|7.65|7.92|8|9|10|11.43|12.7|14.5"
# Suffixes of inch calibres (.22lr, .45acp, .308 win, .40s&w, .50bmg, .357 magnum).
_INCH_SUFFIXES = (
    "lr|acp|s&w|sw|win|wm|wmr|hmr|rem|spl|special|mag|magnum|bmg|auto|nato|blk|creedmoor|"
    "short|long|colt|gap|sig|parabellum"
)
_CARTRIDGE = re.compile(
    rf"(?<![\d.])\.\d{{2,3}}\s?(?:{_INCH_SUFFIXES})(?![a-z])"
    rf"|(?<![\d.])(?:{_METRIC_BORES})\s?[x×*]\s?(?:1[7-9]|[2-6]\d)(?:mm|r)?(?![\d.])"
    # a shotgun shell by its gauge (12ga, 20 ga); the bore of a wire is written "gauge"
    r"|(?<![\d.])(?:10|12|16|20|28|410)\s?ga(?![a-z])"
    # 9mm parabellum / luger, 帕拉贝鲁姆弹
    r"|parabellum|帕拉贝鲁姆|(?<![\d.])9\s?mm\s?luger"
)
# Guns by maker and model: the maker alone may name other goods (Remington shavers), the
# model number after it does not.
_GUN_MODEL = re.compile(
    r"沙漠之鹰|desert\s?eagle"
    r"|(?:雷明顿|remington)\s?(?:870|700|1100|11-87|1858)"
    r"|(?:莫斯伯格|mossberg)\s?(?:500|590|835|930)?"
    r"|(?:伯莱塔|贝雷塔|beretta)\s?(?:92|m9|px4)"
    r"|(?:柯尔特|colt)\s?(?:1911|m1911|python|蟒蛇)"
    r"|(?<![a-z0-9])m1911(?:a1)?(?![0-9])"
    r"|(?:史密斯威森|史密斯韦森|smith\s?&\s?wesson)"
    r"|(?:格洛克)\s?\d{0,2}"
)
# Chinese service patterns (54式, 92式 pistols; 56式, 81式, 95式 rifles): the number and 式
# stand as a name of their own, and the declaration counts a gun or claims a replica.
_SERVICE_PATTERN = re.compile(
    r"(?<![\d.a-z])(?:54|56|59|64|77|81|92|95|97|03|05)式(?![\u4e00-\u9fff])"
)
_GUN_CUE = re.compile(r"\d\s*[把支杆]|[一二两三四五六七八九十]\s*[把支杆]|同款|原厂|1:1|套件|仿真")


def find_designations(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(item id, written, span) for each cartridge or gun named by its designation."""
    for found in _CARTRIDGE.finditer(text):
        yield AMMUNITION, found.group(), found.span()
    for found in _GUN_MODEL.finditer(text):
        yield FIREARM, found.group(), found.span()
    if _GUN_CUE.search(text):
        for found in _SERVICE_PATTERN.finditer(text):
            yield FIREARM, found.group(), found.span()
