"""Parcel declarations, evaluation set D.

An independent, labelled set of courier declarations for measuring Vigil's
parcel screening. It was written without reference to Vigil's catalogue, its
matcher or the other declaration sets, so that rules fitted to those cannot
have been fitted to this one.

    cases = generate(n=6000, seed=1)

Each ``Case`` is one parcel's declared contents, as a sender would type it
into a courier app or a cross-border e-commerce form: Chinese, English or
both, several lines with quantities and a declared value, brand-like words,
the odd typo. At most one line of a parcel is the item under test; the other
lines are ordinary goods.

Labels:

* ``banned``: ``True`` must be flagged; ``False`` must be cleared; ``None``
  is a toy or a model of a weapon, which should be inspected, never refused
  (and never silently cleared either: a scorer may count it as neither).
* ``group``: ``"plain"`` (a banned item named plainly, or an ordinary parcel),
  ``"evasion"`` (a banned item whose name was disguised), ``"look-alike"``
  (harmless goods that share words or characters with banned items).
* ``kind``: for ``plain`` the annex category of the banned item (for example
  ``"firearms"``, ``"narcotics"``), or ``"ordinary"``; for ``evasion`` the
  evasion class (``"pinyin_spaced"``, ``"leet"``, ``"homoglyph"`` ...); for
  ``look-alike`` the look-alike class (``"colour"``, ``"tool"``, ``"toy"`` ...).

Run ``python bench/parcel_declarations_d.py`` for 30 samples, the counts per
kind and a self-check.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass

import opencc
from pypinyin import Style, lazy_pinyin


@dataclass(frozen=True)
class Case:
    text: str
    banned: bool | None  # True must be flagged, False cleared, None toy/model: inspect
    group: str  # "evasion", "look-alike" or "plain"
    kind: str  # class label


# ---------------------------------------------------------------------------
# Banned items, by annex category. "zh"/"en": names a sender would write;
# "slang": street or trade names; "typo": misspelt English forms;
# "homophone": Chinese written with a wrong character of the same sound.
# ---------------------------------------------------------------------------
BANNED: dict[str, dict[str, list[str]]] = {
    "firearms": {
        "zh": [
            "手枪",
            "步枪",
            "猎枪",
            "气枪",
            "霰弹枪",
            "仿真枪",
            "钢珠枪",
            "火药枪",
            "麻醉枪",
            "枪管",
            "枪机",
            "撞针",
            "手枪弹匣",
            "消音器 (枪用)",
            "枪支配件",
        ],
        "en": [
            "pistol",
            "handgun",
            "hunting rifle",
            "air rifle",
            "shotgun",
            "revolver",
            "gun barrel",
            "firing pin",
            "pistol magazine",
            "rifle bolt carrier",
            "gun silencer",
            "replica firearm (metal)",
        ],
        "slang": [
            "喷子",
            "气狗",
            "火狗",
            "短狗",
            "长狗",
            "黑狗 配件",
            "汽狗全套",
            "shooter",
            "strap (9mm)",
            "ghost gun kit",
        ],
        "typo": ["pistle", "hand gun", "shot gun", "revolvr", "riffle", "firing pinn"],
        "homophone": ["手抢", "步抢", "猎抢", "汽枪", "散弹抢", "仿真抢"],
    },
    "ammunition": {
        "zh": [
            "子弹",
            "弹药",
            "霰弹",
            "猎枪弹",
            "空包弹",
            "底火",
            "手枪子弹",
            "步枪弹",
            "弹头弹壳",
        ],
        "en": [
            "ammunition",
            "bullets",
            "9mm rounds",
            "shotgun shells",
            "blank cartridges",
            "primers",
            "rifle cartridges",
            ".22 ammo",
        ],
        "slang": ["狗粮 (一盒50发)", "花生米 (铅弹)", "豆子 50发"],
        "typo": ["amunition", "bulletts", "ammunitoin", "cartriges"],
        "homophone": ["子蛋", "子旦", "弹要", "空包旦"],
    },
    "controlled_instruments": {
        "zh": [
            "匕首",
            "三棱刮刀",
            "弹簧刀",
            "跳刀",
            "军刺",
            "开刃砍刀",
            "开刃唐刀",
            "弩",
            "弩箭",
            "电击器",
            "催泪喷射器",
            "防身电棍",
        ],
        "en": [
            "dagger",
            "switchblade",
            "gravity knife",
            "bayonet",
            "butterfly knife",
            "crossbow",
            "stun gun",
            "taser",
            "pepper spray",
            "tear gas spray",
            "sharpened katana",
        ],
        "slang": ["甩刀", "蝴蝶甩刀", "小黑刀 (跳)", "军匕", "防狼喷雾"],
        "typo": ["swichblade", "dagar", "crosbow", "stungun", "bayonette"],
        "homophone": ["匕守", "弹黄刀", "三棱刮叨", "电鸡器"],
    },
    "explosives": {
        "zh": [
            "炸药",
            "雷管",
            "导火索",
            "黑火药",
            "硝铵炸药",
            "塑胶炸药",
            "手榴弹",
            "地雷",
            "导爆索",
            "TNT炸药",
        ],
        "en": [
            "dynamite",
            "detonators",
            "blasting caps",
            "C4 explosive",
            "black powder",
            "hand grenade",
            "det cord",
            "TNT",
            "plastic explosive",
        ],
        "slang": ["雷子", "炮药", "土炸药", "boom stick"],
        "typo": ["dynamit", "detenators", "explossives", "grenaid"],
        "homophone": ["炸要", "雷关", "导火锁", "黑伙药"],
    },
    "pyrotechnics": {
        "zh": [
            "烟花",
            "爆竹",
            "鞭炮",
            "礼花弹",
            "摔炮",
            "擦炮",
            "冷烟花",
            "仙女棒",
            "烟雾弹",
            "信号弹",
        ],
        "en": [
            "fireworks",
            "firecrackers",
            "sparklers",
            "cake fireworks",
            "smoke grenade",
            "signal flares",
            "mortar shells (fireworks)",
            "roman candles",
        ],
        "slang": ["炮仗", "小炮 一箱", "大地红 (挂)", "二踢脚"],
        "typo": ["fireworkes", "fire crakers", "sparklars", "fierworks"],
        "homophone": ["烟化", "边炮", "礼花旦", "鞭泡"],
    },
    "gases": {
        "zh": [
            "液化气罐",
            "煤气罐",
            "丁烷气罐",
            "氧气瓶",
            "氢气瓶",
            "乙炔瓶",
            "打火机充气罐",
            "灭火器",
            "笑气",
            "氦气罐",
            "二氧化碳气瓶",
        ],
        "en": [
            "LPG cylinder",
            "propane tank",
            "butane canister",
            "oxygen cylinder",
            "hydrogen cylinder",
            "acetylene tank",
            "lighter gas refill",
            "fire extinguisher",
            "nitrous oxide chargers",
            "helium tank",
            "CO2 cylinder",
        ],
        "slang": ["奶油气弹 (笑气)", "气弹 一箱", "whippets", "nangs"],
        "typo": ["propain tank", "butain gas", "acetelyne tank", "LPG cilinder"],
        "homophone": ["液化汽罐", "煤汽罐", "丁完气罐", "氧汽瓶"],
    },
    "flammable_liquids": {
        "zh": [
            "汽油",
            "柴油",
            "煤油",
            "酒精 (95%)",
            "丙酮",
            "乙醚",
            "油漆",
            "天那水",
            "松香水",
            "甲醇",
            "打火机油",
            "桐油",
        ],
        "en": [
            "gasoline",
            "petrol",
            "diesel fuel",
            "kerosene",
            "acetone",
            "ether",
            "paint thinner",
            "lighter fluid",
            "methanol",
            "turpentine",
            "95% ethanol",
        ],
        "slang": ["香蕉水", "开油水", "zippo oil"],
        "typo": ["gasolene", "kerosine", "acetoon", "turpentin"],
        "homophone": ["汽由", "柴由", "丙铜", "天拿水"],
    },
    "flammable_solids": {
        "zh": [
            "红磷",
            "白磷",
            "硫磺",
            "镁粉",
            "铝粉",
            "金属钠",
            "金属钾",
            "电石",
            "固体酒精",
            "火柴",
        ],
        "en": [
            "red phosphorus",
            "white phosphorus",
            "sulfur powder",
            "magnesium powder",
            "aluminium powder",
            "sodium metal",
            "potassium metal",
            "calcium carbide",
            "solid fuel tablets",
            "strike-anywhere matches",
        ],
        "slang": ["赤磷", "硫黄块"],
        "typo": ["red phosporus", "magnisium powder", "calcium carbid", "sulphur pouder"],
        "homophone": ["红林", "流磺", "美粉", "电时"],
    },
    "oxidisers": {
        "zh": [
            "高锰酸钾",
            "氯酸钾",
            "硝酸铵",
            "硝酸钾",
            "过氧化钠",
            "过氧化氢 (35%)",
            "次氯酸钙",
            "高氯酸钾",
        ],
        "en": [
            "potassium permanganate",
            "potassium chlorate",
            "ammonium nitrate",
            "potassium nitrate",
            "sodium peroxide",
            "hydrogen peroxide 35%",
            "calcium hypochlorite",
            "potassium perchlorate",
        ],
        "slang": ["灰锰氧", "土硝", "硝石"],
        "typo": ["potasium chlorate", "amonium nitrate", "permanganat"],
        "homophone": ["高猛酸钾", "录酸钾", "消酸铵"],
    },
    "toxics": {
        "zh": [
            "氰化钾",
            "氰化钠",
            "砒霜",
            "三氧化二砷",
            "毒鼠强",
            "百草枯",
            "甲胺磷",
            "水银",
            "硫酸铊",
            "氟乙酰胺",
        ],
        "en": [
            "potassium cyanide",
            "sodium cyanide",
            "arsenic trioxide",
            "tetramine rat poison",
            "paraquat",
            "mercury (liquid)",
            "thallium sulfate",
            "strychnine",
        ],
        "slang": ["三步倒", "闻到死", "鹤顶红"],
        "typo": ["cyanid", "arsenik", "paraquatt", "strichnine"],
        "homophone": ["青化钾", "砒双", "毒鼠墙"],
    },
    "infectious": {
        "zh": [
            "病毒样本",
            "细菌培养物",
            "菌种",
            "炭疽杆菌",
            "血液样本",
            "医疗废物",
            "病原体培养液",
            "使用过的针头",
        ],
        "en": [
            "virus culture",
            "bacterial culture",
            "anthrax spores",
            "live pathogen samples",
            "blood specimens",
            "medical waste",
            "used syringes",
        ],
        "slang": ["活菌原液 (实验室)"],
        "typo": ["bacterial cultre", "anthracks", "pathagen samples"],
        "homophone": ["病读样本", "细菌陪养物"],
    },
    "radioactive": {
        "zh": ["铀矿石", "钴-60放射源", "铯-137", "放射源", "镭", "钍粉", "放射性同位素"],
        "en": [
            "uranium ore",
            "cobalt-60 source",
            "caesium-137 source",
            "radium paint",
            "thorium powder",
            "radioactive isotope",
            "americium-241 source",
        ],
        "slang": ["黄饼"],
        "typo": ["uranuim ore", "radiactive source", "cesium 137 sourse"],
        "homophone": ["由矿石", "放射原"],
    },
    "corrosives": {
        "zh": [
            "硫酸",
            "盐酸",
            "硝酸",
            "氢氟酸",
            "烧碱",
            "氢氧化钠",
            "氢氧化钾",
            "蓄电池电解液",
            "王水",
        ],
        "en": [
            "sulfuric acid",
            "hydrochloric acid",
            "nitric acid",
            "hydrofluoric acid",
            "caustic soda",
            "lye (sodium hydroxide)",
            "battery acid",
            "aqua regia",
        ],
        "slang": ["镪水", "火碱"],
        "typo": ["sulfuric acd", "hydrocloric acid", "nitrick acid", "sulphuric asid"],
        "homophone": ["流酸", "盐算", "销酸"],
    },
    "narcotics": {
        "zh": [
            "海洛因",
            "冰毒",
            "甲基苯丙胺",
            "大麻",
            "可卡因",
            "鸦片",
            "吗啡",
            "摇头丸",
            "K粉",
            "麻古",
            "芬太尼",
            "罂粟壳",
            "大麻油",
            "大麻烟",
            "四氢大麻酚",
        ],
        "en": [
            "heroin",
            "crystal meth",
            "methamphetamine",
            "cannabis",
            "marijuana",
            "cocaine",
            "opium",
            "morphine",
            "ecstasy pills",
            "MDMA",
            "fentanyl",
            "LSD blotters",
            "poppy pods",
            "hashish",
            "THC vape cartridges",
        ],
        "slang": [
            "叶子",
            "飞叶子 (草)",
            "溜冰料",
            "四号货",
            "小树枝 (大麻)",
            "weed",
            "ice shards",
            "molly",
            "snow (coke)",
            "smack",
            "dope",
            "blow",
        ],
        "typo": ["heroine powder", "cocain", "marijuanna", "extasy", "fentanil", "mariuana"],
        "homophone": ["海落因", "冰独", "大嘛", "可卡音", "鸭片", "摇头完"],
    },
    "psychotropics": {
        "zh": [
            "氯胺酮",
            "曲马多",
            "三唑仑",
            "γ-羟丁酸",
            "安眠酮",
            "地西泮 (无处方)",
            "卡痛叶",
            "合成大麻素",
        ],
        "en": [
            "ketamine",
            "tramadol (no prescription)",
            "triazolam",
            "GHB",
            "methaqualone",
            "kratom",
            "synthetic cannabinoids",
            "2C-B",
        ],
        "slang": ["听话水", "G水", "失身粉", "spice", "special K"],
        "typo": ["ketamin", "tramadoll", "triazolem"],
        "homophone": ["氯安酮", "曲码多", "三座仑"],
    },
    "precursors": {
        "zh": [
            "麻黄碱",
            "伪麻黄碱",
            "羟亚胺",
            "1-苯基-2-丙酮",
            "胡椒醛",
            "黄樟素",
            "醋酸酐",
            "邻氯苯基环戊酮",
            "麦角酸",
        ],
        "en": [
            "ephedrine",
            "pseudoephedrine (bulk)",
            "P2P (phenylacetone)",
            "piperonal",
            "safrole oil",
            "acetic anhydride",
            "lysergic acid",
            "hydroxylimine",
        ],
        "slang": ["麻素", "黄樟油"],
        "typo": ["ephedrin", "safrol oil", "acetic anhydrid"],
        "homophone": ["麻黄减", "醋酸干"],
    },
    "paraphernalia": {
        "zh": ["溜冰壶", "吸毒工具", "大麻烟斗", "冰毒吸食壶", "吸毒锡纸管套装"],
        "en": ["meth pipe", "crack pipe", "bong for weed", "glass oil burner pipe", "freebase kit"],
        "slang": ["冰壶 (溜冰用)", "壶 套装", "hitter pipe"],
        "typo": ["meth pype", "crak pipe"],
        "homophone": ["溜冰胡", "吸独工具"],
    },
    "counterfeit_currency": {
        "zh": ["假币", "假钞", "伪造人民币", "高仿人民币", "假美元", "伪钞"],
        "en": [
            "counterfeit banknotes",
            "fake currency",
            "fake 100 yuan notes",
            "counterfeit US dollars",
            "forged euro notes",
        ],
        "slang": ["高仿票子", "A票", "水钱"],
        "typo": ["conterfeit notes", "fake currancy", "counterfit dollars"],
        "homophone": ["假必", "假抄", "伪照人民币"],
    },
    "forged_documents": {
        "zh": [
            "假身份证",
            "伪造驾驶证",
            "假护照",
            "假公章",
            "伪造公章",
            "假学历证书",
            "假发票",
            "伪造房产证",
            "假结婚证",
        ],
        "en": [
            "fake ID card",
            "forged passport",
            "counterfeit company seal",
            "fake diploma",
            "forged driving licence",
            "fake VAT invoices",
            "forged visa stickers",
        ],
        "slang": ["办证 (一套)", "刻章 (公章)", "代开发票"],
        "typo": ["fake pasport", "forgd passport", "fake diplomma", "fake drivers licens"],
        "homophone": ["假身分证", "假公张", "伪造架驶证"],
    },
    "spying": {
        "zh": [
            "窃听器",
            "针孔摄像头",
            "微型窃听器",
            "间谍笔 (摄像)",
            "隐蔽式摄像纽扣",
            "手机监听器",
            "专用间谍器材",
        ],
        "en": [
            "bugging device",
            "hidden pinhole camera",
            "spy pen camera",
            "covert listening device",
            "phone wiretap kit",
            "button spy camera",
        ],
        "slang": ["偷拍神器", "隐形眼 (摄像)"],
        "typo": ["buging device", "pinhol camera", "spy camra"],
        "homophone": ["切听器", "针空摄像头"],
    },
    "publications": {
        "zh": ["淫秽光盘", "淫秽书刊", "邪教宣传品", "反动宣传册", "色情杂志", "赌博教程光盘"],
        "en": [
            "obscene DVDs",
            "pornographic magazines",
            "cult propaganda leaflets",
            "seditious pamphlets",
            "pirated obscene videos",
        ],
        "slang": ["小黄碟", "毛片 DVD", "黄书"],
        "typo": ["pornagraphic magazines", "obsene DVDs"],
        "homophone": ["银秽光盘", "色青杂志"],
    },
    "endangered": {
        "zh": [
            "象牙",
            "象牙雕刻",
            "犀牛角",
            "虎骨",
            "虎骨酒",
            "穿山甲鳞片",
            "玳瑁手镯",
            "红珊瑚",
            "盔犀鸟头骨",
            "豹皮",
            "熊掌",
            "活体鹦鹉",
            "砗磲原料",
        ],
        "en": [
            "ivory carving",
            "raw ivory",
            "rhino horn",
            "tiger bone wine",
            "pangolin scales",
            "hawksbill shell bangle",
            "red coral (raw)",
            "hornbill casque",
            "leopard skin",
            "live parrots",
            "saiga antelope horn",
        ],
        "slang": ["白货 (牙)", "犀角片", "甲片 (穿山甲)", "山甲", "white gold (tusk)"],
        "typo": ["ivroy carving", "rino horn", "pangolen scales", "tigre bone"],
        "homophone": ["象芽", "稀牛角", "穿山假鳞片"],
    },
    "ip_infringing": {
        "zh": ["高仿LV包", "A货劳力士", "假名牌包", "盗版光盘", "高仿耐克鞋", "假冒茅台"],
        "en": [
            "replica Rolex",
            "fake Gucci bag",
            "counterfeit AirPods",
            "pirated DVDs",
            "knock-off Louis Vuitton",
            "fake Nike sneakers",
        ],
        "slang": ["A货", "1:1复刻 大牌", "超A 名表"],
        "typo": ["replika rolex", "fake guchi bag"],
        "homophone": ["高访LV包", "假冒毛台"],
    },
}

# ---------------------------------------------------------------------------
# Harmless goods.
# ---------------------------------------------------------------------------
ORDINARY_ZH = [
    "手机壳",
    "数据线",
    "充电器",
    "蓝牙耳机",
    "T恤",
    "牛仔裤",
    "运动鞋",
    "袜子",
    "保温杯",
    "马克杯",
    "笔记本",
    "中性笔",
    "帆布包",
    "发夹",
    "毛巾",
    "枕套",
    "床单",
    "抱枕",
    "拖鞋",
    "雨伞",
    "鼠标",
    "键盘",
    "U盘",
    "台灯",
    "收纳盒",
    "衣架",
    "茶叶",
    "饼干",
    "坚果礼盒",
    "面膜",
    "护手霜",
    "洗面奶",
    "唇膏",
    "儿童绘本",
    "拼图",
    "橡皮擦",
    "文件夹",
    "围巾",
    "手套",
    "帽子",
    "钥匙扣",
    "手机支架",
    "鞋垫",
    "窗帘挂钩",
    "宠物牵引绳",
    "猫砂盆",
]
ORDINARY_EN = [
    "phone case",
    "USB-C cable",
    "charger",
    "wireless earbuds",
    "t-shirt",
    "jeans",
    "sneakers",
    "socks",
    "thermos",
    "coffee mug",
    "notebook",
    "gel pens",
    "tote bag",
    "hair clips",
    "bath towel",
    "pillowcase",
    "bedsheet",
    "cushion",
    "slippers",
    "umbrella",
    "mouse",
    "keyboard",
    "USB flash drive",
    "desk lamp",
    "storage box",
    "hangers",
    "green tea",
    "cookies",
    "mixed nuts",
    "face masks (sheet)",
    "hand cream",
    "lip balm",
    "picture book",
    "jigsaw puzzle",
    "eraser",
    "scarf",
    "gloves",
    "baseball cap",
    "keychain",
    "phone stand",
    "dog leash",
    "yoga mat",
    "water bottle",
    "sunglasses",
    "wallet",
]
ORDINARY_TYPO = [
    "phnoe case",
    "chargr",
    "t shrit",
    "sneekers",
    "umbrela",
    "keyboad",
    "notbook",
    "cusion",
    "手机克",
    "数剧线",
]

# Look-alike classes: harmless goods whose names share words or characters with
# banned items. "toy" and "model" are labelled None (inspect, never refuse).
LOOKALIKE: dict[str, list[str]] = {
    "colour": [
        "象牙白窗帘",
        "象牙色 纱帘 2片",
        "枪灰色手机壳",
        "枪色 金属 表带",
        "炮铜色 眼镜框",
        "玳瑁色 眼镜框",
        "珊瑚红 口红",
        "火药红 卫衣",
        "军绿色 夹克",
        "硝烟灰 围巾",
        "ivory-colour curtains",
        "ivory white duvet cover",
        "gunmetal grey watch strap",
        "gun-metal phone case",
        "petrol blue shirt",
        "acid green hoodie",
        "bullet grey jacket",
        "coral red lipstick",
        "tortoiseshell sunglasses (acetate)",
        "ammo green backpack",
        "toxic green nail stickers",
        "bone white vase",
        "smoke grey hoodie",
    ],
    "shape": [
        "子弹头U盘",
        "子弹造型 钥匙扣 (塑料)",
        "手榴弹造型 存钱罐",
        "炮弹造型 保温杯",
        "火箭造型 夜灯",
        "炸弹造型 蓝牙音箱",
        "地雷造型 烟灰缸 (陶瓷)",
        "bullet-shaped USB stick",
        "bullet-shaped bluetooth speaker",
        "grenade-shaped water bottle",
        "rocket-shaped lamp",
        "bomb-shaped ceramic vase",
        "missile-shaped pen",
        "heart-shaped pill box (empty)",
    ],
    "pattern": [
        "烟花图案 T恤",
        "烟花印花 连衣裙",
        "手枪印花 袜子",
        "子弹图案 手机壳",
        "迷彩 裤",
        "骷髅头 印花 卫衣",
        "豹纹 围巾",
        "虎纹 抱枕",
        "firework-print dress",
        "fireworks pattern wrapping paper",
        "pistol print socks",
        "leopard print scarf",
        "camo pattern pants",
        "tiger stripe cushion cover",
        "skull print bandana",
    ],
    "material": [
        "象牙果纽扣 (植物)",
        "仿象牙 树脂麻将",
        "人造皮草 外套",
        "仿玳瑁 发夹 (醋酸纤维)",
        "珊瑚绒毯子",
        "珊瑚绒 睡衣",
        "硫酸纸 (描图纸) A4",
        "水晶 摆件",
        "冰丝 凉席",
        "tagua nut (vegetable ivory) buttons",
        "faux ivory resin mahjong",
        "faux fur coat",
        "coral fleece blanket",
        "acid-free paper",
        "crystal glass tumbler",
        "imitation tortoiseshell hair clip",
        "ice silk pillowcase",
    ],
    "tool": [
        "热熔胶枪",
        "玻璃胶枪",
        "喷漆枪 (空)",
        "测温枪",
        "额温枪",
        "筋膜枪",
        "按摩枪",
        "扫码枪",
        "美缝枪",
        "黄油枪",
        "焊枪 (电烙铁)",
        "菜刀",
        "水果刀",
        "美工刀",
        "剃须刀",
        "指甲刀",
        "glue gun",
        "heat gun",
        "massage gun",
        "barcode scanner gun",
        "caulking gun",
        "infrared thermometer gun",
        "staple gun",
        "kitchen knife",
        "bread knife",
        "utility knife",
        "pizza cutter",
        "grease gun",
        "soldering iron",
    ],
    "food": [
        "炸鸡调料",
        "炸酱面",
        "爆米花",
        "冰糖",
        "冰糖雪梨",
        "酸奶",
        "麻辣烫底料",
        "雷根糖",
        "火锅底料",
        "虎皮鸡蛋 (卤味)",
        "虎皮蛋糕",
        "排毒茶",
        "子弹头辣椒",
        "跳跳糖",
        "K金巧克力 (金币造型)",
        "白面粉 5kg",
        "gunpowder green tea",
        "Coca-Cola (coke) 12 cans",
        "ice cream mix",
        "crackers",
        "popcorn kernels",
        "pot noodles",
        "rock candy",
        "bath salts (epsom)",
        "tiger bread",
        "crystal jelly candy",
    ],
    "cosmetic": [
        "玻尿酸精华",
        "水杨酸洁面",
        "氨基酸洗面奶",
        "果酸 身体乳",
        "散粉",
        "蜜粉饼",
        "爽身粉",
        "粉底液 (水)",
        "防晒霜",
        "冰肌 面膜",
        "hyaluronic acid serum",
        "salicylic acid cleanser",
        "amino acid face wash",
        "bath bomb",
        "setting powder",
        "talc-free baby powder",
        "glycolic acid toner",
        "cherry bomb lip balm",
    ],
    "other_lookalike": [
        "《枪炮、病菌与钢铁》(图书)",
        "禁毒宣传手册",
        "防毒面具 (民用)",
        "杀毒软件 激活卡",
        "病毒学 教材",
        "防辐射服 (孕妇)",
        "防窥膜 (手机)",
        "监听耳机",
        "行车记录仪",
        "婴儿监视器",
        "证件套",
        "护照夹",
        "姓名私章 (定制)",
        "随货附发票",
        "18K金项链",
        "三枪 内衣",
        "小钢炮 音箱",
        "犀牛 毛绒玩偶",
        "熊猫 玩偶",
        "虎标万金油",
        "Guns, Germs and Steel (book)",
        "Vogue magazine",
        "bullet journal",
        "Top Gun DVD (official)",
        "anti-radiation phone sticker",
        "anti-spy screen protector",
        "studio monitor headphones",
        "dash cam",
        "baby monitor",
        "passport cover",
        "ID card holder lanyard",
        "invoice enclosed",
        "shot glasses",
        "Tiger Balm",
        "exhaust silencer (motorcycle)",
        "gas mask (painting)",
        "cold brew coffee",
        "snow globe",
        "flower pot",
        "grass seed",
        "Ivory soap",
    ],
    "toy": [
        "玩具水枪",
        "泡沫软弹枪 (儿童)",
        "积木枪",
        "塑料玩具刀",
        "儿童玩具弓箭 (吸盘)",
        "泡泡枪",
        "玩具手雷 (塑胶)",
        "water pistol",
        "foam dart blaster",
        "toy sword (plastic)",
        "bubble gun",
        "toy cap-free cowboy revolver (plastic)",
        "lego-style rifle bricks",
        "cosplay prop sword (foam)",
    ],
    "model": [
        "1:35 坦克模型",
        "战斗机模型 合金",
        "1:6 兵人 步枪模型",
        "手办 武士刀 (塑料)",
        "导弹模型 摆件",
        "军舰拼装模型",
        "1:35 AK-47 model kit",
        "scale model howitzer",
        "die-cast fighter jet model",
        "resin grenade replica (display, solid)",
        "1/6 figure rifle accessory",
        "model rocket (no motor)",
    ],
}
LOOKALIKE_LABEL: dict[str, bool | None] = {
    k: (None if k in ("toy", "model") else False) for k in LOOKALIKE
}

EVASIONS = [
    "pinyin_spaced",
    "pinyin_joined",
    "pinyin_tones",
    "pinyin_digits",
    "initials",
    "leet",
    "symbols",
    "fullwidth",
    "homoglyph",
    "invisible",
    "split",
    "joined",
    "traditional",
    "slang",
    "misspelling",
    "homophone",
]

_T2 = opencc.OpenCC("s2t")

_LEET = {
    "a": "4@",
    "e": "3",
    "i": "1!",
    "o": "0",
    "s": "5$",
    "t": "7",
    "l": "1|",
    "g": "9",
    "b": "8",
}
_HOMO = {
    "a": "аα",
    "c": "с",
    "e": "е",
    "o": "оο",
    "p": "р",
    "x": "х",
    "y": "у",
    "i": "іι",
    "k": "κк",
    "n": "η",
    "v": "ν",
    "t": "τ",
    "h": "һ",
    "s": "ѕ",
    "j": "ј",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "С",
    "E": "ЕΕ",
    "H": "НΗ",
    "K": "КΚ",
    "M": "МΜ",
    "O": "ОΟ",
    "P": "РΡ",
    "T": "ТΤ",
    "X": "ХΧ",
}
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u180e"]
_SYMBOLS = ["*", ".", "-", "_", "·", "/", "★", "~", "|", "#", "❤"]


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _han_core(name: str) -> str:
    """The longest run of Han characters in a name (drops notes in brackets)."""
    best, run = "", ""
    for ch in name.split("(")[0]:
        if _is_han(ch):
            run += ch
        else:
            best, run = max(best, run, key=len), ""
    return max(best, run, key=len)


def _pinyin(core: str, style: Style) -> list[str]:
    return [p for p in lazy_pinyin(core, style=style) if p.strip()]


def _en_core(name: str) -> str:
    return name.split("(")[0].strip()


def _evade(cls: str, kind: str, rng: random.Random) -> tuple[str, str] | None:
    """(disguised name, the plain name it came from) or None if not applicable."""
    item = BANNED[kind]
    if cls in ("slang", "misspelling", "homophone"):
        key = {"slang": "slang", "misspelling": "typo", "homophone": "homophone"}[cls]
        s = rng.choice(item[key])
        return s, s
    if cls in (
        "pinyin_spaced",
        "pinyin_joined",
        "pinyin_tones",
        "pinyin_digits",
        "initials",
        "traditional",
    ):
        src = rng.choice(item["zh"])
        core = _han_core(src)
        if len(core) < 2:
            return None
        if cls == "traditional":
            t = _T2.convert(src)
            return (t, src) if t != src else None
        if cls == "initials":
            ini = "".join(_pinyin(core, Style.FIRST_LETTER))
            return (ini.upper() if rng.random() < 0.6 else ini), src
        style = {
            "pinyin_spaced": Style.NORMAL,
            "pinyin_joined": Style.NORMAL,
            "pinyin_tones": Style.TONE,
            "pinyin_digits": Style.TONE3,
        }[cls]
        syl = _pinyin(core, style)
        sep = (
            ""
            if cls == "pinyin_joined"
            else rng.choice([" ", " ", "-", "'"] if cls == "pinyin_spaced" else [" "])
        )
        out = sep.join(syl)
        if rng.random() < 0.3:
            out = out.title() if cls != "pinyin_joined" else out.capitalize()
        return out, src
    if cls == "leet":
        src = _en_core(rng.choice(item["en"]))
        letters = [i for i, c in enumerate(src) if c.lower() in _LEET]
        if not letters:
            return None
        pos = set(rng.sample(letters, max(1, min(len(letters), rng.randint(1, 3)))))
        out = "".join(rng.choice(_LEET[c.lower()]) if i in pos else c for i, c in enumerate(src))
        return out, src
    if cls == "homoglyph":
        src = _en_core(rng.choice(item["en"]))
        letters = [i for i, c in enumerate(src) if c in _HOMO]
        if not letters:
            return None
        pos = set(rng.sample(letters, max(1, min(len(letters), rng.randint(1, 3)))))
        out = "".join(rng.choice(_HOMO[c]) if i in pos else c for i, c in enumerate(src))
        return out, src
    if cls == "fullwidth":
        src = _en_core(rng.choice(item["en"]))
        out = "".join(
            chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in src
        )
        return out, src
    if cls in ("symbols", "invisible"):
        use_zh = rng.random() < 0.6
        src = rng.choice(item["zh"]) if use_zh else _en_core(rng.choice(item["en"]))
        core = _han_core(src) if use_zh else src.replace(" ", "")
        if len(core) < 2:
            return None
        fill = _SYMBOLS if cls == "symbols" else _INVISIBLE
        if cls == "symbols":
            mark = rng.choice(fill)
            out = mark.join(core) if use_zh else _break_word(core, mark, rng)
        else:
            out = "".join(
                c + (rng.choice(fill) if i < len(core) - 1 else "") for i, c in enumerate(core)
            )
        return out, src
    if cls == "split":
        use_zh = rng.random() < 0.5
        if use_zh:
            src = rng.choice(item["zh"])
            core = _han_core(src)
            if len(core) < 2:
                return None
            cut = rng.randint(1, len(core) - 1)
            return core[:cut] + rng.choice([" ", "  ", " + ", "\n"]) + core[cut:], src
        words = [w for w in (_en_core(x) for x in item["en"]) if " " not in w and len(w) >= 5]
        if not words:
            return None
        w = rng.choice(words)
        cut = _syllable_cut(w, rng)
        return w[:cut] + " " + w[cut:], w
    if cls == "joined":
        phrases = [p for p in (_en_core(x) for x in item["en"]) if " " in p]
        if not phrases:
            return None
        p = rng.choice(phrases)
        out = p.replace(" ", "").replace("-", "")
        if rng.random() < 0.3:
            out = "".join(w.capitalize() for w in p.split())
        return out, p
    raise ValueError(cls)


def _syllable_cut(w: str, rng: random.Random) -> int:
    """A cut point after a vowel-consonant boundary, as "fire works", "pis tol"."""
    vowels = "aeiouy"
    cuts = [i for i in range(2, len(w) - 1) if w[i - 1] in vowels and w[i] not in vowels]
    return rng.choice(cuts) if cuts else len(w) // 2


def _break_word(w: str, mark: str, rng: random.Random) -> str:
    cut = _syllable_cut(w, rng)
    return w[:cut] + mark + w[cut:]


# ---------------------------------------------------------------------------
# Declaration layout.
# ---------------------------------------------------------------------------
_ZH_UNITS = ["个", "件", "只", "包", "盒", "瓶", "把", "条", "套", "袋"]
_EN_UNITS = ["pcs", "pc", "x", "set", "box", "bottle", "pack", "units"]


def _is_zhish(s: str) -> bool:
    return any(_is_han(c) for c in s)


def _line(name: str, rng: random.Random, zh: bool) -> str:
    q = rng.choice([1, 1, 1, 2, 2, 3, 5, 10])
    if zh:
        form = rng.randrange(5)
        unit = rng.choice(_ZH_UNITS)
        if form == 0:
            return f"{name}*{q}"
        if form == 1:
            return f"{name} {q}{unit}"
        if form == 2:
            return f"{name}x{q}"
        if form == 3:
            return f"{name}（{q}{unit}）"
        return f"{name} 数量:{q}"
    form = rng.randrange(5)
    if form == 0:
        return f"{q} x {name}"
    if form == 1:
        return f"{name} x{q}"
    if form == 2:
        return f"{name} ({q} {rng.choice(_EN_UNITS)})"
    if form == 3:
        return f"{q}{rng.choice(['', ' '])}{rng.choice(_EN_UNITS)} {name}"
    return f"{name} - qty {q}"


_BRANDS = [
    "优品汇",
    "小米风",
    "LOHAS",
    "NoBrand",
    "Ulike",
    "拼多多同款",
    "XINGYUE",
    "ZARA风",
    "Amazon Basics style",
    "无印风",
    "淘宝爆款",
    "Kawaii",
    "HOMEPLUS",
]


def _filler(rng: random.Random, zh: bool) -> str:
    if rng.random() < 0.05:
        name = rng.choice(ORDINARY_TYPO)
    else:
        name = rng.choice(ORDINARY_ZH if zh else ORDINARY_EN)
    if rng.random() < 0.2:
        name = f"{rng.choice(_BRANDS)} {name}"
    return name


def _declaration(target: str | None, rng: random.Random) -> str:
    zh = _is_zhish(target) if target is not None else rng.random() < 0.55
    if target is not None and rng.random() < 0.15:
        zh = not zh  # mixed-language parcels
    n_fill = rng.choice([0, 1, 1, 2, 2, 3]) if target is not None else rng.randint(1, 4)
    names = [_filler(rng, zh) for _ in range(n_fill)]
    if target is not None:
        names.insert(rng.randint(0, len(names)), target)
    lines = [_line(nm, rng, _is_zhish(nm) if rng.random() < 0.7 else zh) for nm in names]
    sep = rng.choice(
        ["；", "，", "; ", ", ", "\n", " / ", " | "] if zh else ["; ", ", ", "\n", " / ", " + "]
    )
    body = sep.join(lines)
    value = round(rng.uniform(5, 2000), rng.choice([0, 2]))
    style = rng.randrange(6)
    if zh:
        if style == 0:
            return f"品名：{body}；申报价值：{value:g}元"
        if style == 1:
            return f"内件：{body}，价值¥{value:g}"
        if style == 2:
            return f"【订单{rng.randint(10**7, 10**8 - 1)}】{body} 共¥{value:g}"
        if style == 3:
            return f"{body}（物品价值 {value:g} RMB）"
        if style == 4:
            return f"寄件物品:{body} 保价{value:g}"
        return body
    if style == 0:
        return f"Contents: {body}. Declared value USD {value:.2f}"
    if style == 1:
        return f"Gift - {body} (value ${value:g})"
    if style == 2:
        return f"Order #{rng.randint(10**5, 10**6 - 1)}: {body}; total {value:g} CNY"
    if style == 3:
        return f"{body} -- value {value:g}"
    if style == 4:
        return f"Items: {body}"
    return body


# ---------------------------------------------------------------------------
# Generator.
# ---------------------------------------------------------------------------
_GROUP_WEIGHTS = [
    ("plain_banned", 0.20),
    ("evasion", 0.30),
    ("look-alike", 0.35),
    ("ordinary", 0.15),
]


def generate(n: int, seed: int) -> list[Case]:
    """``n`` labelled declarations; the same (n, seed) always gives the same list."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(f"parcel-d:{seed}")
    kinds = sorted(BANNED)
    out: list[Case] = []
    # Stratify: cycle through groups in proportion, shuffled per block, so that
    # shares stay close to the weights even for small n.
    block = [g for g, w in _GROUP_WEIGHTS for _ in range(round(w * 20))]
    order: list[str] = []
    while len(order) < n:
        b = block[:]
        rng.shuffle(b)
        order.extend(b)
    for g in order[:n]:
        if g == "plain_banned":
            kind = rng.choice(kinds)
            item = BANNED[kind]
            name = rng.choice(item["zh"] if rng.random() < 0.55 else item["en"])
            out.append(Case(_declaration(name, rng), True, "plain", kind))
        elif g == "evasion":
            while True:
                cls = rng.choice(EVASIONS)
                kind = rng.choice(kinds)
                got = _evade(cls, kind, rng)
                if got is not None:
                    break
            out.append(Case(_declaration(got[0], rng), True, "evasion", cls))
        elif g == "look-alike":
            cls = rng.choice(sorted(LOOKALIKE))
            name = rng.choice(LOOKALIKE[cls])
            out.append(Case(_declaration(name, rng), LOOKALIKE_LABEL[cls], "look-alike", cls))
        else:
            out.append(Case(_declaration(None, rng), False, "plain", "ordinary"))
    return out


# ---------------------------------------------------------------------------
# Self-check.
# ---------------------------------------------------------------------------
def _self_check(cases: list[Case], seed: int) -> list[str]:
    problems: list[str] = []
    n = len(cases)
    if generate(n, seed) != cases:
        problems.append("not deterministic for the same seed")
    if n >= 100 and generate(n, seed + 1) == cases:
        problems.append("a different seed gives the same set")
    share = sum(c.banned is True for c in cases) / max(n, 1)
    if n >= 200 and not 0.45 <= share <= 0.55:
        problems.append(f"banned share {share:.3f} outside 0.45-0.55")
    for c in cases:
        if not c.text.strip():
            problems.append("empty declaration")
        if c.group == "evasion" and (c.banned is not True or c.kind not in EVASIONS):
            problems.append(f"bad evasion label: {c}")
        if c.group == "look-alike" and c.banned is not LOOKALIKE_LABEL.get(c.kind, 0):
            problems.append(f"bad look-alike label: {c}")
        if c.group == "plain" and (c.kind == "ordinary") != (c.banned is False):
            problems.append(f"bad plain label: {c}")
        if c.banned is None and c.kind not in ("toy", "model"):
            problems.append(f"None outside toy/model: {c}")
    if n >= 2000:
        seen = Counter(c.kind for c in cases)
        for k in [*BANNED, *EVASIONS, *LOOKALIKE, "ordinary"]:
            if seen[k] == 0:
                problems.append(f"kind never generated: {k}")
    # Each evasion transform must actually hide the plain name it came from.
    rng = random.Random(seed)
    for cls in EVASIONS:
        if cls in ("slang", "misspelling", "homophone"):
            continue
        for kind in BANNED:
            for _ in range(5):
                got = _evade(cls, kind, rng)
                if got is None:
                    continue
                text, src = got
                plain = _han_core(src) or _en_core(src)
                if plain and plain in text:
                    problems.append(f"{cls} leaves the plain name {plain!r} in {text!r}")
    # Misspellings and homophones must not be the catalogue spelling.
    for kind, item in BANNED.items():
        plain_names = {_en_core(x).lower() for x in item["en"]} | set(item["zh"])
        for s in item["typo"] + item["homophone"]:
            if s.lower() in plain_names:
                problems.append(f"{kind}: {s!r} is also a plain name")
    # Fillers must not contain any banned name.
    all_banned = [
        _han_core(x) or _en_core(x).lower() for it in BANNED.values() for x in it["zh"] + it["en"]
    ]
    for f in ORDINARY_ZH + ORDINARY_EN + ORDINARY_TYPO:
        for b in all_banned:
            if len(b) >= 3 and b in f.lower():
                problems.append(f"filler {f!r} contains banned name {b!r}")
    return problems


def _show(s: str) -> str:
    """Make invisible characters visible for printing."""
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cf", "Mn") and c not in "\u0301" else c
        for c in s
    ).replace("\n", " ⏎ ")


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    cases = generate(n, seed)
    print(f"parcel declarations set D: n={n} seed={seed}\n")
    for c in random.Random(seed).sample(cases, min(30, n)):
        print(f"  [{c.banned!s:5}] {c.group:10} {c.kind:22} {_show(c.text)}")
    print("\nper group:")
    for (g, b), k in sorted(Counter((c.group, str(c.banned)) for c in cases).items()):
        print(f"  {g:10} banned={b:5} {k}")
    print("\nper kind:")
    for (g, kind), k in sorted(Counter((c.group, c.kind) for c in cases).items()):
        print(f"  {g:10} {kind:24} {k}")
    share = sum(c.banned is True for c in cases) / max(n, 1)
    print(
        f"\nbanned share: {share:.3f}  (True {sum(c.banned is True for c in cases)}, "
        f"False {sum(c.banned is False for c in cases)}, "
        f"None {sum(c.banned is None for c in cases)})"
    )
    problems = _self_check(cases, seed)
    if problems:
        print(f"\nself-check FAILED ({len(problems)}):")
        for p in problems[:40]:
            print("  -", p)
        return 1
    print("\nself-check ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
