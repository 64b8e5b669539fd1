"""Chinese surnames: their readings, compound surnames, common pinyin surnames and their other
romanisations. Pure data."""

from __future__ import annotations

# Readings of characters used as surnames that pypinyin's default mode gets wrong.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "查": "zha",
    "朴": "piao",
    "区": "ou",
    "覃": "qin",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "秘": "bi",
    "召": "shao",
    "翟": "zhai",
    "种": "chong",
    "员": "yun",
    "黑": "he",
    "尉": "yu",
    "长": "chang",
    "重": "chong",
    "折": "she",
    "繁": "po",
    "万": "wan",
    "沈": "shen",
    "柏": "bai",
    "薄": "bo",
    "贲": "ben",
    "洗": "xian",
    "冼": "xian",
}

COMPOUND_SURNAMES: dict[str, str] = {
    "欧阳": "ouyang",
    "司马": "sima",
    "诸葛": "zhuge",
    "司徒": "situ",
    "上官": "shangguan",
    "东方": "dongfang",
    "皇甫": "huangfu",
    "夏侯": "xiahou",
    "长孙": "zhangsun",
    "慕容": "murong",
    "令狐": "linghu",
    "端木": "duanmu",
    "公孙": "gongsun",
    "西门": "ximen",
    "南宫": "nangong",
    "尉迟": "yuchi",
    "轩辕": "xuanyuan",
    "宇文": "yuwen",
    "澹台": "tantai",
    "太史": "taishi",
    "申屠": "shentu",
    "万俟": "moqi",
    "闻人": "wenren",
    "钟离": "zhongli",
    "濮阳": "puyang",
    "呼延": "huyan",
    "百里": "baili",
    "东郭": "dongguo",
    "赫连": "helian",
    "独孤": "dugu",
}

# Common pinyin surnames, used to tell surname-first from surname-last order in Latin script.
_SURNAME_LIST = """
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng
    liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu du ye
    cheng wei su lu ding ren shen yao lu jiang cui zhong tan fan jin wan shi qian dai qin gu
    kong bai meng fang hou xiong qiu qin yin xue yan duan lei long tao he mao hao gong shao wan
    qian qin wu dai mo kong xiang chang xia lai zou shi xiong jia fu kang hou yi hao tang ke niu
    ouyang sima zhuge situ shangguan dongfang huangfu xiahou zhangsun murong linghu duanmu gongsun
    shan zha piao ou zhai mou ji ning bao jing lan an ai wen guan mi qi bi ban ge zhan ni"""
PINYIN_SURNAMES: frozenset[str] = frozenset(_SURNAME_LIST.split())

# Wade-Giles / Cantonese / Hokkien and Teochew romanisations of surnames → the pinyin readings
# of the Mandarin surnames they may stand for (a spelling may stand for several).
# Sources, checked against each other, for the spellings as they appear in identity papers:
# - Cantonese: the Hong Kong Government Cantonese Romanisation used on Hong Kong identity
#   cards and passports (as tabulated in the Wikipedia articles "Hong Kong Government
#   Cantonese Romanisation" and "List of common Chinese surnames", Cantonese column);
# - Hokkien and Teochew: the surname spellings registered in Singapore, Malaysia, Indonesia
#   and the Philippines (Wikipedia "List of common Chinese surnames", Hokkien/Teochew
#   columns; the Singapore Department of Statistics' guide "Chinese Dialect Groups", 2014,
#   for which dialect a spelling comes from);
# - Wade-Giles: the Taiwanese passport spellings (Wade-Giles tables in the same article).
SURNAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "chang": ("zhang", "chang"),
    "cheung": ("zhang",),
    "hsu": ("xu",),
    "hui": ("xu", "hui"),
    "tsui": ("xu", "cui"),
    "tsai": ("cai",),
    "choi": ("cai",),
    "choy": ("cai",),
    "chan": ("chen",),
    "chin": ("chen", "jin"),
    "chou": ("zhou",),
    "chow": ("zhou",),
    "chao": ("zhao",),
    "chiu": ("zhao", "qiu"),
    "hsieh": ("xie",),
    "tse": ("xie",),
    "chiang": ("jiang",),
    "kong": ("jiang", "kong"),
    "cheng": ("zheng", "cheng"),
    "hwang": ("huang",),
    "wong": ("huang", "wang"),
    "lee": ("li",),
    "lei": ("li", "lei"),
    "lau": ("liu",),
    "lew": ("liu",),
    "woo": ("wu",),
    "ng": ("wu", "huang"),  # Cantonese 吴/伍; Hokkien and Teochew 黄
    "lam": ("lin",),
    "kuo": ("guo",),
    "kwok": ("guo",),
    "ho": ("he",),
    "kao": ("gao",),
    "ko": ("gao", "ge"),
    "chien": ("qian", "jian"),
    "leung": ("liang",),
    "yeung": ("yang",),
    "fung": ("feng",),
    "tam": ("tan",),
    "tang": ("tang", "deng"),
    "lo": ("luo", "lu"),
    "law": ("luo",),
    "mak": ("mai",),
    "yip": ("ye",),
    "kwan": ("guan",),
    "au": ("ou",),
    "siu": ("xiao",),
    "chu": ("zhu", "chu"),
    "chung": ("zhong",),
    "yuen": ("yuan",),
    "poon": ("pan",),
    "tsang": ("zeng",),
    "tseng": ("zeng",),
    "sung": ("song",),
    "soong": ("song",),
    "teng": ("deng",),
    "tsao": ("cao",),
    "tao": ("tao",),
    "pai": ("bai",),
    "yang": ("yang",),
    "szeto": ("situ",),
    "auyeung": ("ouyang",),
    "ngai": ("wei",),
    "mok": ("mo",),
    "kam": ("jin", "gan"),
    "lui": ("lu", "lei"),
    "tsoi": ("cai",),
    "cheong": ("zhang",),
    "ong": ("wang",),
    "tan": ("tan", "chen"),
    "goh": ("wu",),
    "lim": ("lin",),
    # Cantonese (Hong Kong Government Cantonese Romanisation)
    "kwong": ("kuang",),  # 邝
    "fok": ("huo",),  # 霍
    "ching": ("cheng",),  # 程
    "tong": ("tang",),  # 唐, 汤
    "lung": ("long",),  # 龙
    "hung": ("hong", "xiong"),  # 洪, 熊
    "shum": ("shen", "cen"),  # 沈, 岑
    "sham": ("shen", "cen"),
    "yiu": ("yao",),  # 姚
    "kung": ("gong",),  # 龚
    "mui": ("mei",),  # 梅
    "pang": ("peng", "pang"),  # 彭, 庞
    "fong": ("fang",),  # 方
    "sit": ("xue",),  # 薛
    "tso": ("cao",),  # 曹
    "wai": ("wei",),  # 韦
    "yim": ("yan",),  # 严
    "chong": ("zhuang", "zhang"),  # 庄; Hakka 张
    # Hokkien and Teochew
    "koh": ("xu", "gao"),  # 许, 高
    "quek": ("guo",),  # 郭
    "kwek": ("guo",),
    "teo": ("zhang",),  # 张 (Teochew)
    "teoh": ("zhang",),
    "tay": ("zheng",),  # 郑
    "teh": ("zheng",),
    "chua": ("cai",),  # 蔡
    "sim": ("shen",),  # 沈
    "ang": ("hong",),  # 洪
    "oei": ("huang",),  # 黄 (Indonesia)
    "oey": ("huang",),
    "wee": ("huang",),  # 黄
    "yeo": ("yang",),  # 杨
    "yeoh": ("yang",),
    "khoo": ("qiu",),  # 邱
    "low": ("liu",),  # 刘
    "chia": ("xie",),  # 谢
    "toh": ("du", "zhuo"),  # 杜, 卓
    "neo": ("liang",),  # 梁
    "soh": ("su",),  # 苏
    "sng": ("sun",),  # 孙
    "png": ("fang",),  # 方
    "yap": ("ye",),  # 叶 (Hakka, Hokkien)
    "tiong": ("zhang",),  # 张 (Fuzhou, Sarawak)
}
