"""Person-screening evaluation set D: written independently, a clean hold-out (issue #23).

    .venv/bin/python bench/screen_data_d.py     # 30 samples, counts per label, time and RSS

`generate(listed, records, seed, match_share=0.02)` returns `(list[ListedRow], list[RecordRow])`,
deterministic for a seed (and a given Faker version). Written without reading the screening or
names code, sets B and C, or the generator part of bench/screen.py; nothing here was adjusted
after seeing a score.

Population (listed persons and strangers alike, by exact share of a weighted draw):
  mainland Han 80 % (surnames by a census-like weight table, so 张伟, 王芳, 李娜 ... recur as
  namesakes; given names 25 % from a short list of the commonest, 35 % from Faker zh_CN, 40 %
  composed of two characters from generation-era pools); Uyghur-style names in Chinese
  transliteration ("买买提·艾力") 3 %; Tibetan-style 1.5 %; Mongol-style 1 %; Hong Kong 3 %,
  Macao 0.5 % (traditional characters, Cantonese romanisation, sometimes an English name);
  Taiwan 2 % (traditional characters, Wade-Giles); Korean 3 %, Vietnamese 2 %, Russian 2 %,
  Western (Faker en/de/fr) 2 %. The origin only picks a naming style; it is never emitted.

Watchlist rows: mainland ids 88 % 18-digit with a valid check character, 7 % none, 5 % the old
15-digit number (born before 1985 only; otherwise 18-digit); area codes from python-stdnum's
table (Uyghur-style names mostly 65xxxx, Tibetan 54xxxx, Mongol 15xxxx). Hong Kong, Macao and
Taiwan: 40 % a residence-permit id (81/82/83xxxx, valid check), else none. Foreigners: none.
Birth dates 85 % full, 3 % "YYYY-MM", 12 % "YYYY" (born 1950-2006, peaking in the 1980s).
Aliases: a former name (6 % of mainland persons have one; listed 80 % of the time),
romanisations (Hong Kong/Macao/Taiwan 70 %, Uyghur 50 %, Tibetan/Mongol 30 %), native script
of foreigners (50 %), English names (Hong Kong: 40 % have one).

Records: round(records * match_share) records of listed persons (drawn with replacement), the
rest strangers. A record starts from the person's TRUE identity (full name, full date, full
18-digit id, even when the list has less), written as the list writes the name. Then a clerk's
faults, drawn per field independently:
  name 55 %, by origin-specific weights (see NAME_FAULTS); a second, in-script fault 12 %;
  date 45 %: date_format 34, date_yy 7, date_year_only 9, date_year_month 6, date_dm_swap 8
           (only when the day is 1-12 and differs from the month), date_lunar 8 (a real
           lunar conversion, computed here from mean-new-moon and solar-longitude series),
           date_typo 10, date_missing 10, date_placeholder 8;
  id 40 % (when the person has one): id_missing 28, id_digit 18, id_transposed 12, id_15 8
           (born before 1985), id_truncated 7, id_format 17 (spaces, lower-case x, full-width);
           id_passport 25 % for foreigners/HK/Macao/Taiwan persons without one (a passport
           number typed into the id field).
Labels are joined with "+" in that order (name, date, id); "clean" when none applied.

Name labels: homophone (IME picks another character of the same toneless syllable), fuzzy_pinyin
(z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing, f/h), char_dropped, char_added, char_doubled,
traditional, simplified (a traditional-script name typed in simplified), pinyin (+ pinyin_tones,
pinyin_slash "ZHANG/WEI", pinyin_joined "zhangwei", pinyin_hyphen "Jian-guo", pinyin_split
"Jian Guo", family_last), pinyin_misread (a heteronym surname read the common way: 曾 Ceng),
wade_giles, cantonese, english_name, former_name, renamed (a new name the list does not know;
the id is then always correct), dot_variant (·, •, ., space or none), translit_variant (another
transliteration: 麦麦提 for 买买提, Gim for Kim, Iurii for Yuriy), latin_script, native_script
(Hangul, Cyrillic), name_partial (one part only), diacritics, middle_dropped, patronymic,
family_first, spacing, typo (a Latin letter dropped, doubled, swapped or a keyboard neighbour).

Strangers get the same clerk faults on their own details (labels discarded: `corruption` is
""), so the format of a record says nothing about its truth. Hard negatives among strangers:
3 % namesake_year (a listed person's name, same birth year, another date), 2 % namesake_date
(same name and full date, another id), 2 % sibling (same surname, given name sharing a
character or a neighbour of it, born 1-6 years apart, same area code), 1 % twin (same surname,
sibling given name, same date, id differing only in the sequence number and check character).
Hard negatives keep their id (no id_missing or id_passport) where the listed person has one, so
each stays decidable in principle; a namesake_date of a person listed without an id is made a
namesake_year instead (a name and a year on the list alone can still not tell them apart).
`generate_with_kinds` also returns each stranger's kind, for the counts printed here.

Known limits: ids are random, so at 1M listed a handful may coincide, and a stranger's id can,
rarely, equal a listed one; lunar dates may be a day off when a new moon falls near midnight.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import os
import random
import resource
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from faker import Faker
from pypinyin import Style, lazy_pinyin
from stdnum.cn import ric


@dataclass(frozen=True, slots=True)
class ListedRow:
    entry_id: str
    name: str
    aliases: tuple[str, ...]
    birth_date: str  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    id_number: str  # raw 18-char (or 15-char old) resident id, or ""


@dataclass(frozen=True, slots=True)
class RecordRow:
    record_id: str
    name: str
    birth_date: str  # as filed, or ""
    id_number: str  # raw, or ""
    truth: str | None  # entry_id of the listed person, None for a stranger
    corruption: str  # "" for strangers; "+"-joined fault labels, or "clean"


# --- Population tables -------------------------------------------------------------------------

# Surname weights in per mille, roughly as in national surname counts.
SURNAMES = {
    "王": 71, "李": 70, "张": 67, "刘": 54, "陈": 45, "杨": 31, "黄": 22, "赵": 20, "吴": 20,
    "周": 19, "徐": 15, "孙": 15, "马": 14, "朱": 13, "胡": 12, "郭": 11, "何": 11, "高": 10,
    "林": 10, "罗": 9, "郑": 9, "梁": 8, "谢": 7, "宋": 7, "唐": 7, "许": 6, "韩": 6, "冯": 6,
    "邓": 6, "曹": 6, "彭": 5, "曾": 5, "肖": 5, "田": 5, "董": 5, "袁": 5, "潘": 4, "于": 4,
    "蒋": 4, "蔡": 4, "余": 4, "杜": 4, "叶": 4, "程": 4, "苏": 4, "魏": 4, "吕": 4, "丁": 4,
    "任": 3, "沈": 3, "姚": 3, "卢": 3, "姜": 3, "崔": 3, "钟": 3, "谭": 3, "陆": 3, "汪": 3,
    "范": 3, "金": 3, "石": 3, "廖": 3, "贾": 3, "夏": 3, "韦": 3, "付": 3, "方": 3, "白": 3,
    "邹": 2, "孟": 2, "熊": 2, "秦": 2, "邱": 2, "江": 2, "尹": 2, "薛": 2, "闫": 2, "段": 2,
    "雷": 2, "侯": 2, "龙": 2, "史": 2, "陶": 2, "黎": 2, "贺": 2, "顾": 2, "毛": 2, "郝": 2,
    "龚": 2, "邵": 2, "万": 2, "钱": 2, "严": 2, "覃": 1, "武": 2, "戴": 2, "莫": 1, "孔": 1,
    "向": 1, "汤": 1, "单": 1, "解": 1, "仇": 1, "查": 1, "区": 1, "乐": 1, "缪": 1, "纳": 1,
    "哈": 1, "穆": 1, "沙": 1, "欧阳": 1, "司马": 1, "诸葛": 1, "上官": 1,
}  # fmt: skip
# Heteronym surnames: the surname reading, and the common reading a clerk may type.
SURNAME_READINGS = {
    "单": ("shan", "dan"), "曾": ("zeng", "ceng"), "解": ("xie", "jie"), "仇": ("qiu", "chou"),
    "查": ("zha", "cha"), "区": ("ou", "qu"), "乐": ("yue", "le"), "缪": ("miao", "mou"),
    "覃": ("qin", "tan"), "朴": ("piao", "pu"),
}  # fmt: skip
COMMON_GIVEN = {
    "伟": 30, "芳": 28, "娜": 26, "秀英": 24, "敏": 22, "静": 22, "丽": 20, "强": 20, "磊": 19,
    "军": 18, "洋": 17, "勇": 17, "艳": 16, "杰": 16, "娟": 15, "涛": 15, "明": 14, "超": 14,
    "秀兰": 13, "霞": 13, "平": 12, "刚": 12, "桂英": 12, "建华": 10, "建国": 10, "丹": 9,
    "玲": 9, "斌": 9, "鹏": 9, "辉": 9, "红": 9, "华": 8, "燕": 8, "飞": 8, "波": 8, "婷": 8,
}  # fmt: skip
GEN_OLD = "建国华军民志明红英兰秀桂凤玉珍海福德忠文荣春林永金保庆东"
GEN_MID = "伟丽晓海艳红涛鹏亮磊静燕勇俊杰辉宏晶莉雪梅颖慧婷峰斌"
GEN_NEW = "子梓浩宇轩涵欣怡泽雨思佳一博晨诗琪睿铭嘉瑶昊然萱妍辰"
UYGHUR = [  # (Chinese transliteration, another one, Latin)
    ("买买提", "麦麦提", "Memet"), ("艾力", "阿力", "Eli"), ("阿不都", "阿布都", "Abdu"),
    ("热合曼", "热合满", "Rehman"), ("吐尔逊", "吐逊", "Tursun"), ("艾山", "哈山", "Hasan"),
    ("阿依古丽", "阿依古力", "Aygul"), ("努尔", "努日", "Nur"), ("依明", "伊明", "Imin"),
    ("玉素甫", "玉苏甫", "Yusup"), ("伊力哈木", "依力哈木", "Ilham"),
    ("帕提古丽", "帕提古力", "Patigul"), ("迪丽拜尔", "迪丽白尔", "Dilber"),
    ("热依拉", "热衣拉", "Reyila"), ("买合木提", "麦合木提", "Mehmut"),
    ("亚森", "雅森", "Yasin"), ("库尔班", "库尔帮", "Qurban"), ("艾尼", "艾尼瓦", "Eni"),
    ("阿布拉", "阿不拉", "Abla"), ("米热古丽", "米日古丽", "Mihrigul"),
    ("吐尔洪", "图尔洪", "Turghun"),
]  # fmt: skip
TIBETAN = [
    ("扎西", "扎喜", "Tashi"), ("多吉", "多杰", "Dorje"), ("次仁", "才让", "Tsering"),
    ("卓玛", "卓嘎", "Drolma"), ("拉姆", "拉毛", "Lhamo"), ("央金", "央吉", "Yangchen"),
    ("平措", "彭措", "Phuntsok"), ("顿珠", "东主", "Dondrub"), ("格桑", "格萨", "Kelsang"),
    ("达瓦", "达娃", "Dawa"), ("尼玛", "尼麻", "Nyima"), ("旺堆", "旺德", "Wangdue"),
    ("索朗", "索南", "Sonam"), ("德吉", "德吉", "Dekyi"), ("普布", "普珠", "Phurbu"),
    ("边巴", "边巴", "Penpa"), ("强巴", "江白", "Jampa"), ("洛桑", "罗桑", "Lobsang"),
    ("丹增", "旦增", "Tenzin"),
]  # fmt: skip
MONGOL = [
    ("巴特尔", "巴图尔", "Bater"), ("宝音", "宝因", "Buyan"), ("其其格", "琪琪格", "Chichig"),
    ("乌兰", "乌拉", "Ulan"), ("额尔敦", "额尔德尼", "Erdene"), ("苏和", "苏赫", "Sukh"),
    ("朝鲁", "朝洛", "Chuluu"), ("呼和", "胡和", "Khukh"), ("图雅", "图娅", "Tuya"),
    ("斯琴", "斯钦", "Sechen"), ("那日苏", "纳日苏", "Narsu"), ("孟和", "门和", "Monkh"),
    ("巴雅尔", "巴亚尔", "Bayar"), ("阿拉坦", "阿拉腾", "Altan"), ("敖其尔", "敖其日", "Ochir"),
    ("格日勒", "格日乐", "Gerel"),
]  # fmt: skip
MONGOL_SURNAMES = "包白宝鲍韩乌"
# Hong Kong Cantonese romanisation (Macao overrides below); HK names use only these characters.
CANTONESE = {
    "陈": "Chan", "李": "Lee", "张": "Cheung", "黄": "Wong", "王": "Wong", "刘": "Lau",
    "林": "Lam", "吴": "Ng", "梁": "Leung", "何": "Ho", "郭": "Kwok", "周": "Chow", "杨": "Yeung",
    "赵": "Chiu", "徐": "Tsui", "孙": "Suen", "马": "Ma", "朱": "Chu", "胡": "Wu", "高": "Ko",
    "罗": "Law", "郑": "Cheng", "谢": "Tse", "冯": "Fung", "邓": "Tang", "曾": "Tsang",
    "彭": "Pang", "蔡": "Choi", "潘": "Poon", "袁": "Yuen", "叶": "Yip", "余": "Yu", "杜": "To",
    "苏": "So", "卢": "Lo", "钟": "Chung", "麦": "Mak", "邱": "Yau", "区": "Au",
    "伟": "Wai", "明": "Ming", "华": "Wah", "文": "Man", "国": "Kwok", "家": "Ka", "志": "Chi",
    "建": "Kin", "德": "Tak", "成": "Shing", "俊": "Chun", "嘉": "Ka", "美": "Mei", "玲": "Ling",
    "芳": "Fong", "丽": "Lai", "英": "Ying", "敏": "Man", "婷": "Ting", "慧": "Wai", "欣": "Yan",
    "强": "Keung", "荣": "Wing", "永": "Wing", "杰": "Kit", "豪": "Ho", "宝": "Po", "珍": "Chun",
    "小": "Siu", "大": "Tai", "子": "Tsz", "思": "Sze", "颖": "Wing", "雅": "Nga", "诗": "Sze",
    "晓": "Hiu", "秀": "Sau", "淑": "Suk", "兰": "Lan", "凤": "Fung", "娟": "Kuen", "燕": "Yin",
    "霞": "Ha", "琪": "Kei", "伦": "Lun", "光": "Kwong", "海": "Hoi", "新": "San", "安": "On",
    "康": "Hong", "健": "Kin", "耀": "Yiu", "振": "Chun", "辉": "Fai", "锦": "Kam", "金": "Kam",
    "伯": "Pak", "泽": "Chak", "达": "Tat", "浩": "Ho", "天": "Tin", "玉": "Yuk", "月": "Yuet",
}  # fmt: skip
MACAO = {"黄": "Vong", "梁": "Leong", "张": "Cheong", "卢": "Lou", "周": "Chau", "刘": "Lao"}
HK_SURNAMES = "陈李张黄王刘林吴梁何郭周杨赵徐孙马朱胡高罗郑谢冯邓曾彭蔡潘袁叶余杜苏卢钟麦邱区"
HK_GIVEN = (
    "伟明华文国家志建德成俊嘉美玲芳丽英敏婷慧欣强荣永杰豪宝珍小大"
    "子思颖雅诗晓秀淑兰凤娟燕霞琪伦光海新安康健耀振辉锦金伯泽达浩天玉月"
)
ENGLISH_NAMES = [
    "Peter",
    "John",
    "David",
    "Michael",
    "Tony",
    "Kenny",
    "Eric",
    "Jason",
    "Vincent",
    "Alan",
    "Mary",
    "Karen",
    "Winnie",
    "Cathy",
    "Joyce",
    "Gigi",
]
# My own simplified -> traditional table for name characters (one common form each).
TRADITIONAL = dict(zip(
    "张刘陈杨黄赵吴孙马郭罗郑梁谢许韩冯邓萧叶苏吕卢钟谭陆汪贾韦邹闫薛龙陶贺顾龚钱严汤伟华国"
    "丽红兰凤宝珍荣杰辉锦泽达晓颖诗庆东亮鹏涛斌强莉梅惠凯进军刚飞艳娟静灵岚楼云发忆乔义书",
    "張劉陳楊黃趙吳孫馬郭羅鄭梁謝許韓馮鄧蕭葉蘇呂盧鍾譚陸汪賈韋鄒閆薛龍陶賀顧龔錢嚴湯偉華國"
    "麗紅蘭鳳寶珍榮傑輝錦澤達曉穎詩慶東亮鵬濤斌強莉梅惠凱進軍剛飛艷娟靜靈嵐樓雲發憶喬義書",
    strict=True,
))  # fmt: skip
SIMPLIFIED = {t: s for s, t in TRADITIONAL.items()}
KOREAN_SURNAMES = {  # Hangul: (passport spelling, other spellings)
    "김": ("KIM", ("GIM",)), "이": ("LEE", ("YI", "RHEE", "RI")), "박": ("PARK", ("PAK", "BAK")),
    "최": ("CHOI", ("CHOE",)), "정": ("JUNG", ("JEONG", "CHUNG")), "강": ("KANG", ("GANG",)),
    "조": ("CHO", ("JO",)), "윤": ("YOON", ("YUN",)), "장": ("JANG", ("CHANG",)),
    "임": ("LIM", ("IM",)), "한": ("HAN", ()), "오": ("OH", ("O",)), "서": ("SEO", ("SUH",)),
    "신": ("SHIN", ("SIN",)), "권": ("KWON", ("GWON",)), "황": ("HWANG", ()),
    "안": ("AHN", ("AN",)), "송": ("SONG", ()), "류": ("RYU", ("YOO", "YU")),
    "전": ("JEON", ("JUN", "CHUN")), "홍": ("HONG", ()), "고": ("KO", ("GO",)),
    "문": ("MOON", ("MUN",)), "양": ("YANG", ()), "손": ("SON", ("SOHN",)), "배": ("BAE", ()),
    "백": ("BAEK", ("PAIK",)), "허": ("HEO", ("HUR",)), "유": ("YOO", ("YU",)),
    "남": ("NAM", ()), "심": ("SHIM", ("SIM",)), "노": ("NOH", ("ROH",)), "하": ("HA", ()),
}  # fmt: skip
RR_INITIAL = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
RR_VOWEL = (
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
)
RR_FINAL = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)
VIET_SURNAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 10, "Phạm": 7, "Hoàng": 5, "Huỳnh": 4, "Phan": 4, "Vũ": 4,
    "Võ": 3, "Đặng": 2, "Bùi": 2, "Đỗ": 1, "Hồ": 1, "Ngô": 1, "Dương": 1, "Lý": 1,
}  # fmt: skip
VIET_MIDDLE = {"M": ["Văn", "Hữu", "Đức", "Minh", "Quốc"], "F": ["Thị", "Ngọc", "Thanh", "Thu"]}
VIET_GIVEN = [
    "An",
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Ngọc",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Vy",
    "Hà",
    "Hạnh",
    "Hoa",
    "Huy",
    "Khánh",
    "Thủy",
    "Tâm",
]
CYRILLIC = {  # letter: (passport ICAO 9303, common English-style)
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("g", "g"), "д": ("d", "d"),
    "е": ("e", "e"), "ё": ("e", "yo"), "ж": ("zh", "zh"), "з": ("z", "z"), "и": ("i", "i"),
    "й": ("i", "y"), "к": ("k", "k"), "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"),
    "о": ("o", "o"), "п": ("p", "p"), "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"),
    "у": ("u", "u"), "ф": ("f", "f"), "х": ("kh", "h"), "ц": ("ts", "tz"), "ч": ("ch", "ch"),
    "ш": ("sh", "sh"), "щ": ("shch", "sch"), "ъ": ("ie", ""), "ы": ("y", "y"), "ь": ("", ""),
    "э": ("e", "e"), "ю": ("iu", "yu"), "я": ("ia", "ya"),
}  # fmt: skip
ORIGINS = {
    "han": 800, "uyghur": 30, "tibetan": 15, "mongol": 10, "hk": 30, "macao": 5, "tw": 20,
    "korean": 30, "viet": 20, "russian": 20, "western": 20,
}  # fmt: skip
PROVINCE_WEIGHTS = {
    "11": 2, "12": 1, "13": 5, "14": 3, "15": 2, "21": 3, "22": 2, "23": 3, "31": 2, "32": 6,
    "33": 5, "34": 4, "35": 3, "36": 3, "37": 7, "41": 7, "42": 4, "43": 5, "44": 9, "45": 4,
    "46": 1, "50": 2, "51": 6, "52": 3, "53": 3, "54": 1, "61": 3, "62": 2, "63": 1, "64": 1,
    "65": 2,
}  # fmt: skip
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789X"}


@dataclass
class Person:
    origin: str
    family: str  # native script; Uyghur: the father's name; Tibetan: ""
    given: str
    sex: str  # "M" or "F"
    birth: date
    id18: str  # true current resident id, or ""
    list_id: str = ""  # as the list holds it (18, 15 or "")
    list_birth: str = ""
    latin: tuple[str, str] = ("", "")  # (family, given) as the person's papers spell it
    native: str = ""  # Hangul / Cyrillic / Vietnamese with diacritics
    middle: str = ""  # Russian patronymic, Western middle name
    english: str = ""
    former: str = ""
    aliases: tuple[str, ...] = field(default=())

    @property
    def chinese(self) -> str:
        if self.origin == "uyghur":
            return f"{self.given}·{self.family}"
        return self.family + self.given

    @property
    def list_name(self) -> str:
        if self.origin in ("hk", "macao", "tw"):
            return to_traditional(self.chinese)
        if self.origin in ("korean", "viet", "russian"):
            return f"{self.latin[0]} {self.latin[1]}".upper()
        if self.origin == "western":
            return " ".join(p for p in (self.latin[1], self.middle, self.latin[0]) if p)
        return self.chinese


# --- Helpers -----------------------------------------------------------------------------------


def _weights(mapping: dict[str, int]) -> tuple[list[str], list[float]]:
    keys = list(mapping)
    acc, total = [], 0.0
    for k in keys:
        total += mapping[k]
        acc.append(total)
    return keys, acc


def _pick(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    keys, cum = table
    return keys[bisect.bisect(cum, rng.random() * cum[-1])]


def to_traditional(text: str) -> str:
    return "".join(TRADITIONAL.get(c, c) for c in text)


def to_simplified(text: str) -> str:
    return "".join(SIMPLIFIED.get(c, c) for c in text)


def strip_marks(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def _area_codes() -> dict[str, list[tuple[str, int, int]]]:
    """Province -> (county code, first year, last year in use), from python-stdnum's table."""
    path = os.path.join(os.path.dirname(ric.__file__), "loc.dat")
    codes: dict[str, list[tuple[str, int, int]]] = {}
    province = ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line[:2].isdigit():
                province = line[:2]
                continue
            if not (line.startswith("  ") and line[2:6].isdigit()) or line[4:6] == "00":
                continue
            names = line.split('county="', 1)[1].rstrip().rstrip('"').split(",")
            first, last = 9999, 0
            for name in names:
                span = name[1 : name.index("]")] if name.startswith("[") else "-"
                start, _, end = span.partition("-")
                first = min(first, int(start or 0))
                last = max(last, int(end or 9999))
            codes.setdefault(province, []).append((province + line[2:6], first, last))
    return codes


def check_char(body: str) -> str:
    return ric.calc_check_digit(body + "0")  # stdnum expects the check place filled


@cache
def _codes_in_use(province: str, year: int) -> list[str]:
    codes = _area_codes()[province]
    return [c for c, first, last in codes if first <= year <= last] or [c for c, _, _ in codes]


def make_id(rng: random.Random, birth: date, province: str, seq: int | None = None) -> str:
    if (province, birth.year < 1997) == ("50", True) or (province, birth.year < 1988) == (
        "46",
        True,
    ):
        province = "51" if province == "50" else "44"  # Chongqing and Hainan were split off later
    area = rng.choice(_codes_in_use(province, birth.year))
    seq = rng.randrange(1, 1000) if seq is None else seq
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def id15(id18: str) -> str:
    return id18[:6] + id18[8:17]


@cache
def _syllables() -> dict[str, list[str]]:
    """Toneless syllable -> the GB2312 level-1 characters (the 3,755 commonest) read so."""
    table: dict[str, list[str]] = {}
    for b1 in range(0xB0, 0xD8):
        for b2 in range(0xA1, 0xFF):
            try:
                ch = bytes((b1, b2)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            table.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return table


def _reading(ch: str) -> str:
    return lazy_pinyin(ch, v_to_u=True)[0].replace("ü", "v")


def _fuzzy(syllable: str, rng: random.Random) -> str:
    """A near syllable a southern speaker's fuzzy-pinyin IME accepts."""
    options = []
    for retroflex, flat in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(retroflex):
            options.append(flat + syllable[2:])
        elif syllable.startswith(flat):
            options.append(retroflex + syllable[1:])
    for back, front in (("ang", "an"), ("eng", "en"), ("ing", "in")):
        if syllable.endswith(back):
            options.append(syllable[:-1])
        elif syllable.endswith(front):
            options.append(syllable + "g")
    if syllable[0] in "nl":
        options.append(("l" if syllable[0] == "n" else "n") + syllable[1:])
    if syllable[0] in "fh" and syllable[1:2] != "h":
        options.append(("h" if syllable[0] == "f" else "f") + syllable[1:])
    return rng.choice(options) if options else syllable


# --- Romanisation ------------------------------------------------------------------------------

WG_INITIALS = [
    ("zh", "ch"), ("ch", "ch'"), ("sh", "sh"), ("b", "p"), ("p", "p'"), ("d", "t"), ("t", "t'"),
    ("g", "k"), ("k", "k'"), ("j", "ch"), ("q", "ch'"), ("x", "hs"), ("r", "j"), ("z", "ts"),
    ("c", "ts'"), ("m", "m"), ("f", "f"), ("n", "n"), ("l", "l"), ("h", "h"), ("s", "s"),
]  # fmt: skip
WG_WHOLE = {
    "zhi": "chih", "chi": "ch'ih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tz'u",
    "si": "ssu", "yan": "yen", "you": "yu", "yi": "i", "ye": "yeh", "yong": "yung", "yu": "yü",
    "yue": "yüeh", "yuan": "yüan", "yun": "yün", "er": "erh", "e": "o",
}  # fmt: skip


def wade_giles(syllable: str, apostrophes: bool) -> str:
    if syllable in WG_WHOLE:
        out = WG_WHOLE[syllable]
    else:
        init, final = "", syllable
        for py, wg in WG_INITIALS:
            if syllable.startswith(py):
                init, final = wg, syllable[len(py) :]
                break
        if init[:2] in ("ch", "hs") and syllable[0] in "jqx":
            final = {"u": "ü", "ue": "üeh", "uan": "üan", "un": "ün"}.get(final, final)
        final = {
            "ong": "ung",
            "iong": "iung",
            "ian": "ien",
            "ie": "ieh",
            "ui": "uei",
            "ve": "üeh",
            "v": "ü",
        }.get(final, final)
        if final == "ui" and init[:1] == "k":
            final = "uei"
        if final == "e" and init[:1] in ("k", "h"):
            final = "o"
        if final == "uo" and syllable[0] not in "gkh" and not syllable.startswith("sh"):
            final = "o"
        out = init + final
    out = out.replace("ü", "u")  # Taiwan papers drop the umlaut
    return out if apostrophes else out.replace("'", "")


def hangul_rr(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(RR_INITIAL[code // 588] + RR_VOWEL[(code % 588) // 28] + RR_FINAL[code % 28])
    return "".join(out)


def cyrillic_latin(text: str, style: int) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in CYRILLIC:
            t = CYRILLIC[low][style]
            out.append(t.capitalize() if ch != low else t)
        else:
            out.append(ch)
    return "".join(out)


# --- Lunar calendar (own implementation; China Standard Time) ----------------------------------

_RAD = math.pi / 180


def _new_moon_jd(k: int) -> float:
    t = k / 1236.85
    jd = 2451550.09766 + 29.530588861 * k + 0.00015437 * t * t
    e = 1 - 0.002516 * t
    m = (2.5534 + 29.10535670 * k) * _RAD
    mp = (201.5643 + 385.81693528 * k + 0.0107582 * t * t) * _RAD
    f = (160.7108 + 390.67050284 * k - 0.0016118 * t * t) * _RAD
    om = (124.7746 - 1.56375588 * k) * _RAD
    jd += (
        -0.40720 * math.sin(mp) + 0.17241 * e * math.sin(m) + 0.01608 * math.sin(2 * mp)
        + 0.01039 * math.sin(2 * f) + 0.00739 * e * math.sin(mp - m)
        - 0.00514 * e * math.sin(mp + m)
        + 0.00208 * e * e * math.sin(2 * m) - 0.00111 * math.sin(mp - 2 * f)
        - 0.00057 * math.sin(mp + 2 * f) + 0.00056 * e * math.sin(2 * mp + m)
        - 0.00042 * math.sin(3 * mp) + 0.00042 * e * math.sin(m + 2 * f)
        + 0.00038 * e * math.sin(m - 2 * f) - 0.00024 * e * math.sin(2 * mp - m)
        - 0.00017 * math.sin(om)
    )  # fmt: skip
    return jd


def _sun_longitude(jd: float) -> float:
    t = (jd - 2451545.0) / 36525
    l0 = 280.46646 + 36000.76983 * t
    m = (357.52911 + 35999.05029 * t) * _RAD
    c = (
        (1.914602 - 0.004817 * t) * math.sin(m)
        + 0.019993 * math.sin(2 * m)
        + 0.000289 * math.sin(3 * m)
    )
    om = (125.04 - 1934.136 * t) * _RAD
    return (l0 + c - 0.00569 - 0.00478 * math.sin(om)) % 360


def _china_day(jd: float) -> int:
    """The proleptic ordinal of the China-time calendar day holding the instant `jd`."""
    return math.floor(jd + 0.5 + 8 / 24) - 1721425


def _day_start_jd(ordinal: int) -> float:
    return ordinal + 1721425 - 0.5 - 8 / 24


def _new_moon_day(k: int) -> int:
    return _china_day(_new_moon_jd(k))


def _month11_start(year: int) -> tuple[int, int]:
    """(k, first day) of the lunar month holding the December solstice of `year`."""
    jd = _day_start_jd(date(year, 12, 20).toordinal())
    for _ in range(4):
        jd += ((270 - _sun_longitude(jd) + 180) % 360 - 180) / 360 * 365.2422
    solstice = _china_day(jd)
    k = math.floor((jd - 2451550.09766) / 29.530588861) + 1
    while _new_moon_day(k) > solstice:
        k -= 1
    return k, _new_moon_day(k)


def _has_principal_term(start: int, end: int) -> bool:
    a = _sun_longitude(_day_start_jd(start)) // 30
    b = _sun_longitude(_day_start_jd(end)) // 30
    return a != b


def lunar_date(day: date) -> tuple[int, int, int, bool]:
    """(lunar year, month, day, leap) of a Gregorian date."""
    ordinal = day.toordinal()
    k0, s0 = _month11_start(day.year - 1)
    k1, s1 = _month11_start(day.year)
    if ordinal >= s1:
        k0, s0 = k1, s1
        k1, s1 = _month11_start(day.year + 1)
    starts = [_new_moon_day(k) for k in range(k0, k1 + 1)]
    leap_at = -1
    if k1 - k0 == 13:
        for i in range(13):
            if not _has_principal_term(starts[i], starts[i + 1]):
                leap_at = i
                break
    month, base_year = 10, date.fromordinal(s0).year
    for i in range(k1 - k0):
        leap = i == leap_at
        if not leap:
            month = month % 12 + 1
        if starts[i] <= ordinal < starts[i + 1]:
            year = base_year if month >= 11 and i < 3 else base_year + 1
            return year, month, ordinal - starts[i] + 1, leap
    raise AssertionError("date outside the computed lunar year")


# --- Population ---------------------------------------------------------------------------------


class Population:
    def __init__(self, seed: int) -> None:
        fake = Faker(["zh_CN", "ko_KR", "ru_RU", "en_US", "en_GB", "de_DE", "fr_FR"])
        fake.seed_instance(seed)
        zh, ko, ru = fake["zh_CN"], fake["ko_KR"], fake["ru_RU"]
        self.zh_given = sorted({zh.first_name() for _ in range(3000)})
        pairs = {(ko.last_name(), ko.first_name()) for _ in range(3000)}
        self.ko = sorted(pair for pair in pairs if pair[0] in KOREAN_SURNAMES)
        self.ru = {
            "M": sorted(
                {
                    (ru.last_name_male(), ru.first_name_male(), ru.middle_name_male())
                    for _ in range(2000)
                }
            ),
            "F": sorted(
                {
                    (ru.last_name_female(), ru.first_name_female(), ru.middle_name_female())
                    for _ in range(2000)
                }
            ),
        }
        west = [fake[loc] for loc in ("en_US", "en_GB", "de_DE", "fr_FR")]
        self.west = sorted(
            {(w.last_name(), w.first_name(), w.first_name()) for w in west for _ in range(800)}
        )
        self.surnames = _weights(SURNAMES)
        self.common_given = _weights(COMMON_GIVEN)
        self.origins = _weights(ORIGINS)
        self.provinces = _weights(PROVINCE_WEIGHTS)
        self.viet = _weights(VIET_SURNAMES)

    def birth(self, rng: random.Random) -> date:
        year = min(2006, max(1950, round(rng.gauss(1984, 12))))
        return date(year, 1, 1) + timedelta(days=rng.randrange(365))

    def han_given(self, rng: random.Random, birth: date) -> str:
        r = rng.random()
        if r < 0.25:
            return _pick(rng, self.common_given)
        if r < 0.60:
            return rng.choice(self.zh_given)
        pool = GEN_OLD if birth.year < 1970 else GEN_MID if birth.year < 1995 else GEN_NEW
        return rng.choice(pool) + rng.choice(pool + GEN_MID)

    def person(self, rng: random.Random) -> Person:
        origin = _pick(rng, self.origins)
        birth, sex = self.birth(rng), rng.choice("MF")
        if origin == "han":
            p = Person(
                origin, _pick(rng, self.surnames), self.han_given(rng, birth), sex, birth, ""
            )
            province = _pick(rng, self.provinces)
            if rng.random() < 0.06:
                p.former = p.family + self.han_given(rng, birth - timedelta(days=3650))
        elif origin == "uyghur":
            own, father = rng.sample(UYGHUR, 2)
            p = Person(origin, father[0], own[0], sex, birth, "", latin=(father[2], own[2]))
            province = "65" if rng.random() < 0.9 else _pick(rng, self.provinces)
        elif origin == "tibetan":
            a, b = rng.sample(TIBETAN, 2)
            p = Person(origin, "", a[0] + b[0], sex, birth, "", latin=("", f"{a[2]} {b[2]}"))
            province = "54" if rng.random() < 0.8 else "63"
        elif origin == "mongol":
            a, b = rng.sample(MONGOL, 2)
            family = rng.choice(MONGOL_SURNAMES) if rng.random() < 0.3 else ""
            given = a[0] if rng.random() < 0.6 else a[0] + b[0]
            latin_given = a[2] if len(given) == len(a[0]) else a[2] + b[2].lower()
            p = Person(
                origin,
                family,
                given,
                sex,
                birth,
                "",
                latin=(_reading(family).capitalize() if family else "", latin_given),
            )
            province = "15" if rng.random() < 0.85 else "21"
        elif origin in ("hk", "macao"):
            family = rng.choice(HK_SURNAMES)
            given = "".join(rng.choice(HK_GIVEN) for _ in range(2 if rng.random() < 0.9 else 1))
            table = CANTONESE | MACAO if origin == "macao" else CANTONESE
            parts = [table[c] for c in given]
            p = Person(
                origin, family, given, sex, birth, "", latin=(table[family], " ".join(parts))
            )
            if origin == "hk" and rng.random() < 0.4:
                p.english = rng.choice(ENGLISH_NAMES)
            province = "81" if origin == "hk" else "82"
        elif origin == "tw":
            p = Person(
                origin, _pick(rng, self.surnames), self.han_given(rng, birth), sex, birth, ""
            )
            sy = [_reading(c) for c in p.given]
            fam = (
                "Lee"
                if p.family == "李"
                else "".join(wade_giles(_reading(c), False) for c in p.family).capitalize()
            )
            p.latin = (fam, "-".join(wade_giles(s, False) for s in sy).capitalize())
            province = "83"
        elif origin == "korean":
            family, given = rng.choice(self.ko)
            p = Person(origin, family, given, sex, birth, "", native=family + given)
            p.latin = (KOREAN_SURNAMES[family][0], hangul_rr(given).upper())
            province = ""
        elif origin == "viet":
            family = _pick(rng, self.viet)
            given = f"{rng.choice(VIET_MIDDLE[sex])} {rng.choice(VIET_GIVEN)}"
            p = Person(origin, family, given, sex, birth, "", native=f"{family} {given}")
            p.latin = (strip_marks(family), strip_marks(given))
            province = ""
        elif origin == "russian":
            last, first, middle = rng.choice(self.ru[sex])
            p = Person(
                origin,
                last,
                first,
                sex,
                birth,
                "",
                native=f"{last} {first} {middle}",
                middle=middle,
            )
            p.latin = (cyrillic_latin(last, 0), cyrillic_latin(first, 0))
            province = ""
        else:
            last, first, middle = rng.choice(self.west)
            p = Person(origin, last, first, sex, birth, "", latin=(last, first))
            p.middle = middle if rng.random() < 0.4 and middle != first else ""
            province = ""
        if province in ("81", "82", "83"):
            if rng.random() < 0.4:
                body = f"{province}0000{birth:%Y%m%d}{rng.randrange(1, 1000):03d}"
                p.id18 = body + check_char(body)
        elif province:
            p.id18 = make_id(rng, birth, province)
        return p

    def listing(self, p: Person, rng: random.Random) -> None:
        """Fill in how the watchlist holds the person."""
        if p.id18 and p.origin not in ("hk", "macao", "tw"):
            r = rng.random()
            p.list_id = (
                "" if r < 0.07 else id15(p.id18) if r < 0.12 and p.birth.year < 1985 else p.id18
            )
        else:
            p.list_id = p.id18
        r = rng.random()
        iso = p.birth.isoformat()
        p.list_birth = iso if r < 0.85 else iso[:7] if r < 0.88 else iso[:4]
        aliases: list[str] = []
        if p.former and rng.random() < 0.8:
            aliases.append(p.former)
        if p.origin in ("hk", "macao", "tw") and rng.random() < 0.7:
            aliases.append(f"{p.latin[0].upper()} {p.latin[1]}")
        if p.english:
            aliases.append(f"{p.english} {p.latin[0].upper()} {p.latin[1]}")
        if p.origin == "uyghur" and rng.random() < 0.5:
            aliases.append(f"{p.latin[1]} {p.latin[0]}")
        if p.origin in ("tibetan", "mongol") and rng.random() < 0.3:
            aliases.append(" ".join(x for x in (p.latin[0], p.latin[1]) if x))
        if p.native and rng.random() < 0.5:
            aliases.append(p.native)
        if p.origin == "han" and rng.random() < 0.03:
            aliases.append(
                " ".join(
                    s.capitalize() for s in (_pinyin(p.family, False), _pinyin(p.given, False))
                )
            )
        p.aliases = tuple(aliases)


def _pinyin(text: str, tones: bool) -> str:
    if len(text) == 1 and text in SURNAME_READINGS and not tones:
        return SURNAME_READINGS[text][0]
    return "".join(lazy_pinyin(text, style=Style.TONE if tones else Style.NORMAL, v_to_u=True))


# --- The clerk ----------------------------------------------------------------------------------

NAME_FAULTS: dict[str, dict[str, int]] = {
    "han": {"homophone": 22, "fuzzy_pinyin": 8, "char_dropped": 5, "char_added": 4,
            "char_doubled": 3, "traditional": 6, "pinyin": 30, "pinyin_misread": 2,
            "wade_giles": 2, "cantonese": 2,
            "former_name": 5, "renamed": 1},
    "hk": {"simplified": 35, "cantonese": 30, "pinyin": 10, "english_name": 8, "homophone": 8,
           "char_dropped": 4},
    "tw": {"simplified": 35, "wade_giles": 30, "pinyin": 15, "homophone": 10, "char_dropped": 5},
    "uyghur": {"dot_variant": 30, "translit_variant": 30, "latin_script": 15, "name_partial": 10,
               "homophone": 5, "char_dropped": 5},
    "tibetan": {"translit_variant": 40, "latin_script": 20, "homophone": 15, "char_dropped": 10,
                "name_partial": 10},
    "mongol": {"translit_variant": 35, "latin_script": 15, "homophone": 15, "char_dropped": 10,
               "name_partial": 15},
    "korean": {"native_script": 20, "translit_variant": 30, "family_last": 20, "spacing": 20,
               "typo": 10},
    "viet": {"diacritics": 30, "middle_dropped": 20, "family_last": 25, "typo": 15, "spacing": 10},
    "russian": {"native_script": 20, "translit_variant": 35, "patronymic": 15, "family_last": 20,
                "typo": 10},
    "western": {"middle_dropped": 30, "typo": 30, "family_first": 20, "spacing": 20},
}  # fmt: skip
NAME_FAULTS["macao"] = NAME_FAULTS["hk"]
DATE_FAULTS = {
    "date_format": 34, "date_yy": 7, "date_year_only": 9, "date_year_month": 6, "date_dm_swap": 8,
    "date_lunar": 8, "date_typo": 10, "date_missing": 10, "date_placeholder": 8,
}  # fmt: skip
ID_FAULTS = {
    "id_missing": 28, "id_digit": 18, "id_transposed": 12, "id_15": 8, "id_truncated": 7,
    "id_format": 17,
}  # fmt: skip
NAME_FAULT_RATE, SECOND_NAME_FAULT_RATE, DATE_FAULT_RATE, ID_FAULT_RATE, PASSPORT_RATE = (
    0.55,
    0.12,
    0.45,
    0.40,
    0.25,
)
WEIGHTED_NAME = {k: _weights(v) for k, v in NAME_FAULTS.items()}
WEIGHTED_DATE = _weights(DATE_FAULTS)
WEIGHTED_ID = _weights(ID_FAULTS)


class Skip(Exception):
    """The fault does not apply to this name; draw another."""


def _is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= c <= "\u9fff" for c in text)


def _char_fault(kind: str, text: str, rng: random.Random) -> str:
    """A fault on a name in Chinese characters (a middle dot is kept in place)."""
    spots = [i for i, c in enumerate(text) if _is_han(c)]
    if kind == "homophone":
        i = rng.choice(spots)
        others = [c for c in _syllables().get(_reading(to_simplified(text[i])), []) if c != text[i]]
        if not others:
            raise Skip
        return text[:i] + rng.choice(others) + text[i + 1 :]
    if kind == "fuzzy_pinyin":
        i = rng.choice(spots)
        near = _fuzzy(_reading(text[i]), rng)
        others = [c for c in _syllables().get(near, []) if c != text[i]]
        if near == _reading(text[i]) or not others:
            raise Skip
        return text[:i] + rng.choice(others) + text[i + 1 :]
    if kind == "char_dropped":
        if len(spots) < 3:
            raise Skip
        i = rng.choice(spots[1:])
        return text[:i] + text[i + 1 :]
    if kind == "char_added":
        i = rng.choice(spots) + 1
        return text[:i] + rng.choice(GEN_MID + GEN_NEW) + text[i:]
    if kind == "char_doubled":
        i = rng.choice(spots)
        return text[:i] + text[i] + text[i:]
    out = to_traditional(text) if kind == "traditional" else to_simplified(text)
    if out == text:
        raise Skip
    return out


def _typo(text: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(text) if c.isalpha()]
    if len(spots) < 4:
        raise Skip
    i = rng.choice(spots[1:])
    c = text[i]
    how = rng.randrange(4)
    if how == 0:
        return text[:i] + text[i + 1 :]
    if how == 1:
        return text[:i] + c + text[i:]
    if how == 2 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + c + text[i + 2 :]
    for row in KEYBOARD_ROWS:
        j = row.find(c.lower())
        if j >= 0:
            near = row[j - 1] if j > 0 and (j + 1 == len(row) or rng.random() < 0.5) else row[j + 1]
            return text[:i] + (near.upper() if c.isupper() else near) + text[i + 1 :]
    raise Skip


def _pinyin_name(
    p: Person, rng: random.Random, family_reading: str | None = None
) -> tuple[str, list[str]]:
    """The mainland name in pinyin, in one of the ways a clerk or a passport writes it."""
    labels = ["pinyin"]
    tones = rng.random() < 0.12
    family = family_reading or _pinyin(p.family, tones)
    given_syll = [_pinyin(c, tones) for c in p.given]
    if tones:
        labels.append("pinyin_tones")
    if not tones and rng.random() < 0.3:
        u = rng.choice(("v", "u", "yu"))
        family, given_syll = family.replace("ü", u), [s.replace("ü", u) for s in given_syll]
    r = rng.random()
    if len(given_syll) > 1 and r < 0.15:
        given, labels = "-".join(given_syll), [*labels, "pinyin_hyphen"]
    elif len(given_syll) > 1 and r < 0.30:
        given, labels = " ".join(s.capitalize() for s in given_syll), [*labels, "pinyin_split"]
    else:
        given = "".join(given_syll)
    style = rng.random()
    if style < 0.15:
        return f"{family.upper()}/{given.upper()}", [*labels, "pinyin_slash"]
    if style < 0.25:
        return (family + given).replace(" ", "").lower(), [*labels, "pinyin_joined"]
    fam, giv = family.capitalize(), given[:1].upper() + given[1:]
    if style < 0.45:
        fam, giv = fam.upper(), giv.upper()
    if rng.random() < 0.25:
        return f"{giv} {fam}", [*labels, "family_last"]
    return f"{fam} {giv}", labels


def name_fault(p: Person, kind: str, current: str, rng: random.Random) -> tuple[str, list[str]]:
    """Apply one fault to the name as it stands; return the new name and its labels."""
    if kind in (
        "homophone",
        "fuzzy_pinyin",
        "char_dropped",
        "char_added",
        "char_doubled",
        "traditional",
        "simplified",
    ):
        if not any(_is_han(c) for c in current):
            raise Skip
        return _char_fault(kind, current, rng), [kind]
    if kind == "typo":
        return _typo(current, rng), [kind]
    if kind == "pinyin":
        if p.origin in ("hk", "macao", "tw"):
            p = Person(p.origin, p.family, p.given, p.sex, p.birth, "")
        return _pinyin_name(p, rng)
    if kind == "pinyin_misread":
        if p.family not in SURNAME_READINGS:
            raise Skip
        name, labels = _pinyin_name(p, rng, SURNAME_READINGS[p.family][1])
        return name, ["pinyin_misread", *labels[1:]]
    if kind == "wade_giles":
        apos = rng.random() < 0.3
        fam = "".join(wade_giles(_reading(c), apos) for c in p.family).capitalize()
        giv = "-".join(wade_giles(_reading(c), apos) for c in p.given).capitalize()
        return (f"{fam.upper()} {giv}" if rng.random() < 0.5 else f"{fam} {giv}"), [kind]
    if kind == "cantonese":
        if not all(c in CANTONESE for c in p.family + p.given):
            raise Skip
        table = CANTONESE | MACAO if p.origin == "macao" else CANTONESE
        fam, parts = table[p.family], [table[c] for c in p.given]
        style = rng.random()
        giv = (
            " ".join(parts)
            if style < 0.4
            else "-".join(parts).capitalize()
            if style < 0.7
            else "".join(parts).capitalize()
        )
        if rng.random() < 0.3:
            return f"{giv} {fam}", [kind, "family_last"]
        return (f"{fam.upper()} {giv}" if rng.random() < 0.5 else f"{fam} {giv}"), [kind]
    if kind == "english_name":
        if not p.english:
            raise Skip
        return f"{p.english} {p.latin[0]}", [kind]
    if kind == "former_name":
        if not p.former:
            raise Skip
        return p.former, [kind]
    if kind == "renamed":
        return p.family + rng.choice(GEN_NEW) + rng.choice(GEN_MID), [kind]
    if kind == "family_first":
        if p.origin == "western":
            return f"{p.latin[0].upper()} {p.latin[1]}", [kind]
        raise Skip
    if kind == "dot_variant":
        return current.replace("·", rng.choice(("", "•", ".", " ", "．", "・", "-"))), [kind]
    if kind == "translit_variant":
        return _translit_variant(p, current, rng), [kind]
    if kind == "latin_script":
        if p.origin == "uyghur":
            return f"{p.latin[1]} {p.latin[0]}" if rng.random() < 0.7 else f"{p.latin[1]}", [kind]
        return " ".join(x for x in p.latin if x), [kind]
    if kind == "name_partial":
        if p.origin == "uyghur":
            return p.given, [kind]
        if p.origin == "mongol" and p.family:
            return p.given, [kind]
        if p.origin == "tibetan" and len(p.given) >= 4:
            return p.given[:2], [kind]
        raise Skip
    if kind == "native_script":
        if p.origin == "korean":
            return p.native, [kind]
        return (p.native if rng.random() < 0.5 else f"{p.family} {p.given}"), [kind]
    if kind == "family_last":
        fam, giv = p.latin
        if p.origin == "viet":
            return f"{giv} {fam}", [kind]
        return (
            f"{giv} {fam}".upper()
            if rng.random() < 0.5
            else f"{giv.capitalize()} {fam.capitalize()}",
            [kind],
        )
    if kind == "spacing":
        if p.origin == "korean":
            g = hangul_rr(p.given)
            syl = [hangul_rr(c) for c in p.given]
            giv = rng.choice(["-".join(syl), " ".join(syl)]) if len(syl) > 1 else g
            return f"{p.latin[0]} {giv}".upper(), [kind]
        parts = current.split(" ")
        if len(parts) < 3:
            raise Skip
        i = rng.randrange(1, len(parts) - 1)
        return " ".join([*parts[:i], parts[i] + parts[i + 1], *parts[i + 2 :]]), [kind]
    if kind == "diacritics":
        return p.native if rng.random() < 0.6 else p.native.upper(), [kind]
    if kind == "middle_dropped":
        if p.origin == "viet":
            return f"{p.latin[0]} {p.latin[1].split(' ')[-1]}".upper(), [kind]
        if not p.middle:
            raise Skip
        return f"{p.latin[1]} {p.latin[0]}", [kind]
    if kind == "patronymic":
        return f"{p.latin[0]} {p.latin[1]} {cyrillic_latin(p.middle, 0)}".upper(), [kind]
    raise AssertionError(kind)


def _translit_variant(p: Person, current: str, rng: random.Random) -> str:
    if p.origin in ("uyghur", "tibetan", "mongol"):
        table = {"uyghur": UYGHUR, "tibetan": TIBETAN, "mongol": MONGOL}[p.origin]
        swaps = [(a, b) for a, b, _ in table if a in current and a != b]
        if not swaps:
            raise Skip
        a, b = rng.choice(swaps)
        return current.replace(a, b, 1)
    if p.origin == "korean":
        other = KOREAN_SURNAMES[p.family][1]
        given = p.latin[1]
        if other and rng.random() < 0.5:
            return f"{rng.choice(other)} {given}"
        for a, b in (
            ("EO", "U"),
            ("EU", "U"),
            ("AE", "AI"),
            ("OE", "OI"),
            ("J", "CH"),
            ("G", "K"),
            ("D", "T"),
            ("B", "P"),
        ):
            if a in given:
                return f"{p.latin[0]} {given.replace(a, b, 1)}"
        raise Skip
    if p.origin == "russian":
        alt = (cyrillic_latin(p.family, 1), cyrillic_latin(p.given, 1))
        if alt == p.latin:
            raise Skip
        return f"{alt[0]} {alt[1]}".upper() if rng.random() < 0.6 else f"{alt[1]} {alt[0]}"
    raise Skip


DATE_FORMATS = (
    "{y}.{m}.{d}", "{y}/{mm}/{dd}", "{y}{mm}{dd}", "{y}年{m}月{d}日", "{y}-{m}-{d}",
    "{dd}/{mm}/{y}", "{dd}.{mm}.{y}",
)  # fmt: skip


def _format_date(d: tuple[int, int, int], rng: random.Random, fmt: str | None = None) -> str:
    y, m, dd = d
    f = fmt or rng.choice(DATE_FORMATS)
    return f.format(y=y, m=m, d=dd, mm=f"{m:02d}", dd=f"{dd:02d}")


def date_fault(birth: date, kind: str, rng: random.Random) -> str:
    ymd = (birth.year, birth.month, birth.day)
    iso = birth.isoformat()
    if kind == "date_format":
        return _format_date(ymd, rng)
    if kind == "date_yy":
        return rng.choice(
            (f"{birth:%y-%m-%d}", f"{birth:%y%m%d}", f"{birth:%y}.{birth.month}.{birth.day}")
        )
    if kind == "date_year_only":
        return rng.choice((iso[:4], f"{birth.year}年"))
    if kind == "date_year_month":
        return rng.choice(
            (iso[:7], f"{birth.year}年{birth.month}月", f"{birth.year}.{birth.month}")
        )
    if kind == "date_dm_swap":
        if birth.day > 12 or birth.day == birth.month:
            raise Skip
        return _format_date(
            (birth.year, birth.day, birth.month),
            rng,
            rng.choice(("{y}-{mm}-{dd}", "{y}/{mm}/{dd}", "{y}.{m}.{d}")),
        )
    if kind == "date_lunar":
        y, m, dd, _ = lunar_date(birth)
        if rng.random() < 0.3:
            return f"农历{y}年{m}月{dd}日"
        return _format_date(
            (y, m, dd), rng, rng.choice(("{y}-{mm}-{dd}", "{y}.{m}.{d}", "{y}{mm}{dd}"))
        )
    if kind == "date_typo":
        digits = list(iso.replace("-", ""))
        i = rng.choice((2, 3, 5, 7))
        digits[i] = rng.choice([c for c in "0123456789" if c != digits[i]])
        s = "".join(digits)
        return f"{s[:4]}-{s[4:6]}-{s[6:]}"
    if kind == "date_missing":
        return ""
    if kind == "date_placeholder":
        return rng.choice(("1900-01-01", "1970-01-01", "2000-01-01", f"{birth.year}-01-01"))
    raise AssertionError(kind)


def id_fault(id18: str, birth: date, kind: str, rng: random.Random) -> str:
    if kind == "id_missing":
        return ""
    if kind == "id_digit":
        i = rng.randrange(17)
        return id18[:i] + rng.choice([c for c in "0123456789" if c != id18[i]]) + id18[i + 1 :]
    if kind == "id_transposed":
        spots = [i for i in range(17) if id18[i] != id18[i + 1]]
        i = rng.choice(spots)
        return id18[:i] + id18[i + 1] + id18[i] + id18[i + 2 :]
    if kind == "id_15":
        if birth.year >= 1985:
            raise Skip
        return id15(id18)
    if kind == "id_truncated":
        return id18[:17] if rng.random() < 0.7 else id18[:16]
    if kind == "id_format":
        r = rng.random()
        if r < 0.35 and id18.endswith("X"):
            return id18[:17] + "x"
        if r < 0.7:
            return f"{id18[:6]} {id18[6:14]} {id18[14:]}"
        return "".join(FULL_WIDTH.get(c, c) for c in id18)
    raise AssertionError(kind)


def _draw(
    rng: random.Random,
    table: tuple[list[str], list[float]],
    apply: Callable[[str], tuple[str, list[str]]],
) -> tuple[str, list[str]]:
    """Apply a fault drawn from `table`, drawing again while the one drawn does not apply."""
    for _ in range(12):
        try:
            return apply(_pick(rng, table))
        except Skip:
            continue
    raise Skip


def file_record(
    p: Person, rng: random.Random, keep_id: bool = False
) -> tuple[str, str, str, list[str]]:
    """What a clerk files for the person: (name, birth date, id, fault labels)."""
    labels: list[str] = []
    name = p.list_name
    if rng.random() < NAME_FAULT_RATE:
        try:
            name, got = _draw(rng, WEIGHTED_NAME[p.origin], lambda k: name_fault(p, k, name, rng))
            labels += got
            if rng.random() < SECOND_NAME_FAULT_RATE and "renamed" not in got:
                second = (
                    "typo"
                    if not any(_is_han(c) for c in name)
                    else rng.choice(("homophone", "char_dropped", "char_doubled"))
                )
                try:
                    name, more = name_fault(p, second, name, rng)
                    labels += more
                except Skip:
                    pass
        except Skip:
            pass
    birth = p.birth.isoformat()
    if rng.random() < DATE_FAULT_RATE:
        try:
            birth, got = _draw(rng, WEIGHTED_DATE, lambda k: (date_fault(p.birth, k, rng), [k]))
            labels += got
        except Skip:
            pass
    id_number = p.id18
    if p.id18 and "renamed" not in labels and rng.random() < ID_FAULT_RATE:
        table = WEIGHTED_ID
        try:
            while True:
                id_number, got = _draw(
                    rng, table, lambda k: (id_fault(p.id18, p.birth, k, rng), [k])
                )
                if not (keep_id and got == ["id_missing"]):
                    break
            labels += got
        except Skip:
            pass
    elif (
        not p.id18
        and p.origin not in ("han", "uyghur", "tibetan", "mongol")
        and not keep_id
        and rng.random() < PASSPORT_RATE
    ):
        id_number = rng.choice("EGMKP") + f"{rng.randrange(10**8):08d}"
        labels.append("id_passport")
    return name, birth, id_number, labels


# --- Hard negatives -----------------------------------------------------------------------------

STRANGER_KINDS = {"namesake_year": 3, "namesake_date": 2, "sibling": 2, "twin": 1, "stranger": 92}


def _sibling_given(p: Person, rng: random.Random) -> str:
    """A Chinese given name a sibling may have: one character shared, or a neighbour."""
    pool = HK_GIVEN if p.origin in ("hk", "macao") else GEN_MID + GEN_NEW + GEN_OLD
    if len(p.given) == 2:
        chars = list(p.given)
        i = rng.randrange(2)
        chars[i] = rng.choice([c for c in pool if c != chars[i]])
        return "".join(chars)
    return rng.choice([c for c in pool if c != p.given])


def _sibling(anchor: Person, pop: Population, rng: random.Random) -> Person:
    """The anchor with another given name (the family name kept), spelt the origin's way."""
    s = dataclasses.replace(anchor)
    if anchor.origin in ("han", "hk", "macao", "tw"):
        s.given = _sibling_given(anchor, rng)
        if s.origin in ("hk", "macao"):
            table = CANTONESE | MACAO if s.origin == "macao" else CANTONESE
            s.latin = (anchor.latin[0], " ".join(table[c] for c in s.given))
        elif s.origin == "tw":
            s.latin = (
                anchor.latin[0],
                "-".join(wade_giles(_reading(c), False) for c in s.given).capitalize(),
            )
        return s
    other = pop.person(rng)
    while other.origin != anchor.origin or other.sex != anchor.sex or other.given == anchor.given:
        other = pop.person(rng)
    s.given = other.given
    s.latin = (anchor.latin[0], other.latin[1]) if anchor.origin != "tibetan" else other.latin
    if s.origin == "korean":
        s.native = s.family + s.given
    elif s.origin == "viet":
        s.native = f"{s.family} {s.given}"
    elif s.origin == "russian":
        s.native = f"{s.family} {s.given} {s.middle}"
    elif s.origin == "western":
        s.middle = ""
    return s


def hard_negative(
    anchor: Person, kind: str, pop: Population, rng: random.Random
) -> tuple[Person, str]:
    """A stranger built on a listed person; it shares what `kind` says and nothing else.

    Where the listed person has no id, a namesake with the same date would be the same person
    on paper, so it becomes a namesake_year; the returned kind says which was made."""
    if kind == "namesake_date" and not anchor.id18:
        kind = "namesake_year"
    s = _sibling(anchor, pop, rng) if kind in ("sibling", "twin") else dataclasses.replace(anchor)
    s.id18, s.list_id, s.list_birth, s.former, s.aliases = "", "", "", "", ()
    if kind == "namesake_year":
        while s.birth == anchor.birth:
            s.birth = date(anchor.birth.year, 1, 1) + timedelta(days=rng.randrange(365))
    elif kind == "sibling":
        s.birth = anchor.birth + timedelta(days=rng.choice((-1, 1)) * rng.randrange(365, 6 * 365))
    if not anchor.id18:
        return s, kind
    province = anchor.id18[:2]
    if kind == "twin":
        seq = int(anchor.id18[14:17])
        body = anchor.id18[:14] + f"{seq + 1 if seq < 998 else seq - 1:03d}"
    elif kind == "sibling" or province in ("81", "82", "83"):
        body = anchor.id18[:6] + f"{s.birth:%Y%m%d}{rng.randrange(1, 1000):03d}"
    else:
        body = make_id(rng, s.birth, province)[:17]
    s.id18 = body + check_char(body)
    if s.id18 == anchor.id18:  # the same sequence number drawn again
        body = body[:14] + f"{(int(body[14:]) + 2) % 1000:03d}"
        s.id18 = body + check_char(body)
    return s, kind


# --- Generation ---------------------------------------------------------------------------------


def generate_with_kinds(
    listed: int, records: int, seed: int, match_share: float = 0.02
) -> tuple[list[ListedRow], list[RecordRow], dict[str, str]]:
    """As `generate`, plus each stranger record's kind (hard negative or plain stranger)."""
    pop = Population(seed)
    rng_list = random.Random(f"d-listed-{seed}")
    rng_rec = random.Random(f"d-records-{seed}")
    n_match = round(records * match_share)
    kinds = _weights(STRANGER_KINDS)
    plan: list[tuple[str, int]] = []  # (kind, anchor index) per record, "match" for a listed person
    for _ in range(records):
        if len(plan) < n_match:
            plan.append(("match", rng_rec.randrange(listed)))
        else:
            kind = _pick(rng_rec, kinds)
            plan.append((kind, rng_rec.randrange(listed) if kind != "stranger" else -1))
    rng_rec.shuffle(plan)
    needed = {i for _, i in plan if i >= 0}

    rows: list[ListedRow] = []
    kept: dict[int, Person] = {}
    interned: dict[str, str] = {}
    for i in range(listed):
        p = pop.person(rng_list)
        pop.listing(p, rng_list)
        if i in needed:
            kept[i] = p
        name = interned.setdefault(p.list_name, p.list_name)
        birth = interned.setdefault(p.list_birth, p.list_birth)
        rows.append(ListedRow(f"D{i:07d}", name, p.aliases, birth, p.list_id))

    out: list[RecordRow] = []
    stranger_kind: dict[str, str] = {}
    for n, (kind, anchor) in enumerate(plan):
        record_id = f"RD{n:06d}"
        if kind == "match":
            p = kept[anchor]
            name, birth, id_number, labels = file_record(p, rng_rec)
            out.append(
                RecordRow(
                    record_id,
                    name,
                    birth,
                    id_number,
                    rows[anchor].entry_id,
                    "+".join(labels) or "clean",
                )
            )
            continue
        if kind == "stranger":
            s = pop.person(rng_rec)
        else:
            s, kind = hard_negative(kept[anchor], kind, pop, rng_rec)
        name, birth, id_number, _ = file_record(s, rng_rec, keep_id=kind != "stranger")
        out.append(RecordRow(record_id, name, birth, id_number, None, ""))
        stranger_kind[record_id] = kind
    return rows, out, stranger_kind


def generate(
    listed: int, records: int, seed: int, match_share: float = 0.02
) -> tuple[list[ListedRow], list[RecordRow]]:
    rows, recs, _ = generate_with_kinds(listed, records, seed, match_share)
    return rows, recs


def main() -> None:
    listed = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    started = time.perf_counter()
    rows, recs, kinds = generate_with_kinds(listed, records, seed=7)
    took = time.perf_counter() - started
    rng = random.Random(1)
    by_id = {r.entry_id: r for r in rows}
    print("-- samples (record | listed row it belongs to, if any)")
    matched = [r for r in recs if r.truth]
    for r in rng.sample(matched, min(20, len(matched))) + rng.sample(recs, 10):
        who = by_id[r.truth] if r.truth else None
        listed_part = (
            f"{who.name} {who.aliases} {who.birth_date} {who.id_number}"
            if who
            else kinds[r.record_id]
        )
        print(
            f"{r.name!r:30} {r.birth_date!r:18} {r.id_number!r:22} {r.corruption or '-':24}"
            f" | {listed_part}"
        )
    labels = Counter(lab for r in matched for lab in r.corruption.split("+"))
    print(f"-- labels over {len(matched)} records of listed persons")
    for lab, n in labels.most_common():
        print(f"{lab:20} {n:6}")
    print("-- stranger kinds")
    for kind, n in Counter(kinds.values()).most_common():
        print(f"{kind:20} {n:6}")
    listed_ids = Counter(len(r.id_number) for r in rows)
    listed_dates = Counter(len(r.birth_date) for r in rows)
    print(f"-- listed: id lengths {dict(listed_ids)}, birth-date lengths {dict(listed_dates)}")
    print(f"-- with aliases: {sum(1 for r in rows if r.aliases)}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"-- {listed} listed / {records} records in {took:.1f} s, peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
