"""Parcel-declaration evaluation set E: an independent, hand-written hold-out (issue #23).

    .venv/bin/python bench/parcel_declarations_e.py     # 30 samples and the counts per kind

Written without reading the screening code, its catalogue, its tests or the other sets'
generators; nothing here was adjusted after any score. `generate(n, seed)` returns `Case`s
(deterministic for a seed), each one parcel declaration as typed into a courier app or an
e-commerce form: a Chinese, English or mixed form with two to six lines (an optional header,
one to five goods lines with quantities and declared values, an optional footer), brand-like
words and the odd typo in the ordinary goods. At most one line is the item under test; all the
other lines are ordinary goods chosen to carry no banned word, slang word or look-alike.

Labels: `banned` True (must be flagged), False (must be cleared), None (a toy or model of a
weapon: to be inspected, never refused). `group` is "plain", "evasion" or "look-alike".

Mix (exact shares, then shuffled): 35 % plain ordinary, 20 % plain banned, 25 % evasions,
20 % look-alikes (toys included); within a group the kinds take turns, so each kind gets an
equal share of its group.

plain, kind = annex category of the 《禁止寄递物品管理规定》 prohibited-items catalogue (as I
know its annex, 禁止寄递物品指导目录), or "ordinary":
  firearms_ammunition (枪支含仿制品、主要零部件, 弹药), controlled_weapons (管制刀具, 弩,
  催泪器, 电击器), explosives_fireworks (爆破器材, 烟花爆竹, 硝化棉 etc.), gases (压缩和液化
  气体及其容器, 打火机, 气雾剂), flammable_liquids, flammable_solids (易燃固体、自燃物质、遇水
  易燃物质), oxidisers (氧化剂和过氧化物), toxic (毒性物质, 剧毒农药), infectious
  (生化制品、传染性、感染性物质), radioactive, corrosives (腐蚀性物质, 蓄电池), drugs
  (毒品、麻醉药品和精神药品、易制毒化学品、吸毒工具), illegal_publications (limited here
  to obscene and violent-terrorist material: political or religious content is not
  generated, in keeping with the project's no-protected-attributes rule), spying_equipment
  (间谍专用器材), forged_items (伪造变造的货币、证件、公章、发票), counterfeit_ip (侵犯知识
  产权和假冒伪劣物品), endangered_species (濒危野生动物及其制品), entry_exit_prohibited
  (禁止进出境物品: 疫区食品、涉及国家秘密的文件). The annex's closing "其他物品" (items
  of the hazardous-chemical, civil-explosive, precursor and pathogen lists) is covered
  through the named chemicals in the categories above, not as a kind of its own.

evasion, kind = the evasion class, each applied to a banned item:
  pinyin_spaced (bing du), pinyin_joined (bingdu), pinyin_tones (bīng dú / bing1du2),
  pinyin_initials (bd, hly, 冰d), leet (h3r01n), fullwidth (ｈｅｒｏｉｎ, Ｋ粉),
  homoglyph (Cyrillic/Greek letters inside Latin words), zero_width (U+200B/C/D, U+2060,
  U+FEFF inside a word), split (冰 毒, 炸-药, h e r o i n), joined (pepperspray,
  HandGrenade), traditional (手槍, 子彈), homophone (冰读, 手呛, 气油), slang_drug (冰,
  叶子, 神仙水, molly, kush), slang_weapon (气狗, 狗粮, 喷子, strap, Glock switch),
  euphemism (大地红 5000响, 92# 20L, solvent trap kit, novelty banknotes),
  misspelling (herion, cocain, amunition, kerosine). Pinyin and traditional forms are
  written by hand, not produced by a conversion library.

look-alike, kind = the class, all harmless (banned False) except toy_model (None):
  colour (象牙白, 枪灰色, 炮铜色, gunmetal grey, ivory-colour), shape_print (子弹头形 U盘,
  bullet-shaped pen, firework-print dress), material (仿象牙, 仿玳瑁, tagua "vegetable
  ivory", faux fur), tool (筋膜枪, 额温枪, 扫码枪, 热熔胶枪, nail gun, glue gun; a kitchen
  喷枪 only as the torch head without gas, since a butane cartridge is banned),
  food_drink (大麻花, 金枪鱼罐头, 虎皮凤爪, 象牙芒, gunpowder tea, Bombay mix),
  book_media (《枪炮、病菌与钢铁》, 《让子弹飞》, Cocaine Bear, Breaking Bad),
  legal_medicine (布洛芬, 吗丁啉, 麻仁润肠丸, methylcobalamin, Tiger Balm),
  everyday_word (ordinary goods whose names contain a banned word: 空气炸锅, 子弹杯, 狗粮,
  bomber jacket, bath bomb, acid-free paper), toy_model (玩具水枪, Nerf blaster, 合金模型枪
  钥匙扣, 1:6 model rifle).
Deliberately left out as too ambiguous to label: perfume, hairspray and other aerosols,
spirits, nail varnish, power banks, kitchen knives, cap guns, airsoft/gel blasters, poppy
seed, CBD products, cannabis-leaf prints, ephedrine cold pills.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    text: str
    banned: bool | None
    group: str
    kind: str


# ---------------------------------------------------------------- ordinary goods (filler)

ORDINARY_ZH = [
    "农夫山泉 矿泉水 550ml",
    "三只松鼠 每日坚果 礼盒",
    "良品铺子 牛肉干 100g",
    "安踏 运动鞋 42码",
    "优衣库 纯棉T恤 L码",
    "小米手环8 NFC版",
    "华为 蓝牙耳机",
    "罗技 M330 无线鼠标",
    "得力 中性笔 0.5mm 12支",
    "晨光 笔记本 A5 5本",
    "李宁 羽毛球拍",
    "儿童绘本《小熊很忙》",
    "宜家 收纳盒 3个",
    "九阳 豆浆机",
    "美的 电饭煲 4L",
    "苏泊尔 不粘锅 28cm",
    "iPhone 15 手机壳 透明",
    "Type-C 数据线 1m",
    "保温杯 500ml",
    "纯棉毛巾 3条",
    "床上四件套 1.8m",
    "折叠雨伞",
    "棉拖鞋 38码",
    "男士袜子 10双",
    "羊毛围巾 灰色",
    "渔夫帽",
    "护手霜 50g",
    "氨基酸洗面奶",
    "补水面膜 10片",
    "电动牙刷 刷头 4支",
    "西湖龙井 250g",
    "普洱茶饼 357g",
    "广式月饼 礼盒",
    "零食大礼包",
    "东北大米 5kg",
    "飞鹤 奶粉 3段",
    "豆腐猫砂 6L",
    "20W 充电头",
    "鼠标垫 加大",
    "机械键盘 青轴",
    "显示器支架",
    "U盘 64G",
    "TP-LINK 路由器",
    "LED 护眼台灯",
    "木质相框 7寸",
    "陶瓷花瓶",
    "合同文件 一份",
    "旧衣物 一包",
    "大学教材 5本",
    "毛绒玩偶 熊",
    "拼图 1000片",
    "瑜伽垫 6mm",
    "跳绳",
    "近视眼镜框",
    "卡西欧 手表",
    "925银 耳钉",
    "发夹 一套",
    "蓝牙音箱 支架",
    "婴儿连体衣 73码",
    "厨房 硅胶铲",
    "手机支架 桌面",
    "A4 打印纸 500张",
    "文件夹 10个",
    "帆布包",
    "牛仔裤 30码",
    "羽绒服 M码",
    "运动短裤",
    "蜂蜜 500g",
    "红枣 1kg",
    "黑芝麻糊",
    "挂面 2kg",
    "玻璃 密封罐",
]

ORDINARY_ZH_TRAD = [
    "保溫杯 500ml",
    "純棉毛巾 3條",
    "無線滑鼠",
    "運動鞋 42號",
    "筆記本 A5",
    "手機殼 透明",
    "烏龍茶 300g",
    "鳳梨酥 禮盒",
    "兒童繪本 2本",
    "羊毛圍巾",
]

ORDINARY_EN = [
    "Anker USB-C cable 2m",
    "Logitech wireless mouse",
    "Uniqlo cotton T-shirt M",
    "Nike running socks 3-pack",
    "Kindle Paperwhite case",
    "ceramic coffee mug",
    "Moleskine notebook A5",
    "Lego Classic brick box",
    "yoga mat 6mm",
    "stainless steel water bottle 750ml",
    "phone case iPhone 14",
    "wool scarf navy",
    "baby onesie 6-12m",
    "jigsaw puzzle 1000pcs",
    "LED desk lamp",
    "HDMI cable 1.5m",
    "sunglasses polarised",
    "leather wallet brown",
    "hair ties 20pcs",
    "tea towels set of 3",
    "Twinings green tea 100g",
    "Lindt dark chocolate bar",
    "instant noodles x12",
    "oat cookies 400g",
    "children's picture book",
    "board game Catan",
    "printer paper A4 500 sheets",
    "watercolour paper pad",
    "cotton bed sheets queen",
    "running shoes size 9",
    "denim jacket L",
    "silk pillowcase",
    "reading glasses +1.5",
    "laptop sleeve 14 inch",
    "wireless keyboard",
    "USB flash drive 64GB",
    "picture frame 5x7",
    "throw pillow cover",
    "hand cream 75ml",
    "face moisturiser 50ml",
    "shampoo bar",
    "bamboo toothbrush 4-pack",
    "dog leash 1.5m",
    "cat scratching post",
    "knitting yarn 5 skeins",
    "acrylic paint set",
    "sketchbook A4",
    "passport holder",
    "travel adapter",
    "wall calendar 2025",
    "honey 340g",
    "maple syrup 250ml",
    "pasta 1kg",
    "coffee beans 500g",
    "baby bottle 260ml",
    "rain jacket M",
    "hiking socks",
    "beanie hat",
    "hoodie grey XL",
    "document folder",
]

# ---------------------------------------------------------------- plain banned items

PLAIN_BANNED: dict[str, tuple[list[str], list[str]]] = {
    "firearms_ammunition": (
        [
            "手枪",
            "仿真手枪 金属",
            "步枪",
            "猎枪",
            "气枪",
            "钢珠枪",
            "麻醉枪",
            "防暴枪",
            "子弹 9mm",
            "猎枪子弹",
            "霰弹 12号",
            "枪管",
            "枪支配件 扳机组",
            "手榴弹",
            "信号弹",
            "催泪弹",
        ],
        [
            "handgun",
            "9mm pistol",
            "revolver .38",
            "hunting rifle",
            "shotgun",
            "PCP air rifle",
            "ammunition 9mm 50 rounds",
            ".22 LR cartridges",
            "shotgun shells 12 gauge",
            "rifle barrel",
            "pistol suppressor",
            "hand grenade",
            "tear gas grenade",
            "flare gun with flares",
        ],
    ),
    "controlled_weapons": (
        [
            "匕首",
            "三棱刮刀",
            "弹簧刀",
            "自锁 跳刀",
            "军刺",
            "弩",
            "弓弩 套装",
            "电击器",
            "高压电击棍",
            "催泪器",
            "防狼喷雾",
            "催泪喷雾",
            "指虎",
        ],
        [
            "dagger",
            "switchblade",
            "gravity knife",
            "butterfly knife",
            "bayonet",
            "crossbow",
            "crossbow bolts",
            "stun gun",
            "taser",
            "pepper spray",
            "tear gas spray",
            "brass knuckles",
            "throwing stars",
        ],
    ),
    "explosives_fireworks": (
        [
            "炸药",
            "TNT炸药",
            "雷管",
            "导火索",
            "导爆索",
            "黑火药",
            "烟花",
            "鞭炮",
            "烟花爆竹",
            "礼花弹",
            "摔炮",
            "擦炮",
            "仙女棒",
            "冷焰火",
            "硝化棉",
            "发令纸",
        ],
        [
            "dynamite",
            "detonators",
            "blasting caps",
            "fuse cord",
            "black powder",
            "gunpowder",
            "fireworks",
            "firecrackers",
            "sparklers",
            "bottle rockets",
            "cherry bombs",
            "smoke grenades",
            "flash powder",
            "nitrocellulose",
        ],
    ),
    "gases": (
        [
            "丁烷气罐",
            "卡式炉气罐",
            "液化石油气罐",
            "氧气瓶",
            "氢气瓶",
            "氦气罐",
            "乙炔气瓶",
            "打火机",
            "防风打火机",
            "二氧化碳气瓶",
            "杀虫气雾剂",
            "笑气 气弹",
        ],
        [
            "butane canister",
            "propane cylinder",
            "LPG cylinder",
            "oxygen cylinder",
            "helium tank",
            "CO2 cartridges",
            "lighter",
            "aerosol spray cans",
            "acetylene cylinder",
            "nitrous oxide chargers",
        ],
    ),
    "flammable_liquids": (
        [
            "汽油",
            "柴油",
            "煤油",
            "酒精 95%",
            "医用酒精 500ml",
            "丙酮",
            "乙醚",
            "油漆",
            "天那水",
            "松香水",
            "打火机油",
            "桐油",
        ],
        [
            "gasoline",
            "petrol",
            "diesel",
            "kerosene",
            "ethanol 95%",
            "isopropyl alcohol 99%",
            "acetone",
            "paint thinner",
            "lighter fluid",
            "turpentine",
            "diethyl ether",
            "oil-based paint",
        ],
    ),
    "flammable_solids": (
        [
            "红磷",
            "硫磺粉",
            "铝粉",
            "镁粉",
            "固体酒精",
            "火柴",
            "白磷",
            "黄磷",
            "金属钠",
            "金属钾",
            "电石",
            "镁条",
        ],
        [
            "red phosphorus",
            "sulfur powder",
            "aluminium powder",
            "magnesium powder",
            "solid fuel tablets",
            "strike-anywhere matches",
            "white phosphorus",
            "sodium metal",
            "potassium metal",
            "calcium carbide",
        ],
    ),
    "oxidisers": (
        [
            "高锰酸钾",
            "高氯酸钾",
            "氯酸钾",
            "过氧化钠",
            "双氧水",
            "硝酸铵",
            "硝酸钾",
            "过氧化氢 30%",
        ],
        [
            "potassium permanganate",
            "potassium chlorate",
            "potassium perchlorate",
            "sodium peroxide",
            "hydrogen peroxide 30%",
            "ammonium nitrate",
            "potassium nitrate",
        ],
    ),
    "toxic": (
        [
            "砒霜",
            "三氧化二砷",
            "氰化钠",
            "氰化钾",
            "水银",
            "氯化汞",
            "硫酸铊",
            "硒粉",
            "苯酚",
            "百草枯",
            "毒鼠强",
            "剧毒农药",
        ],
        [
            "arsenic trioxide",
            "sodium cyanide",
            "potassium cyanide",
            "mercury 1kg",
            "thallium sulfate",
            "paraquat",
            "strychnine",
            "phenol",
            "tetramine rodenticide",
        ],
    ),
    "infectious": (
        [
            "细菌培养物",
            "炭疽",
            "医疗废物",
            "血液样本",
            "动物器官",
            "未经硝制的兽皮",
            "未经药制的兽骨",
            "人体骨骼",
            "病毒样本",
            "排泄物样本",
        ],
        [
            "bacterial culture",
            "anthrax spores",
            "medical waste",
            "used syringes",
            "blood samples",
            "animal organs",
            "raw untanned hides",
            "human remains",
            "virus samples",
        ],
    ),
    "radioactive": (
        [
            "铀矿石",
            "钴-60 放射源",
            "镭",
            "钚",
            "放射源",
            "放射性同位素",
        ],
        [
            "uranium ore",
            "cobalt-60 source",
            "radium paint",
            "plutonium",
            "radioactive isotope source",
            "caesium-137 source",
        ],
    ),
    "corrosives": (
        [
            "硫酸",
            "硝酸",
            "盐酸",
            "氢氧化钠",
            "烧碱",
            "氢氧化钾",
            "铅酸蓄电池",
            "氢氟酸",
        ],
        [
            "sulfuric acid",
            "nitric acid",
            "hydrochloric acid",
            "caustic soda",
            "potassium hydroxide",
            "lead-acid battery",
            "hydrofluoric acid",
        ],
    ),
    "drugs": (
        [
            "冰毒",
            "海洛因",
            "大麻",
            "摇头丸",
            "K粉",
            "氯胺酮",
            "可卡因",
            "鸦片",
            "吗啡",
            "罂粟壳",
            "麻古",
            "甲卡西酮",
            "芬太尼",
            "吸毒 冰壶",
            "麻黄素",
            "醋酸酐",
            "羟亚胺",
        ],
        [
            "heroin",
            "cocaine",
            "crystal meth",
            "methamphetamine",
            "ketamine",
            "MDMA pills",
            "ecstasy tablets",
            "cannabis buds",
            "marijuana",
            "hashish",
            "opium",
            "morphine",
            "fentanyl",
            "LSD blotter",
            "meth pipe",
            "ephedrine powder",
            "acetic anhydride",
        ],
    ),
    "illegal_publications": (
        [
            "淫秽光盘",
            "色情杂志",
            "淫秽书刊",
            "暴恐音视频 U盘",
            "制爆教程 手册",
        ],
        [
            "pornographic DVDs",
            "obscene magazines",
            "terrorist propaganda leaflets",
            "bomb-making manual",
        ],
    ),
    "spying_equipment": (
        [
            "窃听器",
            "针孔摄像头",
            "偷拍 摄像笔",
            "GSM 监听器",
            "一次性密码本",
            "密写工具",
            "伪基站",
        ],
        [
            "covert listening device",
            "pinhole spy camera",
            "spy pen camera",
            "GSM bug",
            "IMSI catcher",
            "one-time pad",
        ],
    ),
    "forged_items": (
        [
            "假币",
            "假钞",
            "伪造人民币",
            "假身份证",
            "伪造护照",
            "假驾驶证",
            "伪造公章",
            "假发票",
            "假学历证书",
        ],
        [
            "counterfeit banknotes",
            "fake US dollars",
            "forged passport",
            "fake ID card",
            "forged driver's licence",
            "counterfeit company seal",
            "fake diploma",
            "forged invoices",
        ],
    ),
    "counterfeit_ip": (
        [
            "高仿 LV 包",
            "A货 劳力士",
            "盗版光盘",
            "假冒 耐克 球鞋",
            "假冒化妆品",
            "盗版书籍",
            "假药",
        ],
        [
            "replica Rolex",
            "counterfeit Nike sneakers",
            "pirated DVDs",
            "fake Louis Vuitton bag",
            "knock-off AirPods",
            "counterfeit medicine",
        ],
    ),
    "endangered_species": (
        [
            "象牙",
            "象牙制品",
            "象牙雕刻",
            "犀牛角",
            "犀角杯",
            "虎骨",
            "虎皮",
            "穿山甲鳞片",
            "玳瑁手镯",
            "盔犀鸟头骨",
            "熊掌",
            "海龟标本",
        ],
        [
            "ivory carving",
            "elephant ivory",
            "rhino horn",
            "tiger bone",
            "tiger skin",
            "pangolin scales",
            "hawksbill turtle shell",
            "bear paws",
            "helmeted hornbill casque",
            "totoaba swim bladder",
        ],
    ),
    "entry_exit_prohibited": (
        [
            "涉密文件",
            "绝密资料",
            "机密级 文件",
            "疫区 生猪肉",
            "未经检疫 生肉",
        ],
        [
            "classified documents",
            "state secret documents",
            "raw pork from ASF-affected area",
            "uninspected raw meat",
        ],
    ),
}

# ---------------------------------------------------------------- evasions

# (hanzi, tone-numbered pinyin, one syllable per hanzi); "v" stands for ü.
PINYIN = [
    ("冰毒", "bing1 du2"),
    ("海洛因", "hai3 luo4 yin1"),
    ("大麻", "da4 ma2"),
    ("摇头丸", "yao2 tou2 wan2"),
    ("氯胺酮", "lv4 an4 tong2"),
    ("可卡因", "ke3 ka3 yin1"),
    ("鸦片", "ya1 pian4"),
    ("吗啡", "ma3 fei1"),
    ("罂粟壳", "ying1 su4 ke2"),
    ("麻古", "ma2 gu3"),
    ("手枪", "shou3 qiang1"),
    ("步枪", "bu4 qiang1"),
    ("猎枪", "lie4 qiang1"),
    ("气枪", "qi4 qiang1"),
    ("子弹", "zi3 dan4"),
    ("弹药", "dan4 yao4"),
    ("手榴弹", "shou3 liu2 dan4"),
    ("炸药", "zha4 yao4"),
    ("雷管", "lei2 guan3"),
    ("导火索", "dao3 huo3 suo3"),
    ("鞭炮", "bian1 pao4"),
    ("烟花", "yan1 hua1"),
    ("黑火药", "hei1 huo3 yao4"),
    ("匕首", "bi3 shou3"),
    ("弹簧刀", "tan2 huang2 dao1"),
    ("弓弩", "gong1 nu3"),
    ("电击器", "dian4 ji1 qi4"),
    ("防狼喷雾", "fang2 lang2 pen1 wu4"),
    ("汽油", "qi4 you2"),
    ("硫酸", "liu2 suan1"),
    ("氰化钾", "qing2 hua4 jia3"),
    ("砒霜", "pi1 shuang1"),
    ("象牙", "xiang4 ya2"),
    ("犀牛角", "xi1 niu2 jiao3"),
    ("虎骨", "hu3 gu3"),
    ("穿山甲", "chuan1 shan1 jia3"),
    ("窃听器", "qie4 ting1 qi4"),
    ("假币", "jia3 bi4"),
    ("假钞", "jia3 chao1"),
    ("假身份证", "jia3 shen1 fen4 zheng4"),
    ("铀矿石", "you2 kuang4 shi2"),
]

# Latin-script banned terms for the letter-level evasions.
LATIN_TERMS = [
    "heroin",
    "cocaine",
    "methamphetamine",
    "crystal meth",
    "ketamine",
    "MDMA",
    "ecstasy pills",
    "marijuana",
    "cannabis",
    "opium",
    "morphine",
    "fentanyl",
    "LSD tabs",
    "handgun",
    "pistol",
    "revolver",
    "rifle",
    "shotgun",
    "ammunition",
    "bullets",
    "hand grenade",
    "dynamite",
    "detonator",
    "gunpowder",
    "firecrackers",
    "fireworks",
    "switchblade",
    "dagger",
    "crossbow",
    "stun gun",
    "taser",
    "pepper spray",
    "brass knuckles",
    "gasoline",
    "kerosene",
    "sulfuric acid",
    "sodium cyanide",
    "potassium cyanide",
    "arsenic",
    "mercury",
    "uranium",
    "ivory",
    "rhino horn",
    "tiger bone",
    "pangolin scales",
    "counterfeit banknotes",
    "fake passport",
    "listening device",
    "butane canister",
    "white phosphorus",
    "potassium permanganate",
]

# Latin or partly Latin banned names used in Chinese declarations (for full-width forms).
LATIN_IN_ZH = ["K粉", "AK47 步枪", "TNT 炸药", "LSD 邮票", "MDMA 粉", "GHB 液体", "C4 塑胶炸药"]

# Chinese banned terms that are safe to cut or pad character by character.
ZH_TERMS = [
    "冰毒",
    "海洛因",
    "大麻",
    "摇头丸",
    "氯胺酮",
    "可卡因",
    "鸦片",
    "吗啡",
    "手枪",
    "步枪",
    "猎枪",
    "子弹",
    "手榴弹",
    "炸药",
    "雷管",
    "导火索",
    "鞭炮",
    "烟花爆竹",
    "匕首",
    "弹簧刀",
    "电击器",
    "防狼喷雾",
    "汽油",
    "硫酸",
    "氰化钾",
    "砒霜",
    "象牙",
    "犀牛角",
    "虎骨",
    "穿山甲鳞片",
    "窃听器",
    "假币",
    "假身份证",
    "丁烷气罐",
    "高锰酸钾",
]

JOINED_EN = [
    "pepperspray",
    "PepperSpray",
    "stungun",
    "StunGun",
    "brassknuckles",
    "rhinohorn",
    "tigerbone",
    "sulfuricacid",
    "potassiumcyanide",
    "handgrenade",
    "HandGrenade",
    "crystalmeth",
    "CrystalMeth",
    "fakepassport",
    "counterfeitbanknotes",
    "listeningdevice",
    "pangolinscales",
    "butterflyknife",
    "blackpowder",
    "pinholespycamera",
    "huntingrifle",
    "shotgunshells",
    "teargasspray",
    "ivorycarving",
    "butanecanister",
    "lighterfluid",
    "blastingcaps",
    "cherrybombs",
]

TRADITIONAL = [
    "手槍",
    "步槍",
    "獵槍",
    "氣槍",
    "子彈",
    "彈藥",
    "手榴彈",
    "炸藥",
    "導火索",
    "煙花爆竹",
    "黑火藥",
    "彈簧刀",
    "電擊器",
    "催淚噴霧",
    "丁烷氣罐",
    "氰化鉀",
    "搖頭丸",
    "鴉片",
    "罌粟殼",
    "嗎啡",
    "穿山甲鱗片",
    "象牙製品",
    "竊聽器",
    "假鈔",
    "假幣",
    "偽造護照",
    "假身份證",
    "鈾礦石",
    "硝酸銨",
    "高錳酸鉀",
    "鉛酸蓄電池",
    "氫氧化鈉",
    "醫療廢物",
    "淫穢光碟",
    "針孔攝像頭",
    "犀牛角製品",
]

HOMOPHONES = [
    "冰读",
    "兵毒",
    "冰独",
    "嗨洛因",
    "海络因",
    "海落因",
    "大嘛",
    "摇投丸",
    "遥头丸",
    "可咖因",
    "可卡音",
    "雅片",
    "鸭片",
    "马啡",
    "吗菲",
    "手呛",
    "首枪",
    "手抢",
    "布枪",
    "步呛",
    "籽弹",
    "紫弹",
    "子蛋",
    "榨药",
    "炸要",
    "雷官",
    "擂管",
    "导火锁",
    "倒火索",
    "边炮",
    "鞭泡",
    "比首",
    "匕手",
    "电激器",
    "点击器 防身 高压",
    "气油",
    "汽由",
    "流酸",
    "琉酸",
    "青化钾",
    "清化钾",
    "批霜",
    "砒双",
    "像牙",
    "象芽",
    "西牛角",
    "犀牛脚",
    "穿三甲 鳞片",
    "川山甲 鳞片",
    "切听器",
    "窃厅器",
    "假必",
    "甲币",
    "假抄",
    "假超",
    "蛋药",
    "绿胺酮",
    "氯安酮",
    "婴粟壳",
    "樱粟壳",
]

SLANG_DRUG = (
    [
        "冰 5g 溜冰用",
        "溜冰 套装 (壶+冰)",
        "麻古 100粒",
        "K仔 10g",
        "四号 5g",
        "白粉 10g 纯",
        "叶子 28g 自种",
        "神仙水 10支 无色无味",
        "听话水 5瓶",
        "喵喵 5g",
        "小树枝 烟弹 3个",
        "上头电子烟 烟油",
        "咔哇潮饮 20袋",
        "娜塔莎 烟油 2瓶",
        "G水 3瓶",
        "冰糖 (溜冰那种) 3g",
    ],
    [
        "ice 10g uncut",
        "crystal shards 7g",
        "molly caps 50ct",
        "snow 3.5g 90% pure",
        "charlie 7g",
        "smack 5g",
        "tina 3.5g",
        "kush 1oz vac sealed",
        "top shelf bud 28g",
        "special K 10g",
        "shrooms 20g dried",
        "acid tabs 25ct",
        "pressed bars 100ct",
        "meow meow 10g",
        "blues M30 100ct",
        "ganja 2oz",
    ],
)

SLANG_WEAPON = (
    [
        "气狗 1支 (PCP)",
        "狗粮 .177 500发",
        "火狗 配件 一套",
        "狗 一把 + 狗粮 50颗",
        "单喷 一把",
        "双喷 配 狗粮",
        "喷子 + 配件",
        "狗件 (枪托 击针)",
        "家伙事儿 一套 (能打响)",
        "铁 一把 带两夹",
    ],
    [
        "strap with 2 mags",
        "burner, clean, no bodies",
        "heater + 50 rds",
        "Glock switch",
        "auto sear drop-in",
        "chopper with drum",
        "blicky 9mm",
        "toolie 40cal",
        "ghost gun kit",
        "stick (30rd) for the chopper",
    ],
)

EUPHEMISMS = (
    [
        "户外防身神器 (高压脉冲 可充电)",
        "大地红 5000响 过年用",
        "92# 20L 塑料桶装",
        "火锅 固体燃料块 2箱",
        "开山爆破用品 (矿用)",
        "白色牙料 手串 老料保真 非骨",
        "鲮鲤甲 (炮制) 500g",
        "大虫骨 泡酒用",
        "高仿 百元钞 可过验钞机",
        "证件定制 同版可查",
        "纽扣造型 无线摄像头 隐蔽远程",
        "远程听音器 免安装 放车里",
        "特殊茶叶 自种 懂的来",
        "无色无味 助眠水 喝了就睡",
        "双刃 带血槽 锁定 户外刀",
        "灭鼠特效药 一口倒 (已禁那种)",
        "工业清洗 浓酸 98% 5L",
        "派对 开心药丸 50粒",
    ],
    [
        "solvent trap kit 1/2x28",
        "oil filter adapter for 9mm barrel",
        "80% lower receiver + jig",
        "party favours 50 pills for the weekend",
        "research chemical 4-MMC not for human consumption",
        "herbal incense 10g legal high",
        "self-defence flashlight 50,000kV",
        "novelty banknotes, pass pen test, 100x $20",
        "novelty ID, scannable, any state",
        "USB charger with hidden camera, remote view",
        "white carving, old stock, genuine tusk",
        "Chinese New Year crackers 1000-shot roll",
        "unleaded fuel 5 gallons",
        "plant food white powder 5g (not for plants)",
        "sleepy water colourless tasteless",
        "blow 7g for the party",
    ],
)

MISSPELLINGS = [
    "herion",
    "heorin",
    "cocain",
    "cocane",
    "cociane",
    "methamfetamine",
    "metamphetamine",
    "ketamin",
    "ketamene",
    "marijuanna",
    "marjuana",
    "amunition",
    "ammuntion",
    "dinamite",
    "dynamyte",
    "detonater",
    "detenator",
    "firecrakers",
    "fire crakers",
    "grenad",
    "granade",
    "swichblade",
    "switchblad",
    "pistel",
    "pistl",
    "revolvr",
    "revovler",
    "crosbow",
    "crossbo",
    "tazer",
    "ivroy carving",
    "ivery",
    "rhino horne",
    "rhyno horn",
    "gasolene",
    "gasolin",
    "kerosine",
    "kerosen",
    "cyanid",
    "cynide",
    "arsenik",
    "arsnic",
    "uranuim",
    "uraniam",
    "counterfiet banknotes",
    "conterfeit money",
    "gunpowdr",
    "shotgn",
    "fentanil",
    "fentenyl",
    "peper spray",
    "brass nuckles",
    "silincer",
    "pangoline scales",
]

LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "g": "9", "b": "8"}
HOMOGLYPH = {
    "a": "\u0430\u03b1",  # Cyrillic a, Greek alpha
    "e": "\u0435",  # Cyrillic ie
    "o": "\u043e\u03bf",  # Cyrillic o, Greek omicron
    "p": "\u0440\u03c1",  # Cyrillic er, Greek rho
    "c": "\u0441",  # Cyrillic es
    "x": "\u0445",  # Cyrillic ha
    "y": "\u0443",  # Cyrillic u
    "i": "\u0456\u03b9",  # Ukrainian i, Greek iota
    "k": "\u03ba",  # Greek kappa
    "n": "\u03b7",  # Greek eta (looks like n)
    "v": "\u03bd",  # Greek nu
    "M": "\u041c",
    "T": "\u0422",
    "H": "\u041d",
    "K": "\u041a",
    "A": "\u0391",
    "B": "\u0412",
}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SPLIT_SEPS = [" ", "-", ".", "·", "*", "_", "/", "  "]

# ---------------------------------------------------------------- look-alikes

LOOKALIKES: dict[str, tuple[list[str], list[str]]] = {
    "colour": (
        [
            "象牙色 连衣裙",
            "象牙白 陶瓷餐具 4件",
            "枪灰色 汽车改色膜",
            "枪色 金属眼镜框",
            "枪黑色 手机壳",
            "炮铜色 耳环",
            "钴蓝 釉 花瓶",
            "象牙白 窗帘 2幅",
        ],
        [
            "gunmetal grey hoodie",
            "gun-metal watch strap",
            "ivory-colour wedding shoes",
            "ivory white curtains",
            "cobalt blue glaze vase",
            "acid green scrunchies",
            "toxic green nail stickers",
            "bone white ceramic bowls",
        ],
    ),
    "shape_print": (
        [
            "子弹头形 U盘 32G",
            "子弹头 圆珠笔",
            "手榴弹造型 陶瓷存钱罐",
            "炸弹造型 蓝牙音箱",
            "烟花印花 连衣裙",
            "火箭图案 儿童睡衣",
            "手枪图案 卫衣",
            "子弹造型 亚克力 钥匙扣",
        ],
        [
            "bullet-shaped ballpoint pen",
            "bullet-shaped USB drive",
            "grenade-shaped ceramic piggy bank",
            "firework-print summer dress",
            "rocket-print kids pyjamas",
            "skull-and-crossbones print scarf",
            "revolver-print socks",
            "bomb-shaped bath fizzer",
        ],
    ),
    "material": (
        [
            "仿象牙 树脂摆件",
            "仿玳瑁 板材眼镜架",
            "象牙果 手串 (塔古亚果)",
            "牛骨梳子",
            "人造虎纹 绒毯",
            "仿鳄鱼纹 PU 钱包",
            "仿皮草 外套",
            "仿象牙 琴键贴",
        ],
        [
            "faux ivory resin figurine",
            "tortoiseshell-effect acetate frames",
            "faux fur coat",
            "vegan leather bag",
            "tagua nut (vegetable ivory) buttons",
            "faux snakeskin belt",
            "cow bone comb",
            "faux tiger-stripe throw blanket",
        ],
    ),
    "tool": (
        [
            "筋膜枪",
            "额温枪",
            "扫码枪",
            "热熔胶枪 + 胶棒",
            "热风枪 2000W",
            "气动钉枪",
            "黄油枪",
            "玻璃胶枪",
            "洗车水枪",
            "烧烤喷枪头 (不含燃气)",
            "喷漆枪 (空枪)",
        ],
        [
            "massage gun",
            "infrared thermometer gun",
            "barcode scanner gun",
            "hot glue gun",
            "heat gun 2000W",
            "pneumatic nail gun",
            "staple gun",
            "caulking gun",
            "grease gun",
            "pressure washer spray gun",
            "kitchen blow torch head (no gas)",
            "shotgun microphone",
        ],
    ),
    "food_drink": (
        [
            "天津 大麻花 礼盒",
            "金枪鱼罐头 6罐",
            "虎皮凤爪 500g",
            "虎皮青椒 酱",
            "象牙芒 5斤",
            "子弹头 朝天椒 干辣椒",
            "大麻哈鱼 鱼籽",
            "火麻仁 500g",
            "珠茶 (gunpowder tea) 250g",
            "冰糖雪梨 饮料 12瓶",
            "芝士炸弹 面包",
        ],
        [
            "gunpowder green tea 250g",
            "Bombay mix 400g",
            "Coke Zero 330ml x24",
            "grenadine syrup",
            "rocket (arugula) pesto jar",
            "tiger nut flour",
            "seaweed snacks 12 packs",
            "Mary Jane candies",
            "cocoa nibs 500g",
            "tuna chunks in brine x6",
            "freeze-dried snow pea crisps",
        ],
    ),
    "book_media": (
        [
            "《枪炮、病菌与钢铁》 精装",
            "《鸦片战争》 纪录片 DVD",
            "《让子弹飞》 蓝光",
            "《绝命毒师》 全集 蓝光",
            "《毒战》 DVD",
            "《冰与火之歌》 全套",
            "《猎枪》 井上靖",
            "《永别了，武器》",
            "《子弹列车》 蓝光",
            "《炸弹人》 游戏卡带",
        ],
        [
            "Guns, Germs, and Steel (paperback)",
            "A Farewell to Arms",
            "Breaking Bad complete series Blu-ray",
            "Top Gun: Maverick 4K",
            "Bullet Train Blu-ray",
            "The Hurt Locker DVD",
            "Cocaine Bear DVD",
            "The Poisonwood Bible",
            "Guns N' Roses vinyl",
            "BTS Dynamite CD single",
            "Radioactive: Marie & Pierre Curie",
        ],
    ),
    "legal_medicine": (
        [
            "布洛芬缓释胶囊 24粒",
            "对乙酰氨基酚片",
            "氯雷他定片",
            "吗丁啉 多潘立酮片",
            "麻仁润肠丸",
            "冰硼散",
            "蒙脱石散",
            "感冒灵颗粒",
            "板蓝根颗粒",
            "维生素C 泡腾片",
            "云南白药 创可贴",
            "虎标 万金油",
        ],
        [
            "paracetamol 500mg 16 tabs",
            "ibuprofen 200mg",
            "loratadine 10mg",
            "methylcobalamin B12 1000mcg",
            "metformin 500mg",
            "omeprazole 20mg",
            "Tiger Balm red 19g",
            "ketoconazole 2% shampoo",
            "honey lemon cough drops",
            "vitamin D3 softgels",
        ],
    ),
    "everyday_word": (
        [
            "空气炸锅 5L",
            "高弹力 瑜伽裤",
            "弹簧床垫 1.5m",
            "杀毒软件 激活卡",
            "防尘 防毒面具",
            "冰箱贴 6个",
            "皇家 狗粮 成犬 2kg",
            "硫磺皂 3块",
            "汽油滤芯 (汽车配件)",
            "子弹杯 6只",
            "雷锋帽",
            "炮仗花 种子",
        ],
        [
            "bomber jacket",
            "bath bombs gift set",
            "acid-free archival paper",
            "knife-pleat skirt",
            "Arsenal FC home shirt",
            "trigger-point massage ball",
            "shot glasses set of 6",
            "empty ammo can storage box",
            "Heroine Make mascara",
            "Mary Jane shoes",
            "crystal vase",
            "snow boots size 7",
            "lawn grass seed 1kg",
            "gunny sacks 10pcs",
        ],
    ),
    "toy_model": (
        [
            "儿童 玩具水枪 2把",
            "软弹枪 玩具 (泡沫弹)",
            "1:6 兵人模型 步枪配件 (塑料)",
            "积木 武器包",
            "cosplay 道具剑 (PVC)",
            "木质 玩具小手枪",
            "万圣节 塑料玩具匕首",
            "1:3 合金模型手枪 钥匙扣 (不可发射)",
            "儿童 吸盘弓箭 玩具",
        ],
        [
            "Nerf Elite blaster",
            "toy water pistol",
            "plastic toy sword",
            "1:6 scale model rifle (plastic)",
            "Lego minifigure weapons pack",
            "foam sword 2-pack",
            "Halloween costume plastic dagger",
            "wooden rubber-band gun",
            "kids suction-cup bow and arrow",
        ],
    ),
}

PLAIN_KINDS = list(PLAIN_BANNED)
EVASION_KINDS = [
    "pinyin_spaced",
    "pinyin_joined",
    "pinyin_tones",
    "pinyin_initials",
    "leet",
    "fullwidth",
    "homoglyph",
    "zero_width",
    "split",
    "joined",
    "traditional",
    "homophone",
    "slang_drug",
    "slang_weapon",
    "euphemism",
    "misspelling",
]
LOOKALIKE_KINDS = list(LOOKALIKES)

# ---------------------------------------------------------------- evasion transforms

_TONES = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "v": "ǖǘǚǜ"}


def _tone_mark(syllable: str) -> str:
    base, tone = syllable[:-1], int(syllable[-1])
    if "a" in base:
        at = base.index("a")
    elif "e" in base:
        at = base.index("e")
    elif "ou" in base:
        at = base.index("o")
    else:
        at = max(i for i, c in enumerate(base) if c in "iouv")
    return (base[:at] + _TONES[base[at]][tone - 1] + base[at + 1 :]).replace("v", "ü")


def _plain_syllables(pinyin: str, rng: random.Random) -> list[str]:
    v = rng.choice(["v", "u", "ü"])
    return [s[:-1].replace("v", v) for s in pinyin.split()]


def _pinyin(kind: str, rng: random.Random) -> str:
    hanzi, pinyin = rng.choice(PINYIN)
    syllables = _plain_syllables(pinyin, rng)
    if kind == "pinyin_spaced":
        text = " ".join(syllables)
    elif kind == "pinyin_joined":
        text = "".join(syllables)
    elif kind == "pinyin_tones":
        if rng.random() < 0.25:
            text = rng.choice([" ", ""]).join(pinyin.split())
        else:
            text = rng.choice([" ", ""]).join(_tone_mark(s) for s in pinyin.split())
    else:  # initials, sometimes after the first character written out
        initials = "".join(s[0] for s in syllables)
        text = hanzi[0] + initials[1:] if rng.random() < 0.3 else initials
    if kind != "pinyin_tones" and rng.random() < 0.25:
        text = text.upper() if kind == "pinyin_initials" else text.title()
    return text


def _leet(term: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(term) if c.lower() in LEET]
    chosen = set(rng.sample(spots, max(1, round(len(spots) * rng.uniform(0.4, 1.0)))))
    return "".join(rng.choice(LEET[c.lower()]) if i in chosen else c for i, c in enumerate(term))


def _homoglyph(term: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(term) if c in HOMOGLYPH]
    chosen = set(rng.sample(spots, max(1, min(len(spots), rng.randint(1, 3)))))
    return "".join(rng.choice(HOMOGLYPH[c]) if i in chosen else c for i, c in enumerate(term))


def _fullwidth(term: str, rng: random.Random) -> str:
    whole = rng.random() < 0.6
    out = []
    for c in term:
        if "!" <= c <= "~" and (whole or rng.random() < 0.6):
            out.append(chr(ord(c) + 0xFEE0))
        elif c == " " and whole:
            out.append("\u3000")
        else:
            out.append(c)
    if out == list(term):  # at least one letter changed
        i = next(i for i, c in enumerate(term) if "!" <= c <= "~")
        out[i] = chr(ord(term[i]) + 0xFEE0)
    return "".join(out)


def _inside(term: str, rng: random.Random, pad: list[str], every: bool) -> str:
    """Put pieces of `pad` between characters of `term` (all gaps, or one to three)."""
    gaps = [i for i in range(1, len(term)) if term[i] != " " and term[i - 1] != " "]
    if not gaps:
        return term
    chosen = set(gaps) if every else set(rng.sample(gaps, min(len(gaps), rng.randint(1, 3))))
    sep = rng.choice(pad)
    out = []
    for i, c in enumerate(term):
        if i in chosen:
            out.append(sep if every else rng.choice(pad))
        out.append(c)
    return "".join(out)


def _evasion(kind: str, rng: random.Random) -> tuple[str, str]:
    """(item text, language of the declaration: zh, en, mix or trad)."""
    if kind.startswith("pinyin"):
        return _pinyin(kind, rng), rng.choice(["zh", "zh", "mix"])
    if kind == "leet":
        return _leet(rng.choice(LATIN_TERMS), rng), rng.choice(["en", "en", "mix"])
    if kind == "homoglyph":
        return _homoglyph(rng.choice(LATIN_TERMS), rng), rng.choice(["en", "en", "mix"])
    if kind == "fullwidth":
        if rng.random() < 0.35:
            return _fullwidth(rng.choice(LATIN_IN_ZH), rng), "zh"
        return _fullwidth(rng.choice(LATIN_TERMS), rng), rng.choice(["en", "mix"])
    if kind == "zero_width":
        if rng.random() < 0.5:
            return _inside(rng.choice(ZH_TERMS), rng, ZERO_WIDTH, False), "zh"
        return _inside(rng.choice(LATIN_TERMS), rng, ZERO_WIDTH, False), "en"
    if kind == "split":
        if rng.random() < 0.5:
            return _inside(rng.choice(ZH_TERMS), rng, SPLIT_SEPS, True), "zh"
        term = rng.choice([t for t in LATIN_TERMS if " " not in t])
        every = rng.random() < 0.5
        return _inside(term, rng, [" ", "-", ".", "_"], every), "en"
    if kind == "joined":
        return rng.choice(JOINED_EN), rng.choice(["en", "mix"])
    if kind == "traditional":
        return rng.choice(TRADITIONAL), "trad"
    if kind == "homophone":
        return rng.choice(HOMOPHONES), "zh"
    if kind == "misspelling":
        return rng.choice(MISSPELLINGS), rng.choice(["en", "en", "mix"])
    pools = {"slang_drug": SLANG_DRUG, "slang_weapon": SLANG_WEAPON, "euphemism": EUPHEMISMS}
    zh, en = pools[kind]
    if rng.random() < 0.5:
        return rng.choice(zh), "zh"
    return rng.choice(en), "en"


# ---------------------------------------------------------------- declaration layout


def _typo(text: str, rng: random.Random) -> str:
    """One keyboard slip in a Latin word of five letters or more."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isascii() and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    move = rng.choice(["swap", "drop", "double"])
    if move == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif move == "drop":
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def _filler(lang: str, rng: random.Random) -> str:
    if lang == "trad":
        return rng.choice(ORDINARY_ZH_TRAD)
    if lang == "zh" or (lang == "mix" and rng.random() < 0.5):
        item = rng.choice(ORDINARY_ZH)
        return item.replace(" ", "") if rng.random() < 0.2 else item
    item = rng.choice(ORDINARY_EN)
    return _typo(item, rng) if rng.random() < 0.12 else item


def _line(lang: str, style: int, idx: int, name: str, rng: random.Random) -> str:
    qty = rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 10])
    value = rng.choice([9.9, 15, 19.9, 25, 29, 35, 49, 59, 68, 88, 99, 120, 158, 199, 299, 480])
    if lang == "trad":
        forms = [
            f"{idx}. {name} ×{qty} NT${int(value) * 4}",
            f"品名：{name}　數量：{qty}　價值：{int(value)}元",
            f"{name} {qty}件",
        ]
    elif lang == "zh":
        forms = [
            f"{idx}. {name} x{qty} ¥{value}",
            f"品名：{name}；数量：{qty}；申报价值：{value}元",
            f"{name} {qty}件 {value}元",
            f"{name}*{qty}",
        ]
    elif lang == "en":
        forms = [
            f"{idx}) {name} - qty {qty} - USD {value}",
            f"{name}, {qty}, {value:.2f}",
            f"{qty} x {name} @ ${value}",
            f"Item: {name} | Qty: {qty} | Value: {value}",
        ]
    else:
        forms = [
            f"{idx}. {name} x{qty} ¥{value}",
            f"Item: {name} 数量 {qty} 价值 {value} RMB",
            f"{qty}x {name} (¥{value})",
            f"{name} / {qty}pcs / {value}元",
        ]
    return forms[style % len(forms)]


HEADERS = {
    "zh": ["订单号：{o}", "寄件内容如下：", "【商城】订单 {o}", "快递单 物品清单"],
    "trad": ["訂單編號：{o}", "寄件內容："],
    "en": ["Order #{o}", "Contents:", "Customs declaration - gift", "Shipment {o} contents"],
    "mix": ["订单 Order #{o}", "物品清单 / Items:", "寄件 {o}"],
}
FOOTERS = {
    "zh": ["合计：{t}元", "备注：易碎 轻拿轻放", "保价 {t} 元", "请尽快发货 谢谢"],
    "trad": ["合計：{t}元", "備註：易碎品"],
    "en": ["Total: USD {t}", "Note: fragile", "Declared total {t}", "Thanks!"],
    "mix": ["Total 合计 ¥{t}", "备注 fragile", "Thanks 谢谢"],
}


def _declaration(item: str | None, lang: str, rng: random.Random) -> str:
    """Two to six lines; `item`, if given, is exactly one goods line."""
    goods: list[str] = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        line = _filler(lang, rng)
        if line not in goods:  # the same goods twice reads like a slip; skip it
            goods.append(line)
    if item is not None:
        goods.insert(rng.randint(0, len(goods)), item)
    elif not goods:
        goods.append(_filler(lang, rng))
    style = rng.randrange(4)
    lines = [_line(lang, style, i + 1, name, rng) for i, name in enumerate(goods)]
    order = f"{rng.randrange(10**9, 10**10)}"
    total = rng.randrange(20, 3000)
    if rng.random() < 0.5:
        lines.insert(0, rng.choice(HEADERS[lang]).format(o=order))
    if rng.random() < 0.4:
        lines.append(rng.choice(FOOTERS[lang]).format(t=total))
    return "\n".join(lines)


# ---------------------------------------------------------------- the set


def _pick(pools: tuple[list[str], list[str]], rng: random.Random) -> tuple[str, str]:
    zh, en = pools
    if rng.random() < 0.5:
        return rng.choice(zh), rng.choice(["zh", "zh", "mix"])
    return rng.choice(en), rng.choice(["en", "en", "mix"])


def generate(n: int, seed: int) -> list[Case]:
    """`n` declarations in the documented mix, deterministic for `seed`."""
    rng = random.Random(seed)
    n_ordinary = round(n * 0.35)
    n_banned = round(n * 0.20)
    n_evasion = round(n * 0.25)
    n_look = n - n_ordinary - n_banned - n_evasion
    cases: list[Case] = []
    for _ in range(n_ordinary):
        lang = rng.choice(["zh", "zh", "en", "en", "mix", "trad"])
        cases.append(Case(_declaration(None, lang, rng), False, "plain", "ordinary"))
    for i in range(n_banned):
        kind = PLAIN_KINDS[i % len(PLAIN_KINDS)]
        item, lang = _pick(PLAIN_BANNED[kind], rng)
        cases.append(Case(_declaration(item, lang, rng), True, "plain", kind))
    for i in range(n_evasion):
        kind = EVASION_KINDS[i % len(EVASION_KINDS)]
        item, lang = _evasion(kind, rng)
        cases.append(Case(_declaration(item, lang, rng), True, "evasion", kind))
    for i in range(n_look):
        kind = LOOKALIKE_KINDS[i % len(LOOKALIKE_KINDS)]
        item, lang = _pick(LOOKALIKES[kind], rng)
        label = None if kind == "toy_model" else False
        cases.append(Case(_declaration(item, lang, rng), label, "look-alike", kind))
    rng.shuffle(cases)
    return cases


def main() -> None:
    cases = generate(6000, 1)
    rng = random.Random(0)
    for case in rng.sample(cases, 30):
        print(f"--- {case.group} / {case.kind} / banned={case.banned}")
        print(case.text)
    print()
    counts = Counter((c.group, c.kind, c.banned) for c in cases)
    print(f"{len(cases)} cases (n=6000, seed=1)")
    for (group, kind, banned), count in sorted(counts.items(), key=lambda x: (x[0][0], x[0][1])):
        print(f"  {group:10} {kind:24} banned={banned!s:5} {count}")
    groups = Counter(c.group for c in cases)
    labels = Counter(str(c.banned) for c in cases)
    print("groups:", dict(groups), " labels:", dict(labels))


if __name__ == "__main__":
    main()
