"""Parcel declarations, evaluation set H: a clean hold-out, written apart from the matcher
and from sets A-G.

Each case is a declaration as an officer meets it (an EDI/CSV line, a clerk's transcript of
a voice message, an OCR'd hand-written waybill, a 9610 cross-border line, a pickup note, a
school or hospital shipment, a gift basket, an auction lot, a farmer's produce, a hobby
forum trade post), labelled by this file's own reading of the annex to the 禁止寄递物品
管理规定 (the 禁止寄递物品指导目录, nineteen categories).

Mix by exact quota: 35 % ordinary goods, 20 % plain banned items, 25 % evasions, 20 %
look-alikes. Borderline choices (see BORDERLINE below) are labelled by this reading.

    .venv/bin/python bench/parcel_declarations_h.py
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

BORDERLINE = (
    "replica guns (仿真枪) and gas-powered airsoft replicas are banned: the annex's first "
    "category includes imitations; plain toys and scale models of weapons are None",
    "gel-ball blasters (水弹枪) and toy water guns are toys: None",
    "medical alcohol (医用酒精) is a flammable liquid: banned; hand cream, soap are not",
    "pinhole / covert cameras count as spy equipment (窃照专用器材): banned",
    "pepper spray (防狼喷雾) is a tear-gas device under 管制器具: banned",
    "nitrous oxide (笑气) is a compressed gas: banned",
    "signal jammers, fake base stations and classified documents go under 'other' "
    "(banned by other laws); excavated relics and unquarantined seedlings under "
    "'prohibited import/export'",
    "yogurt starter cultures, sulphur soap, car mufflers, curling stones, bank practice "
    "notes, wigs and ivory-white paint are look-alikes that pass",
    "alcoholic drinks, loose batteries and live animals are left out as too uncertain",
    "initials keep the first character ('冰D', '手Q'): bare letters cannot be read as anything",
    "homophones are chosen so that a reader still recognises the item; ones that are an "
    "everyday word by themselves (水印, 大马, 甲片) were left out",
)


@dataclass(frozen=True)
class Case:
    text: str
    banned: bool | None
    group: str
    kind: str


@dataclass(frozen=True)
class Item:
    zh: str
    en: str
    pinyin: str  # syllables separated by spaces, no tones
    trad: str = ""
    slang: tuple[str, ...] = ()
    euphemism: tuple[str, ...] = ()
    homophone: tuple[str, ...] = ()
    formula: str = ""


# My reading of the annex: one key per category, in the annex's order.
CATALOGUE: dict[str, tuple[Item, ...]] = {
    "firearms_ammunition": (
        Item(
            "手枪",
            "pistol",
            "shou qiang",
            "手槍",
            ("狗子 配狗粮",),
            ("能响的铁家伙",),
            ("手抢", "收枪"),
        ),
        Item(
            "仿真枪", "replica gun", "fang zhen qiang", "仿真槍", ("长狗", "气狗"), (), ("仿真抢",)
        ),
        Item(
            "子弹",
            "ammunition",
            "zi dan",
            "子彈",
            ("花生米 铜皮的",),
            ("铜头小零件 9mm",),
            ("籽弹",),
        ),
        Item(
            "猎枪", "hunting rifle", "lie qiang", "獵槍", ("喷子",), ("打猎用的长家伙",), ("猎抢",)
        ),
        Item("气枪", "air rifle", "qi qiang", "氣槍", ("打鸟神器 铅弹款",), (), ("汽枪",)),
        Item("枪管", "gun barrel", "qiang guan", "槍管", (), ("发射管 膛线款",), ("呛管",)),
    ),
    "controlled_knives": (
        Item("匕首", "dagger", "bi shou", "匕首", ("小插子",), ("开过刃的双刃小家伙",), ("比首",)),
        Item("弹簧刀", "switchblade", "tan huang dao", "彈簧刀", ("跳刀",), (), ("弹黄刀",)),
        Item("三棱刮刀", "three-edged scraper knife", "san leng gua dao", "三稜刮刀", ("三棱刺",)),
        Item("弩", "crossbow", "nu", "弩", ("十字弓",), ("射鱼用的那个弓 带弩箭",), ("努弓",)),
        Item(
            "电击器", "stun gun", "dian ji qi", "電擊器", ("电棍",), ("防身电火花棒",), ("电激器",)
        ),
        Item(
            "催泪喷雾",
            "pepper spray",
            "cui lei pen wu",
            "催淚噴霧",
            ("防狼喷雾",),
            (),
            ("催累喷雾",),
        ),
    ),
    "explosives": (
        Item(
            "烟花爆竹",
            "fireworks",
            "yan hua bao zhu",
            "煙花爆竹",
            ("炮仗", "鞭炮"),
            ("过年放的响的",),
            ("烟花爆烛",),
        ),
        Item("雷管", "detonators", "lei guan", "雷管", (), ("起爆的小铜管",), ("雷官",)),
        Item(
            "炸药",
            "explosives",
            "zha yao",
            "炸藥",
            ("硝铵块",),
            ("开山用的料",),
            ("炸要", "榨药"),
            "TNT",
        ),
        Item("导火索", "safety fuse", "dao huo suo", "導火索", ("引信",), (), ("导火锁",)),
        Item(
            "黑火药",
            "black powder",
            "hei huo yao",
            "黑火藥",
            ("黑药",),
            (),
            ("黑火要",),
            "KNO3+S+C",
        ),
        Item(
            "礼花弹",
            "firework shells",
            "li hua dan",
            "禮花彈",
            (),
            ("婚庆打上天的那种",),
            ("礼花旦",),
        ),
    ),
    "compressed_gases": (
        Item(
            "丁烷气罐",
            "butane canister",
            "ding wan qi guan",
            "丁烷氣罐",
            ("卡式气",),
            (),
            ("丁完气罐",),
            "C4H10",
        ),
        Item(
            "氧气瓶",
            "oxygen cylinder",
            "yang qi ping",
            "氧氣瓶",
            (),
            ("带压力的钢瓶",),
            ("氧汽瓶",),
            "O2",
        ),
        Item(
            "液化石油气罐",
            "LPG cylinder",
            "ye hua shi you qi guan",
            "液化石油氣罐",
            ("煤气罐",),
            (),
            ("液化石油汽罐",),
        ),
        Item(
            "笑气",
            "nitrous oxide",
            "xiao qi",
            "笑氣",
            ("奶油气弹 一箱",),
            ("开心气球的气",),
            ("肖气",),
            "N2O",
        ),
        Item("氢气瓶", "hydrogen cylinder", "qing qi ping", "氫氣瓶", (), (), ("轻气瓶",), "H2"),
    ),
    "flammable_liquids": (
        Item("汽油", "petrol", "qi you", "汽油", ("92号 桶装",), ("发电机喝的那个",), ("汽由",)),
        Item(
            "医用酒精",
            "medical alcohol",
            "yi yong jiu jing",
            "醫用酒精",
            (),
            (),
            ("医用久精",),
            "C2H5OH",
        ),
        Item(
            "油漆稀释剂",
            "paint thinner",
            "you qi xi shi ji",
            "油漆稀釋劑",
            ("天那水", "香蕉水"),
            (),
            ("油漆稀是剂",),
        ),
        Item("煤油", "kerosene", "mei you", "煤油", ("火油",), (), ("媒油",)),
        Item("甲醇", "methanol", "jia chun", "甲醇", ("木精",), (), ("甲纯",), "CH3OH"),
        Item(
            "打火机油",
            "lighter fluid",
            "da huo ji you",
            "打火機油",
            ("Zippo油",),
            (),
            ("大火机油",),
        ),
    ),
    "flammable_solids": (
        Item(
            "红磷",
            "red phosphorus",
            "hong lin",
            "紅磷",
            ("赤磷",),
            ("火柴盒侧边那层料 散装",),
            ("红粦",),
            "P",
        ),
        Item(
            "金属钠",
            "sodium metal",
            "jin shu na",
            "金屬鈉",
            (),
            ("泡煤油里的那块金属",),
            ("金属纳",),
            "Na",
        ),
        Item("电石", "calcium carbide", "dian shi", "電石", ("臭石头",), (), ("电时",), "CaC2"),
        Item(
            "镁粉", "magnesium powder", "mei fen", "鎂粉", (), ("闪光用的金属粉",), ("镁份",), "Mg"
        ),
        Item(
            "固体酒精",
            "solid fuel alcohol",
            "gu ti jiu jing",
            "固體酒精",
            ("酒精块",),
            (),
            ("固体久精",),
        ),
        Item("白磷", "white phosphorus", "bai lin", "白磷", ("黄磷",), (), ("白粦",), "P4"),
    ),
    "oxidizers_peroxides": (
        Item(
            "高锰酸钾",
            "potassium permanganate",
            "gao meng suan jia",
            "高錳酸鉀",
            ("PP粉",),
            (),
            ("高猛酸钾",),
            "KMnO4",
        ),
        Item("氯酸钾", "potassium chlorate", "lv suan jia", "氯酸鉀", (), (), ("绿酸钾",), "KClO3"),
        Item(
            "硝酸铵",
            "ammonium nitrate",
            "xiao suan an",
            "硝酸銨",
            ("硝铵",),
            (),
            ("消酸铵",),
            "NH4NO3",
        ),
        Item(
            "过氧化钠",
            "sodium peroxide",
            "guo yang hua na",
            "過氧化鈉",
            (),
            (),
            ("过养化钠",),
            "Na2O2",
        ),
        Item(
            "30%双氧水",
            "30% hydrogen peroxide",
            "shuang yang shui",
            "30%雙氧水",
            (),
            (),
            ("双养水",),
            "H2O2 30%",
        ),
    ),
    "toxic_substances": (
        Item(
            "氰化钾",
            "potassium cyanide",
            "qing hua jia",
            "氰化鉀",
            ("山奈钾粉",),
            (),
            ("青化钾",),
            "KCN",
        ),
        Item(
            "氰化钠",
            "sodium cyanide",
            "qing hua na",
            "氰化鈉",
            ("山奈钠",),
            (),
            ("青化钠",),
            "NaCN",
        ),
        Item("砒霜", "arsenic trioxide", "pi shuang", "砒霜", ("信石",), (), ("披霜",), "As2O3"),
        Item("百草枯", "paraquat", "bai cao ku", "百草枯", (), ("烧根的除草水 原液",), ("百草哭",)),
        Item(
            "毒鼠强", "tetramine rat poison", "du shu qiang", "毒鼠強", ("三步倒",), (), ("独鼠强",)
        ),
        Item("水银", "mercury", "shui yin", "水銀", (), (), ("氺银",), "Hg"),
    ),
    "infectious_biological": (
        Item(
            "血液样本",
            "blood samples",
            "xue ye yang ben",
            "血液樣本",
            (),
            ("抽的管子 紫头管",),
            ("血夜样本",),
        ),
        Item(
            "病毒培养物",
            "virus culture",
            "bing du pei yang wu",
            "病毒培養物",
            ("毒株",),
            (),
            ("病读培养物",),
        ),
        Item(
            "医疗废物",
            "clinical waste",
            "yi liao fei wu",
            "醫療廢物",
            (),
            ("用过的针头和纱布",),
            ("医疗费物",),
        ),
        Item(
            "病原菌种", "pathogen strains", "bing yuan jun zhong", "病原菌種", (), (), ("病元菌种",)
        ),
        Item(
            "咽拭子样本",
            "throat swab specimens",
            "yan shi zi yang ben",
            "咽拭子樣本",
            (),
            (),
            ("咽试子样本",),
        ),
    ),
    "radioactive": (
        Item(
            "铀矿石",
            "uranium ore",
            "you kuang shi",
            "鈾礦石",
            ("沥青铀矿标本",),
            (),
            ("柚矿石",),
            "U3O8",
        ),
        Item(
            "钴60放射源",
            "cobalt-60 source",
            "gu liu shi fang she yuan",
            "鈷60放射源",
            (),
            (),
            ("古60放射源",),
            "Co-60",
        ),
        Item(
            "铯137源",
            "caesium-137 source",
            "se yao san qi yuan",
            "銫137源",
            (),
            (),
            ("色137源",),
            "Cs-137",
        ),
        Item(
            "放射源",
            "radioactive source",
            "fang she yuan",
            "放射源",
            (),
            ("探伤机里的小铅罐",),
            ("放设源",),
        ),
    ),
    "corrosives": (
        Item(
            "浓硫酸",
            "sulphuric acid",
            "nong liu suan",
            "濃硫酸",
            ("镪水",),
            (),
            ("浓流酸",),
            "H2SO4",
        ),
        Item("盐酸", "hydrochloric acid", "yan suan", "鹽酸", (), (), ("严酸",), "HCl"),
        Item("硝酸", "nitric acid", "xiao suan", "硝酸", (), (), ("消酸",), "HNO3"),
        Item(
            "氢氧化钠",
            "caustic soda",
            "qing yang hua na",
            "氫氧化鈉",
            ("烧碱", "火碱"),
            (),
            ("氢养化钠",),
            "NaOH",
        ),
        Item(
            "氢氟酸",
            "hydrofluoric acid",
            "qing fu suan",
            "氫氟酸",
            (),
            ("蚀刻玻璃的酸",),
            ("清氟酸",),
            "HF",
        ),
    ),
    "narcotics_drug_tools": (
        Item(
            "冰毒",
            "methamphetamine",
            "bing du",
            "冰毒",
            ("溜冰的料",),
            ("白色晶体 你懂的",),
            ("冰独", "兵毒"),
            "C10H15N",
        ),
        Item("海洛因", "heroin", "hai luo yin", "海洛因", ("白粉", "四号仔"), (), ("海落因",)),
        Item(
            "大麻",
            "cannabis",
            "da ma",
            "大麻",
            ("weed", "飞叶子"),
            ("420 绿色植物 干的",),
            ("大嘛", "大🐴"),
        ),
        Item("K粉", "ketamine", "ke fen", "K粉", ("K仔", "开心粉"), (), ("嗑粉",), "C13H16ClNO"),
        Item(
            "摇头丸",
            "ecstasy pills",
            "yao tou wan",
            "搖頭丸",
            ("蹦迪糖",),
            (),
            ("摇投丸",),
            "MDMA",
        ),
        Item("可卡因", "cocaine", "ke ka yin", "可卡因", ("coke粉",), (), ("可咔因",)),
        Item(
            "溜冰壶",
            "meth pipe",
            "liu bing hu",
            "溜冰壺",
            (),
            ("吸的玻璃壶 带两根管",),
            ("溜兵壶",),
        ),
        Item("麻黄碱", "ephedrine", "ma huang jian", "麻黃鹼", (), (), ("麻黄减",), "C10H15NO"),
    ),
    "illegal_publications": (
        Item(
            "淫秽光盘",
            "obscene DVDs",
            "yin hui guang pan",
            "淫穢光盤",
            ("黄碟", "毛片"),
            ("大人看的小电影",),
            ("阴秽光盘",),
        ),
        Item(
            "淫秽书刊",
            "obscene magazines",
            "yin hui shu kan",
            "淫穢書刊",
            ("黄书",),
            (),
            ("淫会书刊",),
        ),
        Item(
            "非法出版物",
            "illegal publications",
            "fei fa chu ban wu",
            "非法出版物",
            (),
            ("没书号的内部小册子",),
            ("非发出版物",),
        ),
        Item(
            "邪教宣传品",
            "cult propaganda leaflets",
            "xie jiao xuan chuan pin",
            "邪教宣傳品",
            (),
            (),
            ("邪叫宣传品",),
        ),
    ),
    "spy_equipment": (
        Item(
            "窃听器",
            "bugging device",
            "qie ting qi",
            "竊聽器",
            ("监听虫",),
            ("能远程听的小黑块",),
            ("切听器",),
        ),
        Item(
            "针孔摄像头",
            "pinhole spy camera",
            "zhen kong she xiang tou",
            "針孔攝像頭",
            ("纽扣针孔",),
            (),
            ("真孔摄像头",),
        ),
        Item(
            "窃照器材",
            "covert camera kit",
            "qie zhao qi cai",
            "竊照器材",
            (),
            ("藏在插座里的镜头",),
            ("切照器材",),
        ),
    ),
    "forged_items": (
        Item(
            "假币",
            "counterfeit banknotes",
            "jia bi",
            "假幣",
            ("高仿人民币",),
            ("一比三的货 百元",),
            ("假必",),
        ),
        Item(
            "假身份证",
            "fake ID cards",
            "jia shen fen zheng",
            "假身份證",
            ("高仿证件",),
            (),
            ("假身分证",),
        ),
        Item(
            "伪造公章",
            "forged official seals",
            "wei zao gong zhang",
            "偽造公章",
            ("萝卜章",),
            (),
            ("伪照公章",),
        ),
        Item("假发票", "fake invoices", "jia fa piao", "假發票", ("代开票",), (), ("假发漂",)),
        Item("假护照", "forged passport", "jia hu zhao", "假護照", (), (), ("假户照",)),
    ),
    "ip_infringing_counterfeit": (
        Item(
            "盗版光盘",
            "pirated discs",
            "dao ban guang pan",
            "盜版光盤",
            ("D版碟",),
            (),
            ("道版光盘",),
        ),
        Item(
            "高仿名牌包",
            "counterfeit designer handbags",
            "gao fang ming pai bao",
            "高仿名牌包",
            ("A货包", "1:1复刻LV"),
            (),
            ("高方名牌包",),
        ),
        Item(
            "假冒香烟",
            "counterfeit cigarettes",
            "jia mao xiang yan",
            "假冒香煙",
            ("假烟",),
            (),
            ("假帽香烟",),
        ),
        Item(
            "盗版书",
            "pirated books",
            "dao ban shu",
            "盜版書",
            (),
            ("影印的畅销书 无版权",),
            ("倒版书",),
        ),
    ),
    "endangered_wildlife": (
        Item("象牙", "ivory", "xiang ya", "象牙", ("白货 雕件",), (), ("像牙",)),
        Item("犀牛角", "rhino horn", "xi niu jiao", "犀牛角", ("犀角",), (), ("西牛角",)),
        Item(
            "穿山甲鳞片",
            "pangolin scales",
            "chuan shan jia lin pian",
            "穿山甲鱗片",
            ("山甲片",),
            (),
            ("穿山假鳞片",),
        ),
        Item("虎骨", "tiger bone", "hu gu", "虎骨", ("大猫骨",), (), ("唬骨",)),
        Item(
            "玳瑁标本",
            "hawksbill turtle shell",
            "dai mao biao ben",
            "玳瑁標本",
            (),
            (),
            ("代帽标本",),
        ),
    ),
    "prohibited_import_export": (
        Item(
            "出土文物",
            "excavated relics",
            "chu tu wen wu",
            "出土文物",
            ("生坑货",),
            (),
            ("出土文务",),
        ),
        Item(
            "疫区猪肉制品",
            "pork products from a swine-fever zone",
            "yi qu zhu rou zhi pin",
            "疫區豬肉製品",
            (),
            (),
            ("疫区朱肉制品",),
        ),
        Item(
            "未检疫种苗",
            "unquarantined seedlings",
            "wei jian yi zhong miao",
            "未檢疫種苗",
            (),
            (),
            ("未检易种苗",),
        ),
    ),
    "other_prohibited": (
        Item(
            "手机信号屏蔽器",
            "signal jammer",
            "shou ji xin hao ping bi qi",
            "手機信號屏蔽器",
            ("考场屏蔽仪",),
            (),
            ("手机信号平蔽器",),
        ),
        Item(
            "伪基站",
            "fake base station",
            "wei ji zhan",
            "偽基站",
            ("短信群发车载设备",),
            (),
            ("伪机站",),
        ),
        Item(
            "涉密文件",
            "classified documents",
            "she mi wen jian",
            "涉密文件",
            (),
            ("红头带密级的资料",),
            ("设密文件",),
        ),
    ),
}

ORDINARY = (
    ("大米", "rice"),
    ("苹果", "apples"),
    ("羽绒服", "down jacket"),
    ("手机壳", "phone case"),
    ("数据线", "USB cable"),
    ("保温杯", "vacuum flask"),
    ("运动鞋", "running shoes"),
    ("笔记本", "notebooks"),
    ("中性笔", "gel pens"),
    ("毛线", "knitting yarn"),
    ("茶叶", "tea"),
    ("红枣", "dried jujubes"),
    ("枸杞", "goji berries"),
    ("核桃", "walnuts"),
    ("腊肠", "cured sausages"),
    ("月饼", "mooncakes"),
    ("毛巾", "towels"),
    ("床单", "bed sheets"),
    ("儿童绘本", "children's picture books"),
    ("课本", "textbooks"),
    ("试卷", "exam papers"),
    ("校服", "school uniforms"),
    ("篮球", "basketball"),
    ("羽毛球拍", "badminton racket"),
    ("鱼竿", "fishing rod"),
    ("鱼线", "fishing line"),
    ("浮漂", "fishing floats"),
    ("登山杖", "trekking poles"),
    ("帐篷", "tent"),
    ("睡袋", "sleeping bag"),
    ("口罩", "face masks"),
    ("体温计(电子)", "digital thermometer"),
    ("血压计", "blood pressure monitor"),
    ("轮椅", "wheelchair"),
    ("病历复印件", "copies of medical records"),
    ("X光片", "X-ray films"),
    ("耳机", "earphones"),
    ("键盘", "keyboard"),
    ("显示器", "monitor"),
    ("路由器", "router"),
    ("陶瓷碗", "ceramic bowls"),
    ("不锈钢锅", "stainless steel pot"),
    ("筷子", "chopsticks"),
    ("书法字帖", "calligraphy copybooks"),
    ("宣纸", "rice paper"),
    ("毛笔", "writing brushes"),
    ("邮票册", "stamp album"),
    ("老相机", "vintage film camera"),
    ("黑胶唱片", "vinyl records"),
    ("油画(复制品)", "oil painting print"),
    ("瓷器摆件", "porcelain ornament"),
    ("土鸡蛋", "free-range eggs"),
    ("红薯", "sweet potatoes"),
    ("土豆", "potatoes"),
    ("脐橙", "navel oranges"),
    ("猕猴桃", "kiwifruit"),
    ("蜂蜜", "honey"),
    ("香菇干", "dried shiitake"),
    ("玉米", "corn"),
    ("花生油", "peanut oil"),
    ("辣椒酱", "chilli sauce"),
    ("婴儿奶粉", "infant formula"),
    ("尿不湿", "nappies"),
    ("奶瓶", "baby bottles"),
    ("积木", "building blocks"),
    ("拼图", "jigsaw puzzle"),
    ("毛绒熊", "plush bear"),
    ("瑜伽垫", "yoga mat"),
    ("哑铃", "dumbbells"),
    ("跳绳", "skipping rope"),
    ("洗发水", "shampoo"),
    ("牙膏", "toothpaste"),
    ("护手霜", "hand cream"),
    ("显微镜玻片(空白)", "blank microscope slides"),
    ("烧杯(玻璃)", "glass beakers"),
    ("量筒", "measuring cylinders"),
    ("试管架", "test-tube rack"),
    ("3D打印机耗材PLA", "PLA 3D printer filament"),
    ("火箭模型箭体(纸管)", "model rocket paper body tube"),
    ("渔具包", "tackle bag"),
    ("迷彩服", "camouflage jacket"),
    ("护目镜", "safety goggles"),
)

# Look-alikes: harmless goods whose names share words with banned ones. banned=None for toys
# and models of weapons.
LOOKALIKES: dict[str, tuple[tuple[str, bool | None], ...]] = {
    "colour": (
        ("枪灰色 卫衣 L码", False),
        ("象牙白 乳胶漆 5L", False),
        ("gunmetal grey phone case", False),
        ("炮铜色 眼镜框", False),
        ("军绿色 帆布包", False),
        ("ivory white wedding shoes", False),
        ("玳瑁色 板材眼镜架", False),
        ("烟花粉 口红 试色装", False),
    ),
    "shape_print": (
        ("子弹头造型 U盘 32G", False),
        ("手枪图案 T恤 印花", False),
        ("bullet-shaped bottle opener", False),
        ("手榴弹造型 香水瓶(空瓶)", False),
        ("骷髅 毒药瓶造型 存钱罐", False),
        ("大麻叶图案 滑板贴纸", False),
        ("rocket-print pyjamas", False),
        ("炸弹形状 浴盐球 bath bomb", False),
    ),
    "material": (
        ("弹药箱造型 塑料收纳箱", False),
        ("军用帆布 篷布", False),
        ("铅笔芯 2B", False),
        ("brass ammo-can style toolbox", False),
        ("硅胶干燥剂 小包(食品级)", False),
        ("石墨纸", False),
    ),
    "tool": (
        ("美工刀 替换刀片", False),
        ("厨房菜刀 不锈钢", False),
        ("汽车排气消音器 原厂件", False),
        ("气动射钉枪 木工用", False),
        ("glue gun with glue sticks", False),
        ("热风枪 焊台", False),
        ("电钻 套装", False),
        ("水平仪 扳手 套装", False),
        ("fish scaler knife (blunt)", False),
    ),
    "food_drink": (
        ("子弹头 辣椒干", False),
        ("冰糖 黄冰糖 2斤", False),
        ("花生米 油炸 真空包装", False),
        ("火麻仁 巴马特产", False),
        ("虎皮青椒 酱菜", False),
        ("酸奶菌种 发酵剂", False),
        ("爆米花 奶油味", False),
        ("可可粉 烘焙用", False),
        ("popping candy", False),
        ("冰粉 红糖味", False),
    ),
    "media_title": (
        ("《枪炮、病菌与钢铁》 平装本", False),
        ("Guns, Germs, and Steel (paperback)", False),
        ("《绝命毒师》 正版蓝光 全集", False),
        ("《炸弹人》 游戏卡带", False),
        ("《天龙八部》 金庸 正版", False),
        ("Top Gun: Maverick Blu-ray", False),
        ("《毒木圣经》 小说", False),
        ("《刀剑神域》 漫画 正版", False),
    ),
    "legal_medicine": (
        ("布洛芬缓释胶囊", False),
        ("阿莫西林胶囊 处方随附", False),
        ("维生素C片", False),
        ("感冒灵颗粒", False),
        ("碘伏 消毒液 100ml", False),
        ("云南白药创可贴", False),
        ("paracetamol tablets", False),
        ("硫磺皂 药皂", False),
    ),
    "brand": (
        ("Magnum 梦龙 冰淇淋 模具", False),
        ("Red Bull 红牛 饮料 24罐", False),
        ("Cobra 眼镜蛇 高尔夫球杆", False),
        ("Bombay 牌 帆布鞋", False),
        ("Coca-Cola 可口可乐 收藏瓶(空)", False),
        ("Smith 史密斯 热水器 配件", False),
        ("子弹头牌 电动牙刷", False),
        ("Remington 电动剃须刀", False),
    ),
    "everyday_slang": (
        ("溜冰鞋 儿童 可调", False),
        ("叶子 茶叶 明前", False),
        ("糖果 喜糖 礼盒", False),
        ("K金 项链 发票齐全", False),
        ("草籽 草坪种子", False),
        ("冰袋 保鲜 冷藏", False),
        ("点钞练功券 银行培训用", False),
        ("假发 真人发丝", False),
        ("复刻版 黑胶唱片 正版", False),
        ("冰壶 比赛用 花岗岩 训练", False),
        ("白粉笔 无尘", False),
        ("邮票 纪念套票", False),
    ),
    "toy_model": (
        ("水枪 儿童 夏天玩水", None),
        ("玩具枪 塑料 软弹 6岁+", None),
        ("1:6 兵人 配件 模型枪(不可发射)", None),
        ("水弹枪 吸水弹 玩具", None),
        ("toy cap gun for kids", None),
        ("木质 玩具剑 cosplay", None),
        ("坦克模型 拼装 1:35", None),
        ("塑料 玩具刀 万圣节道具", None),
        ("Nerf blaster with foam darts", None),
    ),
}

FILLERS = ("苹果", "茶叶", "核桃", "红枣", "巧克力", "饼干", "坚果礼盒", "蜂蜜", "毛巾", "香皂")


def _ocr_noise(text: str) -> str:
    """Errors of a hand-written waybill read by OCR: rn for m, 0 for O, missing strokes."""
    swaps = {"m": "rn", "O": "0", "o": "0", "l": "1", "I": "1", "S": "5"}
    strokes = {
        "枪": "仓",
        "弹": "单",
        "药": "约",
        "毒": "母",
        "炸": "乍",
        "酸": "夋",
        "氰": "青",
        "钾": "甲",
        "钠": "内",
        "雷": "田",
        "管": "官",
        "磷": "粦",
        "硫": "流",
        "刀": "刁",
        "假": "叚",
        "器": "哭",
        "粉": "分",
        "麻": "床",
        "象": "彖",
        "牙": "芽",
        "氧": "羊",
        "气": "乞",
        "汽": "气",
        "油": "由",
        "铀": "由",
        "源": "原",
        "镁": "美",
        "窃": "切",
        "币": "巾",
        "证": "正",
        "版": "反",
        "骨": "冎",
        "角": "甪",
        "烟": "因",
    }
    out = []
    for ch in text:
        out.append(strokes.get(ch) or swaps.get(ch) or ch)
    return "".join(out)


# Tone-numbered pinyin for some items, for the toned forms of the pinyin evasion.
TONED = {
    "手枪": "shou3 qiang1",
    "子弹": "zi3 dan4",
    "猎枪": "lie4 qiang1",
    "匕首": "bi3 shou3",
    "弹簧刀": "tan2 huang2 dao1",
    "雷管": "lei2 guan3",
    "炸药": "zha4 yao4",
    "黑火药": "hei1 huo3 yao4",
    "笑气": "xiao4 qi4",
    "汽油": "qi4 you2",
    "甲醇": "jia3 chun2",
    "红磷": "hong2 lin2",
    "高锰酸钾": "gao1 meng3 suan1 jia3",
    "氰化钾": "qing2 hua4 jia3",
    "砒霜": "pi1 shuang1",
    "百草枯": "bai3 cao3 ku1",
    "浓硫酸": "nong2 liu2 suan1",
    "盐酸": "yan2 suan1",
    "冰毒": "bing1 du2",
    "海洛因": "hai3 luo4 yin1",
    "大麻": "da4 ma2",
    "摇头丸": "yao2 tou2 wan2",
    "窃听器": "qie4 ting1 qi4",
    "假币": "jia3 bi4",
    "象牙": "xiang4 ya2",
    "犀牛角": "xi1 niu2 jiao3",
    "虎骨": "hu3 gu3",
    "伪基站": "wei3 ji1 zhan4",
}

_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}


def _tone_marks(numbered: str) -> str:
    """'bing1 du2' -> 'bīng dú': the mark goes on a or e, on the o of ou, else the last vowel."""
    out = []
    for syllable in numbered.split():
        base, tone = syllable[:-1].replace("v", "ü"), int(syllable[-1])
        if tone == 5:
            out.append(base)
            continue
        vowels = [i for i, c in enumerate(base) if c in _MARKS]
        at = next((i for i in vowels if base[i] in "ae"), None)
        if at is None:
            at = base.index("o") if "ou" in base else vowels[-1]
        out.append(base[:at] + _MARKS[base[at]][tone - 1] + base[at + 1 :])
    return " ".join(out)


_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})
_HOMO = str.maketrans(
    {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
)


def _fullwidth(text: str) -> str:
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text
    )


def _misspell(word: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    i = rng.choice(letters[1:-1] or letters)
    edit = rng.randrange(3)
    if edit == 0:
        return word[:i] + word[i + 1 :]
    if edit == 1:
        return word[:i] + word[i] + word[i:]
    j = i + 1 if i + 1 < len(word) and word[i + 1].isalpha() else i - 1
    a, b = sorted((i, j))
    return word[:a] + word[b] + word[a] + word[b + 1 :]


def _evasion(kind: str, item: Item, rng: random.Random) -> str | None:
    """The item's name disguised by one evasion class; None if the class does not fit it."""
    syl = item.pinyin.split()
    han = list(item.zh)
    if kind == "pinyin":
        forms = [
            " ".join(syl),
            "".join(syl),
            "".join(syl).upper(),
            "-".join(s.capitalize() for s in syl),
        ]
        if item.zh in TONED:
            numbered = TONED[item.zh]
            forms += [numbered, "".join(numbered.split()), _tone_marks(numbered)]
        return rng.choice(forms)
    if kind == "initials":
        # A bare "SQ" cannot be read as anything; the trade keeps one character: "冰D".
        if len(syl) < 2 or len(han) != len(syl):
            return None
        return han[0] + "".join(s[0] for s in syl[1:]).upper()
    if kind == "leet":
        out = item.en.lower().translate(_LEET)
        return out if out != item.en.lower() else None
    if kind == "fullwidth":
        return _fullwidth(rng.choice([item.en, "".join(syl)]))
    if kind == "homoglyph":
        out = item.en.lower().translate(_HOMO)
        return out if out != item.en.lower() else None
    if kind == "zero_width":
        return "\u200b".join(han) if len(han) >= 2 else None
    if kind == "split":
        if len(han) >= 2 and rng.random() < 0.6:
            return rng.choice([" ", ".", "*", "/", "-"]).join(han)
        return " ".join(item.en.replace(" ", ""))
    if kind == "joined":
        return item.en.replace(" ", "").replace("-", "") if " " in item.en else None
    if kind == "traditional":
        return item.trad if item.trad and item.trad != item.zh else None
    if kind == "homophone":
        return rng.choice(item.homophone) if item.homophone else None
    if kind == "slang":
        return rng.choice(item.slang) if item.slang else None
    if kind == "euphemism":
        return rng.choice(item.euphemism) if item.euphemism else None
    if kind == "misspelling":
        return _misspell(item.en, rng) if len(item.en) >= 6 else None
    if kind == "mixed_script":
        if len(han) < 2 or len(han) != len(syl):
            return None
        i = rng.randrange(len(han))
        return "".join(syl[j] if j == i else han[j] for j in range(len(han)))
    if kind == "ocr_noise":
        out = _ocr_noise(rng.choice([item.zh, item.en]))
        return out if out not in (item.zh, item.en) else None
    if kind == "formula":
        return item.formula or None
    raise ValueError(kind)


EVASIONS = (
    "pinyin",
    "initials",
    "leet",
    "fullwidth",
    "homoglyph",
    "zero_width",
    "split",
    "joined",
    "traditional",
    "homophone",
    "slang",
    "euphemism",
    "misspelling",
    "mixed_script",
    "ocr_noise",
    "formula",
)


def _qty(rng: random.Random) -> str:
    return rng.choice(["1件", "2件", "x3", "1箱", "5kg", "2 pcs", "1 lot", "10斤", "1套"])


# Voices: how a declaration reaches an officer. Each takes the goods' text.
def _edi(goods: str, rng: random.Random) -> str:
    no = rng.randrange(10**11, 10**12)
    hub = rng.choice(["SZX", "PEK", "CTU", "HGH"])
    weight = f"{rng.randint(1, 30)}.{rng.randint(0, 9)}KG"
    return f"{no}|{hub}|{goods}|{_qty(rng)}|{weight}|N"


def _voice(goods: str, rng: random.Random) -> str:
    lead = rng.choice(["嗯那个", "喂 师傅", "就是", "我跟你说啊"])
    tail = rng.choice(["到杭州", "寄老家", "明天能到吗", "帮我包好点"])
    return f"[语音转文字] {lead}我要寄{goods}啊，{tail}"


def _waybill(goods: str, rng: random.Random) -> str:
    return _ocr_noise_light(f"寄件人: 王** 品名: {goods} 件数: {rng.randint(1, 4)} 保价: 否", rng)


def _ocr_noise_light(text: str, rng: random.Random) -> str:
    # Only the frame of the waybill is noisy; labels stay legible enough for a human.
    return text.replace("件数", rng.choice(["件数", "仵数", "件效"]))


def _cb9610(goods: str, rng: random.Random) -> str:
    return (
        f"9610 清单 | 商品名称: {goods} | 数量: {rng.randint(1, 6)} | "
        f"申报价 USD {rng.randint(5, 300)} | 原产国: {rng.choice(['US', 'JP', 'DE', 'TH', 'VN'])}"
    )


def _pickup(goods: str, rng: random.Random) -> str:
    state = rng.choice(["已验视", "未开箱", "客户自封", "需补拍照片"])
    return f"上门取件备注：客户称内件为{goods}，{state}"


def _institution(goods: str, rng: random.Random) -> str:
    who = rng.choice(
        ["市第三中学 化学实验室", "县人民医院 检验科", "某大学 生物楼", "社区卫生服务中心"]
    )
    return f"{who} 寄出：{goods}，{_qty(rng)}，联系人 李老师"


def _gift(goods: str, rng: random.Random) -> str:
    a, b = rng.sample(FILLERS, 2)
    return f"礼篮清单：{a}、{goods}、{b}、贺卡一张"


def _auction(goods: str, rng: random.Random) -> str:
    return f"Lot {rng.randint(1, 400)}: {goods}, estate collection, condition as seen, buyer ships"


def _farmer(goods: str, rng: random.Random) -> str:
    crop = rng.choice(["红薯", "土豆", "脐橙", "玉米", "板栗"])
    how = rng.choice(["顺丰冷链", "邮政", "拼车发"])
    return f"自家的{crop} {rng.randint(2, 40)}斤，另捎{goods}，{how}"


def _forum(goods: str, rng: random.Random) -> str:
    head = rng.choice(["[出]", "[收]", "WTS", "WTT"])
    return (
        f"{head} {goods} 九成新 {rng.choice(['包邮', '顺丰到付', 'shipping included', '面交优先'])}"
    )


VOICES: tuple[Callable[[str, random.Random], str], ...] = (
    _edi,
    _voice,
    _waybill,
    _cb9610,
    _pickup,
    _institution,
    _gift,
    _auction,
    _farmer,
    _forum,
)


def _quota(n: int) -> dict[str, int]:
    plain = n * 20 // 100
    evasion = n * 25 // 100
    lookalike = n * 20 // 100
    return {
        "ordinary": n - plain - evasion - lookalike,
        "plain": plain,
        "evasion": evasion,
        "look-alike": lookalike,
    }


def _cycle(keys: list[str], count: int, rng: random.Random) -> list[str]:
    """Each key count // len(keys) or one more times, in a shuffled order."""
    out: list[str] = []
    while len(out) < count:
        batch = keys[:]
        rng.shuffle(batch)
        out.extend(batch)
    return out[:count]


def generate(n: int, seed: int) -> list[Case]:
    rng = random.Random(f"parcel-h:{seed}")
    quota = _quota(n)
    cases: list[Case] = []
    for _ in range(quota["ordinary"]):
        zh, en = rng.choice(ORDINARY)
        cases.append(
            Case(rng.choice(VOICES)(rng.choice([zh, zh, en]), rng), False, "plain", "ordinary")
        )
    for category in _cycle(list(CATALOGUE), quota["plain"], rng):
        item = rng.choice(CATALOGUE[category])
        name = rng.choice([item.zh, item.zh, item.en])
        cases.append(Case(rng.choice(VOICES)(name, rng), True, "plain", category))
    for kind in _cycle(list(EVASIONS), quota["evasion"], rng):
        items = [it for group in CATALOGUE.values() for it in group]
        rng.shuffle(items)
        disguised = next(d for it in items if (d := _evasion(kind, it, rng)) is not None)
        cases.append(Case(rng.choice(VOICES)(disguised, rng), True, "evasion", kind))
    for kind in _cycle(list(LOOKALIKES), quota["look-alike"], rng):
        goods, banned = rng.choice(LOOKALIKES[kind])
        cases.append(Case(rng.choice(VOICES)(goods, rng), banned, "look-alike", kind))
    rng.shuffle(cases)
    return cases


def main() -> None:
    cases = generate(3000, 1)
    for case in random.Random(0).sample(cases, 30):
        print(f"{case.group:10} {case.kind:26} {case.banned!s:5} {case.text!r}")
    print()
    for (group, kind), count in sorted(Counter((c.group, c.kind) for c in cases).items()):
        print(f"{group:10} {kind:26} {count}")
    print(Counter(c.group for c in cases))


if __name__ == "__main__":
    main()
