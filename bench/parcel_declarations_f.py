"""Parcel-declaration evaluation set F: written independently, a clean hold-out (issue #23).

    .venv/bin/python bench/parcel_declarations_f.py     # 30 samples and the counts per kind

`generate(n, seed)` returns `Case(text, banned, group, kind)`, deterministic for a seed.

Written without reading the screening code, its catalogue, its tests, the bench generator's
lists or sets B-E. Nothing here was adjusted after seeing a score.

Voice. Each case is one parcel as typed into one of five kinds of form, each with several
lines of ordinary goods, quantities and declared values:

- cross-border customs lines (HS-style heading, English description, qty, USD value);
- a WeChat-style casual message to a courier (Chinese, several short messages);
- a second-hand marketplace listing (闲鱼-style title, condition, "送" extras, 包邮);
- a domestic courier app form (物品类型 / 物品名称 / 重量 / 保价);
- an e-commerce order summary (numbered lines, ×qty, ￥price), Chinese or English.

At most one line carries the item under test; the other lines are ordinary goods chosen to
contain no banned word and no look-alike word.

Groups and kinds (mix by exact quota: 35 % plain ordinary, 20 % plain banned, 25 % evasions,
20 % look-alikes; kinds within a group cycle in a shuffled order so they are balanced):

- plain / "ordinary": ordinary goods only, banned=False.
- plain / <annex category>: a banned item named plainly, Chinese or English, banned=True.
- evasion / <class>: a banned item written to evade a word list, banned=True. Classes:
  pinyin_spaced, pinyin_joined, pinyin_tones, pinyin_initials, leet, fullwidth, homoglyph,
  zero_width, split_joined, traditional, homophone, slang, euphemism, misspelling.
- look-alike / <class>: a harmless item that shares a word with a banned one, banned=False,
  except toy_model (toys and models of weapons, banned=None: inspect, never refuse). Classes:
  colour, shape_print, material, tool, food_drink, media_title, legal_medicine, brand,
  innocent_sense (a slang word in its everyday sense: 冰袋, 邮票, snow boots, bath bomb),
  toy_model.

Annex categories used (《禁止寄递物品管理规定》 annex, the 禁止寄递物品指导目录 as I know it):
1 枪支（含仿制品、主要零部件）弹药; 2 管制器具 (管制刀具, 弩, 电击器, 催泪器);
3 爆炸物品 (炸药, 雷管, 导火索, 烟花爆竹); 4 压缩和液化气体及其容器;
5 易燃液体; 6 易燃固体、自燃物质、遇水易燃物质; 7 氧化剂和过氧化物; 8 毒性物质;
9 生化制品、传染性、感染性物质; 10 放射性物质; 11 腐蚀性物质;
12 毒品及吸毒工具、非正当用途的麻醉药品和精神药品、易制毒化学品;
13 非法出版物、印刷品、音像制品等宣传品; 14 间谍专用器材; 15 非法伪造物品 (货币, 证件, 公章);
16 侵犯知识产权和假冒伪劣物品; 17 濒危野生动物及其制品.
Not used: 18 禁止进出境物品 and 19 其他 (a catch-all), and live animals, lithium batteries,
perfume, liquor, aerosols and kitchen knives, whose status depends on quantity, packing or
the carrier's own policy. Labelling is conservative: banned=True only for what the annex
clearly names.

Slang and euphemism lists are my own, from what I remember of published guidance (none was
consulted here, so treat the attributions as recollection):
- 中国禁毒网 / 公安部禁毒局 publicity on disguised new drugs: 奶茶 (drug-laced milk-tea
  sachets), 跳跳糖, 邮票 (LSD blotters), 咔哇潮饮, 彩虹烟, 神仙水, 听话水, 开心水, 叶子, 溜冰;
- police reports of online gun sales in China using 狗 (gun), 狗粮 (ammunition), 气狗, 短狗,
  喷子 (shotgun);
- the US DEA "Slang Terms and Code Words" intelligence report (2018) for English drug slang
  (ice, molly, special K, snow, smack, kush) and common English gun slang (strap, piece, can);
- firework trade names sold in China (二踢脚, 窜天猴, 大地红).
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    text: str
    banned: bool | None
    group: str
    kind: str


# --- ordinary goods: (Chinese, English, HS-style heading) ------------------------------
ORDINARY: list[tuple[str, str, str]] = [
    ("纯棉短袖T恤", "cotton short-sleeve T-shirt", "6109.10"),
    ("女士针织开衫", "women's knitted cardigan", "6110.20"),
    ("儿童牛仔裤", "kids denim jeans", "6203.42"),
    ("运动袜 5双装", "sports socks 5-pack", "6115.95"),
    ("羽绒服 中长款", "down jacket mid-length", "6201.93"),
    ("帆布鞋", "canvas sneakers", "6404.19"),
    ("手机壳 透明", "clear phone case", "3926.90"),
    ("Type-C 数据线 1米", "USB-C cable 1m", "8544.42"),
    ("蓝牙音箱 迷你", "mini bluetooth speaker", "8518.22"),
    ("机械键盘 87键", "mechanical keyboard 87-key", "8471.60"),
    ("无线鼠标", "wireless mouse", "8471.60"),
    ("陶瓷马克杯", "ceramic mug", "6912.00"),
    ("不锈钢保温饭盒", "stainless lunch box", "7323.93"),
    ("竹制砧板", "bamboo chopping board", "4419.90"),
    ("硅胶锅铲", "silicone spatula", "3924.10"),
    ("毛巾 三条装", "bath towels set of 3", "6302.60"),
    ("四件套 床单被罩", "bedding set 4 pcs", "6302.31"),
    ("记忆棉枕头", "memory foam pillow", "9404.90"),
    ("A5 笔记本 5本", "A5 notebooks x5", "4820.10"),
    ("中性笔 0.5mm 12支", "gel pens 0.5mm x12", "9608.10"),
    ("水彩颜料 24色", "watercolour set 24", "3213.10"),
    ("儿童绘本 3册", "picture books for children x3", "4903.00"),
    ("英语词典", "English dictionary", "4901.99"),
    ("瑜伽垫 6mm", "yoga mat 6mm", "9506.91"),
    ("跳绳", "skipping rope", "9506.91"),
    ("羽毛球拍 一对", "badminton rackets pair", "9506.59"),
    ("茶叶 铁观音 250g", "oolong tea 250g", "0902.30"),
    ("挂耳咖啡 20包", "drip coffee bags x20", "0901.21"),
    ("坚果礼盒", "mixed nuts gift box", "0802.90"),
    ("手工月饼 6个", "handmade mooncakes x6", "1905.90"),
    ("牛肉干 500g", "beef jerky 500g", "1602.50"),
    ("红枣 1kg", "dried red dates 1kg", "0813.40"),
    ("面膜 10片", "sheet masks x10", "3304.99"),
    ("护手霜", "hand cream", "3304.99"),
    ("洗发水 400ml", "shampoo 400ml", "3305.10"),
    ("牙刷 4支", "toothbrushes x4", "9603.21"),
    ("收纳盒 三层", "storage box 3 tiers", "3924.90"),
    ("LED 台灯", "LED desk lamp", "9405.21"),
    ("绿萝 盆栽 (小)", "small pothos plant pot", "0602.90"),
    ("宠物 猫抓板", "cat scratcher board", "4823.90"),
    ("猫砂 10L", "cat litter 10L", "2508.40"),
    ("雨伞 折叠", "folding umbrella", "6601.91"),
    ("双肩包", "backpack", "4202.92"),
    ("钱包 真皮", "leather wallet", "4202.31"),
    ("发夹 5个", "hair clips x5", "9615.19"),
    ("拼图 1000片", "jigsaw puzzle 1000 pcs", "9503.00"),
    ("相框 7寸", "photo frame 7 inch", "4414.00"),
    ("窗帘挂钩 20个", "curtain hooks x20", "8302.41"),
    ("手机支架", "phone stand", "8302.50"),
    ("眼镜布", "lens cloth", "6307.10"),
    ("汽车坐垫", "car seat cushion", "9401.99"),
    ("U型枕", "travel neck pillow", "9404.90"),
    ("婴儿口水巾", "baby bibs", "6209.20"),
    ("儿童 积木 桶装", "building blocks tub", "9503.00"),
    ("电饭煲 内胆", "rice cooker inner pot", "7323.99"),
    ("木质衣架 10个", "wooden hangers x10", "4421.10"),
    ("帆布 购物袋", "canvas tote bag", "4202.92"),
    ("文件夹", "document folders", "3926.10"),
    ("鼠标垫 大号", "large mouse pad", "4016.99"),
]

TYPO_SWAPS = {"T恤": "T侐", "shirt": "shrit", "cable": "cabel", "notebooks": "notebooke"}

# --- plain banned items by annex category: Chinese and English names, HS-style heading ---
PLAIN: dict[str, tuple[list[str], list[str], str]] = {
    "firearms_ammunition": (
        [
            "手枪",
            "气枪",
            "猎枪",
            "子弹 50发",
            "仿真手枪 (金属)",
            "枪管",
            "霰弹 一盒",
            "枪支 零部件",
        ],
        ["handgun", "air rifle", "hunting rifle", "9mm ammunition", "shotgun shells", "pistol"],
        "9302.00",
    ),
    "controlled_weapons": (
        ["匕首", "三棱刮刀", "弹簧刀", "弩 (带箭)", "电击器", "催泪喷射器"],
        ["crossbow with bolts", "switchblade knife", "stun gun", "tear gas spray", "dagger"],
        "9307.00",
    ),
    "explosives_fireworks": (
        ["烟花", "鞭炮 两挂", "雷管", "导火索 5米", "炸药", "黑火药", "礼花弹"],
        ["fireworks", "firecrackers", "detonators", "blasting fuse", "gunpowder", "dynamite"],
        "3604.10",
    ),
    "compressed_gases": (
        ["丁烷气罐", "液化石油气 罐", "压缩氧气瓶", "氦气罐 (气球用)", "打火机 充气罐", "氢气瓶"],
        ["butane gas canister", "propane cylinder", "helium tank", "compressed oxygen cylinder"],
        "2711.13",
    ),
    "flammable_liquids": (
        ["汽油 2升", "柴油", "煤油", "95%酒精 500ml", "天那水 (稀释剂)", "丙酮", "油漆 5L"],
        ["gasoline 2L", "petrol can", "kerosene", "acetone 1L", "paint thinner", "lighter fluid"],
        "2710.12",
    ),
    "flammable_solids": (
        ["红磷", "硫磺粉", "镁粉", "金属钠", "电石 (碳化钙)", "固体酒精", "火柴 10盒"],
        ["red phosphorus", "sulfur powder", "magnesium powder", "sodium metal", "calcium carbide"],
        "2804.70",
    ),
    "oxidisers_peroxides": (
        ["高锰酸钾", "氯酸钾", "硝酸铵", "过氧化钠", "30%过氧化氢", "高氯酸钾"],
        ["potassium permanganate", "potassium chlorate", "ammonium nitrate", "sodium peroxide"],
        "2841.61",
    ),
    "toxic": (
        ["氰化钠", "氰化钾", "砒霜", "三氧化二砷", "水银 (汞) 100g", "百草枯", "毒鼠强"],
        ["sodium cyanide", "arsenic trioxide", "mercury 100g", "paraquat", "thallium sulfate"],
        "2837.11",
    ),
    "infectious_biological": (
        [
            "细菌培养物",
            "病毒 样本",
            "医疗废物",
            "未经硝制的兽皮",
            "动物器官 (未检疫)",
            "使用过的针头",
        ],
        [
            "bacterial culture",
            "virus sample",
            "clinical waste",
            "used syringes",
            "raw animal hides",
        ],
        "3002.90",
    ),
    "radioactive": (
        ["铀矿石", "钴-60 放射源", "放射性物质", "铯-137 源", "镭 标本"],
        ["uranium ore", "cobalt-60 source", "radioactive material", "caesium-137 source"],
        "2844.10",
    ),
    "corrosives": (
        ["硫酸 500ml", "盐酸", "硝酸", "氢氧化钠 (烧碱)", "氢氟酸", "铅酸蓄电池 (带电解液)"],
        ["sulfuric acid", "hydrochloric acid", "nitric acid", "caustic soda", "hydrofluoric acid"],
        "2807.00",
    ),
    "drugs_paraphernalia": (
        ["海洛因", "冰毒", "大麻", "可卡因", "摇头丸", "K粉 (氯胺酮)", "鸦片", "吗啡", "吸毒 冰壶"],
        ["heroin", "cocaine", "cannabis", "methamphetamine", "ecstasy pills", "ketamine", "opium"],
        "1211.90",
    ),
    "forged_currency_documents": (
        ["假币", "伪造身份证", "假公章", "伪造护照", "假驾驶证", "伪造学历证书"],
        ["counterfeit banknotes", "fake ID card", "forged passport", "fake company seal"],
        "4907.00",
    ),
    "illegal_publications": (
        ["淫秽光盘", "色情DVD", "非法出版物", "邪教宣传册", "反动传单"],
        ["pornographic DVDs", "obscene magazines", "cult propaganda leaflets"],
        "4911.10",
    ),
    "spying_equipment": (
        ["窃听器", "暗藏式针孔摄像头", "一次性密码本", "密写工具", "突发式收发报机"],
        [
            "covert listening device",
            "hidden pinhole spy camera",
            "one-time pad",
            "burst transmitter",
        ],
        "8525.89",
    ),
    "counterfeit_goods": (
        ["假冒名牌包 (高仿)", "假冒伪劣 婴儿奶粉", "盗版 软件光盘", "假冒品牌手表"],
        ["counterfeit designer handbag", "counterfeit Rolex watch", "pirated software discs"],
        "4202.21",
    ),
    "endangered_species": (
        ["象牙", "象牙 雕件", "犀牛角", "虎骨", "穿山甲鳞片", "玳瑁 手镯", "虎皮"],
        [
            "ivory carving",
            "rhino horn",
            "tiger bone",
            "pangolin scales",
            "hawksbill shell bracelet",
        ],
        "9601.10",
    ),
}

# --- evasion source data ---------------------------------------------------------------
# Chinese name -> toned pinyin (syllables separated by spaces), all banned.
PINYIN = {
    "手枪": "shǒu qiāng",
    "枪支": "qiāng zhī",
    "子弹": "zǐ dàn",
    "猎枪": "liè qiāng",
    "气枪": "qì qiāng",
    "弹药": "dàn yào",
    "匕首": "bǐ shǒu",
    "弹簧刀": "tán huáng dāo",
    "电击器": "diàn jī qì",
    "炸药": "zhà yào",
    "雷管": "léi guǎn",
    "黑火药": "hēi huǒ yào",
    "鞭炮": "biān pào",
    "汽油": "qì yóu",
    "丁烷气罐": "dīng wán qì guàn",
    "氰化钾": "qíng huà jiǎ",
    "砒霜": "pī shuāng",
    "硫酸": "liú suān",
    "高锰酸钾": "gāo měng suān jiǎ",
    "铀矿石": "yóu kuàng shí",
    "海洛因": "hǎi luò yīn",
    "冰毒": "bīng dú",
    "大麻": "dà má",
    "可卡因": "kě kǎ yīn",
    "摇头丸": "yáo tóu wán",
    "鸦片": "yā piàn",
    "吗啡": "mǎ fēi",
    "氯胺酮": "lǜ àn tóng",
    "假币": "jiǎ bì",
    "假身份证": "jiǎ shēn fèn zhèng",
    "窃听器": "qiè tīng qì",
    "象牙": "xiàng yá",
    "犀牛角": "xī niú jiǎo",
    "虎骨": "hǔ gǔ",
    "穿山甲鳞片": "chuān shān jiǎ lín piàn",
}

# Amounts that make an initials-only line read like a real order.
AMOUNTS = ["10g", "5克", "两包", "1条", "3盒", "50发", "x2", "一套", "200g", "若干"]

TRADITIONAL = [
    "手槍",
    "槍支",
    "子彈 50發",
    "彈藥",
    "獵槍",
    "氣槍",
    "炸藥",
    "黑火藥",
    "煙花",
    "導火索",
    "彈簧刀",
    "電擊器",
    "鴉片",
    "嗎啡",
    "搖頭丸",
    "假幣",
    "偽造身份證",
    "竊聽器",
    "氰化鉀",
    "丁烷氣罐",
    "硝酸銨",
    "鈾礦石",
    "穿山甲鱗片",
    "高錳酸鉀",
    "淫穢光碟",
    "犀牛角 雕件",
]

HOMOPHONE = [
    "手抢",  # 手枪
    "抢支",  # 枪支
    "紫弹 50发",  # 子弹
    "蛋药",  # 弹药
    "榨药",  # 炸药
    "累管",  # 雷管
    "边炮",  # 鞭炮
    "兵毒",  # 冰毒
    "海落音",  # 海洛因
    "大嘛",  # 大麻
    "可咖因",  # 可卡因
    "遥头丸",  # 摇头丸
    "雅片",  # 鸦片
    "码啡",  # 吗啡
    "假必",  # 假币
    "像牙 雕件",  # 象牙
    "西牛角",  # 犀牛角
    "切听器",  # 窃听器
    "青化钾",  # 氰化钾
    "批霜",  # 砒霜
    "比首",  # 匕首
    "弹黄刀",  # 弹簧刀
    "电鸡棒",  # 电击棒
    "流酸",  # 硫酸
]

SLANG = [
    # drugs (中国禁毒网 publicity; DEA slang report)
    "溜冰用的冰 3g",
    "叶子 20g 自己种的",
    "飞叶子的草 一小包",
    "K仔 两包",
    "麻古 50粒",
    "神仙水 3瓶",
    "彩虹烟 一包",
    "邮票 10张 (舔的那种)",
    "咔哇潮饮 6包 (加料的)",
    "开心水 2瓶",
    "听话水 1瓶",
    "嗨糖 20粒 (蹦迪用)",
    "ice 3.5g",
    "molly x20",
    "special K 2 bags",
    "kush 1 oz",
    "snow 2g (the white one)",
    "smack 1g",
    # guns (police reports of online gun sales)
    "狗 一条 带狗粮",
    "狗粮 100发",
    "短狗 配件 全套",
    "气狗 一把 可打鸟",
    "喷子 一支",
    "a strap with 2 mags",
    "a piece + 50 rounds",
    "a can (suppressor) for the 9",
    # fireworks (trade names)
    "二踢脚 10个",
    "窜天猴 2捆",
    "大地红 一万响",
]

EUPHEMISM = [
    "白色粉末 提神用的 懂的来",
    "自己晒的干草 抽的那种",
    "过年放的响的东西 一箱",
    "防身用的 能放电的小盒子",
    "打猎用的长家伙 拆开装的",
    "非洲带回来的 大象牙齿 雕件",
    "爷爷留下的 老犀角杯",
    "人民币 道具 (能花出去的那种)",
    "同版 身份证 (能过机器)",
    "刻的章 跟公司那个一模一样",
    "能听见隔壁说话的小设备 纽扣大小",
    "实验室带出来的菌种 一管",
    "会让盖革计数器响的矿石",
    "party powder, you know the kind",
    "green for 420, dried",
    "things that go bang for new year, 1 box",
    "grandpa's old elephant tusk carving",
    "movie money that actually spends",
    "little white pills for the rave x30",
]

# English names for the spelling-based evasions (all banned).
ENGLISH = [
    "heroin",
    "cocaine",
    "ketamine",
    "methamphetamine",
    "ecstasy",
    "marijuana",
    "cannabis",
    "opium",
    "morphine",
    "pistol",
    "revolver",
    "rifle",
    "shotgun",
    "ammunition",
    "ammo",
    "gunpowder",
    "dynamite",
    "detonator",
    "firecrackers",
    "fireworks",
    "crossbow",
    "switchblade",
    "stun gun",
    "ivory",
    "rhino horn",
    "cyanide",
    "arsenic",
    "mercury",
    "sulfuric acid",
    "gasoline",
    "kerosene",
    "butane canister",
    "uranium",
    "pangolin scales",
    "silencer",
    "counterfeit banknotes",
]

MISSPELLING = [
    "amunition 9mm",
    "ammunitoin",
    "hand gunn",
    "firecrakers",
    "fireworkz",
    "gunpowdr",
    "heorin",
    "cocain",
    "marijuna",
    "ketamin",
    "metamphetamine",
    "detonaters",
    "crosbow",
    "swithcblade",
    "sulfuric acd",
    "potasium cyanide",
    "arsnic",
    "ivroy carving",
    "rhino hron",
    "counterfit banknotes",
    "gasolene",
    "kerosine",
    "butane canistr",
    "dynamyte",
]

SPLIT_ZH = [
    "海洛因",
    "冰毒",
    "大麻",
    "可卡因",
    "摇头丸",
    "手枪",
    "子弹",
    "炸药",
    "雷管",
    "象牙",
    "假币",
    "窃听器",
]
JOINED_EN = [
    "pepperspray",
    "stungun",
    "rhinohorn",
    "sodiumcyanide",
    "sulfuricacid",
    "fakeidcard",
    "tigerbone",
    "blastingfuse",
    "spycamera",
    "ecstasypills",
]
SPLIT_EN = ["her oin", "coc aine", "am mo", "gun pow der", "fire crackers", "iv ory", "pis tol"]

LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "l": "1", "g": "9"}
HOMOGLYPH = {
    "a": "а",  # Cyrillic a
    "e": "е",  # Cyrillic ie
    "o": "оο",  # Cyrillic o, Greek omicron
    "p": "р",  # Cyrillic er
    "c": "с",  # Cyrillic es
    "x": "х",  # Cyrillic ha
    "y": "у",  # Cyrillic u
    "i": "і",  # Ukrainian i
    "v": "ν",  # Greek nu
    "k": "к",  # Cyrillic ka
    "s": "ѕ",  # Cyrillic dze
    "h": "һ",  # Cyrillic shha
}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
FULLWIDTH_ZH = ["Ｋ粉 两包", "钴－６０ 放射源", "９ｍｍ 子弹", "ＴＮＴ 炸药", "ＬＳＤ 邮票"]

# --- look-alikes: harmless, share a word with something banned --------------------------
LOOK_ALIKE: dict[str, list[str]] = {
    "colour": [
        "象牙白 亚麻窗帘 2幅",
        "象牙色 真丝衬衫",
        "枪灰色 铝框行李箱 20寸",
        "枪色 金属眼镜框",
        "炮铜色 不锈钢表带",
        "ivory-colour wool scarf",
        "gun-metal grey hoodie",
        "gunmetal finish kitchen faucet",
        "ivory white dinner plates x6",
        "犀牛灰 卫衣",
        "烟花紫 缎面连衣裙",
    ],
    "shape_print": [
        "子弹头形 U盘 32G",
        "bullet-shaped USB drive",
        "子弹杯 (玻璃小酒杯) 6只 空杯",
        "firework-print silk scarf",
        "烟花印花 连衣裙",
        "手榴弹造型 健身壶铃 8kg",
        "grenade-shaped kettlebell 12kg",
        "炸弹造型 抱枕",
        "rocket-shaped night light",
        "大象 造型 陶瓷摆件",
    ],
    "material": [
        "仿象牙 麻将牌 (树脂)",
        "faux ivory piano key stickers",
        "象牙果 (植物 tagua) 手串",
        "仿玳瑁 眼镜框 (醋酸纤维)",
        "faux tortoiseshell hair clip",
        "仿虎皮纹 法兰绒毯",
        "faux-fur tiger-stripe throw blanket",
        "牛骨梳",
        "树脂 仿犀角 杯 (工艺品)",
        "人造水晶 吊坠",
    ],
    "tool": [
        "热熔胶枪 + 胶棒20根",
        "hot glue gun with 20 sticks",
        "气动钉枪 F30",
        "pneumatic brad nailer (nail gun)",
        "筋膜枪 按摩枪",
        "massage gun",
        "额温枪 (测温枪)",
        "infrared thermometer gun",
        "扫码枪 有线",
        "barcode scanner gun",
        "热风枪 2000W",
        "heat gun for shrink wrap",
        "喷漆枪 (空壶 不含涂料)",
        "料理喷枪头 (不含燃气)",
        "kitchen torch head only, no gas",
        "打胶枪 玻璃胶枪",
        "黄油枪 手动",
        "高压洗车水枪",
    ],
    "food_drink": [
        "金枪鱼罐头 6罐",
        "canned tuna x6",
        "天津大麻花 礼盒",
        "鸦片鱼头 (冷冻) 2个",
        "五毒饼 (端午) 一盒",
        "虎皮凤爪 卤味 真空包装",
        "虎皮青椒 调料包",
        "子弹头 朝天椒 干辣椒 500g",
        "象拔蚌 冻品 1只",
        "火麻仁 (食用) 500g",
        "Atomic Fireball candy",
        "Coke Zero 24 cans",
        "爆米花 焦糖味",
    ],
    "media_title": [
        "《枪炮、病菌与钢铁》 平装",
        "Guns, Germs, and Steel (paperback)",
        "《冰与火之歌》 全套",
        "A Song of Ice and Fire box set",
        "《绝命毒师》 蓝光 正版",
        "Breaking Bad Blu-ray (official)",
        "Top Gun: Maverick Blu-ray",
        "《鸦片战争》 历史读物",
        "The Opium War (history book)",
        "《刀剑神域》 漫画 1-5",
        "Bomberman 游戏卡带",
        "Trainspotting DVD (正版)",
        "《象牙塔》 小说",
    ],
    "legal_medicine": [
        "布洛芬缓释胶囊 2盒",
        "ibuprofen 200mg x2 boxes",
        "甲钴胺片",
        "阿莫西林胶囊 (处方随附)",
        "氯雷他定片",
        "蒙脱石散",
        "paracetamol 500mg",
        "omeprazole 20mg",
        "板蓝根颗粒",
        "麻仁润肠丸",
        "虎标万金油 (Tiger Balm)",
        "维生素D3 滴剂",
    ],
    "brand": [
        "Remington 剃须刀",
        "Remington hair straightener",
        "象印 保温杯",
        "虎牌 电饭煲",
        "Tiger brand thermos",
        "鳄鱼 polo衫",
        "Cobra 高尔夫 一号木",
        "骆驼 户外鞋",
    ],
    "innocent_sense": [
        "冰袋 (退烧 冷敷) 4个",
        "冰糖 1kg",
        "叶子 书签 (金属)",
        "集邮册 + 纪念邮票 一套",
        "奶茶 冲饮 20包 (香飘飘)",
        "跳跳糖 (小卖部款) 一盒",
        "snow boots size 38",
        "ice cube tray",
        "crystal vase",
        "bath bomb gift set x6",
        "bullet journal dotted A5",
        "bomber jacket (olive)",
        "powder blush compact",
        "糖果 礼盒 (喜糖)",
        "宠物狗粮 鸡肉味 10kg",
        "狗绳 牵引带",
        "dog food kibble 5kg",
    ],
    "toy_model": [
        "玩具水枪 (夏天戏水)",
        "water pistol toy",
        "泡沫软弹枪 NERF",
        "foam dart blaster (Nerf)",
        "1:6 兵人模型 (带塑料步枪配件)",
        "plastic toy sword",
        "cosplay 道具剑 (泡沫)",
        "军事 积木 坦克",
        "1:35 scale tank model kit",
        "儿童 玩具弓箭 (吸盘)",
        "水弹枪 (儿童)",
        "合金 枪模型 钥匙扣 (不可发射)",
        "toy cap gun (no caps)",
    ],
}

EVASIONS = [
    "pinyin_spaced",
    "pinyin_joined",
    "pinyin_tones",
    "pinyin_initials",
    "leet",
    "fullwidth",
    "homoglyph",
    "zero_width",
    "split_joined",
    "traditional",
    "homophone",
    "slang",
    "euphemism",
    "misspelling",
]

# Vague headings a sender picks when the goods fit nothing obvious ("other articles").
HS_VAGUE = ["9999.00", "6307.90", "3926.90", "9505.90", "4911.99", "2106.90"]


def _strip_tones(text: str) -> str:
    for umlaut in "ǖǘǚǜü":
        text = text.replace(umlaut, "v")  # how ü is typed on a keyboard
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _evade(kind: str, rng: random.Random) -> str:
    if kind.startswith("pinyin"):
        toned = PINYIN[rng.choice(sorted(PINYIN))]
        plain = _strip_tones(toned)
        if kind == "pinyin_spaced":
            return plain
        if kind == "pinyin_joined":
            return plain.replace(" ", "")
        if kind == "pinyin_tones":
            return toned if rng.random() < 0.5 else toned.replace(" ", "")
        initials = "".join(s[0] for s in plain.split())
        if rng.random() < 0.3:
            initials = initials.upper()
        return f"{initials} {rng.choice(AMOUNTS)}"
    if kind == "leet":
        word = rng.choice(ENGLISH)
        spots = [i for i, c in enumerate(word) if c in LEET]
        chosen = set(rng.sample(spots, min(len(spots), rng.choice([1, 2, 3]))))
        return "".join(rng.choice(LEET[c]) if i in chosen else c for i, c in enumerate(word))
    if kind == "fullwidth":
        if rng.random() < 0.3:
            return rng.choice(FULLWIDTH_ZH)
        word = rng.choice(ENGLISH)
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in word)
    if kind == "homoglyph":
        word = rng.choice(ENGLISH)
        spots = [i for i, c in enumerate(word) if c in HOMOGLYPH]
        chosen = set(rng.sample(spots, min(len(spots), rng.choice([1, 1, 2]))))
        return "".join(rng.choice(HOMOGLYPH[c]) if i in chosen else c for i, c in enumerate(word))
    if kind == "zero_width":
        word = rng.choice(SPLIT_ZH) if rng.random() < 0.5 else rng.choice(ENGLISH)
        out = [word[0]]
        for c in word[1:]:
            if rng.random() < 0.6 or len(out) == 1:
                out.append(rng.choice(ZERO_WIDTH))
            out.append(c)
        return "".join(out)
    if kind == "split_joined":
        roll = rng.random()
        if roll < 0.45:
            sep = rng.choice([" ", "-", "/", ".", "·", "_", "*"])
            return sep.join(rng.choice(SPLIT_ZH))
        if roll < 0.75:
            return rng.choice(JOINED_EN)
        return rng.choice(SPLIT_EN)
    table = {
        "traditional": TRADITIONAL,
        "homophone": HOMOPHONE,
        "slang": SLANG,
        "euphemism": EUPHEMISM,
        "misspelling": MISSPELLING,
    }
    return rng.choice(table[kind])


# --- rendering ---------------------------------------------------------------------------
def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _ordinary_lines(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    picked = rng.sample(ORDINARY, count)
    out = []
    for zh, en, hs in picked:
        if rng.random() < 0.08:
            for right, wrong in TYPO_SWAPS.items():
                zh, en = zh.replace(right, wrong), en.replace(right, wrong)
        out.append((zh, en, hs))
    return out


def _customs(lines: list[tuple[str, str]], rng: random.Random) -> str:
    head = rng.choice(["Customs declaration", "CN22 contents", "报关明细 / Customs lines"])
    rows = [head]
    for i, (name, hs) in enumerate(lines, 1):
        qty = rng.randint(1, 6)
        value = rng.randint(2, 80) + rng.choice([0, 0.5, 0.99])
        sep = rng.choice([" | ", "; ", "\t"])
        rows.append(f"{i}{sep}HS {hs}{sep}{name}{sep}qty {qty}{sep}USD {value:.2f}{sep}origin CN")
    rows.append(rng.choice(["Gift: no", "Commercial sample", "Sale of goods", "Gift"]))
    return "\n".join(rows)


def _wechat(names: list[str], rng: random.Random) -> str:
    units = ["一个", "两个", "一份", "一件", "x1", "x2", ""]
    rows = [rng.choice(["师傅你好", "在吗师傅", "哥 明天上午来取件哈", "您好 寄件"])]
    rows.append(rng.choice(["东西有这些：", "里面是：", "帮我寄一下 有"]))
    for name in names:
        has_amount = any(c.isdigit() for c in name)
        rows.append(name if has_amount else f"{name} {rng.choice(units)}".rstrip())
    rows.append(rng.choice(["保价200就行", "不值钱 别保价了", "到付 谢谢", "麻烦包好点 易碎"]))
    return "\n".join(rows)


def _marketplace(names: list[str], rng: random.Random, english: bool) -> str:
    main, extras = names[0], names[1:]
    if english:
        rows = [f"[Selling] {main}, used {rng.randint(2, 11)} months", "Condition: 90% new"]
        if extras:
            rows.append("Comes with: " + ", ".join(extras))
        rows.append(f"Price: ¥{rng.randint(15, 600)} shipping included, no haggling")
    else:
        rows = [f"【闲置转让】{main} {rng.choice(['9成新', '95新', '全新未拆', '自用'])}"]
        for extra in extras:
            rows.append(f"送：{extra}")
        rows.append(
            f"¥{rng.randint(15, 600)} 包邮 {rng.choice(['不议价', '可小刀', '同城可自提'])}"
        )
    return "\n".join(rows)


def _app_form(names: list[str], rng: random.Random) -> str:
    rows = [
        f"物品类型：{rng.choice(['日用品', '服饰', '食品', '数码产品', '文件', '其他'])}",
        "物品名称：" + "、".join(names),
        f"重量：{rng.randint(1, 80) / 10:.1f}kg",
        f"保价：{rng.choice([0, 100, 200, 500, 1000])}元",
        f"备注：{rng.choice(['轻拿轻放', '无', '下午送', '放驿站'])}",
    ]
    return "\n".join(rows)


def _order(names: list[str], rng: random.Random, english: bool) -> str:
    rows = ["Order summary" if english else "订单明细"]
    total = 0.0
    for i, name in enumerate(names, 1):
        qty = rng.randint(1, 4)
        price = rng.randint(5, 300) + rng.choice([0.0, 0.9, 0.5])
        total += qty * price
        rows.append(f"{i}. {name} ×{qty} ￥{price:.2f}")
    rows.append(f"{'Total' if english else '合计'}：￥{total:.2f}")
    return "\n".join(rows)


def _parcel(test: str | None, rng: random.Random, hs: str) -> str:
    voice = rng.choice(["customs", "wechat", "marketplace", "app", "order"])
    english = voice == "customs" or (voice in ("marketplace", "order") and rng.random() < 0.5)
    count = rng.randint(1, 4) if test is not None else rng.randint(2, 5)
    ordinary = _ordinary_lines(rng, count)
    if english and rng.random() < 0.2:
        names = [zh if rng.random() < 0.5 else en for zh, en, _ in ordinary]  # mixed
    else:
        names = [en if english else zh for zh, en, _ in ordinary]
    codes = [h for _, _, h in ordinary]
    if test is not None:
        at = rng.randint(0, len(names))
        names.insert(at, test)
        codes.insert(at, hs)
    if voice == "customs":
        return _customs(list(zip(names, codes, strict=True)), rng)
    if voice == "wechat":
        return _wechat(names, rng)
    if voice == "marketplace":
        return _marketplace(names, rng, english)
    if voice == "app":
        return _app_form(names, rng)
    return _order(names, rng, english)


def _cycle(kinds: list[str], count: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        block = list(kinds)
        rng.shuffle(block)
        out.extend(block)
    return out[:count]


def generate(n: int, seed: int) -> list[Case]:
    """`n` labelled parcels, deterministic for `seed`."""
    rng = random.Random(seed)
    n_banned = round(n * 0.20)
    n_evasion = round(n * 0.25)
    n_look = round(n * 0.20)
    n_ordinary = n - n_banned - n_evasion - n_look
    plan: list[tuple[str, str]] = [("plain", "ordinary")] * n_ordinary
    plan += [("plain", k) for k in _cycle(sorted(PLAIN), n_banned, rng)]
    plan += [("evasion", k) for k in _cycle(EVASIONS, n_evasion, rng)]
    plan += [("look-alike", k) for k in _cycle(sorted(LOOK_ALIKE), n_look, rng)]
    rng.shuffle(plan)
    cases = []
    for group, kind in plan:
        if kind == "ordinary":
            cases.append(Case(_parcel(None, rng, ""), False, group, kind))
        elif group == "plain":
            zh_names, en_names, hs = PLAIN[kind]
            name = rng.choice(zh_names if rng.random() < 0.55 else en_names)
            cases.append(Case(_parcel(name, rng, hs), True, group, kind))
        elif group == "evasion":
            hs = rng.choice(HS_VAGUE)
            cases.append(Case(_parcel(_evade(kind, rng), rng, hs), True, group, kind))
        else:
            item = rng.choice(LOOK_ALIKE[kind])
            hs = "9503.00" if kind == "toy_model" else rng.choice(HS_VAGUE)
            banned = None if kind == "toy_model" else False
            cases.append(Case(_parcel(item, rng, hs), banned, group, kind))
    return cases


def main() -> None:
    cases = generate(6000, 1)
    sample = random.Random(0).sample(cases, 30)
    for case in sample:
        print(f"--- {case.group} / {case.kind} / banned={case.banned}")
        print(case.text)
    print()
    counts = Counter((c.group, c.kind, c.banned) for c in cases)
    for (group, kind, banned), count in sorted(counts.items(), key=lambda x: (x[0][0], x[0][1])):
        print(f"{group:11} {kind:28} banned={banned!s:5} {count}")
    print(f"total {len(cases)}; cjk share {sum(_has_cjk(c.text) for c in cases) / len(cases):.2f}")


if __name__ == "__main__":
    main()
