"""Person screening evaluation set C.

A third generator of a watchlist and of filed records (hotel stays and the like), written
without reading Vigil's matcher, its name or date code, or the other two sets, so that a
matcher tuned on sets A and B can be measured on data it has never seen.

    listed, records = generate(1_000_000, 100_000, 11, 0.02)

``generate(listed, records, seed, match_share)`` returns ``ListedRow``s and ``RecordRow``s.
``match_share`` of the records (rounded) are records of listed persons (``truth`` = the
``entry_id``), the rest are strangers (``truth`` None, ``corruption`` ""). A listed person's
record carries ``corruption``: the "+"-joined labels of the filing faults applied, or
"clean" when it was filed exactly. ``generate_with_kinds`` also returns, for each stranger,
which kind of negative it is (below). ``python bench/screen_data_c.py`` prints samples and
counts.

Every name character, romanisation table and region code here is this file's own material
(hand-written tables; no pinyin or OpenCC library is used to build the data).

The population
--------------
* 93.5% Han Chinese: surname from ~90 surnames with census-like weights (compound surnames
  欧阳, 司马, 诸葛, 上官, 皇甫 and the misread ones 曾, 单, 解, 查, 区, 仇, 覃 included), a
  given name of 1, 2 or rarely 3 characters drawn (Zipf weights) from pools that depend on sex
  and on the birth cohort (born before 1985: 伟, 军, 芳, 秀英-style names; later: 梓涵, 浩宇).
  One-character given names are more common in the older cohort. Half of the given-name
  characters come from that pool, half from the whole table of ~300 name characters (the long
  tail that makes most full names rare).
* 1.5% minority names: Tibetan (two two-character parts, no surname: 扎西次仁) and Uyghur
  (given name and father's name joined by the middle dot: 艾力·买买提), with region codes of
  Tibet or Xinjiang.
* 5% foreigners: Latin names of Russian, Korean, Vietnamese, Japanese, English, Central
  Asian/Arabic, Mongolian and continental European origin. They have no resident number.
* Birth dates: normal around 1983 (sd 11), clipped to 1946-2008, any day.
* Resident numbers (GB 11643-1999): a real county-level region code (weighted by province
  population; 81/82/83 codes of Hong Kong, Macao, Taiwan residents at 0.6%) that was in use
  when the number was assigned (at birth, or 1984 for those born earlier; python-stdnum's
  dated table gives the first year of each code), the birth date,
  a sequence whose parity is the sex, and the MOD 11-2 check character. Unique per person.

The list
--------
* Han entries: the Hanzi name. 40% carry the pinyin alias ("Zhang Xiaoming", family first,
  given name joined, ü written as ü), 5% a former name (曾用名, another Hanzi name) as an
  alias, 3% are listed under the pinyin name only (half of them with the Hanzi as an alias).
  Minority entries carry their pinyin as an alias half the time.
* Foreign entries: the Latin name; 30% with an alias (family-first order or a transliteration).
* birth_date "YYYY-MM-DD"; 3% only "YYYY". id_number: 92% of Chinese entries have it; foreign
  entries never.

Filing faults (records of listed persons; labels are relative to the person's true Hanzi name,
full birth date and 18-character number, not to what the list holds)
------------------------------------------------------------------------------------------
Independently: a name fault with p 0.5, a date fault with p 0.3, a number fault with p 0.3
(Chinese persons with a number). So about a quarter are "clean".

* Hanzi names: name-homophone (a given-name character replaced by another with the same
  pinyin: 伟→玮), name-traditional (all characters in traditional form; 肖→蕭), name-drop-char,
  name-add-char, name-space (张 伟), name-alias (filed under the listed former name),
  name-script (filed in Hanzi where the list holds only pinyin).
* Romanised (always also a change of script): name-pinyin ("Zhang Xiaoming"),
  name-pinyin-spaced ("Zhang Xiao Ming"), name-pinyin-hyphen ("Zhang Xiao-Ming"),
  name-pinyin-joined ("ZHANGXIAOMING"), name-comma ("ZHANG, Xiaoming"), name-wade-giles
  ("Chang Hsiao-ming", apostrophes kept or dropped at random), name-dialect (Cantonese or
  Hokkien surname spelling: Chan/Tan, Wong/Ng/Ooi, Lee, Lau, Kwok/Quek, Khoo...), plus
  name-order when the family name is put last, and name-umlaut when ü is written v, u, yu or
  ue. Upper case or title case is chosen at random and is not a fault.
* Minority names: name-dot (the middle dot dropped, or written as "•", "・", "." or a space).
* Latin names: name-typo (one keyboard slip: neighbour key, transposition, dropped or doubled
  letter), name-order, name-translit (Aleksandr/Alexander, Lee/Yi, Sato/Satoh, or a rule of
  another romanisation inside the word: -ev/-yev, kh/h, Min-jun/Minjun, Hiroshi/Hirosi),
  name-diacritics (Nguyễn→Nguyen, Müller→Mueller), name-middle (a middle name dropped).
* Dates: date-year ("1985"), date-ym ("1985-03"), date-dm-swap ("1985-12-03" for
  1985-03-12, only when both are ≤ 12), date-yy ("85-03-14" or "85.03.14"), date-digit (one
  digit wrong, still a valid date), date-lunar (the lunar-calendar birthday written as if it
  were Gregorian, typically 3-7 weeks earlier, the year before for January/February births;
  new moons and principal terms from Meeus's low-accuracy series in Beijing time, so
  rarely a day or a month off a printed almanac), date-format ("1985/03/14", "19850314",
  "1985.3.14", "1985年3月14日"), date-missing (""). The number, when filed, still holds the
  true date.
* Numbers: id-missing (""), id-digit (one character wrong; the check then fails unless the
  check character itself was hit), id-transpose (two adjacent digits swapped), id-old15 (the
  15-digit pre-1999 form: region, YYMMDD, sequence; only for people born before 1988),
  id-lower-x (a check "X" filed as "x": 30% of numbers ending in X, when no other number
  fault applies).

Strangers and hard negatives (my own rates, not measured from a real register)
------------------------------------------------------------------------------
Strangers are drawn from the same population model and filed with the same fault model (labels
dropped), so neither a form nor a format says anything about a match. Natural namesakes of
common names (张伟, 王芳) therefore occur at the rate the name model gives: with 1M listed,
about 48% of Han and 53% of foreign strangers share their true name with some listed person
(measured on a fresh draw of 50,000; Korean and Vietnamese names are the most concentrated).
On top of that, of the strangers (kind in ``generate_with_kinds``):

=============  =====  =========================================================================
kind           share  what
=============  =====  =========================================================================
namesake       6%     a listed person's exact name, a different person (own date and number)
namesake-year  1.5%   same name and same birth year
namesake-dob   0.3%   same name and same birth date, another region and number
same-dob       3%     a different name born the same day as a listed person (half: same region)
near-name      2%     a listed name with one given-name character changed (a cousin, 张伟/张炜)
sibling        2.5%   same surname and region code, born 1-10 years apart, often sharing the
                      generation character of the given name
twin           0.3%   same surname, region and birth date; adjacent sequence number
fresh          84.4%  anyone else from the population model
=============  =====  =========================================================================
"""

from __future__ import annotations

import argparse
import math
import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import accumulate

import numpy as np


@dataclass(frozen=True, slots=True)
class ListedRow:
    entry_id: str
    name: str
    aliases: tuple[str, ...]
    birth_date: str
    id_number: str


@dataclass(frozen=True, slots=True)
class RecordRow:
    record_id: str
    name: str
    birth_date: str
    id_number: str
    truth: str | None
    corruption: str


# --- Name material -------------------------------------------------------------------------

# surname | pinyin syllables | traditional | Cantonese/Hokkien/other dialect spellings | weight %
_SURNAMES = """
王|wang|王|Wong,Ong|7.1
李|li|李|Lee,Lei|7.0
张|zhang|張|Cheung,Teo,Chong|6.7
刘|liu|劉|Lau,Low,Lew|5.4
陈|chen|陳|Chan,Tan,Chin|4.6
杨|yang|楊|Yeung,Yeo,Yong|3.1
黄|huang|黃|Wong,Ng,Ooi|2.5
赵|zhao|趙|Chiu,Teo|2.0
吴|wu|吳|Ng,Goh,Woo|2.0
周|zhou|周|Chow,Chew,Chau|1.9
徐|xu|徐|Tsui,Chee|1.3
孙|sun|孫|Suen,Sng|1.3
马|ma|馬|Mah,Beh|1.2
朱|zhu|朱|Chu,Choo|1.2
胡|hu|胡|Wu,Oh,Foo|1.1
郭|guo|郭|Kwok,Quek|1.1
何|he|何|Ho,Hoh|1.0
林|lin|林|Lam,Lim|1.0
高|gao|高|Ko,Kow|1.0
罗|luo|羅|Law,Loh|0.9
郑|zheng|鄭|Cheng,Tay,Teh|0.9
梁|liang|梁|Leung,Neo,Leong|0.8
谢|xie|謝|Tse,Chia,Seah|0.8
宋|song|宋|Sung|0.7
唐|tang|唐|Tong,Teng|0.7
许|xu|許|Hui,Koh|0.6
韩|han|韓|Hon|0.6
邓|deng|鄧|Tang|0.6
冯|feng|馮|Fung,Pang|0.6
曹|cao|曹|Cho,Chau|0.6
彭|peng|彭|Pang,Phang|0.6
曾|zeng|曾|Tsang,Chan|0.5
肖|xiao|蕭|Siu,Seow|0.5
田|tian|田|Tin|0.5
董|dong|董|Tung|0.5
潘|pan|潘|Poon,Phua|0.4
袁|yuan|袁|Yuen|0.4
蔡|cai|蔡|Choi,Chua,Choy|0.4
蒋|jiang|蔣|Cheung,Chiang|0.4
余|yu|余|Yee,Ee|0.4
于|yu|于|Yue|0.4
杜|du|杜|To,Toh|0.4
叶|ye|葉|Yip,Yap|0.4
程|cheng|程|Ching,Thia|0.4
魏|wei|魏|Ngai,Gwee|0.3
苏|su|蘇|So,Soh|0.3
吕|lv|呂|Lui,Loo|0.3
丁|ding|丁|Ting,Teng|0.3
任|ren|任|Yam|0.3
卢|lu|盧|Lo,Lou,Loh|0.3
姚|yao|姚|Yiu|0.3
沈|shen|沈|Shum,Sim|0.3
钟|zhong|鍾|Chung,Cheong|0.3
姜|jiang|姜|Keung|0.3
崔|cui|崔|Tsui,Chui|0.3
谭|tan|譚|Tam,Tham|0.3
陆|lu|陸|Luk,Lok|0.3
范|fan|范|Faan,Huan|0.3
汪|wang|汪|Wong,Ong|0.3
廖|liao|廖|Liu,Leow|0.3
石|shi|石|Shek,Chio|0.3
金|jin|金|Kam,Kim|0.3
韦|wei|韋|Wai,Wee|0.3
贾|jia|賈|Ka|0.3
夏|xia|夏|Ha|0.2
付|fu|付|Foo|0.2
傅|fu|傅|Poh|0.2
方|fang|方|Fong,Png|0.2
邹|zou|鄒|Chau|0.2
熊|xiong|熊|Hung|0.2
白|bai|白|Pak,Peh|0.2
孟|meng|孟|Mang|0.2
秦|qin|秦|Chun|0.2
邱|qiu|邱|Yau,Khoo|0.2
侯|hou|侯|Hau|0.2
江|jiang|江|Kong,Kang|0.2
尹|yin|尹|Wan|0.2
薛|xue|薛|Sit,Seet|0.2
闫|yan|閆|Yim|0.2
段|duan|段|Tuen|0.2
雷|lei|雷|Lui,Loi|0.2
龙|long|龍|Lung,Leong|0.2
黎|li|黎|Lai|0.2
史|shi|史|Sze|0.2
陶|tao|陶|To|0.2
贺|he|賀|Ho|0.2
毛|mao|毛|Mo|0.2
郝|hao|郝|Kok|0.1
顾|gu|顧|Koo|0.1
龚|gong|龔|Kung|0.1
邵|shao|邵|Siu|0.1
万|wan|萬|Man|0.1
覃|qin|覃|Tam|0.1
武|wu|武|Mo|0.1
钱|qian|錢|Chin,Chee|0.1
戴|dai|戴|Tai,Tay|0.1
严|yan|嚴|Yim,Giam|0.1
莫|mo|莫|Mok|0.1
孔|kong|孔|Hung,Khong|0.1
单|shan|單|Sin|0.05
解|xie|解|Kai|0.03
查|zha|查|Cha|0.03
区|ou|區|Au|0.02
仇|qiu|仇|Kau|0.03
欧阳|ou-yang|歐陽|Au-Yeung,Auyong|0.08
司马|si-ma|司馬|Sze-Ma|0.01
诸葛|zhu-ge|諸葛|Chu-Kot|0.01
上官|shang-guan|上官|Sheung-Kwun|0.01
皇甫|huang-fu|皇甫|Wong-Po|0.005
"""

# Given-name characters: hanzi, pinyin (v for ü), traditional form when it differs.
_CHARS = """
伟wei偉 玮wei瑋 炜wei煒 维wei維 卫wei衛 薇wei 巍wei 强qiang強 蔷qiang薔 军jun軍 君jun
钧jun鈞 俊jun 骏jun駿 勇yong 永yong 涌yong湧 咏yong詠 杰jie傑 洁jie潔 婕jie 捷jie
涛tao濤 韬tao韜 桃tao 明ming 铭ming銘 鸣ming鳴 名ming 刚gang剛 钢gang鋼 平ping 萍ping
屏ping 辉hui輝 慧hui 晖hui暉 惠hui 卉hui 华hua華 桦hua樺 斌bin 彬bin 滨bin濱 超chao
潮chao 建jian 剑jian劍 健jian 坚jian堅 国guo國 峰feng 锋feng鋒 枫feng楓 丰feng豐
凤feng鳳 磊lei 蕾lei 雷lei 波bo 博bo 柏bo 伯bo 亮liang 良liang 靓liang靚 林lin 琳lin
霖lin 麟lin 东dong東 冬dong 栋dong棟 志zhi 智zhi 芝zhi 文wen 雯wen 闻wen聞 海hai
成cheng 诚cheng誠 承cheng 春chun 纯chun純 庆qing慶 清qing 青qing 晴qing 德de 福fu
富fu 芙fu 金jin 锦jin錦 晋jin晉 进jin進 今jin 忠zhong 仲zhong 中zhong 红hong紅
宏hong 虹hong 鸿hong鴻 荣rong榮 蓉rong 容rong 新xin 欣xin 鑫xin 馨xin 心xin 信xin
兵bing 冰bing 龙long龍 珑long瓏 飞fei飛 菲fei 非fei 鹏peng鵬 朋peng 宇yu 雨yu 玉yu
煜yu 语yu語 瑜yu 浩hao 豪hao 昊hao 皓hao 轩xuan軒 萱xuan 宣xuan 子zi 梓zi 紫zi
睿rui 瑞rui 锐rui銳 泽ze澤 则ze則 晨chen 宸chen 辰chen 臣chen 一yi 奕yi 怡yi 宜yi
艺yi藝 亦yi 航hang 杭hang 涵han 寒han 然ran 凯kai凱 楷kai 恺kai愷 阳yang陽 洋yang
天tian 添tian 佳jia 嘉jia 家jia 加jia 芳fang 方fang 娜na 纳na納 敏min 民min 闵min閔
静jing靜 晶jing 婧jing 京jing 菁jing 靖jing 敬jing 丽li麗 莉li 立li 力li 俐li 利li
艳yan艷 燕yan 妍yan 颜yan顏 雁yan 研yan 娟juan 鹃juan鵑 霞xia 侠xia俠 秀xiu 修xiu
玲ling 灵ling靈 龄ling齡 凌ling 桂gui 贵gui貴 瑰gui 英ying 颖ying穎 莹ying瑩 盈ying
应ying應 兰lan蘭 岚lan嵐 澜lan瀾 梅mei 美mei 玫mei 媚mei 琴qin 勤qin 芹qin 云yun雲
韵yun韻 匀yun勻 丹dan 旦dan 珍zhen 贞zhen貞 真zhen 振zhen 翠cui 萃cui 淑shu 舒shu
书shu書 婷ting 亭ting 庭ting 霆ting 雪xue 学xue學 倩qian 茜qian 芊qian 谦qian謙
诗shi詩 师shi師 施shi 思si 斯si 丝si絲 悦yue悅 月yue 越yue 跃yue躍 琪qi 琦qi 祺qi
奇qi 可ke 珂ke 克ke 科ke 彤tong 童tong 桐tong 通tong 璐lu 露lu 路lu 鹿lu 瑶yao瑤
遥yao遙 耀yao 小xiao 晓xiao曉 筱xiao 秋qiu 球qiu 爱ai愛 艾ai 蔼ai藹 光guang 广guang廣
宁ning寧 凝ning 柠ning檸 旭xu 序xu 栩xu 帅shuai帥 欢huan歡 环huan環 焕huan煥 亚ya亞
雅ya 娅ya婭 菊ju 聚ju 绿lv綠 律lv 旅lv
"""

_POOLS = {  # (sex, cohort) -> given-name characters, most frequent first
    ("m", "old"): "伟强军勇杰涛明刚平辉华斌超建国峰磊波亮林东志文海永成春庆德福金忠俊"
                  "红荣新宏兵龙飞鹏宇小晓立振家学卫光宁旭帅欢健",
    ("m", "new"): "浩宇轩子梓睿博俊泽晨一瑞鑫航杰涵然豪凯阳昊天佳明奕皓铭宸煜锦伟文志"
                  "鹏飞宁旭嘉家诚",
    ("f", "old"): "芳娜敏静丽艳娟霞秀玲桂英燕萍红琳玉兰梅凤华莉琴云洁慧春美丹珍翠淑小"
                  "晓雪秋爱亚",
    ("f", "new"): "婷雪颖倩欣怡佳雨萱涵梓诗思悦琪晨可馨彤一子璐蕾薇瑶嘉妍琳菲晶雅婧露"
                  "欢月",
}  # fmt: skip

_TIBETAN = ("扎西", "次仁", "卓玛", "多吉", "格桑", "央金", "尼玛", "顿珠", "拉姆", "平措", "达瓦",
            "旺堆", "德吉", "白玛")  # fmt: skip
_UYGHUR = ("艾力", "买买提", "阿不都", "热合曼", "古丽", "吐尔逊", "艾山", "阿依古丽", "托乎提",
           "热依拉", "努尔", "麦麦提", "阿布都", "迪丽")  # fmt: skip
_MINORITY_PY = {
    "扎西": "zha-xi", "次仁": "ci-ren", "卓玛": "zhuo-ma", "多吉": "duo-ji", "格桑": "ge-sang",
    "央金": "yang-jin", "尼玛": "ni-ma", "顿珠": "dun-zhu", "拉姆": "la-mu", "平措": "ping-cuo",
    "达瓦": "da-wa", "旺堆": "wang-dui", "德吉": "de-ji", "白玛": "bai-ma", "艾力": "ai-li",
    "买买提": "mai-mai-ti", "阿不都": "a-bu-du", "热合曼": "re-he-man", "古丽": "gu-li",
    "吐尔逊": "tu-er-xun", "艾山": "ai-shan", "阿依古丽": "a-yi-gu-li", "托乎提": "tuo-hu-ti",
    "热依拉": "re-yi-la", "努尔": "nu-er", "麦麦提": "mai-mai-ti", "阿布都": "a-bu-du",
    "迪丽": "di-li",
}  # fmt: skip
_MINORITY_TRAD = {"扎": "紮", "达": "達", "顿": "頓", "买": "買", "热": "熱", "尔": "爾",
                  "逊": "遜", "丽": "麗", "麦": "麥", "玛": "瑪"}  # fmt: skip

# Foreign names: origin -> (given-name parts, family names, family first?, weight). A given
# name is built from its parts: "a|b" lists are joined as Korean syllables ("Min-jun"),
# Vietnamese middle + given ("Van An"), Russian given + patronymic (half the time), English
# first + middle (a third of the time).
_FOREIGN = {
    "ru": ((["Aleksandr", "Sergei", "Dmitry", "Andrei", "Alexei", "Ivan", "Mikhail", "Nikolai",
             "Vladimir", "Yuri", "Pavel", "Oleg", "Igor", "Maxim", "Roman", "Viktor", "Artem",
             "Denis", "Evgeny", "Konstantin"],
            ["Olga", "Tatiana", "Elena", "Natalia", "Irina", "Svetlana", "Anna", "Maria",
             "Ekaterina", "Yulia", "Anastasia", "Marina", "Galina", "Ludmila", "Oksana"],
            ["Sergeyev", "Ivanov", "Petrov", "Nikolaev", "Aleksandrov", "Viktorov", "Mikhailov",
             "Vladimirov", "Yurev", "Pavlov", "Olegov", "Igorev"]),
           ["Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov",
            "Morozov", "Petrov", "Volkov", "Fedorov", "Solovyov", "Vasiliev", "Zaitsev",
            "Pavlov", "Semenov", "Golubev", "Vinogradov", "Bogdanov", "Vorobyov", "Mikhailov",
            "Belov", "Tarasov", "Belyaev", "Komarov", "Orlov", "Kiselev", "Makarov", "Andreev"],
           False, 20),
    "ko": ((["Min", "Seo", "Ji", "Hyun", "Soo", "Young", "Eun", "Dong", "Ha", "Jae", "Sung",
             "Hye", "Jin", "Yeon", "Joon", "Sang", "Kyung", "Tae"],
            ["jun", "yeon", "hoon", "woo", "jin", "ho", "ji", "hyun", "eun", "min", "seok",
             "bin", "young", "ah", "soo", "won", "hee", "kyu"]),
           ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han",
            "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song"], True, 15),
    "vi": ((["Van", "Thi", "Duc", "Minh", "Ngọc", "Quang", "Thanh", "Huu", "Xuân", "Kim",
             "Hoàng", "Thu"],
            ["An", "Lan", "Hùng", "Mai", "Minh", "Hương", "Huy", "Anh", "Tuấn", "Linh", "Dũng",
             "Hải", "Nam", "Phương", "Trang", "Long", "Thảo", "Sơn", "Hà", "Tâm"]),
           ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Huỳnh", "Phan", "Vũ"], True, 15),
    "ja": ((["Haruto", "Yui", "Hiroshi", "Yuki", "Takeshi", "Akiko", "Kenji", "Yoko", "Daiki",
             "Sakura", "Kazuki", "Naoko", "Shota", "Emi", "Ryota", "Mai", "Takumi", "Keiko"],),
           ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Kato",
            "Nakamura", "Kobayashi", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto",
            "Inoue", "Kimura", "Hayashi", "Shimizu", "Mori"], False, 10),
    "en": ((["John", "Michael", "David", "James", "Robert", "Sarah", "Emily", "Jennifer",
             "Jessica", "Thomas", "William", "Daniel", "Matthew", "Laura", "Rachel", "Peter",
             "Andrew", "Mark", "Helen", "Claire", "Paul", "Anna", "Richard", "Kevin"],),
           ["Smith", "Brown", "Wilson", "Johnson", "Davis", "Taylor", "Anderson", "Thompson",
            "Walker", "Robinson", "White", "Harris", "Martin", "Clarke", "Wright", "Green",
            "Hall", "Wood", "Jackson", "Hughes", "Edwards", "Lewis", "Turner", "Hill", "Moore",
            "Cooper", "Ward", "Morris", "King", "Baker"], False, 10),
    "ca": ((["Mohammed", "Ahmed", "Ali", "Hassan", "Abdullah", "Nursultan", "Aigerim", "Serik",
             "Rustam", "Dilnoza", "Omar", "Yusuf", "Fatima", "Aisha", "Ibrahim", "Timur",
             "Bakhyt", "Farrukh", "Gulnara", "Jamshid"],),
           ["Khan", "Rahman", "Karimov", "Abenov", "Ermekov", "Yusupov", "Aliyev", "Nazarov",
            "Hussain", "Qureshi", "Saidov", "Tursunov", "Rakhimov", "Ismailov", "Akhmetov",
            "Bekov", "Sultanov", "Omarov", "Abdullaev", "Zhaksybekov"], False, 15),
    "mn": ((["Ganbaatar", "Bat-Erdene", "Oyuunchimeg", "Enkhjargal", "Batbayar", "Sarangerel",
             "Tsetseg", "Munkhbat", "Altangerel", "Bolormaa", "Erdenebat", "Narantsetseg"],),
           ["Dorj", "Bold", "Tsend", "Batsukh", "Gantulga", "Purev", "Lkhagva", "Sukhbaatar",
            "Baatar", "Ochir"], False, 5),
    "eu": ((["José", "Jürgen", "François", "Maria", "Hans", "Søren", "Zoë", "Luis", "Pierre",
             "Giulia", "Marco", "Ana", "Lukas", "Sophie", "Javier", "Élodie", "Matteo", "Björn"],),
           ["Müller", "García", "Sánchez", "Schröder", "Lefèvre", "Jensen", "Rossi", "Novák",
            "Schmidt", "Martínez", "Dubois", "Bianchi", "Fernández", "Weber", "Kowalski",
            "Nielsen", "Ferrari", "López", "Janssen", "Horváth"], False, 10),
}  # fmt: skip


# The long tail of family names: stem + ending, used for 60% of the names of these origins
# (and Mongolian given names are always compounds: Bat + erdene).
_STEMS = {
    "ru": (["Kozh", "Bel", "Grom", "Lyub", "Tikhon", "Shest", "Kras", "Dobr", "Zhuk", "Sav",
            "Kuzm", "Ryab", "Gus", "Kolp", "Filat", "Yermol", "Lark", "Sin", "Chern", "Bur"],
           ["ov", "in", "enko", "sky", "ev"]),
    "en": (["Ash", "Brad", "Cal", "Dun", "Fair", "Hart", "Kings", "Lang", "Mar", "Pem", "Rad",
            "Stan", "Whit", "Wood", "Black", "Brook", "Hol", "Wel", "Craw", "Pres"],
           ["ley", "ton", "field", "ford", "well", "wood", "by", "more", "ham", "worth"]),
    "ja": (["Naka", "Yama", "Matsu", "Ishi", "Fuji", "Taka", "Kawa", "Mori", "Hara", "Nishi",
            "Kita", "Oka", "Sakai", "Ue", "Shima", "Hashi", "Miya", "Kuro"],
           ["da", "moto", "mura", "kawa", "shita", "zaki", "no", "hara", "ta", "gawa", "oka"]),
    "ca": (["Abdu", "Nurl", "Bakh", "Dzhum", "Kairat", "Mukh", "Sadyk", "Tokt", "Yerl", "Zhan",
            "Aman", "Beis", "Dauren", "Kudai", "Orazb"],
           ["ov", "bekov", "aliev", "uly", "ayev"]),
    "eu": (["Schwarz", "Klein", "Berg", "Hoff", "Lind", "Stein", "Wald", "Feld", "Rosen",
            "Eich", "Brun", "Fontan", "Castel", "Moren", "Ferr", "Dalla"],
           ["mann", "er", "hauser", "berger", "ner", "ini", "ez", "elli", "eau", "o"]),
    "mn": (["Bat", "Gan", "Enkh", "Munkh", "Oyun", "Bolor", "Altan", "Erdene", "Tseren",
            "Naran", "Saran", "Od", "Tumen", "Khongor"],
           ["baatar", "erdene", "bayar", "chimeg", "tuya", "gerel", "bold", "jargal",
            "tsetseg", "sukh", "zaya", "saikhan"]),
}  # fmt: skip


_JA_GIVEN = (["Hiro", "Taka", "Yu", "Ken", "Kazu", "Masa", "Nao", "Sho", "Dai", "Ryo", "Aki",
              "Haru", "Tomo", "Mitsu"],
             ["shi", "ki", "ta", "to", "ya", "ko", "mi", "ka", "suke", "hiko", "nori"])  # fmt: skip


def _stem_name(rnd: random.Random, key: str) -> str:
    stems, ends = _STEMS[key]
    return rnd.choice(stems) + rnd.choice(ends)


def _foreign_draw(rnd: random.Random, key: str, male: bool) -> tuple[str, str]:
    """(given, family) of a foreign person of ``key`` origin."""
    parts, fams, _, _ = _FOREIGN[key]
    fam = rnd.choice(fams)
    if key in _STEMS and key != "mn" and rnd.random() < 0.6:
        fam = _stem_name(rnd, key)
    if key == "mn":
        return _stem_name(rnd, key), fam
    if key == "ru":
        g = rnd.choice(parts[0] if male else parts[1])
        if rnd.random() < 0.5:
            g += " " + rnd.choice(parts[2]) + ("ich" if male else "na")
        if not male:
            fam = fam[:-3] + "skaya" if fam.endswith("sky") else fam
            fam = fam + "a" if fam.endswith(("ov", "ev", "in")) else fam
        return g, fam
    if key == "ko":
        return rnd.choice(parts[0]) + "-" + rnd.choice(parts[1]), fam
    if key == "vi":
        return rnd.choice(parts[0]) + " " + rnd.choice(parts[1]), fam
    g = rnd.choice(parts[0])
    if key in ("en", "eu") and rnd.random() < 0.3:
        g += " " + rnd.choice(parts[0])
    elif key == "ca" and rnd.random() < 0.6:  # a patronymic: Rustam Timurovich, Ali Omaruly
        father = rnd.choice(parts[0])
        g += " " + father + rnd.choice(["ovich" if male else "ovna", "uly" if male else "kyzy"])
    elif key == "ja" and rnd.random() < 0.5:
        g = rnd.choice(_JA_GIVEN[0]) + rnd.choice(_JA_GIVEN[1])
    return g, fam


_TRANSLIT = {
    "Aleksandr": ["Alexander", "Alexandr"], "Sergei": ["Sergey"], "Dmitry": ["Dmitri", "Dmitriy"],
    "Andrei": ["Andrey"], "Alexei": ["Aleksey", "Alexey"], "Yuri": ["Yury", "Iurii"],
    "Natalia": ["Natalya"], "Tatiana": ["Tatyana"], "Elena": ["Yelena"], "Fedorov": ["Fyodorov"],
    "Mikhail": ["Mikhael"], "Lee": ["Yi", "Rhee"], "Park": ["Pak"], "Choi": ["Choe"],
    "Jung": ["Chung", "Jeong"], "Yoon": ["Yun"], "Cho": ["Jo"], "Ito": ["Itoh", "Itou"],
    "Sato": ["Satoh", "Satou"], "Kato": ["Katoh"], "Yuki": ["Yuuki"], "Mohammed": ["Muhammad",
    "Mohamed", "Mohammad"], "Ahmed": ["Ahmad"], "Hassan": ["Hasan"], "Abdullah": ["Abdallah"],
    "Yusupov": ["Yusupow", "Iusupov"], "Sergeyevich": ["Sergeevich"], "Yurev": ["Yuryev"],
    "Solovyov": ["Soloviev"], "Zaitsev": ["Zaytsev"], "Vasiliev": ["Vasilyev"], "Aliyev": ["Aliev"],
    "Karimov": ["Karimow"],
}  # fmt: skip
# Spelling rules of other romanisations, applied inside a word (not to its first letter).
_TRANSLIT_RULES = {
    "ru": (("ev", "yev"), ("yev", "ev"), ("ii", "iy"), ("kh", "h"), ("ks", "x"), ("ya", "ia"),
           ("sky", "skiy"), ("skaya", "skaja"), ("yu", "iu"), ("ei", "ey")),
    "ko": (("-", ""), ("eo", "u"), ("oo", "u"), ("ae", "ai")),
    "ja": (("ou", "o"), ("oh", "o"), ("uu", "u"), ("shi", "si"), ("tsu", "tu"), ("ji", "zi")),
    "ca": (("kh", "h"), ("ov", "ow"), ("ou", "u"), ("mm", "m"), ("y", "i"), ("uly", "ulu")),
    "mn": (("kh", "h"), ("ts", "c"), ("-", "")),
    "en": (("ph", "f"), ("ie", "y")),
    "eu": (("ph", "f"), ("z", "s")),
    "vi": (("y", "i"),),
}  # fmt: skip
_GERMANIC = {"ü": "ue", "ö": "oe", "ä": "ae", "ø": "oe", "å": "aa"}
_NO_DECOMPOSE = {"Đ": "D", "đ": "d", "ø": "o", "Ø": "O"}


def strip_diacritics(s: str, germanic: bool = False) -> str:
    """Nguyễn -> Nguyen, Müller -> Muller (or Mueller with ``germanic``)."""
    if germanic:
        s = "".join(_GERMANIC.get(c, c) for c in s)
    s = "".join(_NO_DECOMPOSE.get(c, c) for c in s)
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_KEYS = "qwertyuiop asdfghjkl zxcvbnm"

# Region codes: real county-level codes (province prefix -> codes), with province weights.
_REGIONS = {
    "11": (1.5, [110101, 110102, 110105, 110106, 110108, 110111, 110112, 110114]),
    "12": (1.0, [120101, 120102, 120103, 120104, 120105, 120110]),
    "13": (5.3, [130102, 130104, 130105, 130202, 130203, 130602, 130681]),
    "14": (2.5, [140105, 140106, 140107, 140202, 140402]),
    "15": (1.7, [150102, 150103, 150104, 150202, 150203]),
    "21": (3.0, [210102, 210103, 210104, 210202, 210203, 210302]),
    "22": (1.7, [220102, 220103, 220104, 220202, 220203]),
    "23": (2.3, [230102, 230103, 230104, 230202, 230203]),
    "31": (1.8, [310101, 310104, 310105, 310106, 310107, 310110, 310115]),
    "32": (6.0, [320102, 320104, 320105, 320106, 320111, 320205, 320282, 320583]),
    "33": (4.6, [330102, 330105, 330106, 330108, 330203, 330302, 330381]),
    "34": (4.3, [340102, 340103, 340104, 340202, 340302]),
    "35": (2.9, [350102, 350103, 350104, 350203, 350206, 350582, 350583]),
    "36": (3.2, [360102, 360103, 360104, 360426, 360502]),
    "37": (7.2, [370102, 370103, 370104, 370202, 370203, 370302, 370602, 370782]),
    "41": (7.0, [410102, 410103, 410104, 410105, 410302, 410702, 411302]),
    "42": (4.1, [420102, 420103, 420104, 420106, 420111, 420502]),
    "43": (4.7, [430102, 430103, 430104, 430105, 430202, 430602]),
    "44": (8.9, [440103, 440104, 440105, 440106, 440111, 440303, 440304, 440305, 440402,
                 440604, 441302, 445102]),
    "45": (3.5, [450102, 450103, 450105, 450202, 450302]),
    "46": (0.7, [460105, 460106, 460107, 460108]),
    "50": (2.3, [500101, 500102, 500103, 500104, 500105, 500106]),
    "51": (5.9, [510104, 510105, 510106, 510107, 510108, 510302, 510402, 510603]),
    "52": (2.7, [520102, 520103, 520111, 520302]),
    "53": (3.3, [530102, 530103, 530111, 530112, 530302]),
    "54": (0.25, [540102, 540103]),
    "61": (2.8, [610102, 610103, 610104, 610111, 610112, 610302]),
    "62": (1.8, [620102, 620103, 620104, 620105]),
    "63": (0.4, [630102, 630103, 630104]),
    "64": (0.5, [640104, 640105, 640106]),
    "65": (0.9, [650102, 650103, 650104, 650105, 650106]),
    "81": (0.3, [810000]),
    "82": (0.05, [820000]),
    "83": (0.25, [830000]),
}  # fmt: skip

_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_CHECK = "10X98765432"


def id_check(body17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits."""
    return _CHECK[sum(int(c) * int(w) for c, w in zip(body17, _WEIGHTS, strict=True)) % 11]


# --- Tables built once ---------------------------------------------------------------------


def _code_start(code: int) -> int:
    """The first year a region code was in use, from python-stdnum's dated GB/T 2260 table
    (0 when always; codes it lacks, like Taiwan's 830000 of 2018 residence permits: 2018)."""
    from stdnum import numdb

    info = {k: v for _, props in numdb.get("cn/loc").info(str(code)) for k, v in props.items()}
    if "county" not in info:
        return 2018 if code == 830000 else 0
    starts = [p[1:].split("-")[0] if p.startswith("[") else "" for p in info["county"].split(",")]
    return min(int(x) if x else 0 for x in starts)


TAIL_SHARE = 0.5  # share of given-name characters drawn from outside the sex/cohort pool


class _Tables:
    def __init__(self) -> None:
        self.surnames: list[str] = []
        self.s_py: dict[str, list[str]] = {}
        self.s_trad: dict[str, str] = {}
        self.s_dialect: dict[str, list[str]] = {}
        weights = []
        for line in _SURNAMES.strip().splitlines():
            hz, py, trad, dialect, share = line.split("|")
            self.surnames.append(hz)
            self.s_py[hz] = py.split("-")
            self.s_trad[hz] = trad
            self.s_dialect[hz] = dialect.split(",")
            weights.append(float(share))
        self.s_weights = np.array(weights) / sum(weights)
        self.c_py: dict[str, str] = {}
        self.c_trad: dict[str, str] = {}
        by_py: dict[str, list[str]] = {}
        for tok in _CHARS.split():
            hz, rest = tok[0], tok[1:]
            py = "".join(ch for ch in rest if ch.isascii())
            trad = "".join(ch for ch in rest if not ch.isascii()) or hz
            self.c_py[hz], self.c_trad[hz] = py, trad
            by_py.setdefault(py, []).append(hz)
        self.homophones = {hz: [o for o in by_py[py] if o != hz] for hz, py in self.c_py.items()}
        self.pools: dict[tuple[str, str], tuple[str, np.ndarray]] = {}
        tail = "".join(c for c in self.c_py if c not in "".join(_POOLS.values()))
        for key, chars in _POOLS.items():
            chars = "".join(dict.fromkeys(chars))
            w = 1.0 / np.arange(1, len(chars) + 1) ** 0.8
            w = w / w.sum() * (1 - TAIL_SHARE)
            # The long tail: every other character of the table, with a small equal weight.
            wt = np.full(len(tail), TAIL_SHARE / len(tail))
            self.pools[key] = (chars + tail, np.concatenate([w, wt]))
        self.regions: list[int] = []
        rw: list[float] = []
        for weight, codes in _REGIONS.values():
            self.regions += codes
            rw += [weight / len(codes)] * len(codes)
        self.r_weights = np.array(rw) / sum(rw)
        self.r_index = {code: i for i, code in enumerate(self.regions)}
        self.r_start = np.array([_code_start(c) for c in self.regions])
        self.tibet = [i for i, c in enumerate(self.regions) if c // 10000 == 54]
        self.xinjiang = [i for i, c in enumerate(self.regions) if c // 10000 == 65]
        fw = np.array([v[3] for v in _FOREIGN.values()], dtype=float)
        self.f_origins = list(_FOREIGN)
        self.f_weights = fw / fw.sum()


T = _Tables()

# --- Romanisation ----------------------------------------------------------------------------

_WG_WHOLE = {
    "zhi": "chih", "chi": "ch'ih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tz'u",
    "si": "ssu", "you": "yu", "yan": "yen", "ye": "yeh", "yi": "i", "yong": "yung", "yue": "yüeh",
    "yuan": "yüan", "yun": "yün", "yu": "yü", "er": "erh", "e": "o",
}  # fmt: skip
_WG_INIT = [("zh", "ch"), ("ch", "ch'"), ("sh", "sh"), ("z", "ts"), ("c", "ts'"), ("j", "ch"),
            ("q", "ch'"), ("x", "hs"), ("r", "j"), ("b", "p"), ("p", "p'"), ("d", "t"),
            ("t", "t'"), ("g", "k"), ("k", "k'")]  # fmt: skip


def wade_giles(syl: str) -> str:
    """Pinyin syllable (v for ü) to Wade-Giles, apostrophes included."""
    if syl in _WG_WHOLE:
        return _WG_WHOLE[syl]
    init, fin = "", syl
    for py, _ in _WG_INIT:
        if syl.startswith(py):
            init, fin = py, syl[len(py) :]
            break
    for a in "mfnlhsw":
        if not init and syl.startswith(a) and syl not in ("a",):
            init, fin = a, syl[1:]
            break
    out = dict(_WG_INIT).get(init, init)
    if init in ("j", "q", "x"):
        fin = {"u": "ü", "uan": "üan", "un": "ün", "ue": "üeh"}.get(fin, fin)
    fin = fin.replace("v", "ü")
    if fin == "ong":
        fin = "ung"
    elif fin == "iong":
        fin = "iung"
    elif fin == "ian":
        fin = "ien"
    elif fin == "ie":
        fin = "ieh"
    elif fin == "ve" or fin == "üe":
        fin = "üeh"
    elif (fin == "uo" and init not in ("g", "k", "h", "sh")) or (fin == "e" and init in "gkh"):
        fin = "o"
    elif fin == "ui" and init in ("g", "k"):
        fin = "uei"
    return out + fin


# --- Persons ---------------------------------------------------------------------------------

HAN, MINORITY, FOREIGN = 0, 1, 2


@dataclass(slots=True)
class _People:
    """Columnar persons; names as (surname, given) for Han, (part1, part2, sep) otherwise."""

    kind: np.ndarray
    sex: np.ndarray  # 0 female, 1 male
    born: np.ndarray  # datetime64[D]
    region: np.ndarray  # index into T.regions
    seq: np.ndarray
    fam: list[str]
    given: list[str]
    origin: list[str]  # foreign origin or "tb"/"ug" or "" for Han


def _draw_given(rng: np.random.Generator, sex: np.ndarray, young: np.ndarray) -> list[str]:
    n = len(sex)
    r = rng.random(n)
    length = np.where(r < np.where(young, 0.08, 0.22), 1, np.where(r < 0.985, 2, 3))
    out = np.empty((n, 3), dtype=object)
    for s, sx in (("m", 1), ("f", 0)):
        for c, yg in (("old", False), ("new", True)):
            mask = (sex == sx) & (young == yg)
            chars, w = T.pools[(s, c)]
            k = int(mask.sum())
            idx = rng.choice(len(chars), size=(k, 3), p=w)
            arr = np.array(list(chars), dtype=object)[idx]
            out[mask] = arr
    names = ["".join(row[:ln]) for row, ln in zip(out.tolist(), length.tolist(), strict=True)]
    # 小 and 晓 lead a given name (小明, 晓燕), they do not end one.
    return [g if g[-1] not in "小晓" else ("明" if len(g) == 1 else g[::-1]) for g in names]


def _draw_people(rng: np.random.Generator, n: int) -> _People:
    u = rng.random(n)
    kind = np.where(u < 0.935, HAN, np.where(u < 0.95, MINORITY, FOREIGN)).astype(np.int8)
    sex = (rng.random(n) < 0.55).astype(np.int8)
    year = np.clip(np.rint(rng.normal(1983, 11, n)), 1946, 2008).astype(np.int64)
    start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    leap = ((year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))).astype(np.int64)
    born = start + (rng.random(n) * (365 + leap)).astype(np.int64).astype("timedelta64[D]")
    region = rng.choice(len(T.regions), size=n, p=T.r_weights)
    # A number's region code existed when it was assigned: at birth, or at the first card
    # (1984-) for those born earlier. Redraw codes created later.
    for _ in range(100):
        late = T.r_start[region] > np.maximum(year, 1984)
        if not late.any():
            break
        region[late] = rng.choice(len(T.regions), size=int(late.sum()), p=T.r_weights)
    young = year >= 1985
    fam = np.array(T.surnames, dtype=object)[
        rng.choice(len(T.surnames), size=n, p=T.s_weights)
    ].tolist()
    given = _draw_given(rng, sex, young)
    origin = [""] * n
    for i in np.flatnonzero(kind == MINORITY).tolist():
        if rng.random() < 0.35:
            region[i] = T.tibet[0]
            a, b = rng.choice(len(_TIBETAN), 2, replace=False)
            fam[i], given[i], origin[i] = _TIBETAN[a], _TIBETAN[b], "tb"
        else:
            region[i] = T.xinjiang[int(rng.integers(len(T.xinjiang)))]  # all in use by 1983
            a, b = rng.choice(len(_UYGHUR), 2, replace=False)
            fam[i], given[i], origin[i] = _UYGHUR[a], _UYGHUR[b], "ug"
    fidx = np.flatnonzero(kind == FOREIGN)
    origins = rng.choice(len(T.f_origins), size=len(fidx), p=T.f_weights)
    frnd = random.Random(int(rng.integers(2**62)))
    for i, o in zip(fidx.tolist(), origins.tolist(), strict=True):
        key = T.f_origins[o]
        given[i], fam[i] = _foreign_draw(frnd, key, bool(sex[i]))
        origin[i] = key
    seq = rng.integers(0, 500, n) * 2 + sex
    return _People(kind, sex, born, region, seq, fam, given, origin)


def _bodies(p: _People) -> np.ndarray:
    """17-digit id bodies as int64: region, YYYYMMDD, sequence."""
    ymd = _ymd_int(p.born)
    codes = np.array(T.regions, dtype=np.int64)[p.region]
    return (codes * 100_000_000 + ymd) * 1000 + p.seq


def _ymd_int(days: np.ndarray) -> np.ndarray:
    y = days.astype("datetime64[Y]")
    m = days.astype("datetime64[M]")
    yy = y.astype(np.int64) + 1970
    mm = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    dd = (days - m.astype("datetime64[D]")).astype(np.int64) + 1
    return yy * 10000 + mm * 100 + dd


def _unique_bodies(rng: np.random.Generator, p: _People, taken: np.ndarray | None) -> np.ndarray:
    """Redraw sequence numbers until every body is unique (and not in ``taken``)."""
    for _ in range(50):
        body = _bodies(p)
        _, first = np.unique(body, return_index=True)
        bad = np.ones(len(body), dtype=bool)
        bad[first] = False
        if taken is not None:
            bad |= np.isin(body, taken)
        if not bad.any():
            return body
        p.seq[bad] = rng.integers(0, 500, int(bad.sum())) * 2 + p.sex[bad]
    raise RuntimeError("could not make identity numbers unique")


def _id_strings(body: np.ndarray) -> list[str]:
    digits = (body[:, None] // (10 ** np.arange(16, -1, -1, dtype=np.int64))) % 10
    checks = (digits @ _WEIGHTS) % 11
    return [f"{b:017d}{_CHECK[c]}" for b, c in zip(body.tolist(), checks.tolist(), strict=True)]


# --- Name forms ------------------------------------------------------------------------------


def _syllables(p: _People, i: int) -> tuple[list[str], list[str]]:
    """(family syllables, given syllables) in pinyin, v for ü."""
    return _syllables_of(p.fam[i], p.given[i], p.origin[i])


def _syllables_of(fam: str, given: str, origin: str) -> tuple[list[str], list[str]]:
    if origin:
        return _MINORITY_PY[fam].split("-"), _MINORITY_PY[given].split("-")
    c_py = T.c_py
    return T.s_py[fam], [c_py[c] for c in given]


def _hanzi(p: _People, i: int) -> str:
    if p.origin[i] == "ug":
        return p.fam[i] + "·" + p.given[i]
    return p.fam[i] + p.given[i]


def pinyin_name(fam: list[str], given: list[str], u: str = "ü") -> str:
    """The canonical list form: "Zhang Xiaoming", "Ouyang Xiaoming", "Lü Jun"."""
    f = "".join(fam).replace("v", u).capitalize()
    g = "".join(given).replace("v", u).capitalize()
    return f"{f} {g}"


def _latin(p: _People, i: int) -> str:
    family_first = _FOREIGN[p.origin[i]][2]
    return f"{p.fam[i]} {p.given[i]}" if family_first else f"{p.given[i]} {p.fam[i]}"


def _case(rnd: random.Random, s: str) -> str:
    return s.upper() if rnd.random() < 0.35 else s


def _romanise(rnd: random.Random, p: _People, i: int) -> tuple[str, list[str]]:
    fam, given = _syllables(p, i)
    labels: list[str] = []
    u = "ü"
    if any("v" in s for s in fam + given):
        u = rnd.choice(["ü", "v", "u", "yu", "ue"])
        if u != "ü":
            labels.append("name-umlaut")
    han = p.origin[i] == ""
    r = rnd.random()
    last = rnd.random() < 0.15
    if han and r < 0.12:
        sep = "'" if rnd.random() < 0.5 else ""
        f = "-".join(wade_giles(s) for s in fam).replace("'", sep).capitalize()
        g = "-".join(wade_giles(s) for s in given).replace("'", sep).capitalize()
        if rnd.random() < 0.6:
            f, g = f.replace("ü", "u"), g.replace("ü", "u")
        labels = ["name-wade-giles"]
    elif han and r < 0.24:
        f = rnd.choice(T.s_dialect[p.fam[i]])
        if not any("v" in s for s in given):
            labels = []
        g = "".join(given).replace("v", u).capitalize()
        if rnd.random() < 0.4:
            g = "-".join(s.replace("v", u) for s in given).capitalize()
        labels.insert(0, "name-dialect")
    else:
        f = "".join(fam).replace("v", u).capitalize()
        style = rnd.random()
        gs = [s.replace("v", u) for s in given]
        if style < 0.45:
            g = "".join(gs).capitalize()
            labels.insert(0, "name-pinyin")
        elif style < 0.65:
            g = " ".join(s.capitalize() for s in gs)
            labels.insert(0, "name-pinyin-spaced")
        elif style < 0.77:
            g = "-".join(s.capitalize() for s in gs)
            labels.insert(0, "name-pinyin-hyphen")
        elif style < 0.90:
            return (f + "".join(gs)).upper(), ["name-pinyin-joined", *labels]
        else:
            return f"{f.upper()}, {''.join(gs).capitalize()}", ["name-comma", *labels]
    if last:
        labels.append("name-order")
        return _case(rnd, f"{g} {f}"), labels
    return _case(rnd, f"{f} {g}"), labels


def _traditional(p: _People, i: int) -> str:
    if p.origin[i] == "":
        return T.s_trad[p.fam[i]] + "".join(T.c_trad[c] for c in p.given[i])
    return "".join(_MINORITY_TRAD.get(c, c) for c in _hanzi(p, i))


_HAN_FAULTS = {
    "": (("romanise", 0.42), ("homophone", 0.14), ("traditional", 0.10), ("drop", 0.07),
         ("add", 0.06), ("space", 0.08), ("alias", 0.13)),
    "tb": (("romanise", 0.6), ("traditional", 0.2), ("space", 0.2)),
    "ug": (("dot", 0.5), ("romanise", 0.35), ("traditional", 0.15)),
}  # fmt: skip


@cache
def _fault_table(origin: str, alias: bool, drop: bool) -> tuple[list[str], list[float]]:
    options = [
        (f, w) for f, w in _HAN_FAULTS[origin] if (f != "alias" or alias) and (f != "drop" or drop)
    ]
    return [f for f, _ in options], list(accumulate(w for _, w in options))


def _han_name(rnd: random.Random, p: _People, i: int, former: str | None) -> tuple[str, list[str]]:
    """A Han or minority person's name as filed, with its fault labels."""
    if rnd.random() >= 0.5:
        return _hanzi(p, i), []
    given = p.given[i]
    faults, cum = _fault_table(p.origin[i], former is not None, len(given) >= 2)
    fault = rnd.choices(faults, cum_weights=cum)[0]
    if fault == "romanise":
        return _romanise(rnd, p, i)
    if fault == "dot":
        return p.fam[i] + rnd.choice(["", "•", "・", ".", " "]) + given, ["name-dot"]
    if fault == "alias" and former is not None:
        return former, ["name-alias"]
    if fault == "homophone":
        spots = [k for k, c in enumerate(given) if T.homophones.get(c)]
        if spots:
            k = rnd.choice(spots)
            g = given[:k] + rnd.choice(T.homophones[given[k]]) + given[k + 1 :]
            return p.fam[i] + g, ["name-homophone"]
        fault = "traditional"
    if fault == "traditional":
        trad = _traditional(p, i)
        if trad != _hanzi(p, i):
            return trad, ["name-traditional"]
        fault = "space"
    if fault == "drop":
        k = rnd.randrange(len(given))
        return p.fam[i] + given[:k] + given[k + 1 :], ["name-drop-char"]
    if fault == "add":
        chars, _ = T.pools[("m" if p.sex[i] else "f", "old" if rnd.random() < 0.5 else "new")]
        k = rnd.randrange(len(given) + 1)
        c = rnd.choice([chars[rnd.randrange(min(20, len(chars)))], given[min(k, len(given) - 1)]])
        return p.fam[i] + given[:k] + c + given[k:], ["name-add-char"]
    if p.origin[i] == "ug":
        return p.fam[i] + " " + given, ["name-dot"]
    return p.fam[i] + " " + given, ["name-space"]


def _typo(rnd: random.Random, s: str) -> str:
    letters = [k for k, c in enumerate(s) if c.isalpha()]
    k = rnd.choice(letters)
    op = rnd.random()
    if op < 0.35:
        row = next((r for r in _KEYS.split() if s[k].lower() in r), None)
        if row:
            j = row.index(s[k].lower())
            near = [row[x] for x in (j - 1, j + 1) if 0 <= x < len(row)]
            c = rnd.choice(near)
            return s[:k] + (c.upper() if s[k].isupper() else c) + s[k + 1 :]
    if op < 0.6 and k + 1 < len(s) and s[k + 1].isalpha() and s[k] != s[k + 1]:
        return s[:k] + s[k + 1] + s[k] + s[k + 2 :]
    if op < 0.8 and len(letters) > 4:
        return s[:k] + s[k + 1 :]
    return s[:k] + s[k] + s[k:]


def _foreign_name(rnd: random.Random, p: _People, i: int) -> tuple[str, list[str]]:
    name = _latin(p, i)
    if rnd.random() >= 0.5:
        return _case(rnd, name), []
    r = rnd.random()
    words = name.split()
    if r < 0.2:
        return _case(rnd, " ".join(words[-1:] + words[:-1])), ["name-order"]
    if r < 0.45:
        options = [(k, v) for k, w in enumerate(words) for v in _TRANSLIT.get(w, [])]
        for k, w in enumerate(words):
            for pat, rep in _TRANSLIT_RULES.get(p.origin[i], ()):
                if pat in w[1:]:
                    options.append((k, w[0] + w[1:].replace(pat, rep, 1)))
        if options:
            k, v = rnd.choice(options)
            words[k] = v
            return _case(rnd, " ".join(words)), ["name-translit"]
    if r < 0.6 and not name.isascii():
        plain = strip_diacritics(name, germanic=rnd.random() < 0.5)
        return _case(rnd, plain), ["name-diacritics"]
    if r < 0.7 and p.origin[i] == "en" and len(words) == 3:
        return _case(rnd, f"{words[0]} {words[2]}"), ["name-middle"]
    return _case(rnd, _typo(rnd, name)), ["name-typo"]


# --- Dates -----------------------------------------------------------------------------------

_J2000_ORD = date(2000, 1, 1).toordinal()  # JD 2451544.5


def _beijing_day(jde: float) -> int:
    """Ordinal of the Beijing-time (UTC+8) calendar day of a Julian ephemeris date."""
    return _J2000_ORD + math.floor(jde - 2451544.5 + 8 / 24)


def _new_moon_day(k: int) -> int:
    """Beijing day of new moon number k (0 = 6 Jan 2000): Meeus's mean phase with the main
    periodic terms (good to minutes; enough to get the day right nearly always)."""
    jde = 2451550.09766 + 29.530588861 * k
    m = math.radians(2.5534 + 29.10535670 * k)
    mp = math.radians(201.5643 + 385.81693528 * k)
    f = math.radians(160.7108 + 390.67050284 * k)
    jde += (
        -0.40720 * math.sin(mp)
        + 0.17241 * math.sin(m)
        + 0.01608 * math.sin(2 * mp)
        + 0.01039 * math.sin(2 * f)
        + 0.00739 * math.sin(mp - m)
        - 0.00514 * math.sin(mp + m)
        + 0.00208 * math.sin(2 * m)
    )
    return _beijing_day(jde)


def _lunation_on_or_before(day: int) -> int:
    k = math.floor((day - _J2000_ORD - 5) / 29.530588861)
    while _new_moon_day(k + 1) <= day:
        k += 1
    while _new_moon_day(k) > day:
        k -= 1
    return k


@cache
def _new_year_lunation(year: int) -> int:
    """The Chinese New Year: the second new moon after the month holding the December
    solstice of the year before (Meeus's mean solstice; leap 11th/12th months ignored)."""
    y = (year - 1 - 2000) / 1000
    solstice = 2451900.05952 + 365242.74049 * y - 0.06223 * y * y
    return _lunation_on_or_before(_beijing_day(solstice)) + 2


# The principal solar terms (中气): their usual Gregorian dates, refined by _term_day.
_ZHONGQI = ((1, 20), (2, 19), (3, 20), (4, 20), (5, 21), (6, 21), (7, 23), (8, 23), (9, 23),
            (10, 23), (11, 22), (12, 22))  # fmt: skip


def _sun_longitude(jd: float) -> float:
    """Apparent solar longitude in degrees (Meeus ch. 25, low accuracy: ~0.01°)."""
    t = (jd - 2451545.0) / 36525
    m = math.radians(357.52911 + 35999.05029 * t)
    c = (1.914602 - 0.004817 * t) * math.sin(m) + 0.019993 * math.sin(2 * m)
    omega = math.radians(125.04 - 1934.136 * t)
    return (280.46646 + 36000.76983 * t + c - 0.00569 - 0.00478 * math.sin(omega)) % 360


def _term_day(guess: int) -> int:
    """The Beijing day on which the solar longitude crosses the multiple of 30° nearest to it
    around ``guess`` (the usual date of a principal term)."""
    jd0 = 2451544.5 + (guess - _J2000_ORD) - 8 / 24
    target = round(_sun_longitude(jd0) / 30) * 30 % 360
    for day in range(guess - 3, guess + 3):
        jd = 2451544.5 + (day - _J2000_ORD) - 8 / 24
        a = (_sun_longitude(jd) - target + 180) % 360 - 180
        b = (_sun_longitude(jd + 1) - target + 180) % 360 - 180
        if a < 0 <= b:
            return day
    return guess


@cache
def _leap_lunation(year: int) -> int | None:
    """The leap month of a 13-month lunar year: the first month holding no principal term."""
    start, end = _new_year_lunation(year), _new_year_lunation(year + 1)
    if end - start < 13:
        return None
    terms = [_term_day(date(y, m, d).toordinal()) for y in (year, year + 1) for m, d in _ZHONGQI]
    for k in range(start + 1, end):
        lo, hi = _new_moon_day(k), _new_moon_day(k + 1)
        if not any(lo <= t < hi for t in terms):
            return k
    return None


def lunar_as_filed(d: date) -> str:
    """The lunar birthday written as if it were a Gregorian date (a leap month is filed
    under its number: 闰四月 -> "04")."""
    n = _lunation_on_or_before(d.toordinal())
    year = d.year
    ny = _new_year_lunation(year)
    if n < ny:
        year -= 1
        ny = _new_year_lunation(year)
    leap = _leap_lunation(year)
    month = n - ny + 1 - (leap is not None and n >= leap)
    month = min(12, month)
    day = d.toordinal() - _new_moon_day(n) + 1
    while True:  # a 30th that the Gregorian month lacks is filed as its last day
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            day -= 1


def _file_date(rnd: random.Random, d: date) -> tuple[str, list[str]]:
    iso = d.isoformat()
    if rnd.random() >= 0.3:
        return iso, []
    r = rnd.random()
    if r < 0.12:
        return f"{d.year:04d}", ["date-year"]
    if r < 0.22:
        return f"{d.year:04d}-{d.month:02d}", ["date-ym"]
    if r < 0.34 and d.day <= 12 and d.day != d.month:
        return f"{d.year:04d}-{d.day:02d}-{d.month:02d}", ["date-dm-swap"]
    if r < 0.46:
        sep = "-" if rnd.random() < 0.7 else "."
        return f"{d.year % 100:02d}{sep}{d.month:02d}{sep}{d.day:02d}", ["date-yy"]
    if r < 0.58:
        return lunar_as_filed(d), ["date-lunar"]
    if r < 0.74:
        fmt = rnd.choice(
            ["{y}/{m:02d}/{d:02d}", "{y}{m:02d}{d:02d}", "{y}.{m}.{d}", "{y}年{m}月{d}日"]
        )
        return fmt.format(y=d.year, m=d.month, d=d.day), ["date-format"]
    if r < 0.80:
        return "", ["date-missing"]
    digits = iso.replace("-", "")
    for _ in range(100):
        k = rnd.randrange(2, 8)
        s = digits[:k] + rnd.choice([c for c in "0123456789" if c != digits[k]]) + digits[k + 1 :]
        try:
            wrong = date(int(s[:4]), int(s[4:6]), int(s[6:]))
        except ValueError:
            continue
        if 1930 <= wrong.year <= 2012:
            return wrong.isoformat(), ["date-digit"]
    return "", ["date-missing"]


def _file_id(rnd: random.Random, number: str, born: date) -> tuple[str, list[str]]:
    if not number:
        return "", []
    if rnd.random() >= 0.3:
        if number.endswith("X") and rnd.random() < 0.3:
            return number[:-1] + "x", ["id-lower-x"]
        return number, []
    r = rnd.random()
    if r < 0.15 and born.year < 1988:
        return number[:6] + number[8:14] + number[14:17], ["id-old15"]
    if r < 0.55:
        k = rnd.randrange(18)
        c = rnd.choice([x for x in "0123456789" if x != number[k]])
        return number[:k] + c + number[k + 1 :], ["id-digit"]
    if r < 0.68:
        spots = [k for k in range(16) if number[k] != number[k + 1]]
        if spots:
            k = rnd.choice(spots)
            return number[:k] + number[k + 1] + number[k] + number[k + 2 :], ["id-transpose"]
    return "", ["id-missing"]


# --- The generator ---------------------------------------------------------------------------

STRANGER_KINDS = (
    ("namesake", 0.06),
    ("namesake-year", 0.015),
    ("namesake-dob", 0.003),
    ("same-dob", 0.03),
    ("near-name", 0.02),
    ("sibling", 0.025),
    ("twin", 0.003),
)


def _to_date(d: np.datetime64) -> date:
    return date.fromordinal(int(d.astype(np.int64)) + 719163)


def generate_with_kinds(
    listed: int, records: int, seed: int, match_share: float = 0.02
) -> tuple[list[ListedRow], list[RecordRow], list[str | None]]:
    """As ``generate``; also each record's stranger kind (None for a listed person's)."""
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed * 7919 + 17)
    people = _draw_people(rng, listed)
    body = _unique_bodies(rng, people, None)
    ids = _id_strings(body)
    is_cn = people.kind != FOREIGN
    has_id = is_cn & (rng.random(listed) < 0.92)
    year_only = rng.random(listed) < 0.03
    alias_u = rng.random(listed)
    listed_pinyin = (people.kind == HAN) & (rng.random(listed) < 0.03)
    born_iso = np.datetime_as_string(people.born, unit="D").tolist()

    # Former names (曾用名) for 5% of Han entries: another given name, same surname.
    former: dict[int, str] = {}
    han_idx = np.flatnonzero(people.kind == HAN)
    fidx = han_idx[rng.random(len(han_idx)) < 0.05]
    fg = _draw_given(rng, people.sex[fidx], rng.random(len(fidx)) < 0.3)
    for i, g in zip(fidx.tolist(), fg, strict=True):
        if g != people.given[i]:
            former[i] = people.fam[i] + g

    rows: list[ListedRow] = []
    width = max(7, len(str(listed)))
    kind_l, alias_l, pinyin_l = people.kind.tolist(), alias_u.tolist(), listed_pinyin.tolist()
    year_l, has_l = year_only.tolist(), has_id.tolist()
    fam_l, given_l, origin_l = people.fam, people.given, people.origin
    for i in range(listed):
        k = kind_l[i]
        aliases: list[str] = []
        if k == FOREIGN:
            name = _latin(people, i)
            if alias_l[i] < 0.3:
                words = name.split()
                alt = [_TRANSLIT[w][0] if w in _TRANSLIT else w for w in words]
                aliases.append(" ".join(alt if alt != words else words[-1:] + words[:-1]))
        else:
            origin = origin_l[i]
            name = fam_l[i] + ("·" if origin == "ug" else "") + given_l[i]
            if pinyin_l[i]:
                hz, name = name, pinyin_name(*_syllables_of(fam_l[i], given_l[i], origin))
                if alias_l[i] < 0.5:
                    aliases.append(hz)
            elif alias_l[i] < (0.4 if k == HAN else 0.5):
                aliases.append(pinyin_name(*_syllables_of(fam_l[i], given_l[i], origin)))
            if i in former:
                aliases.append(former[i])
        bd = born_iso[i][:4] if year_l[i] else born_iso[i]
        rows.append(
            ListedRow(f"C-{i:0{width}d}", name, tuple(aliases), bd, ids[i] if has_l[i] else "")
        )

    # Records: listed persons' and strangers'.
    n_match = min(records, round(records * match_share))
    n_str = records - n_match
    who = rng.integers(0, listed, n_match)
    strangers = _draw_people(rng, n_str)
    han_given = _draw_given(rng, strangers.sex, strangers.born >= np.datetime64("1985-01-01"))
    kinds: list[str] = []
    cuts = np.cumsum([s for _, s in STRANGER_KINDS])
    ku = rng.random(n_str)
    src = rng.integers(0, listed, n_str)
    for j in range(n_str):
        pos = int(np.searchsorted(cuts, ku[j], side="right"))
        kind = STRANGER_KINDS[pos][0] if pos < len(STRANGER_KINDS) else "fresh"
        s = int(src[j])
        if kind != "fresh" and people.kind[s] != HAN and kind in ("near-name", "sibling", "twin"):
            kind = "namesake"
        kinds.append(kind)
        if kind == "fresh":
            continue
        if kind.startswith("namesake") or kind in ("near-name", "sibling", "twin"):
            strangers.kind[j] = people.kind[s]
            strangers.origin[j] = people.origin[s]
            strangers.fam[j] = people.fam[s]
            if strangers.given[j] not in han_given[j]:
                strangers.given[j] = han_given[j]  # a foreign or minority draw made a relative
            if kind not in ("sibling", "twin"):
                strangers.given[j] = people.given[s]
                strangers.sex[j] = people.sex[s]
        if kind == "namesake-year":
            y = people.born[s].astype("datetime64[Y]")
            strangers.born[j] = y.astype("datetime64[D]") + np.timedelta64(rnd.randrange(365), "D")
        if kind in ("namesake-dob", "same-dob", "twin"):
            strangers.born[j] = people.born[s]
        if kind == "same-dob" and rnd.random() < 0.5:
            strangers.region[j] = people.region[s]
        if kind == "near-name":
            g = people.given[s]
            k = rnd.randrange(len(g))
            chars, _ = T.pools[("m" if people.sex[s] else "f", "old")]
            c = rnd.choice([x for x in chars + "".join(T.homophones.get(g[k], [])) if x != g[k]])
            strangers.given[j] = g[:k] + c + g[k + 1 :]
            strangers.sex[j] = people.sex[s]
        if kind in ("sibling", "twin"):
            strangers.region[j] = people.region[s]
            g = people.given[s]
            sg = strangers.given[j]
            if len(g) == 2 and rnd.random() < 0.6:
                pool = T.pools[("m" if strangers.sex[j] else "f", "old")][0]
                other = rnd.choice([x for x in pool if x != g[1]])
                strangers.given[j] = g[0] + other
            elif sg == g:
                strangers.given[j] = sg + "子" if len(sg) == 1 else sg[::-1]
            if kind == "sibling":
                gap = rnd.randint(1, 10) * rnd.choice([-1, 1]) * 365 + rnd.randrange(-150, 150)
                strangers.born[j] = people.born[s] + np.timedelta64(gap, "D")
            else:
                nxt = int(people.seq[s]) + 1
                strangers.seq[j] = (nxt + (nxt % 2 != strangers.sex[j])) % 1000
        if strangers.kind[j] == FOREIGN:
            strangers.region[j] = 0
    strangers.born = np.clip(
        strangers.born, np.datetime64("1940-01-01"), np.datetime64("2010-12-31")
    )
    s_body = _unique_bodies(rng, strangers, body)
    s_ids = _id_strings(s_body)

    out: list[RecordRow] = []
    rwidth = max(6, len(str(records)))
    order = rng.permutation(records)
    for pos in order.tolist():
        if pos < n_match:
            i = int(who[pos])
            p, number, truth = people, ids[i], rows[i].entry_id
            fm = former.get(i)
        else:
            i = pos - n_match
            p, number, truth = strangers, s_ids[i], None
            fm = None
        d = _to_date(p.born[i])
        if p.kind[i] == FOREIGN:
            name, nl = _foreign_name(rnd, p, i)
            number = ""
        else:
            name, nl = _han_name(rnd, p, i, fm)
            if (
                truth is not None
                and listed_pinyin[i]
                and not name.isascii()
                and _hanzi(p, i) not in rows[i].aliases
            ):
                nl = ["name-script", *nl]
        bd, dl = _file_date(rnd, d)
        idn, il = _file_id(rnd, number, d)
        labels = nl + dl + il
        out.append(
            RecordRow(
                f"RC-{len(out):0{rwidth}d}",
                name,
                bd,
                idn,
                truth,
                ("+".join(labels) or "clean") if truth is not None else "",
            )
        )
    rec_kinds: list[str | None] = []
    for pos in order.tolist():
        rec_kinds.append(None if pos < n_match else kinds[pos - n_match])
    return rows, out, rec_kinds


def generate(
    listed: int, records: int, seed: int, match_share: float = 0.02
) -> tuple[list[ListedRow], list[RecordRow]]:
    """``listed`` watchlist entries and ``records`` filed records, ``match_share`` of them of
    listed persons. Deterministic in ``seed``."""
    rows, recs, _ = generate_with_kinds(listed, records, seed, match_share)
    return rows, recs


# --- Self-check ------------------------------------------------------------------------------


def valid_id(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and id_check(number[:17]) == number[17]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--listed", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--match-share", type=float, default=0.02)
    parser.add_argument("--samples", type=int, default=3, help="samples per label")
    args = parser.parse_args()
    t0 = time.perf_counter()
    listed, records, kinds = generate_with_kinds(
        args.listed, args.records, args.seed, args.match_share
    )
    took = time.perf_counter() - t0
    print(f"set C: {len(listed):,} listed, {len(records):,} records, seed {args.seed}, "
          f"generated in {took:.1f} s")  # fmt: skip
    by_id = {r.entry_id: r for r in listed}
    bad = sum(1 for r in listed if r.id_number and not valid_id(r.id_number))
    assert bad == 0, f"{bad} listed numbers fail the check"
    lid = [r.id_number for r in listed if r.id_number]
    assert len(set(lid)) == len(lid), "listed numbers are not unique"
    print(f"listed: {sum(bool(r.id_number) for r in listed):,} with a number, "
          f"{sum(bool(r.aliases) for r in listed):,} with aliases, "
          f"{sum(len(r.birth_date) == 4 for r in listed):,} year only, "
          f"{sum(r.name[:1].isascii() for r in listed):,} Latin-script names")  # fmt: skip
    for row in listed[:5]:
        print("  ", row)
    labels: Counter[str] = Counter()
    combos: Counter[str] = Counter()
    examples: dict[str, list[RecordRow]] = {}
    for r in records:
        if r.truth is None:
            continue
        combos[r.corruption] += 1
        for lab in r.corruption.split("+"):
            labels[lab] += 1
            examples.setdefault(lab, []).append(r)
    n_match = sum(combos.values())
    print(f"\nrecords of listed persons: {n_match:,}; clean {combos['clean']:,}; "
          f"distinct label combinations {len(combos)}")  # fmt: skip
    for lab, n in sorted(labels.items(), key=lambda kv: -kv[1]):
        print(f"  {lab:20s} {n:6,}")
        for r in examples[lab][: args.samples]:
            e = by_id[r.truth or ""]
            print(f"      {e.name!s:14} {e.birth_date:10} {e.id_number:18} -> "
                  f"{r.name!s:22} {r.birth_date:12} {r.id_number:18} [{r.corruption}]")  # fmt: skip
    kc = Counter(k for k in kinds if k is not None)
    print(f"\nstrangers: {sum(kc.values()):,}")
    names = {r.name for r in listed}
    natural = sum(
        1 for r, k in zip(records, kinds, strict=True) if k == "fresh" and r.name in names
    )
    for k, n in kc.most_common():
        print(f"  {k:14s} {n:6,}")
    print(f"  fresh strangers filed under a listed name (natural namesakes): {natural:,}")
    lset = set(lid)
    cut = sum(1 for r in records if r.truth is None and r.id_number in lset)
    print(f"  strangers filed with a listed person's number: {cut}")


if __name__ == "__main__":
    main()
