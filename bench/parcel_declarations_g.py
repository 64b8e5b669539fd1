"""Parcel declarations, set G: an independent generator and a clean hold-out.

Written apart from the matcher, its data and every earlier set: nothing here imports or reads
``vigil.screening``. The labels are this file's own reading of the 禁止寄递物品管理规定 and its
annex, the 禁止寄递物品指导目录:

- banned (True): what the annex names, by category: firearms with their replicas (仿真枪) and
  main parts; ammunition; controlled implements (管制刀具, crossbows, stun guns, tear-gas and
  pepper sprayers); explosives; fireworks; compressed and liquefied gases with their containers,
  aerosols (气雾剂) and lighters (打火机, named in the annex) included; flammable liquids, medical
  alcohol included (酒精 is named, with no strength limit); flammable solids, matches included;
  oxidisers, 3 % hydrogen peroxide included (双氧水 is named); toxic substances; infectious and
  biological material; radioactive material; corrosives, lead-acid batteries included; drugs,
  their paraphernalia and precursors; forged money, documents and seals; spying equipment;
  illegal publications; counterfeit and pirated goods; endangered-species products; state
  secrets; meat from epidemic zones (the prohibited-import list the annex cites).
- passes (False): ordinary goods, and look-alikes whose words echo a banned item: colours
  (象牙白, gunmetal), shapes and prints (bullet journal, bath bomb), materials (bone china,
  硫酸纸 = tracing paper, ox horn), tools (kitchen knives are not 管制刀具; glue guns, massage
  guns, a car's 消音器 muffler), food (大麻花, 鸦片鱼, 手枪腿, 子弹头 chillies), titles of
  books and films, legal medicines (盐酸二甲双胍, 硫酸亚铁), brands (Remington, Ivory), the
  everyday sense of slang words (溜冰鞋, 邮票, crystal glasses), and one's own genuine documents
  (one's passport sent to a visa centre).
- inspect-only (None): toys and models of weapons (a plastic water pistol, a tank kit). A
  replica gun (仿真枪) is not a toy: the annex bans 枪支 "含仿制品".
- left out as too borderline to label: perfume, spirits, hand sanitiser gel, mercury
  thermometers, butterfly knives, gel blasters, power banks.

Each case is a whole declaration in one of ten voices: a B2B freight manifest, a livestream-shop
order, a pharmacy courier form, a university lab's shipping request, a moving company's
inventory, a Taobao return slip, a county post-office counter form, a daigou list, a bilingual
customs line and an English commercial invoice; lists carry ordinary goods around the item. Mix
by exact quota: 35 % ordinary goods, 20 % plain banned items (every category in turn), 25 %
evasions, 20 % look-alikes (every class in turn).

An evasion never holds a plain banned name from this file (it is drawn again if it does), and
its kind is its class: pinyin spaced, joined, with tones or as initials (initials only for the
trade-talk categories, guns, drugs, knives, explosives, forgeries and ivory, and always with the
category's unit, "SQ1把", which is what makes them readable), leetspeak, full-width forms,
Cyrillic homoglyphs, zero-width characters, split words (radical splits such as 木仓 included),
joined words, traditional characters, homophones, slang, euphemisms, misspellings, mixed
scripts and chemical formulas or CAS numbers.

    .venv/bin/python bench/parcel_declarations_g.py [--n 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass


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
    pinyin: str = ""  # tone-numbered syllables, one per Chinese character of zh


QUOTAS = (("plain-ordinary", 0.35), ("plain-banned", 0.20), ("evasion", 0.25), ("look-alike", 0.20))

# Plain banned items by annex category (this file's own grouping of the annex's 19 headings).
BANNED: dict[str, tuple[Item, ...]] = {
    "firearms": (
        Item("手枪", "pistol", "shou3 qiang1"),
        Item("步枪", "rifle", "bu4 qiang1"),
        Item("猎枪", "hunting shotgun", "lie4 qiang1"),
        Item("气枪", "air rifle", "qi4 qiang1"),
        Item("仿真枪", "replica gun", "fang3 zhen1 qiang1"),
        Item("枪管", "gun barrel", "qiang1 guan3"),
        Item("击针", "firing pin"),
        Item("枪用消音器", "pistol suppressor"),
        Item("钢珠枪", "ball-bearing gun", "gang1 zhu1 qiang1"),
        Item("麻醉枪", "tranquilliser gun", "ma2 zui4 qiang1"),
        Item("自制火药枪", "homemade black-powder gun"),
    ),
    "ammunition": (
        Item("子弹", "bullets", "zi3 dan4"),
        Item("霰弹", "shotgun shells", "xian4 dan4"),
        Item("猎枪弹", "hunting cartridges", "lie4 qiang1 dan4"),
        Item("9mm手枪弹", "9mm pistol cartridges"),
        Item("空包弹", "blank cartridges", "kong1 bao1 dan4"),
        Item("手榴弹", "hand grenade", "shou3 liu2 dan4"),
        Item("催泪弹", "tear-gas grenade", "cui1 lei4 dan4"),
        Item("信号弹", "signal flare cartridges", "xin4 hao4 dan4"),
    ),
    "controlled-implements": (
        Item("匕首", "dagger", "bi3 shou3"),
        Item("三棱刮刀", "three-edged scraper blade", "san1 leng2 gua1 dao1"),
        Item("弹簧刀", "switchblade", "tan2 huang2 dao1"),
        Item("跳刀", "flick knife", "tiao4 dao1"),
        Item("军刺", "bayonet", "jun1 ci4"),
        Item("电击器", "stun gun", "dian4 ji1 qi4"),
        Item("电警棍", "electric baton", "dian4 jing3 gun4"),
        Item("防狼喷雾", "pepper spray", "fang2 lang2 pen1 wu4"),
        Item("催泪喷射器", "tear-gas sprayer"),
        Item("弩", "crossbow", "nu3"),
        Item("弩箭", "crossbow bolts", "nu3 jian4"),
    ),
    "explosives": (
        Item("炸药", "explosives", "zha4 yao4"),
        Item("TNT炸药", "TNT blocks"),
        Item("雷管", "detonators", "lei2 guan3"),
        Item("导火索", "safety fuse", "dao3 huo3 suo3"),
        Item("导爆索", "detonating cord", "dao3 bao4 suo3"),
        Item("黑火药", "black powder", "hei1 huo3 yao4"),
        Item("硝化甘油", "nitroglycerin", "xiao1 hua4 gan1 you2"),
        Item("乳化炸药", "emulsion explosive"),
        Item("电点火头", "electric igniter heads"),
    ),
    "fireworks": (
        Item("烟花", "fireworks", "yan1 hua1"),
        Item("鞭炮", "firecrackers", "bian1 pao4"),
        Item("礼花弹", "aerial firework shells", "li3 hua1 dan4"),
        Item("摔炮", "snap pops", "shuai1 pao4"),
        Item("擦炮", "match-strike crackers", "ca1 pao4"),
        Item("冷烟花", "cold-spark fountains", "leng3 yan1 hua1"),
        Item("仙女棒", "sparklers", "xian1 nv3 bang4"),
        Item("窜天猴", "bottle rockets", "cuan4 tian1 hou2"),
    ),
    "gases": (
        Item("打火机", "lighters", "da3 huo3 ji1"),
        Item("丁烷气罐", "butane canisters", "ding1 wan2 qi4 guan4"),
        Item("液化气罐", "LPG cylinder", "ye4 hua4 qi4 guan4"),
        Item("卡式炉气罐", "camping-stove gas cartridges"),
        Item("氧气瓶", "oxygen cylinder", "yang3 qi4 ping2"),
        Item("氦气罐", "helium tank", "hai4 qi4 guan4"),
        Item("氢气瓶", "hydrogen cylinder", "qing1 qi4 ping2"),
        Item("乙炔气瓶", "acetylene cylinder"),
        Item("笑气", "nitrous oxide chargers"),
        Item("杀虫气雾剂", "aerosol insect spray"),
        Item("二氧化碳气瓶", "CO2 gas cylinder"),
    ),
    "flammable-liquids": (
        Item("汽油", "petrol", "qi4 you2"),
        Item("柴油", "diesel fuel", "chai2 you2"),
        Item("煤油", "kerosene"),
        Item("75%医用酒精", "75% medical alcohol"),
        Item("无水乙醇", "absolute ethanol", "wu2 shui3 yi3 chun2"),
        Item("丙酮", "acetone", "bing3 tong2"),
        Item("乙醚", "diethyl ether"),
        Item("油漆", "oil paint in tins"),
        Item("天那水", "paint thinner", "tian1 na4 shui3"),
        Item("打火机油", "lighter fluid"),
        Item("松节油", "turpentine", "song1 jie2 you2"),
    ),
    "flammable-solids": (
        Item("红磷", "red phosphorus", "hong2 lin2"),
        Item("白磷", "white phosphorus", "bai2 lin2"),
        Item("硫磺", "sulphur powder", "liu2 huang2"),
        Item("镁粉", "magnesium powder", "mei3 fen3"),
        Item("铝粉", "aluminium powder", "lv3 fen3"),
        Item("固体酒精", "solid alcohol fuel", "gu4 ti3 jiu3 jing1"),
        Item("火柴", "matches", "huo3 chai2"),
        Item("金属钠", "sodium metal", "jin1 shu3 na4"),
        Item("电石", "calcium carbide"),
        Item("闪光粉", "flash powder", "shan3 guang1 fen3"),
    ),
    "oxidisers": (
        Item("高锰酸钾", "potassium permanganate", "gao1 meng3 suan1 jia3"),
        Item("双氧水", "hydrogen peroxide", "shuang1 yang3 shui3"),
        Item("过氧化钠", "sodium peroxide", "guo4 yang3 hua4 na4"),
        Item("氯酸钾", "potassium chlorate", "lv4 suan1 jia3"),
        Item("硝酸铵", "ammonium nitrate", "xiao1 suan1 an3"),
        Item("高氯酸钾", "potassium perchlorate", "gao1 lv4 suan1 jia3"),
        Item("硝酸钾", "potassium nitrate", "xiao1 suan1 jia3"),
    ),
    "toxic": (
        Item("氰化钾", "potassium cyanide", "qing2 hua4 jia3"),
        Item("氰化钠", "sodium cyanide", "qing2 hua4 na4"),
        Item("砒霜", "arsenic trioxide", "pi1 shuang1"),
        Item("水银", "mercury"),
        Item("百草枯", "paraquat", "bai3 cao3 ku1"),
        Item("毒鼠强", "tetramine rat poison", "du2 shu3 qiang2"),
        Item("敌敌畏", "dichlorvos", "di2 di2 wei4"),
        Item("氯化汞", "mercuric chloride", "lv4 hua4 gong3"),
        Item("硫酸铊", "thallium sulphate", "liu2 suan1 ta1"),
        Item("苯酚", "phenol"),
    ),
    "infectious": (
        Item("病毒样本", "virus samples", "bing4 du2 yang4 ben3"),
        Item("细菌菌种", "live bacterial cultures"),
        Item("炭疽杆菌", "anthrax bacillus", "tan4 ju1 gan3 jun1"),
        Item("医疗废物", "clinical waste", "yi1 liao2 fei4 wu4"),
        Item("用过的注射针头", "used syringe needles"),
        Item("患者血液样本", "patient blood samples"),
        Item("粪便样本", "stool samples", "fen4 bian4 yang4 ben3"),
        Item("未经硝制的生兽皮", "untanned raw animal hides"),
    ),
    "radioactive": (
        Item("铀矿石", "uranium ore", "you2 kuang4 shi2"),
        Item("钴-60放射源", "cobalt-60 source"),
        Item("铯-137放射源", "caesium-137 source"),
        Item("镭", "radium", "lei2"),
        Item("钚", "plutonium", "bu4"),
        Item("放射性同位素", "radioactive isotopes"),
        Item("含放射源的料位计", "level gauge with a radioactive source"),
    ),
    "corrosive": (
        Item("硫酸", "sulphuric acid", "liu2 suan1"),
        Item("盐酸", "hydrochloric acid", "yan2 suan1"),
        Item("硝酸", "nitric acid", "xiao1 suan1"),
        Item("氢氟酸", "hydrofluoric acid", "qing1 fu2 suan1"),
        Item("氢氧化钠", "sodium hydroxide", "qing1 yang3 hua4 na4"),
        Item("烧碱", "caustic soda", "shao1 jian3"),
        Item("铅酸蓄电池", "lead-acid battery"),
        Item("电瓶液", "battery acid", "dian4 ping2 ye4"),
        Item("氢氧化钾", "potassium hydroxide", "qing1 yang3 hua4 jia3"),
    ),
    "drugs": (
        Item("海洛因", "heroin", "hai3 luo4 yin1"),
        Item("冰毒", "methamphetamine", "bing1 du2"),
        Item("大麻", "cannabis", "da4 ma2"),
        Item("可卡因", "cocaine", "ke3 ka3 yin1"),
        Item("摇头丸", "ecstasy pills", "yao2 tou2 wan2"),
        Item("K粉", "ketamine powder"),
        Item("氯胺酮", "ketamine", "lv4 an4 tong2"),
        Item("鸦片", "opium", "ya1 pian4"),
        Item("罂粟壳", "poppy husks", "ying1 su4 ke2"),
        Item("吗啡", "morphine", "ma3 fei1"),
        Item("芬太尼", "fentanyl", "fen1 tai4 ni2"),
        Item("麻古", "yaba pills", "ma2 gu3"),
    ),
    "drug-paraphernalia": (
        Item("冰毒吸食壶", "meth pipe"),
        Item("吸毒用锡纸", "foil for smoking drugs"),
        Item("大麻烟斗", "cannabis pipe", "da4 ma2 yan1 dou3"),
        Item("吸毒工具", "drug-smoking kit", "xi1 du2 gong1 ju4"),
    ),
    "precursors": (
        Item("麻黄碱", "ephedrine", "ma2 huang2 jian3"),
        Item("伪麻黄碱原料粉", "bulk pseudoephedrine powder"),
        Item("溴代苯丙酮", "2-bromopropiophenone"),
        Item("羟亚胺", "hydroxylimine", "qiang3 ya4 an4"),
        Item("醋酸酐", "acetic anhydride", "cu4 suan1 gan1"),
        Item("邻氯苯基环戊酮", "o-chlorophenyl cyclopentyl ketone"),
    ),
    "forgeries": (
        Item("假币", "counterfeit banknotes", "jia3 bi4"),
        Item("伪造身份证", "forged ID cards", "wei3 zao4 shen1 fen4 zheng4"),
        Item("假公章", "fake official seals", "jia3 gong1 zhang1"),
        Item("伪造护照", "forged passports", "wei3 zao4 hu4 zhao4"),
        Item("假驾驶证", "fake driving licences", "jia3 jia4 shi3 zheng4"),
        Item("假毕业证", "fake diplomas", "jia3 bi4 ye4 zheng4"),
        Item("伪造发票", "forged VAT invoices", "wei3 zao4 fa1 piao4"),
        Item("假美元", "counterfeit US dollars", "jia3 mei3 yuan2"),
    ),
    "spying-equipment": (
        Item("针孔摄像头", "pinhole spy camera", "zhen1 kong3 she4 xiang4 tou2"),
        Item("窃听器", "listening bug", "qie4 ting1 qi4"),
        Item("偷拍眼镜", "spy-camera glasses", "tou1 pai1 yan3 jing4"),
        Item("隐藏式摄像笔", "hidden camera pen"),
        Item("一次性密码本", "one-time cipher pad"),
        Item("手机信号截收器", "mobile signal interceptor"),
    ),
    "illegal-publications": (
        Item("淫秽光盘", "obscene DVDs", "yin2 hui4 guang1 pan2"),
        Item("色情杂志", "pornographic magazines", "se4 qing2 za2 zhi4"),
        Item("邪教宣传册", "cult propaganda booklets"),
        Item("反动传单", "seditious leaflets", "fan3 dong4 chuan2 dan1"),
        Item("煽动民族仇恨的出版物", "publications inciting ethnic hatred"),
    ),
    "counterfeit-goods": (
        Item("盗版书", "pirated books", "dao4 ban3 shu1"),
        Item("高仿名牌包", "replica designer handbags"),
        Item("假冒茅台", "counterfeit Moutai"),
        Item("假药", "counterfeit medicine"),
        Item("盗版光盘", "pirated discs", "dao4 ban3 guang1 pan2"),
        Item("假冒婴儿奶粉", "fake infant formula"),
        Item("山寨名表", "fake brand-name watches"),
    ),
    "endangered-species": (
        Item("象牙", "ivory", "xiang4 ya2"),
        Item("象牙筷子", "ivory chopsticks", "xiang4 ya2 kuai4 zi"),
        Item("犀牛角", "rhino horn", "xi1 niu2 jiao3"),
        Item("虎骨", "tiger bone", "hu3 gu3"),
        Item("虎皮", "tiger skin"),
        Item("穿山甲鳞片", "pangolin scales", "chuan1 shan1 jia3 lin2 pian4"),
        Item("玳瑁手镯", "hawksbill turtle-shell bangle"),
        Item("藏羚羊绒披肩", "shahtoosh shawl"),
        Item("熊掌", "bear paws", "xiong2 zhang3"),
    ),
    "state-secrets": (
        Item("涉密文件", "classified documents", "she4 mi4 wen2 jian4"),
        Item("国家秘密资料", "state-secret material"),
        Item("绝密档案", "top-secret files", "jue2 mi4 dang4 an4"),
        Item("标有机密的军工图纸", "defence drawings marked confidential"),
    ),
    "quarantine": (
        Item("非洲猪瘟疫区的猪肉制品", "pork products from an African swine fever zone"),
        Item("禽流感疫区的禽肉", "poultry from a bird-flu zone"),
        Item("疫区未经检疫的生肉", "uninspected raw meat from an epidemic zone"),
    ),
}

UNITS_ZH = {
    "firearms": "把",
    "ammunition": "发",
    "controlled-implements": "把",
    "explosives": "公斤",
    "fireworks": "箱",
    "gases": "罐",
    "flammable-liquids": "升",
    "flammable-solids": "公斤",
    "oxidisers": "瓶",
    "toxic": "瓶",
    "infectious": "份",
    "radioactive": "件",
    "corrosive": "瓶",
    "drugs": "克",
    "drug-paraphernalia": "套",
    "precursors": "公斤",
    "forgeries": "张",
    "spying-equipment": "个",
    "illegal-publications": "本",
    "counterfeit-goods": "件",
    "endangered-species": "件",
    "state-secrets": "份",
    "quarantine": "公斤",
}

ORDINARY: tuple[Item, ...] = (
    Item("手机壳", "phone case"),
    Item("纯棉T恤", "cotton T-shirt"),
    Item("跑步鞋", "running shoes"),
    Item("牛仔裤", "jeans"),
    Item("羽绒服", "down jacket"),
    Item("毛线帽", "knitted hat"),
    Item("羊毛围巾", "wool scarf"),
    Item("袜子", "socks"),
    Item("折叠伞", "folding umbrella"),
    Item("数据线", "USB-C cable"),
    Item("无线鼠标", "wireless mouse"),
    Item("机械键盘", "mechanical keyboard"),
    Item("显示器支架", "monitor arm"),
    Item("保温杯", "vacuum flask"),
    Item("陶瓷碗", "ceramic bowls"),
    Item("床单被套", "bed linen set"),
    Item("乳胶枕", "latex pillow"),
    Item("毛巾", "towels"),
    Item("拖鞋", "slippers"),
    Item("收纳盒", "storage boxes"),
    Item("衣架", "clothes hangers"),
    Item("台灯", "desk lamp"),
    Item("无线路由器", "Wi-Fi router"),
    Item("移动硬盘", "portable hard drive"),
    Item("U盘", "USB flash drive"),
    Item("硬皮笔记本", "hardcover notebook"),
    Item("钢笔", "fountain pen"),
    Item("书包", "school backpack"),
    Item("拼图", "jigsaw puzzle"),
    Item("儿童绘本", "children's picture books"),
    Item("毛绒玩具", "plush toy"),
    Item("婴儿连体衣", "baby onesies"),
    Item("纸尿裤", "nappies"),
    Item("奶瓶", "baby bottles"),
    Item("坚果礼盒", "mixed nuts gift box"),
    Item("月饼", "mooncakes"),
    Item("饼干", "biscuits"),
    Item("黑巧克力", "dark chocolate"),
    Item("红枣", "dried jujubes"),
    Item("枸杞", "goji berries"),
    Item("五常大米", "Wuchang rice"),
    Item("咖啡豆", "coffee beans"),
    Item("挂面", "dried noodles"),
    Item("土蜂蜜", "raw honey"),
    Item("茶具", "tea set"),
    Item("花瓶", "vase"),
    Item("相框", "photo frames"),
    Item("吉他弦", "guitar strings"),
    Item("尤克里里", "ukulele"),
    Item("瑜伽垫", "yoga mat"),
    Item("跳绳", "skipping rope"),
    Item("羽毛球拍", "badminton rackets"),
    Item("自行车坐垫", "bicycle saddle"),
    Item("汽车脚垫", "car floor mats"),
    Item("车载手机支架", "car phone mount"),
    Item("猫粮", "cat food"),
    Item("猫抓板", "cat scratcher"),
    Item("狗狗牵引绳", "dog lead"),
    Item("面膜", "sheet masks"),
    Item("洗面奶", "facial cleanser"),
    Item("电动牙刷", "electric toothbrush"),
    Item("近视眼镜", "prescription glasses"),
    Item("石英手表", "quartz wristwatch"),
    Item("遮光窗帘", "blackout curtains"),
    Item("地毯", "rug"),
    Item("挂钟", "wall clock"),
    Item("签好的合同", "signed contracts"),
    Item("A4打印纸", "A4 printer paper"),
    Item("拉杆箱", "wheeled suitcase"),
    Item("帐篷", "tent"),
    Item("登山杖", "trekking poles"),
    Item("围棋", "Go set"),
    Item("中国象棋", "Chinese chess set"),
    Item("扑克牌", "playing cards"),
    Item("长篇小说", "novels"),
    Item("乐高城市系列", "LEGO City set"),
    Item("笔记本电脑", "laptop"),
    Item("平板电脑", "tablet"),
    Item("二手手机", "used mobile phone"),
)

# Goods that belong to one voice, used as its ordinary items and its fillers.
VOICE_GOODS: dict[str, tuple[Item, ...]] = {
    "lab": (
        Item("移液器吸头", "pipette tips"),
        Item("离心管", "centrifuge tubes"),
        Item("载玻片", "microscope slides"),
        Item("丁腈手套", "nitrile gloves"),
        Item("玻璃烧杯", "glass beakers"),
        Item("定性滤纸", "filter paper"),
        Item("无菌空培养皿", "sterile empty Petri dishes"),
    ),
    "pharmacy": (
        Item("医用口罩", "surgical masks"),
        Item("电子血压计", "blood pressure monitor"),
        Item("血糖试纸", "glucose test strips"),
        Item("创可贴", "plasters"),
        Item("医用棉签", "cotton swabs"),
        Item("电子体温计", "digital thermometer"),
    ),
    "moving": (
        Item("旧书", "books"),
        Item("锅碗瓢盆", "kitchenware"),
        Item("换季衣服", "clothes"),
        Item("棉被", "quilts"),
        Item("电饭煲", "rice cooker"),
        Item("台式电脑", "desktop PC"),
    ),
    "daigou": (
        Item("爱他美奶粉", "Aptamil infant formula"),
        Item("维生素D滴剂", "vitamin D drops"),
        Item("防晒霜", "sunscreen lotion"),
        Item("护手霜", "hand cream"),
        Item("鱼油胶囊", "fish oil capsules"),
    ),
}

# Look-alikes: innocent goods whose words echo banned ones. Each must pass, except toy-model.
LOOK_ALIKES: dict[str, tuple[str, ...]] = {
    "colour": (
        "象牙白连衣裙",
        "象牙白色衬衫 L码",
        "ivory white lace dress",
        "炮铜色眼镜框",
        "gunmetal grey phone case",
        "枪灰色笔记本电脑保护壳",
        "gunmetal finish kitchen tap",
        "琥珀色玻璃储物罐",
        "火焰红跑鞋",
        "ivory-coloured curtains",
        "烟灰色卫衣",
    ),
    "shape-print": (
        "子弹笔记本（bullet journal）点阵本",
        "bullet journal dotted notebook A5",
        "子弹头入耳式耳机",
        "bath bombs gift set",
        "泡澡球 bath bomb 6个装",
        "火箭造型小夜灯",
        "rocket-shaped night light",
        "骷髅印花T恤",
        "迷彩印花短裤",
        "bullet-point planner pads",
    ),
    "material": (
        "象牙果纽扣（植物象牙 tagua nut）",
        "tagua nut vegetable ivory buttons",
        "骨瓷咖啡杯",
        "bone china teacups",
        "水牛角梳子",
        "牛角刮痧板",
        "ox horn comb",
        "硫酸纸 A4 100张（描图纸）",
        "tracing paper pad",
        "钢化玻璃膜",
    ),
    "tool": (
        "菜刀（家用 带刀套）",
        "kitchen knife set with block",
        "热熔胶枪",
        "hot glue gun",
        "筋膜枪",
        "massage gun",
        "扫码枪",
        "barcode scanner gun",
        "额温枪（电子测温）",
        "热风枪",
        "移液枪（单道 实验室用）",
        "汽车排气消音器",
        "car exhaust muffler",
        "扳手套装",
    ),
    "food-drink": (
        "炸鸡（冷冻半成品）",
        "爆米花",
        "天津大麻花",
        "东北鸦片鱼干",
        "冰糖 500g",
        "四川冰粉粉",
        "金枪鱼罐头",
        "贵州子弹头辣椒（干）",
        "卤手枪腿",
        "黑芝麻丸",
        "麻辣火锅底料",
        "fried chicken seasoning",
        "popcorn kernels",
        "tuna in spring water, 12 cans",
    ),
    "media-title": (
        "《枪炮、病菌与钢铁》正版书",
        "Guns, Germs, and Steel (paperback)",
        "《子弹列车》正版蓝光碟",
        "Bullet Train Blu-ray (official release)",
        "《绝命毒师》全五季 正版蓝光",
        "Breaking Bad complete series Blu-ray",
        "《天朝的崩溃：鸦片战争再研究》",
        "《毒木圣经》",
        "The Poisonwood Bible (novel)",
        "Top Gun: Maverick 4K Blu-ray",
        "《炸弹人》Switch 正版卡带",
        "To Kill a Mockingbird (novel)",
    ),
    "medicine": (
        "布洛芬缓释胶囊",
        "盐酸二甲双胍片",
        "硫酸亚铁片",
        "盐酸氨溴索口服溶液",
        "对乙酰氨基酚片",
        "阿莫西林胶囊",
        "氯雷他定片",
        "ibuprofen 200mg tablets",
        "metformin hydrochloride tablets",
        "ferrous sulphate tablets",
    ),
    "brand": (
        "Remington 电动剃须刀",
        "Remington hair dryer",
        "Ivory 香皂",
        "Ivory soap bars",
        "Coke Zero 可乐 24罐",
        "Fire TV Stick",
        "BTS Dynamite 专辑 CD",
        "Speedo 泳衣",
        "Snow Peak 钛杯",
        "Guns N' Roses 乐队T恤",
    ),
    "slang-everyday": (
        "溜冰鞋（儿童 可调码）",
        "roller skates",
        "龙井茶叶 250g",
        "生肖邮票年册",
        "婚礼喜糖 糖果",
        "K歌麦克风",
        "草坪种子",
        "weed trimmer (garden)",
        "crystal wine glasses",
        "ice cube trays",
        "桌上冰壶游戏（tabletop curling）",
        "stainless stock pot",
        "snow globe",
        "joint care supplement (glucosamine)",
    ),
    "own-document": (
        "本人护照（寄签证中心）",
        "my own passport for a visa application",
        "学位证书原件（本人 认证用）",
        "本公司营业执照副本",
        "房产证复印件",
        "本公司开具的增值税专用发票",
    ),
    "toy-model": (
        "儿童塑料水枪",
        "电动泡泡枪",
        "1:35 坦克拼装模型",
        "plastic water pistol",
        "Nerf 软弹发射器",
        "LEGO 星球大战爆能枪积木",
        "木质玩具剑",
        "cosplay 道具剑（泡沫 未开刃）",
        "手办（附迷你步枪配件）",
        "1:700 战舰模型",
        "儿童玩具手枪（塑料）",
    ),
}

# Hand-written evasions: (text, annex category it hides). The category is for reading only.
HOMOPHONES = (
    ("手抢", "firearms"),
    ("猎抢", "firearms"),
    ("仿真抢", "firearms"),
    ("子蛋", "ammunition"),
    ("雷馆", "explosives"),
    ("榨药", "explosives"),
    ("鞭泡", "fireworks"),
    ("打火鸡", "gases"),
    ("气油", "flammable-liquids"),
    ("高猛酸钾", "oxidisers"),
    ("青化钾", "toxic"),
    ("批霜", "toxic"),
    ("流酸", "corrosive"),
    ("兵毒", "drugs"),
    ("嗨洛因", "drugs"),
    ("大嘛", "drugs"),
    ("鸭片", "drugs"),
    ("摇头完", "drugs"),
    ("可卡音", "drugs"),
    ("橡牙", "endangered-species"),
    ("西牛角", "endangered-species"),
    ("窃厅器", "spying-equipment"),
    ("针孔摄象头", "spying-equipment"),
    ("甲币", "forgeries"),
    ("电激器", "controlled-implements"),
)
SLANG = (
    ("高压气狗 一把", "firearms"),
    ("钢珠狗 配件全", "firearms"),
    ("喷子（双管）", "firearms"),
    ("狗粮 200粒", "ammunition"),
    ("花生米 7.62 一盒", "ammunition"),
    ("溜冰用的冰 3g", "drugs"),
    ("飞叶子用的叶子 10g", "drugs"),
    ("四号（白粉）10g", "drugs"),
    ("K仔 5包", "drugs"),
    ("E仔 20粒", "drugs"),
    ("神仙水 10支", "drugs"),
    ("听话水 2瓶", "drugs"),
    ("溜冰壶", "drug-paraphernalia"),
    ("weed 1oz", "drugs"),
    ("ganja 28g", "drugs"),
    ("molly caps x20", "drugs"),
    ("coke 8-ball", "drugs"),
    ("smack 5g", "drugs"),
    ("tina 3.5g", "drugs"),
    ("二踢脚 10挂", "fireworks"),
    ("大地红 5000响", "fireworks"),
    ("A货 名表", "counterfeit-goods"),
)
EUPHEMISMS = (
    ("防身用高压脉冲防卫棒", "controlled-implements"),
    ("女生防身辣椒水喷罐", "controlled-implements"),
    ("户外打鸟用高压气动长杆（送铅弹）", "firearms"),
    ("庆典氛围手持点燃喷花棒", "fireworks"),
    ("采石场用开山药 20公斤", "explosives"),
    ("灭鼠特效药 无色无味 一包见效", "toxic"),
    ("火锅底料（加了壳 更香）", "drugs"),
    ("老中医秘方黑膏（罂粟熬制）", "drugs"),
    ("传家老物件 牙雕（大象的 真品 非树脂）", "endangered-species"),
    ("证件办理样本 身份证（带芯片 可过机）", "forgeries"),
    ("练功券 可流通版 100元面额", "forgeries"),
    ("单位红头文件（标秘密级）", "state-secrets"),
    ("酒店用隐蔽监控小配件 无光无孔", "spying-equipment"),
    ("成人无码光盘 50张", "illegal-publications"),
    ("原单大牌包 1:1做工", "counterfeit-goods"),
    ("车用燃料 92号 20升", "flammable-liquids"),
    ("实验小鼠感染样本（活病毒）", "infectious"),
    ("party supplies: happy powder 5 bags", "drugs"),
    ("self-defence zapper 5 million volts", "controlled-implements"),
    ("souvenir carved tusk (genuine, not resin)", "endangered-species"),
)
FORMULAS = (
    ("NaCN 500g", "toxic"),
    ("KCN 分析纯 100g", "toxic"),
    ("CAS 143-33-9 试剂", "toxic"),
    ("As2O3 粉末", "toxic"),
    ("H2SO4 98% 2.5L", "corrosive"),
    ("HNO3 65% 500mL", "corrosive"),
    ("HCl 36% 2.5L", "corrosive"),
    ("HF 40% 500mL", "corrosive"),
    ("NaOH 片碱 25kg", "corrosive"),
    ("CAS 7664-93-9 2.5L", "corrosive"),
    ("KMnO4 500g", "oxidisers"),
    ("H2O2 30% 500mL", "oxidisers"),
    ("KClO3 1kg", "oxidisers"),
    ("NH4NO3 25kg", "oxidisers"),
    ("CAS 67-64-1 2.5L", "flammable-liquids"),
    ("C2H5OH 99.7% 2.5L", "flammable-liquids"),
    ("CaC2 5kg", "flammable-solids"),
    ("U3O8 矿样", "radioactive"),
    ("Cs-137 源 1枚", "radioactive"),
    ("N2O 小钢瓶 50支", "gases"),
    ("C2H2 气瓶 40L", "gases"),
    ("C10H15N 晶体 5g", "drugs"),
)
RADICAL_SPLITS = ("手木仓", "气木仓", "仿真木仓", "子弓单", "火乍药")

# Simplified to traditional, for the characters of the banned items and units above.
TRADITIONAL = str.maketrans(
    "枪弹药气钾钠证币窃听针摄头电击烟鸦罂壳吗壶盗书秽杂志传单伪护驾驶毕业发锰铵氢镁铝炉猎导礼双过铊样废医疗铀矿铯钴镭钚烧碱黄"
    "羟亚档图纸猪制检机环银敌强绒镯鳞闪盐钢军雾泪剂杀虫无体铅盘册动摇锡红属节点窜喷号镜隐笔码台婴儿国绝标区经细种杆粪兽计邻张"
    "个",
    "槍彈藥氣鉀鈉證幣竊聽針攝頭電擊煙鴉罌殼嗎壺盜書穢雜誌傳單偽護駕駛畢業發錳銨氫鎂鋁爐獵導禮雙過鉈樣廢醫療鈾礦銫鈷鐳鈽燒鹼黃"
    "羥亞檔圖紙豬製檢機環銀敵強絨鐲鱗閃鹽鋼軍霧淚劑殺蟲無體鉛盤冊動搖錫紅屬節點竄噴號鏡隱筆碼臺嬰兒國絕標區經細種桿糞獸計鄰張"
    "個",
)
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7"}
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
TONE_VOWELS = {
    "a": "āáǎà",
    "e": "ēéěè",
    "i": "īíǐì",
    "o": "ōóǒò",
    "u": "ūúǔù",
    "ü": "ǖǘǚǜ",
}


def _syllables(pinyin: str) -> list[str]:
    return pinyin.split()


def _bare(syllable: str) -> str:
    return syllable.rstrip("012345").replace("v", "ü")


def _marked(syllable: str) -> str:
    """Tone number to tone mark: a or e first, then the o of ou, else the last vowel."""
    tone = int(syllable[-1]) if syllable[-1].isdigit() else 5
    bare = _bare(syllable)
    if tone == 5:
        return bare
    if "a" in bare:
        at = bare.index("a")
    elif "e" in bare:
        at = bare.index("e")
    elif "ou" in bare:
        at = bare.index("o")
    else:
        at = max(i for i, ch in enumerate(bare) if ch in TONE_VOWELS)
    return bare[:at] + TONE_VOWELS[bare[at]][tone - 1] + bare[at + 1 :]


def _plain_banned() -> list[tuple[str, Item]]:
    return [(kind, item) for kind, items in BANNED.items() for item in items]


ALL_BANNED = _plain_banned()
WITH_PINYIN = [(k, i) for k, i in ALL_BANNED if i.pinyin and len(_syllables(i.pinyin)) == len(i.zh)]
MULTI_SYLLABLE = [(k, i) for k, i in WITH_PINYIN if len(i.zh) >= 2]
INITIALS_KINDS = (
    "firearms",
    "ammunition",
    "controlled-implements",
    "explosives",
    "drugs",
    "forgeries",
    "endangered-species",
)
# Initials are trade talk for guns, drugs and the like; for a chemical they would be unreadable.
INITIALS_TRADE = [(k, i) for k, i in MULTI_SYLLABLE if k in INITIALS_KINDS]
TRADITIONAL_CHANGES = [(k, i) for k, i in ALL_BANNED if i.zh.translate(TRADITIONAL) != i.zh]
PLAIN_ZH = [i.zh for _, i in ALL_BANNED if len(i.zh) >= 2]
PLAIN_EN = [i.en.lower() for _, i in ALL_BANNED]
LONG_ENGLISH = [(k, i) for k, i in ALL_BANNED if max(len(w) for w in i.en.split()) >= 6]
MULTI_WORD = [(k, i) for k, i in ALL_BANNED if " " in i.en]


def _unit(kind: str, rng: random.Random) -> str:
    return f"{rng.choice((1, 2, 3, 5, 10, 20))}{UNITS_ZH[kind]}"


def _pinyin_spaced(rng: random.Random) -> str:
    kind, item = rng.choice(MULTI_SYLLABLE)
    return " ".join(_bare(s) for s in _syllables(item.pinyin)) + " " + _unit(kind, rng)


def _pinyin_joined(rng: random.Random) -> str:
    kind, item = rng.choice(MULTI_SYLLABLE)
    joined = "".join(_bare(s) for s in _syllables(item.pinyin))
    return (joined.upper() if rng.random() < 0.3 else joined) + " " + _unit(kind, rng)


def _pinyin_tones(rng: random.Random) -> str:
    kind, item = rng.choice(MULTI_SYLLABLE)
    syllables = _syllables(item.pinyin)
    if rng.random() < 0.5:
        return " ".join(_marked(s) for s in syllables)
    return "".join(s.replace("v", "u:") for s in syllables) + " " + _unit(kind, rng)


def _pinyin_initials(rng: random.Random) -> str:
    kind, item = rng.choice(INITIALS_TRADE)
    initials = "".join(_bare(s)[0] for s in _syllables(item.pinyin))
    return (initials.upper() if rng.random() < 0.5 else initials) + _unit(kind, rng)


def _swap_letters(word: str, table: dict[str, str], rng: random.Random, most: int) -> str:
    spots = [i for i, ch in enumerate(word) if ch.lower() in table]
    chosen = sorted(rng.sample(spots, min(len(spots), rng.randint(1, most))))
    letters = list(word)
    for at in chosen:
        letters[at] = table[letters[at].lower()]
    return "".join(letters)


def _english_with(table: dict[str, str], rng: random.Random, most: int) -> str:
    """Swap one or two letters of the longest word that has a letter to swap."""
    candidates = [(k, i) for k, i in ALL_BANNED if any(ch in table for ch in i.en.lower())]
    _, item = rng.choice(candidates)
    words = item.en.split()
    swappable = [w for w in range(len(words)) if any(ch in table for ch in words[w].lower())]
    longest = max(swappable, key=lambda w: len(words[w]))
    words[longest] = _swap_letters(words[longest], table, rng, most)
    return " ".join(words)


def _leet(rng: random.Random) -> str:
    return _english_with(LEET, rng, 2)


def _homoglyph(rng: random.Random) -> str:
    return _english_with(HOMOGLYPHS, rng, 2)


def _full_width(text: str) -> str:
    return "".join(
        chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else "\u3000" if ch == " " else ch for ch in text
    )


def _fullwidth(rng: random.Random) -> str:
    _, item = rng.choice(ALL_BANNED)
    if any(ch.isascii() and ch.isalnum() for ch in item.zh) and rng.random() < 0.5:
        return _full_width(item.zh)
    return _full_width(item.en)


def _zero_width(rng: random.Random) -> str:
    _, item = rng.choice(ALL_BANNED)
    text = item.zh if rng.random() < 0.6 and len(item.zh) >= 2 else item.en
    gaps = list(range(1, len(text)))
    chosen = set(rng.sample(gaps, min(len(gaps), rng.randint(1, 3)))) if gaps else set()
    mark = rng.choice(ZERO_WIDTH)
    return "".join((mark + ch) if i in chosen else ch for i, ch in enumerate(text))


def _split(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(RADICAL_SPLITS)
    kind, item = rng.choice([(k, i) for k, i in ALL_BANNED if len(i.zh) >= 2])
    if rng.random() < 0.6:
        sep = rng.choice((" ", ".", "-", "·", "*", "/"))
        return sep.join(item.zh) + " " + _unit(kind, rng)
    word = max(item.en.split(), key=len)
    sep = rng.choice((" ", ".", "-"))
    return item.en.replace(word, sep.join(word))


def _joined(rng: random.Random) -> str:
    _, item = rng.choice(MULTI_WORD)
    return item.en.replace(" ", "").replace("-", "")


def _traditional(rng: random.Random) -> str:
    kind, item = rng.choice(TRADITIONAL_CHANGES)
    return item.zh.translate(TRADITIONAL) + " " + _unit(kind, rng).translate(TRADITIONAL)


def _misspelling(rng: random.Random) -> str:
    _, item = rng.choice(LONG_ENGLISH)
    words = item.en.split()
    at = max(range(len(words)), key=lambda w: len(words[w]))
    word = words[at]
    typo = word
    while typo == word:
        inner = rng.randrange(1, len(word) - 2)
        edit = rng.randrange(3)
        if edit == 0:  # a dropped letter
            typo = word[:inner] + word[inner + 1 :]
        elif edit == 1:  # two letters swapped
            typo = word[:inner] + word[inner + 1] + word[inner] + word[inner + 2 :]
        else:  # a doubled letter
            typo = word[: inner + 1] + word[inner:]
    words[at] = typo
    return " ".join(words)


def _mixed_script(rng: random.Random) -> str:
    kind, item = rng.choice(MULTI_SYLLABLE)
    syllables = _syllables(item.pinyin)
    swap = rng.randrange(len(item.zh))
    text = "".join(_bare(syllables[i]) if i == swap else ch for i, ch in enumerate(item.zh))
    return text + " " + _unit(kind, rng)


def _from(pairs: Sequence[tuple[str, str]]) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(pairs)[0]


def _names_a_banned_item(text: str) -> bool:
    """Whether text still holds a plain name from BANNED, so it would hide nothing."""
    lower = text.lower()
    return any(name in text for name in PLAIN_ZH) or any(
        re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", lower) for name in PLAIN_EN
    )


def _evasion(kind: str, rng: random.Random) -> str:
    """An evasion of this class that names no banned item plainly."""
    for _ in range(1000):
        text = EVASIONS[kind](rng)
        if not _names_a_banned_item(text):
            return text
    raise ValueError(f"evasion class {kind} only yields plain names")


EVASIONS: dict[str, Callable[[random.Random], str]] = {
    "pinyin-spaced": _pinyin_spaced,
    "pinyin-joined": _pinyin_joined,
    "pinyin-tones": _pinyin_tones,
    "pinyin-initials": _pinyin_initials,
    "leet": _leet,
    "fullwidth": _fullwidth,
    "homoglyph": _homoglyph,
    "zero-width": _zero_width,
    "split": _split,
    "joined": _joined,
    "traditional": _traditional,
    "homophone": _from(HOMOPHONES),
    "slang": _from(SLANG),
    "euphemism": _from(EUPHEMISMS),
    "misspelling": _misspelling,
    "mixed-script": _mixed_script,
    "formula": _from(FORMULAS),
}

# ---- voices: each renders a declaration around one item, in zh, en or both -----------------

COMPANIES = (
    "义乌市恒达贸易有限公司",
    "东莞市新锐电子厂",
    "临沂顺丰达商贸",
    "杭州禾木供应链",
    "佛山美居家具",
)
COUNTIES = ("会宁县", "岚皋县", "永和县", "泗县", "江华瑶族自治县", "漠河市", "石渠县", "镇雄县")
UNIVERSITIES = (
    "华东理工大学化学学院",
    "西北农林科技大学动物医学院",
    "四川大学华西医学中心",
    "吉林大学材料学院",
)
COUNTRIES = ("日本", "韩国", "澳洲", "德国", "法国", "新西兰", "美国")
LAB_PURPOSES = ("科研合作", "样品送检", "仪器返修", "课题组搬迁")
ROOMS = ("卧室", "厨房", "书房", "阳台")
STREAMERS = ("小杨哥", "阿珍家", "老铁严选", "甜甜酱", "山里娃")


def _qty(rng: random.Random) -> int:
    return rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 20, 50))


def _number(rng: random.Random, digits: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(digits))


def _with_fillers(item: str, fillers: list[str], rng: random.Random) -> list[str]:
    goods = list(fillers)
    goods.insert(rng.randrange(len(goods) + 1), item)
    return goods


def _manifest(rng: random.Random, item: str, fillers: list[str]) -> str:
    lines = "；".join(
        f"{i + 1}. {g} {_qty(rng)}箱" for i, g in enumerate(_with_fillers(item, fillers, rng))
    )
    return (
        f"货运清单 No.{_number(rng, 8)} 发货方：{rng.choice(COMPANIES)} 品名明细：{lines} "
        f"毛重 {rng.randint(5, 900)}kg 付款方式：月结"
    )


def _livestream(rng: random.Random, item: str, fillers: list[str]) -> str:
    return (
        f"直播间订单#{_number(rng, 12)} 主播：{rng.choice(STREAMERS)} 商品：{item} x{_qty(rng)} "
        f"备注：{rng.choice(('家人们拍下秒发', '福袋款', '加急', '不要放发票'))}"
    )


def _pharmacy(rng: random.Random, item: str, fillers: list[str]) -> str:
    return (
        f"药房配送单 单号{_number(rng, 10)} 收件人：{rng.choice(('王女士', '李先生', '张阿姨'))} "
        f"配送品：{item} {_qty(rng)}盒 需冷藏：{rng.choice(('否', '否', '是'))}"
    )


def _lab(rng: random.Random, item: str, fillers: list[str]) -> str:
    goods = "、".join(_with_fillers(item, fillers, rng))
    return (
        f"{rng.choice(UNIVERSITIES)} 实验室物品寄送申请 物品：{goods} "
        f"用途：{rng.choice(LAB_PURPOSES)} 经费卡号{_number(rng, 6)}"
    )


def _moving(rng: random.Random, item: str, fillers: list[str]) -> str:
    goods = "，".join(_with_fillers(item, fillers, rng))
    return f"搬家物品清单 第{rng.randint(1, 40)}箱（{rng.choice(ROOMS)}）：{goods}"


def _taobao_return(rng: random.Random, item: str, fillers: list[str]) -> str:
    reason = rng.choice(("七天无理由", "尺码不合适", "与描述不符", "收到破损", "拍错了"))
    return (
        f"淘宝退货单 订单号{_number(rng, 18)} 退货商品：{item} 数量{_qty(rng)} 退货原因：{reason}"
    )


def _county_post(rng: random.Random, item: str, fillers: list[str]) -> str:
    return (
        f"{rng.choice(COUNTIES)}邮政营业厅 寄件 内件品名：{item} 件数：{_qty(rng)} "
        f"保价：{rng.choice(('不保价', '保价200元', '保价1000元'))}"
    )


def _daigou(rng: random.Random, item: str, fillers: list[str]) -> str:
    goods = " ".join(f"{i + 1}.{g}" for i, g in enumerate(_with_fillers(item, fillers, rng)))
    return f"{rng.choice(COUNTRIES)}代购清单 {goods} 直邮包税"


def _bilingual(rng: random.Random, item: str, fillers: list[str]) -> str:
    return (
        f"内件 Contents: {item} | 数量 Qty: {_qty(rng)} | 申报价值 Value: "
        f"{rng.randint(5, 900)} CNY | 原产地 Origin: CN"
    )


def _invoice(rng: random.Random, item: str, fillers: list[str]) -> str:
    goods = "; ".join(_with_fillers(item, fillers, rng))
    return (
        f"Commercial invoice INV-{_number(rng, 6)}. Description of goods: {goods}. "
        f"Quantity {_qty(rng)}, unit value USD {rng.randint(2, 300)}."
    )


@dataclass(frozen=True)
class Voice:
    name: str
    lang: str  # "zh", "en" or "bi": which name of an Item it uses
    fillers: tuple[int, int]  # how many other ordinary goods go around the item
    render: Callable[[random.Random, str, list[str]], str]
    goods: str = ""  # a VOICE_GOODS key


VOICES = (
    Voice("manifest", "zh", (0, 2), _manifest),
    Voice("livestream", "zh", (0, 0), _livestream),
    Voice("pharmacy", "zh", (0, 0), _pharmacy, "pharmacy"),
    Voice("lab", "zh", (0, 2), _lab, "lab"),
    Voice("moving", "zh", (1, 3), _moving, "moving"),
    Voice("taobao-return", "zh", (0, 0), _taobao_return),
    Voice("county-post", "zh", (0, 0), _county_post),
    Voice("daigou", "zh", (1, 3), _daigou, "daigou"),
    Voice("bilingual", "bi", (0, 0), _bilingual),
    Voice("invoice", "en", (0, 2), _invoice),
)


def _name(item: Item, lang: str, rng: random.Random) -> str:
    if lang == "zh":
        return item.zh if rng.random() < 0.85 else item.en
    if lang == "en":
        return item.en
    return f"{item.en} / {item.zh}" if rng.random() < 0.5 else f"{item.zh}（{item.en}）"


def _pool(voice: Voice) -> tuple[Item, ...]:
    return ORDINARY + VOICE_GOODS.get(voice.goods, ())


def _declaration(rng: random.Random, voice: Voice, item_text: str) -> str:
    pool = _pool(voice)
    count = rng.randint(*voice.fillers)
    fillers = [_name(rng.choice(pool), voice.lang, rng) for _ in range(count)]
    return voice.render(rng, item_text, fillers)


def _counts(n: int) -> dict[str, int]:
    """Exact quotas: floors, then the remainder to the largest fractional parts."""
    raw = {group: n * share for group, share in QUOTAS}
    counts = {group: int(value) for group, value in raw.items()}
    rest = n - sum(counts.values())
    for group in sorted(raw, key=lambda g: (-(raw[g] - counts[g]), g))[:rest]:
        counts[group] += 1
    return counts


def _cycle(kinds: Sequence[str], count: int, rng: random.Random) -> list[str]:
    start = rng.randrange(len(kinds))
    return [kinds[(start + i) % len(kinds)] for i in range(count)]


def generate(n: int, seed: int) -> list[Case]:
    """n declarations, deterministic for a seed, mixed by QUOTAS."""
    rng = random.Random(seed)
    counts = _counts(n)
    cases: list[Case] = []
    for _ in range(counts["plain-ordinary"]):
        voice = rng.choice(VOICES)
        text = _declaration(rng, voice, _name(rng.choice(_pool(voice)), voice.lang, rng))
        cases.append(Case(text, False, "plain", "ordinary"))
    for kind in _cycle(list(BANNED), counts["plain-banned"], rng):
        voice = rng.choice(VOICES)
        text = _declaration(rng, voice, _name(rng.choice(BANNED[kind]), voice.lang, rng))
        cases.append(Case(text, True, "plain", kind))
    for kind in _cycle(list(EVASIONS), counts["evasion"], rng):
        voice = rng.choice(VOICES)
        cases.append(Case(_declaration(rng, voice, _evasion(kind, rng)), True, "evasion", kind))
    for kind in _cycle(list(LOOK_ALIKES), counts["look-alike"], rng):
        voice = rng.choice(VOICES)
        text = _declaration(rng, voice, rng.choice(LOOK_ALIKES[kind]))
        banned = None if kind == "toy-model" else False
        cases.append(Case(text, banned, "look-alike", kind))
    rng.shuffle(cases)
    return cases


def _visible(text: str) -> str:
    """The text with its invisible characters written as escapes."""
    return "".join(f"<U+{ord(ch):04X}>" if ch in ZERO_WIDTH else ch for ch in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    cases = generate(args.n, args.seed)
    for case in cases[:30]:
        print(f"{case.banned!s:5} {case.group:10} {case.kind:22} {_visible(case.text)}")
    print()
    for (group, kind), count in sorted(Counter((c.group, c.kind) for c in cases).items()):
        print(f"{group:10} {kind:22} {count}")
    for group, count in sorted(Counter(c.group for c in cases).items()):
        print(f"total {group:10} {count}")
    print(f"total {len(cases)}")


if __name__ == "__main__":
    main()
