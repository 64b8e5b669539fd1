"""Evaluation set K: labelled parcel declarations, written apart from the matcher.

What a sender writes on a courier waybill in China (Chinese, English, pinyin or a mix), each
labelled with whether the parcel should be inspected or refused under the guiding catalogue
of 《禁止寄递物品管理规定》. The vocabulary, the evasion techniques and the harmless
look-alikes here were written without reading the matcher, its catalogue data, its tests or
any other declaration set, so the set measures how the matcher generalises to a writer it has
never seen.

Labels:
- ``plain:<category>``: a banned item named plainly (Chinese, English or both);
- ``evasion:<technique>``: a banned item written so as to slip past a word list;
- ``lookalike:<class>``: a harmless item whose words resemble banned ones;
- ``harmless:<class>``: an ordinary harmless item.

Items whose status is unclear (lighters, perfume, nail polish, power banks, aerosols,
medicines, kitchen knives written as weapons, 75 % alcohol, ...) are left out rather than
guessed. ``generate(n, seed)`` is deterministic for (n, seed); about 45 % is banned.

    python bench/parcel_declarations_k.py            # counts per label and 30 samples
    python bench/parcel_declarations_k.py --check    # determinism and label balance
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from faker import Faker
from pypinyin import Style, lazy_pinyin

DEFAULT_N = 6_000
BANNED_SHARE = 0.45
PLAIN_SHARE_OF_BANNED = 0.42
LOOKALIKE_SHARE_OF_HARMLESS = 0.78


@dataclass(frozen=True)
class Declaration:
    text: str
    banned: bool
    label: str


class Item(NamedTuple):
    zh: str
    en: str
    unit: str  # Chinese measure word or unit
    unit_en: str


def _items(rows: str) -> list[Item]:
    """Parse 'zh|en|unit|unit_en' lines."""
    parsed = []
    for line in rows.strip().splitlines():
        zh, en, unit, unit_en = (part.strip() for part in line.split("|"))
        parsed.append(Item(zh, en, unit, unit_en))
    return parsed


# --- banned vocabulary, by category -------------------------------------------------------

BANNED: dict[str, list[Item]] = {
    "guns": _items("""
        手枪|handgun|把|pcs
        步枪|rifle|支|pcs
        猎枪|hunting shotgun|支|pcs
        气枪|air rifle|支|pcs
        仿真枪|replica firearm|把|pcs
        钢珠枪|steel ball air pistol|把|pcs
        火药枪|black powder musket|支|pcs
        麻醉枪|tranquilizer gun|把|pcs
        左轮手枪|revolver|把|pcs
        霰弹枪|shotgun|支|pcs
    """),
    "ammunition": _items("""
        子弹|bullets|发|rounds
        霰弹|shotgun shells|发|rounds
        步枪弹|rifle cartridges|盒|boxes
        手枪弹|pistol ammunition|盒|boxes
        气枪铅弹|airgun lead pellets|盒|tins
        实弹|live ammunition|发|rounds
    """),
    "gun_parts": _items("""
        枪管|gun barrel|根|pcs
        撞针|firing pin|个|pcs
        弹匣|pistol magazine|个|pcs
        枪械消音器|firearm suppressor|个|pcs
        枪机|rifle bolt carrier|个|pcs
        击发机构|trigger group assembly|套|sets
    """),
    "controlled_knives": _items("""
        匕首|dagger|把|pcs
        三棱刮刀|triangular scraper blade|把|pcs
        弹簧跳刀|switchblade|把|pcs
        军刺|military bayonet|把|pcs
        双刃尖刀|double-edged fighting knife|把|pcs
        自锁弹簧刀|spring-assisted lock knife|把|pcs
    """),
    "weapons": _items("""
        电击器|stun gun|个|pcs
        电警棍|electric baton|根|pcs
        催泪喷雾|pepper spray|瓶|cans
        弩|crossbow|把|pcs
        弩箭|crossbow bolts|支|pcs
    """),
    "explosives": _items("""
        炸药|explosives|公斤|kg
        雷管|detonators|发|pcs
        导火索|safety fuse|米|m
        黑火药|black powder|公斤|kg
        硝化甘油|nitroglycerin|瓶|bottles
        梯恩梯|TNT explosive|公斤|kg
        导爆索|detonating cord|米|m
        手榴弹|hand grenade|枚|pcs
    """),
    "fireworks": _items("""
        烟花|fireworks|箱|cartons
        鞭炮|firecrackers|盘|rolls
        礼花弹|aerial shells|个|pcs
        擦炮|scratch-and-throw crackers|盒|boxes
        摔炮|snap pops|盒|boxes
        二踢脚|double-bang firecracker|个|pcs
        冷焰火|cold spark fountain|根|pcs
    """),
    "compressed_gas": _items("""
        液化石油气罐|LPG cylinder|个|pcs
        氧气瓶|oxygen cylinder|个|pcs
        丁烷气罐|butane canister|罐|cans
        卡式炉气罐|cassette stove gas|罐|cans
        氢气瓶|hydrogen cylinder|个|pcs
        乙炔气瓶|acetylene cylinder|个|pcs
        一氧化二氮气瓶|nitrous oxide cylinder|个|pcs
        二氧化碳钢瓶|CO2 gas cylinder|个|pcs
        氦气罐|helium tank|罐|tanks
    """),
    "flammable_liquids": _items("""
        汽油|gasoline|升|L
        柴油|diesel fuel|升|L
        煤油|kerosene|升|L
        工业酒精|industrial ethanol 95%|桶|drums
        丙酮|acetone|瓶|bottles
        乙醚|diethyl ether|瓶|bottles
        天那水|banana oil thinner|桶|cans
        油漆稀释剂|paint thinner|桶|cans
        打火机油|lighter fluid|瓶|bottles
        苯|benzene|瓶|bottles
    """),
    "flammable_solids": _items("""
        红磷|red phosphorus|克|g
        白磷|white phosphorus|克|g
        硫磺粉|sulfur powder|公斤|kg
        镁粉|magnesium powder|公斤|kg
        金属钠|sodium metal|克|g
        电石|calcium carbide|公斤|kg
        固体酒精|solid alcohol fuel|盒|boxes
        铝粉|aluminium powder|公斤|kg
    """),
    "oxidisers": _items("""
        高锰酸钾|potassium permanganate|瓶|bottles
        氯酸钾|potassium chlorate|公斤|kg
        硝酸铵|ammonium nitrate|袋|bags
        过氧化氢|hydrogen peroxide 30%|瓶|bottles
        过氧化钠|sodium peroxide|瓶|bottles
        硝酸钾|potassium nitrate|公斤|kg
    """),
    "toxic": _items("""
        氰化钠|sodium cyanide|公斤|kg
        氰化钾|potassium cyanide|瓶|bottles
        砒霜|arsenic trioxide|克|g
        毒鼠强|tetramine rodenticide|包|packs
        水银|mercury|瓶|bottles
        氟乙酰胺|fluoroacetamide|包|packs
        百草枯|paraquat|瓶|bottles
        敌敌畏原药|dichlorvos technical|桶|drums
    """),
    "infectious": _items("""
        病毒样本|virus samples|管|tubes
        细菌菌种|bacterial strains|支|vials
        炭疽杆菌|anthrax bacillus culture|支|vials
        结核菌培养物|tuberculosis culture|管|tubes
        未灭活血清样本|non-inactivated serum samples|管|tubes
    """),
    "radioactive": _items("""
        放射源|radioactive source|个|pcs
        铀矿石|uranium ore|块|pcs
        钴60源|cobalt-60 source|个|pcs
        镭|radium|克|g
        铯137|caesium-137|个|pcs
    """),
    "corrosives": _items("""
        浓硫酸|concentrated sulfuric acid|瓶|bottles
        盐酸|hydrochloric acid|瓶|bottles
        硝酸|nitric acid|瓶|bottles
        氢氟酸|hydrofluoric acid|瓶|bottles
        氢氧化钠|sodium hydroxide|公斤|kg
        冰醋酸|glacial acetic acid|瓶|bottles
        溴素|liquid bromine|瓶|bottles
    """),
    "drugs": _items("""
        海洛因|heroin|克|g
        冰毒|methamphetamine|克|g
        摇头丸|ecstasy pills|粒|pills
        K粉|ketamine|克|g
        大麻|cannabis|克|g
        可卡因|cocaine|克|g
        鸦片|opium|克|g
        吗啡|morphine|支|ampoules
        麻古|yaba tablets|粒|pills
        芬太尼|fentanyl|克|g
        罂粟壳|poppy husks|斤|jin
        依托咪酯|etomidate|瓶|vials
    """),
    "precursors": _items("""
        麻黄碱|ephedrine|公斤|kg
        伪麻黄碱|pseudoephedrine|公斤|kg
        羟亚胺|hydroxylimine|公斤|kg
        苯基丙酮|phenylacetone|升|L
        胡椒醛|piperonal|公斤|kg
        黄樟油|sassafras oil|升|L
        醋酸酐|acetic anhydride|升|L
    """),
    "paraphernalia": _items("""
        吸毒工具|drug-use kit|套|sets
        冰毒吸食壶|meth pipe|个|pcs
        吸毒锡纸|foil for smoking heroin|卷|rolls
        大麻烟斗|cannabis pipe|个|pcs
    """),
    "counterfeit_currency": _items("""
        假币|counterfeit banknotes|张|notes
        假人民币|fake renminbi|张|notes
        伪造美元|counterfeit US dollars|张|notes
        假硬币|counterfeit coins|枚|coins
        假钞|fake currency|叠|bundles
    """),
    "forged_documents": _items("""
        假身份证|fake ID card|张|pcs
        伪造公章|forged official seal|枚|pcs
        假驾驶证|fake driving licence|本|pcs
        假发票|forged invoices|本|books
        假护照|forged passport|本|pcs
        假学历证书|fake diploma|本|pcs
        假车牌|fake licence plates|副|sets
    """),
    "spying_equipment": _items("""
        窃听器|eavesdropping bug|个|pcs
        针孔摄像头|pinhole spy camera|个|pcs
        偷拍眼镜|spy camera glasses|副|pcs
        手机监听器|phone interception device|台|units
        伪装偷拍笔|hidden camera pen|支|pcs
    """),
    "illegal_publications": _items("""
        淫秽光盘|obscene DVDs|张|discs
        淫秽书刊|pornographic magazines|本|copies
        邪教宣传品|cult propaganda leaflets|份|copies
        反动传单|seditious leaflets|份|copies
        盗版光盘|pirated DVDs|张|discs
    """),
    "endangered_species": _items("""
        象牙|elephant ivory|件|pcs
        犀牛角|rhino horn|个|pcs
        穿山甲鳞片|pangolin scales|克|g
        虎骨|tiger bone|块|pcs
        玳瑁|hawksbill turtle shell|件|pcs
        砗磲|giant clam shell|件|pcs
        盔犀鸟头骨|helmeted hornbill casque|个|pcs
        赛加羚羊角|saiga antelope horn|根|pcs
        红珊瑚原枝|red coral branch|枝|pcs
    """),
    "counterfeit_goods": _items("""
        高仿名牌包|counterfeit designer handbag|个|pcs
        假冒名表|fake branded watch|块|pcs
        假冒茅台|counterfeit Moutai|瓶|bottles
        高仿耐克鞋|fake Nike sneakers|双|pairs
        假冒药品|counterfeit medicine|盒|boxes
    """),
}

CATEGORY_SPECS: dict[str, list[str]] = {
    "guns": ["全金属", "可发射", "原装", "带瞄具", "含配件", "二手"],
    "ammunition": [".22口径", "9mm", "12号", "5.56mm", "50发装", "铜头"],
    "gun_parts": ["9mm", "钢制", "原厂", "CNC加工", "通用型"],
    "controlled_knives": ["双刃", "开刃", "带刀鞘", "锋利", "战术款"],
    "weapons": ["大功率", "可充电", "防身用", "随身款", "加长版"],
    "explosives": ["工业用", "开山用", "乳化", "电子", "纸质"],
    "fireworks": ["36发", "100响", "500响", "婚庆", "过年用"],
    "compressed_gas": ["满瓶", "15kg", "250g", "40L", "工业级"],
    "flammable_liquids": ["92号", "95%", "分析纯", "20L", "工业级"],
    "flammable_solids": ["分析纯", "99%", "化学试剂", "500g", "工业级"],
    "oxidisers": ["分析纯", "99.5%", "AR", "化学试剂", "工业级"],
    "toxic": ["分析纯", "98%", "原药", "试剂级", "高纯"],
    "infectious": ["冷链", "-20℃", "科研用", "EDTA管", "活菌"],
    "radioactive": ["密封源", "科研用", "带铅罐", "原矿", "检测用"],
    "corrosives": ["98%", "36%", "分析纯", "500ml", "工业级"],
    "drugs": ["纯度高", "小包装", "试用装", "批发", "现货"],
    "precursors": ["99%", "原料", "工业级", "桶装", "分析纯"],
    "paraphernalia": ["全套", "玻璃", "便携", "新款", "加厚"],
    "counterfeit_currency": ["百元", "连号", "高仿", "50元面值", "100美元"],
    "forged_documents": ["可定制", "带芯片", "加急", "全国通用", "钢印"],
    "spying_equipment": ["无线", "远程", "4K", "超长待机", "隐蔽"],
    "illegal_publications": ["合集", "全套", "印刷品", "100份", "高清"],
    "endangered_species": ["老料", "原料", "工艺品", "雕件", "收藏级"],
    "counterfeit_goods": ["A货", "1:1", "原单", "顶级复刻", "同款"],
}

# --- evasion tables (written by hand for this set) -----------------------------------------

HOMOPHONES: dict[str, list[str]] = {
    "手枪": ["手抢", "首枪", "手呛"],
    "气枪": ["汽枪", "气抢"],
    "猎枪": ["列枪", "猎抢"],
    "仿真枪": ["仿真抢", "访真枪"],
    "子弹": ["籽弹", "子单", "紫弹"],
    "匕首": ["比首", "匕手"],
    "弹簧跳刀": ["弹黄跳刀", "蛋簧跳刀"],
    "电击器": ["电鸡器", "店击器"],
    "炸药": ["炸要", "诈药", "榨药"],
    "雷管": ["雷馆", "镭管"],
    "鞭炮": ["边炮", "鞭泡"],
    "烟花": ["焰花", "烟化"],
    "冰毒": ["冰独", "兵毒"],
    "海洛因": ["海落因", "嗨洛因"],
    "大麻": ["大嘛", "达麻"],
    "摇头丸": ["摇头完", "遥头丸"],
    "可卡因": ["可咔因", "可卡音"],
    "假币": ["甲币", "贾币", "假必"],
    "假钞": ["假抄", "甲钞"],
    "假身份证": ["假身分证", "甲身份证"],
    "窃听器": ["切听器", "窃厅器"],
    "针孔摄像头": ["针孔摄相头", "珍孔摄像头"],
    "氰化钠": ["青化钠", "请化钠"],
    "氰化钾": ["青化钾", "清化钾"],
    "砒霜": ["皮霜", "批霜"],
    "毒鼠强": ["毒鼠墙", "独鼠强"],
    "象牙": ["像牙", "象芽"],
    "犀牛角": ["西牛角", "犀牛脚"],
    "浓硫酸": ["浓流酸", "浓琉酸"],
    "汽油": ["气油", "汔油"],
    "麻黄碱": ["马黄碱", "麻黄简"],
    "高锰酸钾": ["高猛酸钾", "高锰酸甲"],
    "催泪喷雾": ["催泪喷务", "吹泪喷雾"],
}

RADICAL_SPLITS: dict[str, str] = {
    "枪": "木仓",
    "炸": "火乍",
    "药": "艹约",
    "烟": "火因",
    "炮": "火包",
    "弹": "弓单",
    "弩": "奴弓",
    "证": "讠正",
    "钞": "钅少",
    "铀": "钅由",
    "硝": "石肖",
    "砒": "石比",
    "酸": "酉夋",
    "镁": "钅美",
    "钠": "钅内",
    "鞭": "革便",
    "爆": "火暴",
    "氰": "气青",
    "钾": "钅甲",
    "锰": "钅孟",
    "管": "竹官",
    "猎": "犭昔",
    "棍": "木昆",
    "磷": "石粦",
    "碱": "石咸",
    "铵": "钅安",
}

SLANG: dict[str, list[str]] = {
    "guns": ["喷子 能打响的", "短狗 真家伙", "长狗 带瞄", "铁家伙 实打实能响"],
    "ammunition": ["狗粮 9mm 50发", "狗粮 .22 一盒", "花生米 铜头 能上膛"],
    "explosives": ["开山用的料 带响的", "大炮仗 工地爆破用", "矿用炸山货"],
    "fireworks": ["炮仗 500响", "大地红 过年放的", "小鞭 一盘", "窜天猴 10支"],
    "drugs": ["溜冰的料 高纯", "白面儿 纯的", "叶子 自种 飞行", "K仔 2克", "四号 白货"],
    "counterfeit_currency": ["红票子 高仿 一比十", "水钱 百元 连号", "假票子 验钞机过"],
    "forged_documents": ["办的证 可过机器", "仿证 带芯片 照片定制", "章子 仿刻 公司的"],
    "spying_equipment": ["监听神器 远程听", "隐形镜头 偷录", "偷看神器 藏插座里"],
    "endangered_species": ["老象 料子", "白料 非洲的", "甲片 炮制", "犀角 老料", "鹤顶红 头骨"],
    "weapons": ["防狼电棒 高压", "电棍 高压 防身", "催泪水 防狼喷的", "小猎豹 175磅 带箭"],
    "controlled_knives": ["三棱刺 开锋", "军品刺刀 开锋", "弹刀 一按就出 带锁"],
}

EMOJI: dict[str, list[str]] = {
    "手枪": ["手🔫", "🔫 短的"],
    "气枪": ["气🔫", "打鸟🔫"],
    "炸药": ["💣药", "💣 工业用料"],
    "手榴弹": ["手💣", "💣 拉环式"],
    "冰毒": ["❄️毒", "🧊 溜的"],
    "大麻": ["🍁 叶子", "🌿 THC"],
    "摇头丸": ["💊 摇摇", "💊 嗨丸"],
    "可卡因": ["❄️ 可卡 粉", "👃 白粉 可卡"],
    "象牙": ["🐘牙 料", "🐘 牙雕 老料"],
    "犀牛角": ["🦏角", "🦏 角片"],
    "鞭炮": ["🧨 500响", "🧨🧨 过年"],
    "烟花": ["🎆 36发", "🎇 礼花 箱装"],
    "匕首": ["🗡️ 开刃", "🗡 双刃"],
    "子弹": ["🔫弹 50发", "🔫 的粮 9mm"],
}

FORMULAS: dict[str, list[str]] = {
    "氰化钠": ["NaCN"],
    "氰化钾": ["KCN"],
    "高锰酸钾": ["KMnO4", "KMnO₄"],
    "氯酸钾": ["KClO3", "KClO₃"],
    "硝酸铵": ["NH4NO3", "NH₄NO₃"],
    "硝酸钾": ["KNO3"],
    "浓硫酸": ["H2SO4", "H₂SO₄"],
    "盐酸": ["HCl 36%"],
    "硝酸": ["HNO3", "HNO₃"],
    "氢氟酸": ["HF 40%"],
    "氢氧化钠": ["NaOH"],
    "砒霜": ["As2O3", "As₂O₃"],
    "水银": ["Hg 液态"],
    "过氧化氢": ["H2O2 30%", "H₂O₂ 30%"],
    "过氧化钠": ["Na2O2"],
    "电石": ["CaC2"],
    "一氧化二氮气瓶": ["N2O 钢瓶", "N₂O 气瓶"],
    "乙炔气瓶": ["C2H2 钢瓶"],
    "丙酮": ["CH3COCH3", "C3H6O"],
    "乙醚": ["(C2H5)2O", "C4H10O"],
    "苯": ["C6H6"],
    "醋酸酐": ["(CH3CO)2O"],
    "冰毒": ["C10H15N 晶体"],
    "硝化甘油": ["C3H5N3O9"],
    "梯恩梯": ["C7H5N3O6"],
    "溴素": ["Br2 液体"],
}

CAS_NUMBERS: dict[str, str] = {
    "氰化钠": "143-33-9",
    "氰化钾": "151-50-8",
    "高锰酸钾": "7722-64-7",
    "氯酸钾": "3811-04-9",
    "硝酸铵": "6484-52-2",
    "浓硫酸": "7664-93-9",
    "硝酸": "7697-37-2",
    "盐酸": "7647-01-0",
    "氢氟酸": "7664-39-3",
    "氢氧化钠": "1310-73-2",
    "砒霜": "1327-53-3",
    "水银": "7439-97-6",
    "丙酮": "67-64-1",
    "金属钠": "7440-23-5",
    "电石": "75-20-7",
    "毒鼠强": "80-12-6",
    "醋酸酐": "108-24-7",
    "麻黄碱": "299-42-3",
    "胡椒醛": "120-57-0",
    "苯基丙酮": "103-79-7",
    "过氧化氢": "7722-84-1",
    "百草枯": "4685-14-7",
    "苯": "71-43-2",
}

ABBREVIATIONS: dict[str, list[str]] = {
    "梯恩梯": ["TNT"],
    "摇头丸": ["MDMA", "XTC"],
    "大麻": ["THC油", "CBD+THC 花"],
    "K粉": ["Special K"],
    "液化石油气罐": ["LPG罐", "LPG 15kg"],
    "二氧化碳钢瓶": ["CO2钢瓶 满气"],
    "苯基丙酮": ["P2P", "BMK"],
    "海洛因": ["H 4号"],
    "步枪": ["AR15 整枪", "AK 全套"],
    "枪械消音器": ["消音 can 9mm螺纹"],
    "一氧化二氮气瓶": ["N2O 大瓶 快乐气"],
}

MODEL_NAMES: dict[str, list[str]] = {
    "手枪": [
        "格洛克17",
        "Glock 19 原装",
        "M1911 实铁",
        "沙漠之鹰 .50AE",
        "Beretta 92F",
        "54式 配2弹匣",
    ],
    "步枪": ["AK47 全金属 可击发", "M4A1 实铁 可击发", "Ruger 10/22 整支"],
    "霰弹枪": ["雷明顿870 整支", "Remington 870 pump"],
    "电击器": ["Taser X26 带电池", "泰瑟 X2"],
    "弩": ["小猎豹弩 175磅", "Barnett 反曲 175lb 带箭"],
}

SCIENTIFIC_NAMES: dict[str, list[str]] = {
    "穿山甲鳞片": ["Manis pentadactyla scales", "Manis javanica 鳞片"],
    "犀牛角": ["Rhinoceros unicornis horn", "Ceratotherium simum 角"],
    "象牙": ["Loxodonta africana tusk", "Elephas maximus 牙料"],
    "虎骨": ["Panthera tigris bone"],
    "玳瑁": ["Eretmochelys imbricata shell", "Eretmochelys imbricata 甲片"],
    "砗磲": ["Tridacna gigas 贝壳", "Tridacna gigas shell"],
    "盔犀鸟头骨": ["Rhinoplax vigil casque"],
    "赛加羚羊角": ["Saiga tatarica horn"],
    "大麻": ["Cannabis sativa 雌花", "Cannabis indica buds"],
    "炭疽杆菌": ["Bacillus anthracis 菌株"],
    "结核菌培养物": ["Mycobacterium tuberculosis 培养物"],
    "罂粟壳": ["Papaver somniferum 果壳"],
}

OCR_SLIPS_ZH: dict[str, list[str]] = {
    "冰毒": ["冰毐"],
    "雷管": ["雷菅", "雷筦"],
    "炸药": ["炸葯", "炸菂"],
    "假币": ["假市", "叚币"],
    "手枪": ["乎枪", "手抡"],
    "匕首": ["匕昔", "七首"],
    "子弹": ["孑弹", "子殚"],
    "大麻": ["大磨", "太麻"],
    "象牙": ["象芽", "衆牙"],
    "假钞": ["叚钞", "假妙"],
    "氰化钠": ["氰化纳", "氢化钠 氰"],
    "海洛因": ["海格因", "海洛囙"],
}

CODE_WORDS: dict[str, list[str]] = {
    "drugs": [
        "开心水 两瓶 蹦迪用",
        "奶茶包 加料款 嗨",
        "上头电子烟 烟弹",
        "太空油 5ml 上头",
        "听话水 无色无味",
        "邮票 致幻 贴舌头的",
        "神奇蘑菇 干品 致幻",
        "小树枝 合成 上头",
        "猪肉 冰的 高纯 粒子",
        "糖果 嗨翻 蹦迪专用 摇的",
        "K 仔 一小包 嗨",
        "白粉 4号 纯",
    ],
    "paraphernalia": [
        "溜冰壶 全套",
        "冰壶 带吸管 溜的",
        "飞行器 烟斗 抽叶子用",
        "锡纸 吸管 追龙用",
    ],
}

PRODUCT_DISGUISES: dict[str, list[str]] = {
    "drugs": [
        "奶茶粉 内含冰",
        "维生素片 摇摇 100粒",
        "浴盐 α-PVP 结晶",
        "香薰精油 含GHB 100ml",
        "巧克力 含THC 10块",
        "茶叶 500g 掺叶子",
        "咖啡包 嗨 蹦迪款",
        "跳跳糖 加K",
    ],
    "guns": [
        "五金钢管 9mm膛线 带击针",
        "模型配件 实铁枪身 可击发",
        "钓鱼用品 发射器 钢珠 火药击发",
    ],
    "endangered_species": [
        "工艺品摆件 炮山甲片",
        "牙雕挂件 非洲老象",
        "文玩 犀角杯",
        "中药材 穿山甲片 炮制",
    ],
    "forged_documents": ["卡片样品 仿身份证 带芯片", "证书模板 仿制 带钢印", "印章样品 仿刻公章"],
    "counterfeit_currency": ["纪念票 仿百元 可花", "道具钞 高仿 能过验钞机"],
    "spying_equipment": ["充电头 内置摄像 隐蔽录像", "插座 带针孔 远程看", "车钥匙扣 内置窃听"],
    "explosives": ["烟花原料 黑药 散装", "矿用材料 乳化 药卷"],
}

LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
HOMOGLYPH = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "y": "у", "i": "і"}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SEPARATORS = ["-", ".", "_", "*", "/", "·", "|", "~"]
OCR_SLIPS_LATIN = [
    ("m", "rn"),
    ("l", "1"),
    ("o", "0"),
    ("d", "cl"),
    ("w", "vv"),
    ("i", "l"),
    ("e", "c"),
]

# --- harmless look-alikes, by class --------------------------------------------------------

LOOKALIKES: dict[str, list[str]] = {
    "colour": [
        "枪灰色卫衣",
        "枪色金属眼镜框",
        "gunmetal grey hoodie",
        "象牙白连衣裙",
        "ivory white bedsheet",
        "烟灰色毛衣",
        "冰蓝色围巾",
        "火药红口红",
        "子弹灰运动裤",
        "军绿色帆布包",
        "香槟金手机壳",
        "炸裂红指甲贴",
    ],
    "shape": [
        "子弹头造型U盘",
        "手雷造型抱枕",
        "火箭形状存钱罐",
        "子弹形圆珠笔",
        "炸弹造型毛绒玩具",
        "骷髅头造型马克杯",
        "bullet shaped USB drive",
        "grenade shaped plush pillow",
        "匕首造型书签 塑料",
    ],
    "toy": [
        "儿童水枪",
        "泡泡枪 电动",
        "water gun summer toy",
        "bubble gun for kids",
        "塑料玩具剑",
        "儿童激光剑 发光",
        "积木坦克",
        "玩具火箭 拼装",
        "魔术道具扑克",
        "弹力球 解压玩具",
    ],
    "model": [
        "1:35坦克模型 静态",
        "战斗机模型 合金 1:72",
        "高达模型 拼装",
        "军舰模型 塑料拼装",
        "潜艇模型 静态展示",
        "导弹车模型 1:64",
        "B-52 bomber model kit",
        "tank model kit 1/35",
    ],
    "tool": [
        "热熔胶枪",
        "测温枪 红外",
        "额温枪",
        "筋膜枪 按摩",
        "massage gun",
        "glue gun with sticks",
        "电烙铁 60W",
        "扳手套装",
        "十字螺丝刀",
        "手电钻",
        "吹风枪 热风 电动",
    ],
    "food": [
        "冰糖",
        "金枪鱼罐头",
        "子弹头辣椒",
        "爆米花",
        "冰粉粉",
        "炸酱面酱料包",
        "爆浆鸡排 冷冻",
        "跳跳糖",
        "火麻仁",
        "可可粉",
        "白砂糖",
        "糯米粉",
        "canned tuna",
        "popcorn kernels",
        "麻辣火锅底料",
        "炸鸡调料",
        "冰皮月饼",
        "雪花酥",
    ],
    "cosmetic": [
        "神仙水 SK-II",
        "泡泡浴球 bath bomb",
        "bath bombs gift set",
        "烟熏眼影盘",
        "炸弹面膜",
        "冰肌面霜",
        "散粉 定妆",
        "蜜粉饼",
        "爆水霜",
        "口红 子弹头",
    ],
    "electronics": [
        "行车记录仪",
        "家用监控摄像头 室内",
        "婴儿监视器",
        "蓝牙耳机",
        "无线鼠标",
        "机械键盘 青轴",
        "网络摄像头 直播用",
        "dash cam",
        "home security camera",
        "录音笔 会议用",
    ],
    "book": [
        "《枪炮、病菌与钢铁》",
        "《冰与火之歌》全套",
        "《鸦片战争》历史读物",
        "《毒木圣经》",
        "《炸裂志》",
        "《刀锋》",
        "《白夜行》",
        "Guns, Germs, and Steel paperback",
        "A Farewell to Arms novel",
        "The Gun Seller paperback",
        "《中国枪械史》图书",
        "《化学危险品安全手册》",
    ],
    "stationery": [
        "子弹笔记本 bullet journal",
        "bullet journal dotted notebook",
        "荧光笔套装",
        "铅笔 HB",
        "橡皮擦",
        "中性笔 子弹头",
        "便利贴",
        "胶棒",
    ],
    "kitchenware": [
        "厨房菜刀 不锈钢",
        "水果刀 陶瓷",
        "不锈钢剪刀",
        "压力锅",
        "冰格 硅胶",
        "炒锅",
        "刨丝器",
        "chef's kitchen knife",
    ],
    "plant": [
        "弹簧草 盆栽",
        "绿萝",
        "多肉植物",
        "仙人掌 子弹头",
        "猪笼草",
        "薄荷盆栽",
        "龙舌兰 幼苗",
        "罗汉松",
    ],
    "sports": [
        "桌面冰壶 玩具",
        "飞镖盘",
        "击剑面罩",
        "台球杆",
        "羽毛球拍",
        "射箭护臂",
        "滑雪板",
        "瑜伽垫",
        "弹力带",
    ],
    "clothing": [
        "迷彩服",
        "战术背心 户外",
        "骷髅头卫衣",
        "火箭队球衣",
        "炸街潮牌T恤",
        "子弹头 运动鞋",
        "camouflage jacket",
        "cargo pants tactical style",
    ],
    "household_chemical": [
        "小苏打 NaHCO3",
        "食用盐 NaCl",
        "柠檬酸 除垢",
        "白醋",
        "蒸馏水 H2O",
        "葡萄糖粉 C6H12O6",
        "碳酸钙粉 CaCO3",
        "泻盐 MgSO4",
        "小苏打 CAS 144-55-8",
        "氯化钠 CAS 7647-14-5",
        "柠檬酸 CAS 77-92-9",
        "蔗糖 CAS 57-50-1",
    ],
    "pet_supply": [
        "狗粮",
        "猫粮",
        "猫砂",
        "狗绳",
        "猫爬架",
        "冻干狗粮",
        "dog food kibble",
        "宠物磨牙棒",
    ],
    "auto_part": [
        "火花塞",
        "雨刮器",
        "刹车片",
        "机油滤芯",
        "轮胎气门嘴帽",
        "车载手机支架",
        "排气管装饰尾喉",
    ],
    "party_light": [
        "电子鞭炮 LED",
        "LED烟花灯串",
        "电子烟花灯 装饰",
        "LED firework string lights",
        "气球 未充气",
        "生日蜡烛 数字",
    ],
    "instrument": ["军鼓", "鼓棒", "长笛", "萨克斯", "口琴", "吉他弦", "snare drum"],
    "game_merch": [
        "绝地求生 周边T恤",
        "和平精英 手办",
        "CS 主题鼠标垫",
        "穿越火线 周边钥匙扣",
        "PUBG mouse pad",
        "王者荣耀 抱枕",
    ],
    "brand": [
        "雷蛇 Razer 游戏鼠标",
        "Gunze 郡是 棉袜",
        "Arsenal 阿森纳 球衣",
        "Ivory 香皂",
        "Rifle Paper Co. 明信片",
        "BTS Dynamite 专辑 CD",
        "冰峰 橙味汽水",
        "火箭少女 写真集",
        "Magnum 梦龙 冰箱贴",
        "猎豹 儿童自行车",
    ],
    "document_accessory": [
        "身份证卡套",
        "护照夹 皮质",
        "证件套 透明",
        "验钞机 家用",
        "钱币收藏册 空册",
        "姓名印章 刻字 私章",
        "驾驶证皮套",
        "发票夹",
        "ID card holder",
        "passport cover leather",
    ],
    "imitation": [
        "假发 长卷发",
        "假睫毛",
        "假领子 衬衫",
        "仿真花 客厅摆设",
        "仿真植物 绿植墙",
        "仿真水果 道具",
        "仿真蛋糕模型",
        "仿真食物 钥匙扣",
        "fake plants for decor",
        "artificial flowers bouquet",
    ],
    "labware": [
        "烧杯 500ml 玻璃",
        "试管 带塞",
        "锥形瓶 250ml",
        "量筒 100ml",
        "移液管",
        "酒精灯 玻璃 空瓶 不含酒精",
        "电子温度计",
        "实验室 护目镜",
        "lab beaker set",
    ],
    "everyday_word": [
        "抢购福袋",
        "爆款连衣裙",
        "火爆零食大礼包",
        "刀削面",
        "弹力裤",
        "枪乌贼 干货",
        "炮灰 手办",
        "毒舌 文化衫",
        "冰箱贴",
        "炸毛 猫咪玩偶",
    ],
    "pinyin": [
        "shui qiang",
        "bing tang",
        "jin qiang yu guan tou",
        "bao mi hua",
        "gou liang",
        "xiang ya bai lian yi qun",
        "zi dan tou la jiao",
        "bing fen",
    ],
}

HARMLESS: dict[str, list[str]] = {
    "apparel": ["T恤", "牛仔裤", "连衣裙", "运动鞋", "羽绒服", "毛衣", "袜子", "cotton t-shirt"],
    "documents": ["合同文件", "发货单据", "样品资料", "documents", "报关资料复印件", "书信"],
    "daily_goods": ["手机壳", "数据线", "雨伞", "保温杯", "毛巾", "牙刷", "枕头", "phone case"],
    "food": ["茶叶", "坚果礼盒", "饼干", "大米", "红枣", "蜂蜜", "dried mango", "月饼"],
    "books": ["《三体》", "《活着》", "小学数学练习册", "英语词典", "Harry Potter paperback"],
    "electronics": ["手机", "平板电脑", "显示器", "路由器", "智能手表", "keyboard"],
}

CLASS_UNITS: dict[str, tuple[list[str], list[str]]] = {
    "colour": (["件", "条", "个"], ["pcs"]),
    "shape": (["个", "支"], ["pcs"]),
    "toy": (["个", "套"], ["pcs", "sets"]),
    "model": (["盒", "套"], ["boxes", "kits"]),
    "tool": (["把", "个", "套"], ["pcs", "sets"]),
    "food": (["袋", "盒", "罐", "斤"], ["bags", "cans", "packs"]),
    "cosmetic": (["瓶", "盒", "个"], ["pcs", "boxes"]),
    "electronics": (["台", "个"], ["units", "pcs"]),
    "book": (["本", "套"], ["copies"]),
    "stationery": (["本", "支", "盒"], ["pcs", "packs"]),
    "kitchenware": (["把", "个"], ["pcs"]),
    "plant": (["盆", "株"], ["pots"]),
    "sports": (["个", "套", "副"], ["pcs", "sets"]),
    "clothing": (["件", "条"], ["pcs"]),
    "household_chemical": (["袋", "瓶", "斤"], ["bags", "bottles"]),
    "pet_supply": (["袋", "个"], ["bags", "pcs"]),
    "auto_part": (["个", "套"], ["pcs", "sets"]),
    "party_light": (["串", "盒", "个"], ["strings", "packs"]),
    "instrument": (["个", "支", "套"], ["pcs"]),
    "game_merch": (["件", "个"], ["pcs"]),
    "pinyin": (["个", "袋", "件"], ["pcs"]),
    "brand": (["个", "件", "张"], ["pcs"]),
    "document_accessory": (["个", "台"], ["pcs"]),
    "imitation": (["束", "个", "盒"], ["pcs", "bunches"]),
    "labware": (["个", "套", "支"], ["pcs", "sets"]),
    "everyday_word": (["件", "袋", "个"], ["pcs", "bags"]),
    "apparel": (["件", "条", "双"], ["pcs", "pairs"]),
    "documents": (["份", "袋"], ["envelopes", "pcs"]),
    "daily_goods": (["个", "件"], ["pcs"]),
    "books": (["本"], ["copies"]),
}

TAGS = ["包邮", "正品", "现货", "自用", "样品", "礼品", "急发", "厂家直销", "新品", "二手", "加急"]


# --- assembly ------------------------------------------------------------------------------


def _quantity(rng: random.Random) -> int:
    return rng.choice([1, 1, 1, 2, 2, 3, 5, 10, 12, 20, 50, 100])


def _wrap(rng: random.Random, core: str, unit: str, unit_en: str, spec: str, faker: Faker) -> str:
    """Put a core description inside a waybill-style line: quantity, unit, tags, shop."""
    q = _quantity(rng)
    tag = rng.choice(TAGS)
    templates = [
        f"{core} {q}{unit}",
        f"{q}{unit}{core}",
        f"{core}×{q}",
        f"【{tag}】{core} {q}{unit}",
        f"{core}（{spec}）{q}{unit}" if spec else f"{core}（{tag}）{q}{unit}",
        f"内件：{core}，数量{q}",
        f"{core}/{q}{unit}/{tag}",
        f"{q} {unit_en} {core}",
        f"{core} x{q}",
        f"{core}, qty {q}",
        f"{core} {q}pcs {tag}",
        f"{faker['zh_CN'].company()}寄：{core} {q}{unit}",
        f"{spec} {core} {q}{unit}" if spec else f"{core} {q}{unit}",
        f"{core} {q}{unit} 寄{faker['zh_CN'].city_name()}",
        f"{faker['en_US'].company()} sample: {core} x{q}",
    ]
    return rng.choice(templates)


def _spec(rng: random.Random, category: str) -> str:
    return rng.choice(CATEGORY_SPECS.get(category, [""]))


@cache
def _to_traditional() -> Callable[[str], str]:
    import opencc

    try:
        converter = opencc.OpenCC("s2t")
    except Exception:  # packages differ in the config name they accept
        converter = opencc.OpenCC("s2t.json")
    return converter.convert


def _ascii_to_fullwidth(text: str) -> str:
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text
    )


# Each technique: (rng, category, item) -> the evasive core text, or None when it does not apply.
Technique = Callable[[random.Random, str, Item], str | None]


def _pinyin_full(rng: random.Random, category: str, item: Item) -> str | None:
    syllables = lazy_pinyin(item.zh)
    if not all(s.isascii() for s in syllables):
        return None
    return rng.choice([" ".join(syllables), "".join(syllables), "-".join(syllables).upper()])


def _pinyin_tones(rng: random.Random, category: str, item: Item) -> str | None:
    syllables = lazy_pinyin(item.zh, style=Style.TONE)
    if len(item.zh) < 2 or any(c.isascii() for c in item.zh):
        return None
    return rng.choice([" ".join(syllables), "".join(syllables)])


def _pinyin_initials(rng: random.Random, category: str, item: Item) -> str | None:
    letters = "".join(lazy_pinyin(item.zh, style=Style.FIRST_LETTER))
    if not letters.isascii() or not 2 <= len(letters) <= 5:
        return None
    initials = rng.choice([letters.upper(), letters.lower()])
    return f"{initials} {_spec(rng, category)}"


def _mixed_script(rng: random.Random, category: str, item: Item) -> str | None:
    if len(item.zh) < 2:
        return None
    position = rng.randrange(len(item.zh))
    syllable = lazy_pinyin(item.zh[position])[0]
    if not syllable.isascii():
        return None
    mixed = item.zh[:position] + syllable + item.zh[position + 1 :]
    return mixed if mixed != item.zh else None


def _homophone(rng: random.Random, category: str, item: Item) -> str | None:
    variants = HOMOPHONES.get(item.zh)
    return rng.choice(variants) if variants else None


def _traditional(rng: random.Random, category: str, item: Item) -> str | None:
    converted = _to_traditional()(item.zh)
    return converted if converted != item.zh else None


def _space_split(rng: random.Random, category: str, item: Item) -> str | None:
    if len(item.zh) < 2:
        return None
    gap = rng.choice([" ", "  ", "\u3000"])
    return gap.join(item.zh)


def _punct_split(rng: random.Random, category: str, item: Item) -> str | None:
    if len(item.zh) < 2:
        return None
    return rng.choice(SEPARATORS).join(item.zh)


def _joined_english(rng: random.Random, category: str, item: Item) -> str | None:
    words = item.en.split()
    if len(words) < 2:
        return None
    joined = "".join(words)
    return rng.choice([joined, joined.upper(), "".join(w.capitalize() for w in words)])


def _english_letter_split(rng: random.Random, category: str, item: Item) -> str | None:
    word = max(item.en.split(), key=len)
    if len(word) < 5 or not word.isalpha():
        return None
    return item.en.replace(word, rng.choice([" ", ".", "-"]).join(word))


def _leet(rng: random.Random, category: str, item: Item) -> str | None:
    if not any(c in LEET for c in item.en.lower()):
        return None
    out = [LEET[c] if c in LEET and rng.random() < 0.7 else c for c in item.en.lower()]
    text = "".join(out)
    return text if text != item.en.lower() else None


def _homoglyph(rng: random.Random, category: str, item: Item) -> str | None:
    if not any(c in HOMOGLYPH for c in item.en):
        return None
    return "".join(HOMOGLYPH.get(c, c) for c in item.en)


def _fullwidth(rng: random.Random, category: str, item: Item) -> str | None:
    return _ascii_to_fullwidth(item.en)


def _zero_width(rng: random.Random, category: str, item: Item) -> str | None:
    source = item.zh if len(item.zh) >= 2 else item.en
    mark = rng.choice(ZERO_WIDTH)
    return mark.join(source)


def _slang(rng: random.Random, category: str, item: Item) -> str | None:
    phrases = SLANG.get(category)
    return rng.choice(phrases) if phrases else None


def _emoji(rng: random.Random, category: str, item: Item) -> str | None:
    variants = EMOJI.get(item.zh)
    return rng.choice(variants) if variants else None


def _formula(rng: random.Random, category: str, item: Item) -> str | None:
    variants = FORMULAS.get(item.zh)
    return f"{rng.choice(variants)} {_spec(rng, category)}".strip() if variants else None


def _cas_number(rng: random.Random, category: str, item: Item) -> str | None:
    cas = CAS_NUMBERS.get(item.zh)
    if cas is None:
        return None
    return rng.choice([f"CAS {cas}", f"CAS号{cas} 化工原料", f"{cas} 试剂", f"CAS: {cas} 分析纯"])


def _radical_split(rng: random.Random, category: str, item: Item) -> str | None:
    if not any(c in RADICAL_SPLITS for c in item.zh):
        return None
    return "".join(RADICAL_SPLITS.get(c, c) for c in item.zh)


def _ocr_slip(rng: random.Random, category: str, item: Item) -> str | None:
    chinese = OCR_SLIPS_ZH.get(item.zh)
    if chinese and rng.random() < 0.6:
        return rng.choice(chinese)
    word = item.en
    for source, target in rng.sample(OCR_SLIPS_LATIN, len(OCR_SLIPS_LATIN)):
        if source in word:
            at = word.index(source)
            return word[:at] + target + word[at + len(source) :]
    return rng.choice(chinese) if chinese else None


def _misspelling(rng: random.Random, category: str, item: Item) -> str | None:
    word = max(item.en.split(), key=len)
    if len(word) < 6 or not word.isalpha():
        return None
    at = rng.randrange(1, len(word) - 2)
    kind = rng.choice(["drop", "double", "swap"])
    if kind == "drop":
        typo = word[:at] + word[at + 1 :]
    elif kind == "double":
        typo = word[: at + 1] + word[at] + word[at + 1 :]
    else:
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return item.en.replace(word, typo) if typo != word else None


def _table_by_item(table: dict[str, list[str]]) -> Technique:
    def technique(rng: random.Random, category: str, item: Item) -> str | None:
        variants = table.get(item.zh)
        return rng.choice(variants) if variants else None

    return technique


def _table_by_category(table: dict[str, list[str]]) -> Technique:
    def technique(rng: random.Random, category: str, item: Item) -> str | None:
        variants = table.get(category)
        return rng.choice(variants) if variants else None

    return technique


TECHNIQUES: dict[str, Technique] = {
    "pinyin": _pinyin_full,
    "pinyin_tones": _pinyin_tones,
    "pinyin_initials": _pinyin_initials,
    "mixed_script": _mixed_script,
    "homophone": _homophone,
    "traditional": _traditional,
    "space_split": _space_split,
    "punct_split": _punct_split,
    "joined_english": _joined_english,
    "letter_split": _english_letter_split,
    "leet": _leet,
    "homoglyph": _homoglyph,
    "fullwidth": _fullwidth,
    "zero_width": _zero_width,
    "slang": _slang,
    "emoji": _emoji,
    "formula": _formula,
    "cas_number": _cas_number,
    "radical_split": _radical_split,
    "ocr_slip": _ocr_slip,
    "misspelling": _misspelling,
    "abbreviation": _table_by_item(ABBREVIATIONS),
    "model_name": _table_by_item(MODEL_NAMES),
    "scientific_name": _table_by_item(SCIENTIFIC_NAMES),
    "drug_code_word": _table_by_category(CODE_WORDS),
    "product_disguise": _table_by_category(PRODUCT_DISGUISES),
}

# Techniques whose output is a whole phrase (no further quantity wrapping around an item).
PHRASE_TECHNIQUES = {"slang", "drug_code_word", "product_disguise", "emoji"}


def _all_items() -> list[tuple[str, Item]]:
    return [(category, item) for category, items in BANNED.items() for item in items]


def _plain(rng: random.Random, faker: Faker, index: int) -> Declaration:
    categories = sorted(BANNED)
    category = categories[index % len(categories)]
    item = rng.choice(BANNED[category])
    core = rng.choice(
        [item.zh, item.zh, item.en, f"{item.zh} {item.en}", f"{item.en}（{item.zh}）"]
    )
    text = _wrap(rng, core, item.unit, item.unit_en, _spec(rng, category), faker)
    return Declaration(text, True, f"plain:{category}")


BURIED_IN_LIST = "buried_in_list"  # a plainly named banned item among ordinary ones
MULTI_ITEM = "multi_item"  # several ordinary items on one waybill


def _entry(name: str, quantity: int, unit: str) -> str:
    return f"{name} {quantity}{unit}" if name[-1].isascii() else f"{name}{quantity}{unit}"


def _ordinary_entries(rng: random.Random, count: int) -> list[str]:
    """Quantity-marked harmless items, as a packing list lists them."""
    entries = []
    for cls in rng.sample(sorted(HARMLESS), count):
        units, _ = CLASS_UNITS[cls]
        entries.append(_entry(rng.choice(HARMLESS[cls]), _quantity(rng), rng.choice(units)))
    return entries


def _packing_list(rng: random.Random, entries: list[str]) -> str:
    joiner = rng.choice(["，", "、", "+", "; ", " / ", " "])
    prefix = rng.choice(["", "", "内件：", "物品：", "Contents: "])
    return prefix + joiner.join(entries)


def _buried(rng: random.Random) -> Declaration:
    _, item = rng.choice(_all_items())
    entries = _ordinary_entries(rng, rng.randint(2, 4))
    name = rng.choice([item.zh, item.zh, item.en])
    entries.insert(rng.randint(1, len(entries)), _entry(name, _quantity(rng), item.unit))
    return Declaration(_packing_list(rng, entries), True, f"evasion:{BURIED_IN_LIST}")


def _evasion(rng: random.Random, faker: Faker, index: int) -> Declaration:
    names = [*TECHNIQUES, BURIED_IN_LIST]
    name = names[index % len(names)]
    if name == BURIED_IN_LIST:
        return _buried(rng)
    technique = TECHNIQUES[name]
    pool = _all_items()
    for _ in range(400):
        category, item = rng.choice(pool)
        core = technique(rng, category, item)
        if core:
            break
    else:  # pragma: no cover - every technique has items it applies to
        raise RuntimeError(f"technique {name} found no item")
    if name in PHRASE_TECHNIQUES and rng.random() < 0.5:
        text = core if rng.random() < 0.5 else f"{core} {rng.choice(TAGS)}"
    else:
        text = _wrap(rng, core, item.unit, item.unit_en, "", faker)
    return Declaration(text, True, f"evasion:{name}")


def _lookalike(rng: random.Random, faker: Faker, index: int) -> Declaration:
    classes = sorted(LOOKALIKES)
    cls = classes[index % len(classes)]
    core = rng.choice(LOOKALIKES[cls])
    units, units_en = CLASS_UNITS[cls]
    text = _wrap(rng, core, rng.choice(units), rng.choice(units_en), "", faker)
    return Declaration(text, False, f"lookalike:{cls}")


def _harmless(rng: random.Random, faker: Faker, index: int) -> Declaration:
    classes = [*sorted(HARMLESS), MULTI_ITEM]
    cls = classes[index % len(classes)]
    if cls == MULTI_ITEM:
        text = _packing_list(rng, _ordinary_entries(rng, rng.randint(2, 4)))
        return Declaration(text, False, f"harmless:{MULTI_ITEM}")
    core = rng.choice(HARMLESS[cls])
    units, units_en = CLASS_UNITS[cls]
    text = _wrap(rng, core, rng.choice(units), rng.choice(units_en), "", faker)
    return Declaration(text, False, f"harmless:{cls}")


def generate(n: int = DEFAULT_N, seed: int = 0) -> list[Declaration]:
    """Return n labelled declarations, the same for the same (n, seed)."""
    rng = random.Random(seed)
    faker = Faker(["zh_CN", "en_US"])
    faker.seed_instance(seed)
    n_banned = round(n * BANNED_SHARE)
    n_plain = round(n_banned * PLAIN_SHARE_OF_BANNED)
    n_evasion = n_banned - n_plain
    n_lookalike = round((n - n_banned) * LOOKALIKE_SHARE_OF_HARMLESS)
    n_harmless = n - n_banned - n_lookalike
    out: list[Declaration] = []
    for makers, count in (
        (_plain, n_plain),
        (_evasion, n_evasion),
        (_lookalike, n_lookalike),
        (_harmless, n_harmless),
    ):
        out.extend(makers(rng, faker, i) for i in range(count))
    rng.shuffle(out)
    return out


def _check() -> None:
    first = generate(DEFAULT_N, seed=7)
    assert first == generate(DEFAULT_N, seed=7), "not deterministic for (n, seed)"
    assert first != generate(DEFAULT_N, seed=8), "seed has no effect"
    assert len(first) == DEFAULT_N
    share = sum(d.banned for d in first) / len(first)
    assert 0.42 <= share <= 0.48, f"banned share {share:.3f}"
    families: dict[str, set[str]] = {}
    for d in first:
        family, _, name = d.label.partition(":")
        families.setdefault(family, set()).add(name)
        assert d.text.strip(), d
        assert d.banned == (family in {"plain", "evasion"}), d
    assert len(families["plain"]) >= 20, families["plain"]
    assert len(families["evasion"]) >= 20, families["evasion"]
    assert len(families["lookalike"]) >= 15, families["lookalike"]
    assert families.get("harmless"), "no plain harmless items"
    small = generate(37, seed=1)
    assert len(small) == 37 and small == generate(37, seed=1)
    print(f"ok: {len(first)} declarations, banned share {share:.3f}, ", end="")
    print(", ".join(f"{k} {len(v)} labels" for k, v in sorted(families.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", action="store_true", help="assert determinism and balance")
    args = parser.parse_args(argv)
    if args.check:
        _check()
        return 0
    declarations = generate(args.n, args.seed)
    counts = Counter(d.label for d in declarations)
    banned = sum(d.banned for d in declarations)
    print(f"{len(declarations)} declarations, {banned} banned ({banned / len(declarations):.1%})")
    for label, count in sorted(counts.items()):
        print(f"  {count:5d}  {label}")
    print("samples:")
    for d in random.Random(args.seed).sample(declarations, min(30, len(declarations))):
        print(f"  {'BANNED ' if d.banned else 'ok     '} {d.label:32s} {d.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
