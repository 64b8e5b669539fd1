"""Evaluation set I: parcel declarations as senders write them, banned and harmless.

Written apart from `src/vigil/screening/` and from the other declaration sets (issue #23): its
own vocabulary, evasions and templates, from the categories of 《禁止寄递物品管理规定》 and its
guiding catalogue. Each row carries the ground truth (`banned`: refuse or inspect) and a label:
`plain:<category>` (a banned item named outright), `evasion:<technique>` (a banned item
disguised), `lookalike:<class>` or `harmless:<class>` (harmless goods, many of them sharing words,
shapes or colours with banned ones). Pure Python and Faker; deterministic for (n, seed).

Run it to see counts and samples: `python bench/parcel_declarations_i.py [n] [seed]`.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from faker import Faker

BANNED_SHARE = 0.45


@dataclass(frozen=True)
class Declaration:
    text: str
    banned: bool
    label: str


@dataclass(frozen=True)
class Item:
    """A banned item: its category, names in each script and optional chemistry."""

    category: str
    zh: str
    trad: str
    tones: str  # tone-marked pinyin, one syllable per character of `zh`
    en: tuple[str, ...]
    unit: str  # a Chinese measure word, or g / kg / ml / L / m
    formula: str = ""
    cas: str = ""


def _items(category: str, unit: str, rows: str) -> list[Item]:
    """Parse `zh|trad|tones|en1;en2|unit?|formula?|cas?` lines; blanks fall back."""
    out = []
    for line in rows.strip().splitlines():
        parts = [p.strip() for p in line.split("|")] + [""] * 4
        zh, trad, tones, en, own_unit, formula, cas = parts[:7]
        out.append(
            Item(
                category,
                zh,
                trad or zh,
                tones,
                tuple(en.split(";")),
                own_unit or unit,
                formula,
                cas,
            )
        )
    return out


ITEMS: list[Item] = [
    *_items(
        "weapons",
        "把",
        """
手枪|手槍|shǒu qiāng|pistol;handgun
步枪|步槍|bù qiāng|rifle;assault rifle
猎枪|獵槍|liè qiāng|hunting rifle;shotgun
仿真枪|仿真槍|fǎng zhēn qiāng|replica gun;realistic imitation firearm
气枪|氣槍|qì qiāng|air rifle;air gun
枪管|槍管|qiāng guǎn|gun barrel|根
枪用消声器|槍用消聲器|qiāng yòng xiāo shēng qì|gun silencer;firearm suppressor|个
弩|弩|nǔ|crossbow
钢珠枪|鋼珠槍|gāng zhū qiāng|steel ball gun;BB gun
麻醉枪|麻醉槍|má zuì qiāng|tranquilizer gun;dart gun
""",
    ),
    *_items(
        "ammunition",
        "发",
        """
子弹|子彈|zǐ dàn|bullets;live rounds
弹药|彈藥|dàn yào|ammunition;ammo|箱
霰弹|霰彈|xiàn dàn|shotgun shells;buckshot cartridges
弹夹|彈夾|dàn jiā|pistol magazine;gun magazine|个
手榴弹|手榴彈|shǒu liú dàn|hand grenade|枚
铅弹|鉛彈|qiān dàn|air gun pellets;lead pellets|盒
""",
    ),
    *_items(
        "knives",
        "把",
        """
匕首|匕首|bǐ shǒu|dagger
弹簧刀|彈簧刀|tán huáng dāo|switchblade;spring knife
三棱刀|三稜刀|sān léng dāo|three-edged blade;triangular stiletto
军刺|軍刺|jūn cì|bayonet;military bayonet
跳刀|跳刀|tiào dāo|flick knife;automatic knife
蝴蝶刀|蝴蝶刀|hú dié dāo|butterfly knife;balisong
双刃刀|雙刃刀|shuāng rèn dāo|double-edged knife;double-edged blade
""",
    ),
    *_items(
        "explosives",
        "kg",
        """
炸药|炸藥|zhà yào|explosives;blasting explosive
雷管|雷管|léi guǎn|detonators;blasting caps|枚
导火索|導火索|dǎo huǒ suǒ|safety fuse;fuse cord|m
导爆索|導爆索|dǎo bào suǒ|detonating cord;det cord|m
黑火药|黑火藥|hēi huǒ yào|black powder;gunpowder|g
梯恩梯|梯恩梯|tī ēn tī|TNT;trinitrotoluene||C7H5N3O6|118-96-7
硝铵炸药|硝銨炸藥|xiāo ǎn zhà yào|ammonium nitrate explosive;ANFO
""",
    ),
    *_items(
        "fireworks",
        "箱",
        """
烟花|煙花|yān huā|fireworks;firework cakes
鞭炮|鞭炮|biān pào|firecrackers;firecracker rolls|挂
爆竹|爆竹|bào zhú|firecrackers;bangers|盒
礼花弹|禮花彈|lǐ huā dàn|aerial shells;display shells|枚
摔炮|摔炮|shuāi pào|snap pops;bang snaps|盒
仙女棒|仙女棒|xiān nǚ bàng|sparklers;hand sparklers|盒
二踢脚|二踢腳|èr tī jiǎo|double-bang firecrackers|个
发令纸|發令紙|fā lìng zhǐ|cap gun caps;starting pistol caps|盒
拉炮|拉炮|lā pào|party poppers;pull-string poppers|个
""",
    ),
    *_items(
        "gases",
        "罐",
        """
液化气罐|液化氣罐|yè huà qì guàn|LPG cylinder;liquefied gas tank|个|C3H8/C4H10
丁烷气罐|丁烷氣罐|dīng wán qì guàn|butane canister;butane gas can||C4H10|106-97-8
氧气瓶|氧氣瓶|yǎng qì píng|oxygen cylinder;oxygen tank|个|O2|7782-44-7
打火机充气|打火機充氣|dǎ huǒ jī chōng qì|lighter refill gas;butane refill|瓶
灭火器|滅火器|miè huǒ qì|fire extinguisher|个
笑气|笑氣|xiào qì|nitrous oxide;laughing gas|瓶|N2O|10024-97-2
氦气罐|氦氣罐|hài qì guàn|helium tank;helium cylinder|||7440-59-7
二氧化碳气瓶|二氧化碳氣瓶|èr yǎng huà tàn qì píng|CO2 cylinder;CO2 cartridge|个|CO2|124-38-9
卡式炉气罐|卡式爐氣罐|kǎ shì lú qì guàn|camping stove gas canister;cassette gas
丙烷钢瓶|丙烷鋼瓶|bǐng wán gāng píng|propane tank;propane cylinder|个|C3H8|74-98-6
乙炔气瓶|乙炔氣瓶|yǐ quē qì píng|acetylene cylinder|个|C2H2|74-86-2
""",
    ),
    *_items(
        "flammable_liquids",
        "L",
        """
汽油|汽油|qì yóu|gasoline;petrol||C8H18|86290-81-5
柴油|柴油|chái yóu|diesel fuel
煤油|煤油|méi yóu|kerosene;paraffin oil||C12H26|8008-20-6
天那水|天那水|tiān nà shuǐ|paint thinner;thinners|瓶
丙酮|丙酮|bǐng tóng|acetone|ml|C3H6O|67-64-1
甲醇|甲醇|jiǎ chún|methanol;methyl alcohol||CH3OH|67-56-1
无水乙醇|無水乙醇|wú shuǐ yǐ chún|absolute ethanol;anhydrous alcohol|ml|C2H5OH|64-17-5
打火机油|打火機油|dǎ huǒ jī yóu|lighter fluid;zippo fluid|瓶
油漆|油漆|yóu qī|oil-based paint;enamel paint|桶
香蕉水|香蕉水|xiāng jiāo shuǐ|banana oil thinner;amyl acetate thinner|瓶|C7H14O2|628-63-7
甲苯|甲苯|jiǎ běn|toluene||C7H8|108-88-3
""",
    ),
    *_items(
        "flammable_solids",
        "g",
        """
红磷|紅磷|hóng lín|red phosphorus|||7723-14-0
硫磺|硫黃|liú huáng|sulfur powder;sulphur|kg||7704-34-9
镁粉|鎂粉|měi fěn|magnesium powder|||7439-95-4
铝粉|鋁粉|lǚ fěn|aluminium powder;aluminum powder|||7429-90-5
固体酒精|固體酒精|gù tǐ jiǔ jīng|solid alcohol fuel;fuel tablets|块
金属钠|金屬鈉|jīn shǔ nà|sodium metal|||7440-23-5
电石|電石|diàn shí|calcium carbide|kg|CaC2|75-20-7
火柴|火柴|huǒ chái|matches;safety matches|盒
""",
    ),
    *_items(
        "oxidisers",
        "g",
        """
高锰酸钾|高錳酸鉀|gāo měng suān jiǎ|potassium permanganate||KMnO4|7722-64-7
氯酸钾|氯酸鉀|lǜ suān jiǎ|potassium chlorate||KClO3|3811-04-9
硝酸铵|硝酸銨|xiāo suān ǎn|ammonium nitrate|kg|NH4NO3|6484-52-2
双氧水|雙氧水|shuāng yǎng shuǐ|hydrogen peroxide 30%;concentrated peroxide|L|H2O2|7722-84-1
硝酸钾|硝酸鉀|xiāo suān jiǎ|potassium nitrate;saltpetre|kg|KNO3|7757-79-1
高氯酸钾|高氯酸鉀|gāo lǜ suān jiǎ|potassium perchlorate||KClO4|7778-74-7
过氧化钠|過氧化鈉|guò yǎng huà nà|sodium peroxide||Na2O2|1313-60-6
漂粉精|漂粉精|piǎo fěn jīng|calcium hypochlorite;pool shock granules|kg|Ca(ClO)2|7778-54-3
""",
    ),
    *_items(
        "toxic",
        "g",
        """
氰化钾|氰化鉀|qíng huà jiǎ|potassium cyanide||KCN|151-50-8
氰化钠|氰化鈉|qíng huà nà|sodium cyanide|kg|NaCN|143-33-9
砒霜|砒霜|pī shuāng|arsenic trioxide;white arsenic||As2O3|1327-53-3
百草枯|百草枯|bǎi cǎo kū|paraquat;paraquat dichloride|瓶|C12H14Cl2N2|1910-42-5
毒鼠强|毒鼠強|dú shǔ qiáng|tetramine rat poison;tetramethylenedisulfotetramine|包|C4H8N4O4S2|80-12-6
水银|水銀|shuǐ yín|mercury;liquid mercury|ml|Hg|7439-97-6
敌敌畏|敵敵畏|dí dí wèi|dichlorvos;DDVP|瓶|C4H7Cl2O4P|62-73-7
氟乙酰胺|氟乙醯胺|fú yǐ xiān àn|fluoroacetamide||C2H4FNO|640-19-7
""",
    ),
    *_items(
        "infectious",
        "管",
        """
病毒样本|病毒樣本|bìng dú yàng běn|virus samples;viral specimens
菌种|菌種|jūn zhǒng|bacterial cultures;bacterial strains|支
血液样本|血液樣本|xuè yè yàng běn|blood samples;blood specimens
医疗废物|醫療廢物|yī liáo fèi wù|medical waste;clinical waste|袋
用过的针头|用過的針頭|yòng guò de zhēn tóu|used needles;used sharps|个
病原体|病原體|bìng yuán tǐ|pathogen cultures;live pathogens
""",
    ),
    *_items(
        "radioactive",
        "块",
        """
放射源|放射源|fàng shè yuán|radioactive source;sealed radiation source|枚
铀矿石|鈾礦石|yóu kuàng shí|uranium ore;uraninite sample
钴60|鈷60|gǔ liù shí|cobalt-60 source;Co-60 source|枚
铯137|銫137|sè yī sān qī|caesium-137 source;Cs-137 source|枚
放射性矿石|放射性礦石|fàng shè xìng kuàng shí|radioactive ore;radioactive mineral
""",
    ),
    *_items(
        "corrosives",
        "L",
        """
硫酸|硫酸|liú suān|sulfuric acid;sulphuric acid||H2SO4|7664-93-9
盐酸|鹽酸|yán suān|hydrochloric acid;muriatic acid||HCl|7647-01-0
硝酸|硝酸|xiāo suān|nitric acid||HNO3|7697-37-2
氢氟酸|氫氟酸|qīng fú suān|hydrofluoric acid|瓶|HF|7664-39-3
氢氧化钠|氫氧化鈉|qīng yǎng huà nà|sodium hydroxide;caustic soda|kg|NaOH|1310-73-2
氢氧化钾|氫氧化鉀|qīng yǎng huà jiǎ|potassium hydroxide;caustic potash|kg|KOH|1310-58-3
蓄电池电解液|蓄電池電解液|xù diàn chí diàn jiě yè|battery acid;lead-acid battery electrolyte
""",
    ),
    *_items(
        "drugs",
        "g",
        """
海洛因|海洛因|hǎi luò yīn|heroin;diamorphine||C21H23NO5|561-27-3
冰毒|冰毒|bīng dú|crystal meth;methamphetamine||C10H15N|537-46-2
大麻|大麻|dà má|marijuana;cannabis buds
可卡因|可卡因|kě kǎ yīn|cocaine||C17H21NO4|50-36-2
摇头丸|搖頭丸|yáo tóu wán|ecstasy pills;MDMA tablets|粒|C11H15NO2|42542-10-9
氯胺酮|氯胺酮|lǜ àn tóng|ketamine||C13H16ClNO|6740-88-1
鸦片|鴉片|yā piàn|opium;raw opium
吗啡|嗎啡|mǎ fēi|morphine|支|C17H19NO3|57-27-2
芬太尼|芬太尼|fēn tài ní|fentanyl;fentanyl patches|片|C22H28N2O|437-38-7
罂粟壳|罌粟殼|yīng sù ké|poppy husks;dried poppy pods|kg
麻古|麻古|má gǔ|yaba pills;meth pills|粒
大麻油|大麻油|dà má yóu|cannabis oil;THC oil|ml
三唑仑|三唑侖|sān zuò lún|triazolam;triazolam tablets|片|C17H12Cl2N4|28911-01-5
""",
    ),
    *_items(
        "precursors",
        "kg",
        """
麻黄碱|麻黃鹼|má huáng jiǎn|ephedrine;ephedrine HCl||C10H15NO|299-42-3
伪麻黄碱|偽麻黃鹼|wěi má huáng jiǎn|pseudoephedrine powder||C10H15NO|90-82-4
醋酸酐|醋酸酐|cù suān gān|acetic anhydride|L|C4H6O3|108-24-7
苯基丙酮|苯基丙酮|běn jī bǐng tóng|phenylacetone;P2P|L|C9H10O|103-79-7
胡椒醛|胡椒醛|hú jiāo quán|piperonal;heliotropin||C8H6O3|120-57-0
黄樟素|黃樟素|huáng zhāng sù|safrole;safrole oil|L|C10H10O2|94-59-7
苯乙酸|苯乙酸|běn yǐ suān|phenylacetic acid||C8H8O2|103-82-2
羟亚胺|羥亞胺|qiǎng yà àn|hydroxylimine||C13H16ClNO|90717-16-1
麦角酸|麥角酸|mài jiǎo suān|lysergic acid|g|C16H16N2O2|82-58-6
""",
    ),
    *_items(
        "paraphernalia",
        "个",
        """
溜冰壶|溜冰壺|liū bīng hú|meth pipe;glass meth pipe
吸毒工具|吸毒工具|xī dú gōng jù|drug-use kit;drug kit|套
大麻烟斗|大麻煙斗|dà má yān dǒu|weed pipe;cannabis bong
麻古壶|麻古壺|má gǔ hú|yaba pipe;foil pipe
""",
    ),
    *_items(
        "counterfeit_currency",
        "张",
        """
假币|假幣|jiǎ bì|counterfeit banknotes;fake currency
假钞|假鈔|jiǎ chāo|fake notes;counterfeit bills
伪造人民币|偽造人民幣|wěi zào rén mín bì|counterfeit RMB;forged yuan notes
假美元|假美元|jiǎ měi yuán|counterfeit US dollars;fake dollar bills
伪钞|偽鈔|wěi chāo|forged banknotes
假硬币|假硬幣|jiǎ yìng bì|counterfeit coins|枚
""",
    ),
    *_items(
        "forged_documents",
        "本",
        """
假身份证|假身份證|jiǎ shēn fèn zhèng|fake ID card;forged identity card|张
假护照|假護照|jiǎ hù zhào|fake passport;forged passport
伪造公章|偽造公章|wěi zào gōng zhāng|forged official seal;fake company chop|枚
假发票|假發票|jiǎ fā piào|fake invoices;forged fapiao
假驾照|假駕照|jiǎ jià zhào|fake driving licence;forged driver's license
假学历证书|假學歷證書|jiǎ xué lì zhèng shū|fake diploma;forged degree certificate
假车牌|假車牌|jiǎ chē pái|forged licence plates;fake number plates|副
""",
    ),
    *_items(
        "spying",
        "个",
        """
针孔摄像头|針孔攝像頭|zhēn kǒng shè xiàng tóu|pinhole camera;hidden pinhole cam
窃听器|竊聽器|qiè tīng qì|listening bug;eavesdropping device
偷拍眼镜|偷拍眼鏡|tōu pāi yǎn jìng|spy camera glasses|副
伪基站|偽基站|wěi jī zhàn|fake base station;IMSI catcher|套
隐形摄像笔|隱形攝像筆|yǐn xíng shè xiàng bǐ|hidden camera pen;spy pen|支
纽扣摄像头|紐扣攝像頭|niǔ kòu shè xiàng tóu|button spy camera
""",
    ),
    *_items(
        "publications",
        "本",
        """
淫秽光盘|淫穢光盤|yín huì guāng pán|pornographic DVDs;obscene discs|张
盗版光碟|盜版光碟|dào bǎn guāng dié|pirated DVDs;bootleg discs|张
盗版书|盜版書|dào bǎn shū|pirated books;bootleg textbooks
非法出版物|非法出版物|fēi fǎ chū bǎn wù|illegal publications|箱
黄色书刊|黃色書刊|huáng sè shū kān|obscene magazines;porn magazines
""",
    ),
    *_items(
        "wildlife",
        "件",
        """
象牙|象牙|xiàng yá|ivory;elephant ivory|根
象牙制品|象牙製品|xiàng yá zhì pǐn|ivory carvings;carved ivory
犀牛角|犀牛角|xī niú jiǎo|rhino horn;rhinoceros horn|个
穿山甲鳞片|穿山甲鱗片|chuān shān jiǎ lín piàn|pangolin scales|g
虎骨|虎骨|hǔ gǔ|tiger bone;tiger bones|kg
玳瑁壳|玳瑁殼|dài mào ké|hawksbill turtle shell
砗磲|硨磲|chē qú|giant clam shell;tridacna carving
红珊瑚|紅珊瑚|hóng shān hú|precious red coral;red coral branch
鹤顶红|鶴頂紅|hè dǐng hóng|hornbill ivory;helmeted hornbill casque
藏羚羊绒|藏羚羊絨|zàng líng yáng róng|shahtoosh shawl;Tibetan antelope wool|条
羚羊角|羚羊角|líng yáng jiǎo|saiga antelope horn|个
""",
    ),
    *_items(
        "police_gear",
        "个",
        """
电击器|電擊器|diàn jī qì|stun gun;taser
甩棍|甩棍|shuǎi gùn|expandable baton;telescopic baton|根
催泪喷雾|催淚噴霧|cuī lèi pēn wù|pepper spray;tear gas spray|瓶
警用手铐|警用手銬|jǐng yòng shǒu kào|police handcuffs|副
防暴警棍|防暴警棍|fáng bào jǐng gùn|riot baton|根
电警棍|電警棍|diàn jǐng gùn|electric baton;shock baton|根
""",
    ),
]

CATEGORIES = sorted({i.category for i in ITEMS})

# Slang and euphemisms: (category, phrase). `{n}` takes a small count.
SLANG = [
    ("weapons", "黑枪 {n}把"),
    ("weapons", "喷子一把 带托"),
    ("weapons", "气狗 {n}支 (打鸟)"),
    ("weapons", "火狗 全套"),
    ("weapons", "ghost gun kit, 80% lower"),
    ("weapons", "a piece (9mm) + {n} mags"),
    ("ammunition", "狗粮 {n}盒 (配气狗)"),
    ("ammunition", "花生米 .22 {n}发"),
    ("ammunition", "9mm 粮食 {n}盒"),
    ("ammunition", "ammo for the strap, {n} boxes"),
    ("knives", "开山 带自锁 {n}把"),
    ("knives", "三棱刺 {n}支"),
    ("knives", "防身小直 双开刃"),
    ("knives", "OTF auto knife x{n}"),
    ("fireworks", "窜天猴 {n}捆"),
    ("fireworks", "加特林 {n}箱 过年放的"),
    ("fireworks", "大地红 {n}挂"),
    ("fireworks", "擦炮 {n}盒 小孩玩"),
    ("fireworks", "冲天炮 {n}支"),
    ("explosives", "雷子 {n}个 工地用"),
    ("explosives", "炸山用的 药 {n}袋"),
    ("gases", "煤气罐 {n}个 满的"),
    ("gases", "奶油气弹 {n}盒 (N2O)"),
    ("gases", "大炮筒 笑气 {n}瓶"),
    ("gases", "whippets / cream chargers {n}0 pcs"),
    ("drugs", "溜冰的冰 {n}g"),
    ("drugs", "麻古 {n}0粒"),
    ("drugs", "K粉 {n}g"),
    ("drugs", "K仔 {n}包"),
    ("drugs", "白粉 {n}克 (四号)"),
    ("drugs", "叶子 {n}0g 室内种的"),
    ("drugs", "飞叶子的草 {n}盎司"),
    ("drugs", "嗨粉 {n}包"),
    ("drugs", "神仙水 {n}瓶 (蹦迪用)"),
    ("drugs", "e仔 {n}0粒"),
    ("drugs", "weed {n} oz, indoor"),
    ("drugs", "ganja {n}g"),
    ("drugs", "molly caps x{n}0"),
    ("drugs", "smack {n}g"),
    ("drugs", "tina (crystal) {n}.5g"),
    ("drugs", "shrooms {n}4g dried"),
    ("drugs", "acid tabs / blotter x{n}0"),
    ("drugs", "coke {n}.5g pure, the white one"),
    ("counterfeit_currency", "高仿币 {n}0张 百元"),
    ("counterfeit_currency", "A货人民币 {n}扎"),
    ("counterfeit_currency", "假票子 {n}万 (一比十)"),
    ("counterfeit_currency", "fake bills, passes pen test, {n}00 pcs"),
    ("forged_documents", "办证 身份证 {n}张"),
    ("forged_documents", "高仿护照 {n}本"),
    ("forged_documents", "novelty ID, scannable, x{n}"),
    ("spying", "偷拍神器 {n}个"),
    ("spying", "监听神器 远程 {n}套"),
    ("wildlife", "老象牙 牙雕 {n}件"),
    ("wildlife", "白货 (象牙) {n}件"),
    ("wildlife", "山甲片 {n}00g"),
    ("wildlife", "犀角杯 {n}只"),
    ("police_gear", "防狼电棍 {n}根"),
    ("police_gear", "辣椒水 防身 {n}瓶"),
    ("paraphernalia", "冰壶 带吸管 (溜冰用) {n}套"),
    ("paraphernalia", "bong + grinder set for weed"),
]

EUPHEMISMS = [
    ("drugs", "白色粉末 {n}g，不方便写，你懂的"),
    ("drugs", "plant material, dried, {n}8 g, personal use only"),
    ("drugs", "party supplies (the white kind) {n}g"),
    ("drugs", "特殊茶叶 {n}0g 抽的那种"),
    ("drugs", "提神的药丸 {n}0粒 无包装"),
    ("drugs", "实验用 白色晶体 (高纯) {n}0g 无标签"),
    ("fireworks", "过年用的会响的东西 {n}箱"),
    ("fireworks", "节日用品 点了会飞上天的 {n}箱"),
    ("weapons", "打鸟用具 带瞄准镜 {n}套"),
    ("weapons", "铁家伙 一件 能打响"),
    ("police_gear", "户外防身用品 能放电的 {n}个"),
    ("forged_documents", "证件 按样本做的 {n}张"),
    ("forged_documents", "documents made to your template, x{n}"),
    ("counterfeit_currency", "练手用的票子 看不出来 {n}0张"),
    ("counterfeit_currency", "replica banknotes, look real, {n}00 pcs"),
    ("wildlife", "老物件 牙雕 (不是骨头) {n}件"),
    ("wildlife", "中药：炮山甲 {n}00g"),
    ("wildlife", "collector's item: carved horn (rhino), {n} pc"),
    ("gases", "做饭用的气 满罐 {n}个"),
    ("explosives", "工地开石头用的 {n}箱"),
    ("explosives", "homemade boom kit, {n} sets"),
    ("radioactive", "会发光的矿石 样本 铅盒装"),
    ("radioactive", "mineral sample (keep in the lead box), {n} pc"),
    ("infectious", "医院用剩的 针筒 {n}袋"),
    ("infectious", "lab specimens, keep cold, {n} tubes (untested)"),
    ("toxic", "耗子药 老款 特别猛 {n}包"),
    ("spying", "能看到别人房间的小摄像头 {n}个"),
    ("publications", "成人光盘 {n}0张 不要拆"),
]

EMOJI = [
    ("fireworks", "🧨🧨 过年用 {n}箱"),
    ("fireworks", "🎆 {n} boxes, big ones"),
    ("drugs", "🌿 {n}0g 室内"),
    ("drugs", "❄️ {n}g 纯的"),
    ("drugs", "💊 molly x{n}0"),
    ("drugs", "🍃🍃 {n} oz"),
    ("explosives", "💣 DIY kit x{n}"),
    ("weapons", "🔫 (real, not water) + 🔫 mags x{n}"),
    ("wildlife", "🐘🦷 雕件 {n}件"),
    ("wildlife", "🦏角 粉 {n}0g"),
    ("flammable_liquids", "⛽ {n}0L 桶装"),
    ("radioactive", "☢️ 矿石 样本 {n}块"),
    ("gases", "🎈打气用 氦气 钢瓶 {n}个"),
]

# ---------------------------------------------------------------- harmless vocabulary
# `phrase/unit` (zh, a measure word) or a bare English phrase.
HARMLESS: dict[str, list[str]] = {
    "lookalike:colour": [
        "象牙色窗帘/套",
        "象牙白衬衫/件",
        "象牙白瓷砖/箱",
        "枪灰色手机壳/个",
        "枪色金属纽扣/包",
        "炮铜色耳环/对",
        "珊瑚色口红/支",
        "珊瑚橙腮红/盒",
        "玳瑁色眼镜框/副",
        "汽油蓝连衣裙/件",
        "象牙黄台灯罩/个",
        "ivory-colour curtains",
        "ivory white sofa cover",
        "gun-metal grey watch strap",
        "gunmetal laptop sleeve",
        "coral pink bikini",
        "tortoiseshell hair clip",
        "petrol blue velvet dress",
        "acid green hoodie",
        "gunpowder grey wall paint sample card",
    ],
    "lookalike:shape": [
        "子弹头U盘/个",
        "子弹造型钥匙扣/个",
        "手榴弹造型开瓶器/个",
        "炸弹造型蓝牙音箱/台",
        "子弹头口红/支",
        "弹壳造型圆珠笔/支",
        "炮弹造型保温杯/个",
        "犀牛角造型陶瓷花瓶/个",
        "bullet-shaped USB drive",
        "bullet-shaped lip balm",
        "grenade-shaped bottle opener",
        "bomb-shaped scented candle",
        "cartridge-shaped ballpoint pen",
        "rocket-shaped night light",
    ],
    "lookalike:pattern": [
        "烟花图案连衣裙/件",
        "烟花印花包装纸/卷",
        "子弹图案T恤/件",
        "炸弹印花袜子/双",
        "犀牛印花抱枕/个",
        "手枪印花卫衣/件",
        "firework print dress",
        "firework-print wrapping paper",
        "dynamite print t-shirt",
        "skull and pistols print bandana",
        "rhino print pyjamas",
        "bullet pattern phone case",
    ],
    "lookalike:toy": [
        "儿童水枪/把",
        "泡泡枪/把",
        "毛绒犀牛/只",
        "桌面冰壶玩具/套",
        "中国象棋 木质/副",
        "大富翁桌游/盒",
        "玩具听诊器/个",
        "仿真厨房玩具/套",
        "吸盘弓箭玩具/套",
        "water pistol",
        "bubble gun for kids",
        "plush rhino",
        "Monopoly board game (with play money)",
        "foam dart blaster (Nerf)",
        "tabletop curling game",
        "toy walkie-talkies",
    ],
    "lookalike:model": [
        "1:35 坦克模型 拼装/盒",
        "1/72 战斗机模型/盒",
        "子弹头列车模型 HO比例/套",
        "军舰模型/艘",
        "恐龙骨架模型/个",
        "树脂犀牛模型/个",
        "航模 遥控飞机/架",
        "1:144 B-52 bomber model kit",
        "Saturn V rocket model (no motor)",
        "battleship model kit 1:700",
        "bullet train model, N scale",
        "resin rhinoceros figurine",
    ],
    "lookalike:food": [
        "金枪鱼罐头/罐",
        "炸鸡 真空装/袋",
        "炸酱面礼盒/盒",
        "冰糖/斤",
        "火麻仁/袋",
        "子弹头辣椒 干/斤",
        "跳跳糖/包",
        "爆米花/桶",
        "可可粉/罐",
        "糖霜粉/袋",
        "火腿/根",
        "普洱茶叶/饼",
        "干香菇/斤",
        "tuna cans",
        "hulled hemp seeds",
        "dried bullet chillies",
        "popping candy",
        "cocoa powder",
        "icing sugar 1kg",
        "grass-fed beef jerky",
        "green tea leaves",
    ],
    "lookalike:tool": [
        "手枪钻/把",
        "热熔胶枪/把",
        "筋膜枪/台",
        "测温枪/个",
        "扫码枪/个",
        "热风枪 电动/把",
        "卷笔刀/个",
        "指甲刀/把",
        "电动剃须刀/个",
        "削皮刀/把",
        "油漆刷 空/把",
        "电烙铁/把",
        "pistol-grip cordless drill",
        "hot glue gun",
        "massage gun",
        "infrared temperature gun",
        "barcode scanner gun",
        "electric heat gun",
        "pencil sharpener",
        "nail clippers",
        "paint roller (no paint)",
    ],
    "lookalike:cosmetics": [
        "浴球/盒",
        "爆水霜/瓶",
        "玻尿酸精华/瓶",
        "水杨酸面膜/盒",
        "火山泥面膜/盒",
        "气垫粉底/盒",
        "象牙白粉底液/瓶",
        "爽身粉/罐",
        "眼影盘/盒",
        "bath bombs gift set",
        "hyaluronic acid serum 30ml",
        "cushion foundation",
        "baby powder",
        "salicylic acid cleanser",
        "bullet lipstick",
    ],
    "lookalike:electronics": [
        "充电宝 10000mAh/个",
        "手机 内置电池/台",
        "笔记本电脑/台",
        "蓝牙耳机 含锂电池/副",
        "雷电4数据线/根",
        "行车记录仪/个",
        "家用监控摄像头/个",
        "运动相机/台",
        "5号电池/节",
        "纽扣电池 CR2032/粒",
        "电动牙刷/支",
        "火牛 电源适配器/个",
        "对讲机/对",
        "power bank 20000mAh (74Wh)",
        "Thunderbolt 4 cable",
        "home security camera (Wi-Fi)",
        "AA alkaline batteries, 4-pack",
        "laptop with built-in battery",
        "smart doorbell camera",
        "GPS running watch",
    ],
    "lookalike:books": [
        "《枪炮、病菌与钢铁》/本",
        "《鸦片战争》历史读物/本",
        "《冰与火之歌》全套/套",
        "《毒木圣经》/本",
        "《禁毒知识读本》/本",
        "《危险化学品安全手册》/本",
        "《让子弹飞》蓝光碟/张",
        "《炸裂志》/本",
        "《刀锋》/本",
        "Guns, Germs, and Steel",
        "A Song of Ice and Fire box set",
        "The Poisonwood Bible",
        "In Cold Blood (paperback)",
        "Acids and Bases: a chemistry primer",
        "The Gunslinger (Dark Tower I)",
    ],
    "lookalike:medicine": [
        "布洛芬缓释胶囊 24粒/盒",
        "感冒灵颗粒/盒",
        "维生素C片/瓶",
        "阿莫西林胶囊/盒",
        "医用酒精棉片 100片/盒",
        "电子体温计/支",
        "创可贴/盒",
        "对乙酰氨基酚片/盒",
        "蒙脱石散/盒",
        "碘伏棉签/包",
        "氯雷他定片/盒",
        "ibuprofen 200mg, 24 tablets",
        "paracetamol 500mg x16",
        "alcohol prep pads x100",
        "antacid chewable tablets",
        "digital thermometer",
    ],
    "lookalike:chemical": [
        "小苏打 NaHCO3 500g/袋",
        "柠檬酸除垢剂 C6H8O7/袋",
        "食盐 NaCl/袋",
        "葡萄糖粉 CAS 50-99-7/袋",
        "烟酰胺原液 98-92-0/瓶",
        "木糖醇 87-99-0/罐",
        "硫酸镁 泻盐/袋",
        "硫酸亚铁 花肥/袋",
        "氯化钾 低钠盐/袋",
        "碳酸钙片 CaCO3/瓶",
        "硅胶干燥剂/包",
        "baking soda (sodium bicarbonate, CAS 144-55-8)",
        "citric acid, food grade, CAS 77-92-9",
        "Epsom salt (MgSO4·7H2O) 2kg",
        "vegetable glycerin 56-81-5, 100ml",
        "ascorbic acid powder (50-81-7)",
    ],
    "lookalike:word_sense": [
        "弹力带/根",
        "五金弹簧/包",
        "玻璃弹珠/袋",
        "气球 未充气/包",
        "气垫床/张",
        "消毒湿巾/包",
        "针织衫/件",
        "麻将/副",
        "芝麻/斤",
        "婴儿奶粉/罐",
        "冰箱贴/套",
        "爆款T恤/件",
        "雷锋帽/顶",
        "火锅底料/袋",
        "fashion magazine, September issue",
        "printer ink cartridge",
        "bomber jacket",
        "Bullet Journal notebook",
        "ice cube tray",
        "crystal wine glasses",
        "empty ammo-can style storage box (plastic)",
        "hair clips",
        "seashell necklace",
    ],
    "lookalike:fake_word": [
        "仿真花/束",
        "仿真绿植/盆",
        "假发/顶",
        "假睫毛/盒",
        "树脂假山盆景/个",
        "仿真水果模型/套",
        "仿真蛋糕模型/个",
        "假领子/个",
        "fake plants",
        "faux fur coat",
        "imitation pearl necklace",
        "false eyelashes",
        "replica football jersey",
    ],
    "lookalike:safety": [
        "民用防毒面具/个",
        "防爆手电/个",
        "灭火毯/条",
        "烟雾报警器/个",
        "一氧化碳报警器/个",
        "燃气泄漏报警器/个",
        "防狼报警器 声音/个",
        "禁毒宣传册/包",
        "防弹玻璃膜 手机/张",
        "gas mask with civilian filter",
        "smoke alarm",
        "fire blanket",
        "anti-drug education leaflets",
        "personal safety alarm (siren)",
    ],
    "lookalike:size_count": [
        "M4螺丝/包",
        "M16膨胀螺栓/个",
        "9mm钻头/支",
        "0.22mm鱼线/卷",
        "38码运动鞋/双",
        "45号皮鞋/双",
        "357纽扣电池 SR44/粒",
        "12号电线/卷",
        "M16 hex bolts",
        "9mm drill bits",
        "12-gauge extension cord",
        "357 watch batteries",
        "size 45 hiking boots",
    ],
    "harmless:ordinary": [
        "衣服/件",
        "运动鞋/双",
        "手机壳/个",
        "合同文件/份",
        "书/本",
        "零食/箱",
        "茶叶/盒",
        "床单被套/套",
        "不锈钢锅/个",
        "文具/套",
        "机械键盘/个",
        "毛绒玩具/个",
        "羽绒服/件",
        "保温杯/个",
        "耳机/副",
        "儿童绘本/本",
        "T-shirts",
        "running shoes",
        "documents",
        "wool scarf",
        "coffee mug",
        "yoga mat",
        "phone case",
        "children's books",
        "kitchen towels",
    ],
}

# Harmless goods written in pinyin (a sender without a Chinese keyboard): zh, tones.
HARMLESS_PINYIN = [
    ("衣服", "yī fú"),
    ("鞋子", "xié zi"),
    ("手机壳", "shǒu jī ké"),
    ("文件", "wén jiàn"),
    ("大码女装", "dà mǎ nǚ zhuāng"),
    ("大码裤子", "dà mǎ kù zi"),
    ("零食", "líng shí"),
    ("茶叶", "chá yè"),
    ("玩具", "wán jù"),
    ("化妆品", "huà zhuāng pǐn"),
    ("金枪鱼罐头", "jīn qiāng yú guàn tóu"),
    ("雷电数据线", "léi diàn shù jù xiàn"),
    ("书", "shū"),
    ("被子", "bèi zi"),
    ("水杯", "shuǐ bēi"),
]

HARMLESS_TRAD = [
    "象牙色窗簾/套",
    "槍灰色手機殼/個",
    "煙花圖案連衣裙/件",
    "兒童水槍/把",
    "衣服/件",
    "書籍/本",
    "茶葉/盒",
    "電動牙刷/支",
    "鮪魚罐頭/罐",
    "手機殼/個",
    "熱熔膠槍/把",
    "浴球禮盒/盒",
    "《槍炮、病菌與鋼鐵》/本",
    "珊瑚絨毛毯/條",
]

# Harmless only in the amounts a person sends: counts stay at 1 to 3.
_SMALL_QUANTITIES = {"lookalike:medicine", "lookalike:electronics"}

BANNED_LABELS = [f"plain:{c}" for c in CATEGORIES] + [
    f"evasion:{e}"
    for e in (
        "pinyin",
        "pinyin_tones",
        "initials",
        "mixed_script",
        "homophone",
        "radical_split",
        "leet",
        "fullwidth",
        "homoglyph",
        "zero_width",
        "split",
        "letter_spacing",
        "joined",
        "traditional",
        "slang",
        "euphemism",
        "formula",
        "cas",
        "ocr",
        "typo",
        "emoji",
        "buried",
    )
]
HARMLESS_LABELS = [
    *HARMLESS,
    "harmless:pinyin",
    "harmless:traditional",
    "harmless:noisy",
]
LABELS = BANNED_LABELS + HARMLESS_LABELS

# ---------------------------------------------------------------- character tables
_TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
_KANGXI = {
    unicodedata.normalize("NFKC", chr(cp)): chr(cp)
    for cp in range(0x2F00, 0x2FD6)
    if len(unicodedata.normalize("NFKC", chr(cp))) == 1
}
_LATIN_LOOKALIKE = {
    "a": "а",
    "c": "с",
    "e": "е",
    "o": "о",
    "p": "р",
    "x": "х",
    "y": "у",
    "i": "і",
    "A": "А",
    "B": "В",
    "C": "С",
    "E": "Е",
    "H": "Н",
    "K": "К",
    "M": "М",
    "O": "О",
    "P": "Р",
    "T": "Т",
    "X": "Х",
    "v": "ν",
}
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
    "z": "2",
}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_RADICAL_SPLIT = {
    "枪": "木仓",
    "弹": "弓单",
    "炸": "火乍",
    "炮": "火包",
    "烟": "火因",
    "雷": "雨田",
    "钞": "钅少",
    "粉": "米分",
    "药": "艹约",
    "麻": "广林",
    "假": "亻叚",
    "证": "讠正",
    "铀": "钅由",
    "油": "氵由",
    "汽": "氵气",
    "针": "钅十",
    "钾": "钅甲",
    "镁": "钅美",
    "铝": "钅吕",
    "硝": "石肖",
    "酸": "酉夋",
    "銨": "金安",
}
_HOMOPHONES = {
    "枪": "抢呛羌",
    "弹": "蛋淡",
    "炸": "扎渣",
    "药": "要耀",
    "毒": "独读",
    "麻": "妈马",
    "海": "嗨",
    "冰": "兵",
    "假": "甲贾",
    "币": "必毕",
    "钞": "超抄",
    "雷": "蕾",
    "管": "馆",
    "烟": "嫣胭",
    "花": "华",
    "粉": "份芬",
    "匕": "比",
    "弩": "努",
    "牙": "芽",
    "犀": "西吸",
    "鞭": "边",
    "炮": "泡跑",
    "汽": "气",
    "氰": "青",
    "砒": "批",
    "罂": "婴",
    "粟": "速",
    "摇": "遥",
    "丸": "完",
    "鸦": "丫",
    "针": "真",
    "窃": "切",
    "硫": "流",
    "酸": "蒜",
    "罐": "灌",
    "刺": "次",
    "象": "像橡",
    "骨": "古",
    "磷": "林",
    "钠": "纳",
    "盐": "严",
    "碱": "减",
    "护": "户",
    "照": "兆",
    "证": "正",
    "章": "张",
    "索": "锁",
}
_OCR_CJK = {
    "毒": "毐",
    "己": "已",
    "土": "士",
    "未": "末",
    "日": "曰",
    "人": "入",
    "刀": "力",
    "大": "太",
    "管": "菅",
    "粉": "纷",
    "弹": "殚",
    "雷": "雪",
    "枪": "抢",
    "酸": "竣",
    "钾": "钟",
    "药": "葯",
    "品": "吕",
    "量": "暈",
}
_OCR_LATIN = {
    "m": "rn",
    "l": "1",
    "I": "l",
    "O": "0",
    "o": "0",
    "S": "5",
    "B": "8",
    "e": "c",
    "d": "cl",
    "h": "b",
    "w": "vv",
}
_TRAD_TEMPLATE = str.maketrans(
    "个发挂张块条颗双两请轻数内货称价样门压谢问题电话运单号订办给礼亲装无损须尽码书叶动鱼头罐",
    "個發掛張塊條顆雙兩請輕數內貨稱價樣門壓謝問題電話運單號訂辦給禮親裝無損須盡碼書葉動魚頭罐",
)
_CN_DIGITS = "零一二三四五六七八九"
_SPLIT_POINTS = {
    "fireworks": "fire works",
    "firecrackers": "fire crackers",
    "gunpowder": "gun powder",
    "switchblade": "switch blade",
    "handgun": "hand gun",
    "heroin": "her oin",
    "marijuana": "mari juana",
    "cocaine": "coca ine",
    "ketamine": "keta mine",
    "shotgun": "shot gun",
    "sparklers": "spark lers",
    "methamphetamine": "meth amphetamine",
    "ammunition": "ammu nition",
    "crossbow": "cross bow",
    "buckshot": "buck shot",
    "bayonet": "bayo net",
    "detonators": "deto nators",
    "explosives": "explo sives",
    "fentanyl": "fenta nyl",
    "opium": "op ium",
    "ivory": "ivo ry",
    "taser": "ta ser",
    "kerosene": "kero sene",
    "gasoline": "gaso line",
    "acetone": "ace tone",
}

# ---------------------------------------------------------------- text builders


def _toneless(tones: str) -> str:
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", tones) if unicodedata.category(c) != "Mn"
    )
    return stripped


def _tone_numbers(tones: str) -> str:
    out = []
    for syllable in tones.split():
        decomposed = unicodedata.normalize("NFD", syllable)
        mark = next((_TONE_MARKS[c] for c in decomposed if c in _TONE_MARKS), "")
        plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
        if "\u0308" in decomposed:  # ü: written v with tone numbers
            plain = plain.replace("u", "v")
        out.append(plain + (mark or ("" if not plain.isalpha() else "5")))
    return " ".join(out)


def _cn_number(n: int) -> str:
    if n == 2:
        return "两"
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _quantity(rng: random.Random, unit: str, latin: bool, small: bool = False) -> tuple[str, int]:
    """A quantity in the item's unit, written as a Chinese or a Latin-script sender would;
    `small` keeps it to what one person would send (medicines, batteries)."""
    if unit in ("g", "kg", "ml", "L", "m"):
        choices = {
            "g": (1, 2, 3, 5, 10, 20, 50, 100, 250, 500),
            "kg": (1, 2, 3, 5, 10, 20, 25, 50),
            "ml": (10, 50, 100, 250, 500, 1000),
            "L": (1, 2, 4, 5, 10, 20, 25),
            "m": (1, 5, 10, 20, 50, 100),
        }[unit]
        n = rng.choice(choices)
        zh_unit = {"g": "克", "kg": "公斤", "ml": "毫升", "L": "升", "m": "米"}[unit]
        if latin:
            return rng.choice([f"{n}{unit}", f"{n} {unit}", f"{n}{unit.upper()}"]), n
        return rng.choice([f"{n}{unit}", f"{n}{zh_unit}", f"{n} {unit}", f"{n}{zh_unit}装"]), n
    n = rng.choice((1, 1, 1, 2, 2, 3) if small else (1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 20, 50))
    if latin:
        return rng.choice([f"{n} pcs", f"x{n}", f"{n} units", f"{n} pc(s)", f"qty {n}"]), n
    return rng.choice(
        [f"{n}{unit}", f"{_cn_number(n)}{unit}", f"{n} {unit}", f"共{n}{unit}", f"x{n}"]
    ), n


_ZH_WRAP = [
    "{x}{q}",
    "{x} {q}",
    "{q}{x}",
    "品名：{x}  数量：{q}",
    "内件：{x}×{n}",
    "寄{x}{q}，{tail}",
    "{x}（{q}）{tail}",
    "货物:{x}/{q}/申报价值{v}元",
    "客户退货 {x} {q}",
    "{x}，{q}，{tail}",
    "【{x}】{q}",
    "物品名称 {x}；件数 {n}",
    "{q} {x} 请轻拿轻放",
    "送朋友的{x}{q}",
    "样品：{x} {q}",
    "{shop}发货：{x}{q}",
    "订单{oid} {x} {q}",
    "{x}{q} 二手 自用",
    "托寄物：{x}",
    "{x}",
    "{x} {q}，收件人{name}",
]
_EN_WRAP = [
    "{q} {x}",
    "{x} x{n}",
    "Contents: {x}, qty {n}",
    "{x} ({q}) - gift",
    "1 parcel: {x}",
    "Sample: {x} / {q}",
    "Returned item - {x}",
    "{x}, used, {q}",
    "personal effects: {x}",
    "order #{oid}: {x} x {n}",
    "{x}",
    "Item: {x}; Quantity: {n}; Value: USD {v}",
]
_MIX_WRAP = [
    "内件 {x} x{n}",
    "{x} {n}pcs 送人",
    "gift: {x} {q}",
    "{q} {x} (urgent 急件)",
    "Item：{x}，数量{n}",
]
_TRAD_WRAP = [
    "{x}{q}",
    "品名：{x}，數量：{q}",
    "寄{x}{q}，請輕放",
    "內件：{x}×{n}",
    "{x}（{q}）到付",
    "退貨 {x} {q}",
    "{x} {q} 自用",
]
_OCR_WRAP_ZH = [
    "品名:{x} 净含量:{q} 批号:{lot}",
    "{x}\n规格 {q}\n生产日期 {date}",
    "产品名称 {x} {q}",
]
_OCR_WRAP_EN = ["PRODUCT: {x} NET WT {q} LOT {lot}", "{x}\n{q}\nEXP {date}", "Label: {x} / {q}"]
_TAILS = [
    "请尽快发",
    "到付",
    "易碎",
    "不要压",
    "包装完好",
    "自用",
    "谢谢",
    "加急",
    "放门口",
    "勿倒置",
    "有问题打电话",
    "",
]
_MODS_ZH = ["全新", "二手", "正品", "进口", "国产", "散装", "原装", "定制", "小号", "大号"]
_MODS_EN = ["new", "used", "genuine", "imported", "bulk", "custom", "spare"]


def _is_latin(text: str) -> bool:
    return not any("\u3400" <= c <= "\u9fff" or "\u2e80" <= c <= "\u2fdf" for c in text)


class _Writer:
    """Draws declarations; holds the random source and the Faker instance for one run."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.by_category: dict[str, list[Item]] = {}
        for item in ITEMS:
            self.by_category.setdefault(item.category, []).append(item)

    # -- wrapping
    def wrap(self, x: str, q: str, n: int, style: str = "") -> str:
        rng = self.rng
        if not style:
            if _is_latin(x):
                style = rng.choices(("en", "zh", "mix"), (6, 3, 2))[0]
            else:
                style = rng.choices(("zh", "mix"), (8, 2))[0]
        pool = {"en": _EN_WRAP, "zh": _ZH_WRAP, "mix": _MIX_WRAP, "trad": _TRAD_WRAP}[style]
        template = rng.choice(pool)
        if "{x}{q}" in template and x[-1:].isdigit() and q[:1].isdigit():
            x += " "  # "CAS 77-92-9" must not run into "1 units"
        fields = {"x": x, "q": q, "n": n, "tail": rng.choice(_TAILS)}
        if "{v}" in template:
            fields["v"] = rng.choice((20, 50, 99, 120, 200, 350, 800, 1500))
        if "{oid}" in template:
            fields["oid"] = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 12)))
        if "{shop}" in template:
            fields["shop"] = self.fake.company_prefix()
        if "{name}" in template:
            fields["name"] = self.fake.name()
        return template.format(**fields).strip(" ，,")

    def modifier(self, x: str) -> str:
        if self.rng.random() > 0.25:
            return x
        if _is_latin(x):
            return f"{self.rng.choice(_MODS_EN)} {x}"
        return self.rng.choice(_MODS_ZH) + x

    def item(self, need: Callable[[Item], bool] = lambda i: True) -> Item:
        pool = [i for i in ITEMS if need(i)]
        return self.rng.choice(pool)

    def en_name(self, item: Item) -> str:
        return self.rng.choice(item.en)

    # -- banned rows
    def plain(self, category: str) -> str:
        rng = self.rng
        item = rng.choice(self.by_category[category])
        form = rng.choices(("zh", "en", "both"), (6, 3, 1.5))[0]
        if form == "zh":
            x = self.modifier(item.zh)
        elif form == "en":
            x = self.modifier(self.en_name(item))
        else:
            x = (
                f"{item.zh} {self.en_name(item)}"
                if rng.random() < 0.5
                else f"{item.zh}({self.en_name(item)})"
            )
        q, n = _quantity(rng, item.unit, _is_latin(x))
        return self.wrap(x, q, n)

    def evasion(self, technique: str) -> str:
        return getattr(self, f"_ev_{technique}")()

    def _wrap_item(self, item: Item, x: str, latin: bool | None = None) -> str:
        q, n = _quantity(self.rng, item.unit, _is_latin(x) if latin is None else latin)
        return self.wrap(x, q, n)

    def _pinyin_form(self, item: Item) -> str:
        syllables = _toneless(item.tones).split()
        rng = self.rng
        form = rng.choice(("spaced", "joined", "joined", "title", "upper"))
        if form == "spaced":
            return " ".join(syllables)
        if form == "joined":
            return "".join(syllables)
        if form == "title":
            return "".join(s.capitalize() for s in syllables)
        return " ".join(syllables).upper()

    def _ev_pinyin(self) -> str:
        item = self.item()
        return self._wrap_item(item, self._pinyin_form(item), latin=self.rng.random() < 0.5)

    def _ev_pinyin_tones(self) -> str:
        item = self.item()
        x = item.tones if self.rng.random() < 0.5 else _tone_numbers(item.tones)
        if self.rng.random() < 0.3:
            x = x.replace(" ", "")
        return self._wrap_item(item, x, latin=False)

    def _ev_initials(self) -> str:
        item = self.item(lambda i: len(i.zh) >= 2)
        letters = "".join(s[0] for s in _toneless(item.tones).split())
        x = letters.upper() if self.rng.random() < 0.6 else letters
        hint = self.rng.choice(
            ("", "（你懂的）", " 懂的来", f"({item.zh[0]}{letters[1:].upper()})")
        )
        return self._wrap_item(item, x + hint, latin=False)

    def _ev_mixed_script(self) -> str:
        item = self.item(lambda i: len(i.zh) >= 2 and len(i.zh) == len(i.tones.split()))
        syllables = _toneless(item.tones).split()
        k = self.rng.randrange(len(item.zh))
        chars = list(item.zh)
        chars[k] = syllables[k]
        if len(chars) > 3 and self.rng.random() < 0.4:
            j = (k + 2) % len(chars)
            chars[j] = syllables[j]
        return self._wrap_item(item, "".join(chars), latin=False)

    def _substitute_chars(self, text: str, table: dict[str, str], most: int) -> str:
        positions = [k for k, c in enumerate(text) if c in table]
        chosen = self.rng.sample(positions, min(len(positions), self.rng.randint(1, most)))
        chars = list(text)
        for k in chosen:
            chars[k] = self.rng.choice(table[chars[k]])
        return "".join(chars)

    def _ev_homophone(self) -> str:
        item = self.item(lambda i: any(c in _HOMOPHONES for c in i.zh))
        return self._wrap_item(item, self._substitute_chars(item.zh, _HOMOPHONES, 2), latin=False)

    def _ev_radical_split(self) -> str:
        item = self.item(lambda i: any(c in _RADICAL_SPLIT for c in i.zh))
        x = "".join(_RADICAL_SPLIT.get(c, c) for c in item.zh)
        return self._wrap_item(item, x, latin=False)

    def _latin_name(self, item: Item) -> str:
        """An English name, or the joined pinyin, for the Latin-letter techniques."""
        if self.rng.random() < 0.7:
            return self.en_name(item)
        return "".join(_toneless(item.tones).split())

    def _ev_leet(self) -> str:
        item = self.item()
        name = self._latin_name(item)
        positions = [k for k, c in enumerate(name) if c.lower() in _LEET]
        chosen = self.rng.sample(positions, min(len(positions), self.rng.randint(1, 3)))
        chars = list(name)
        for k in chosen:
            chars[k] = self.rng.choice(_LEET[chars[k].lower()])
        return self._wrap_item(item, "".join(chars))

    def _ev_fullwidth(self) -> str:
        item = self.item()
        name = self._latin_name(item)
        x = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in name)
        return self._wrap_item(item, x, latin=False)

    def _ev_homoglyph(self) -> str:
        rng = self.rng
        if rng.random() < 0.45:
            item = self.item(lambda i: any(c in _KANGXI for c in i.zh))
            return self._wrap_item(item, self._substitute_chars(item.zh, _KANGXI, 3), latin=False)
        item = self.item()
        name = self._latin_name(item)
        if not any(c in _LATIN_LOOKALIKE for c in name):
            name = self.en_name(item) + " set"
        return self._wrap_item(item, self._substitute_chars(name, _LATIN_LOOKALIKE, 3), latin=True)

    def _ev_zero_width(self) -> str:
        item = self.item()
        name = item.zh if self.rng.random() < 0.6 else self.en_name(item)
        chars = list(name)
        for k in sorted(
            self.rng.sample(range(1, len(chars)), min(len(chars) - 1, 2)), reverse=True
        ):
            chars.insert(k, self.rng.choice(_ZERO_WIDTH))
        if len(name) == 1:
            chars = [self.rng.choice(_ZERO_WIDTH), name, self.rng.choice(_ZERO_WIDTH)]
        return self._wrap_item(item, "".join(chars))

    def _ev_split(self) -> str:
        rng = self.rng
        item = self.item(lambda i: len(i.zh) >= 2)
        if rng.random() < 0.5:
            k = rng.randrange(1, len(item.zh))
            sep = rng.choice((" ", " ", "-", "·", ".", "_", "*", "/"))
            return self._wrap_item(item, item.zh[:k] + sep + item.zh[k:], latin=False)
        name = self.en_name(item)
        words = name.split(" ")
        w = rng.randrange(len(words))
        word = words[w]
        if word.lower() in _SPLIT_POINTS:
            words[w] = _SPLIT_POINTS[word.lower()]
        elif len(word) >= 4:
            k = rng.randrange(2, len(word) - 1)
            words[w] = word[:k] + rng.choice((" ", " ", "-", ".")) + word[k:]
        else:
            words[w] = word[0] + " " + word[1:]
        return self._wrap_item(item, " ".join(words))

    def _ev_letter_spacing(self) -> str:
        rng = self.rng
        item = self.item(lambda i: len(i.zh) >= 2)
        sep = rng.choice((" ", " ", ".", "-", " . ", "_"))
        if rng.random() < 0.5:
            x = sep.join(item.zh)
        else:
            x = sep.join(self.en_name(item).replace(" ", ""))
            x = x.upper() if rng.random() < 0.5 else x
        return self._wrap_item(item, x)

    def _ev_joined(self) -> str:
        rng = self.rng
        item = self.item(lambda i: any(" " in e for e in i.en) or rng.random() < 0.3)
        name = self.en_name(item)
        joined = (
            "".join(name.split())
            if rng.random() < 0.6
            else "".join(w.capitalize() for w in name.split())
        )
        q, n = _quantity(rng, item.unit, True)
        return rng.choice(
            (
                f"{q.replace(' ', '')}{joined}",
                f"{joined}x{n}",
                f"{joined}-{n}pcs",
                f"contents:{joined},qty{n}",
                f"{joined}{rng.choice(_MODS_EN)}",
            )
        )

    def _ev_traditional(self) -> str:
        item = self.item()
        q, n = _quantity(self.rng, item.unit, False)
        text = self.wrap(item.trad, q.translate(_TRAD_TEMPLATE), n, style="trad")
        return text.translate(_TRAD_TEMPLATE)

    def _phrase(self, table: list[tuple[str, str]]) -> str:
        rng = self.rng
        _, phrase = rng.choice(table)
        text = phrase.replace("{n}", str(rng.randint(1, 9)))
        if rng.random() < 0.4:
            text = f"{text} {rng.choice(_TAILS)}".strip()
        if rng.random() < 0.2:
            text = f"{self.fake.company_prefix()}：{text}"
        return text

    def _ev_slang(self) -> str:
        return self._phrase(SLANG)

    def _ev_euphemism(self) -> str:
        return self._phrase(EUPHEMISMS)

    def _ev_emoji(self) -> str:
        return self._phrase(EMOJI)

    def _ev_formula(self) -> str:
        item = self.item(lambda i: bool(i.formula))
        rng = self.rng
        x = item.formula
        if rng.random() < 0.3:
            x = x.translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
        x = rng.choice((x, f"{x} 分析纯", f"{x} (AR)", f"{x} 99%", f"试剂 {x}", f"{x} reagent"))
        return self._wrap_item(item, x + " ")

    def _ev_cas(self) -> str:
        item = self.item(lambda i: bool(i.cas))
        rng = self.rng
        x = rng.choice(
            (
                f"CAS {item.cas}",
                f"CAS号:{item.cas}",
                f"化学品 CAS No. {item.cas}",
                f"{item.cas}",
                f"reagent, CAS# {item.cas}",
                f"[{item.cas}] 工业级",
            )
        )
        return self._wrap_item(item, x + " ")  # a number must not run into the quantity

    def _ocr_noise(self, text: str) -> str:
        rng = self.rng
        chars = list(text)
        out: list[str] = []
        k = 0
        budget = rng.randint(1, 3)
        while k < len(chars):
            c = chars[k]
            if budget and c in _OCR_CJK and rng.random() < 0.5:
                out.append(_OCR_CJK[c])
                budget -= 1
            elif budget and c in _OCR_LATIN and rng.random() < 0.25:
                out.append(_OCR_LATIN[c])
                budget -= 1
            else:
                out.append(c)
                if rng.random() < 0.04:
                    out.append(rng.choice((" ", "|", "'", "■", "\n", ".")))
            k += 1
        return "".join(out)

    def _ev_ocr(self) -> str:
        rng = self.rng
        item = self.item()
        latin = rng.random() < 0.35
        x = self.en_name(item).upper() if latin else item.zh
        q, _ = _quantity(rng, item.unit, latin)
        template = rng.choice(_OCR_WRAP_EN if latin else _OCR_WRAP_ZH)
        text = template.format(
            x=x,
            q=q,
            lot=f"{rng.randint(10, 99)}{rng.choice('ABCDEFGH')}{rng.randint(1000, 9999)}",
            date=f"20{rng.randint(19, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        )
        return self._ocr_noise(text)

    def _typo(self, word: str) -> str:
        rng = self.rng
        letters = [k for k, c in enumerate(word) if c.isalpha()]
        if len(letters) < 3:
            return word + word[-1]
        k = rng.choice(letters[1:])
        kind = rng.choice(("drop", "double", "swap", "vowel", "phonetic"))
        if kind == "drop":
            return word[:k] + word[k + 1 :]
        if kind == "double":
            return word[:k] + word[k] + word[k:]
        if kind == "swap" and k + 1 < len(word):
            return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        if kind == "phonetic":
            for a, b in (
                ("ph", "f"),
                ("ck", "k"),
                ("c", "k"),
                ("ine", "ene"),
                ("er", "a"),
                ("ll", "l"),
            ):
                if a in word:
                    return word.replace(a, b, 1)
        vowels = "aeiou"
        if word[k] in vowels:
            return word[:k] + rng.choice(vowels.replace(word[k], "")) + word[k + 1 :]
        return word[:k] + word[k + 1 :]

    def _ev_typo(self) -> str:
        item = self.item()
        name = self.en_name(item)
        words = name.split(" ")
        longest = max(range(len(words)), key=lambda w: len(words[w]))
        typo = self._typo(words[longest])
        if typo == words[longest]:
            typo = words[longest][:-1]
        words[longest] = typo
        return self._wrap_item(item, " ".join(words))

    def _ev_buried(self) -> str:
        rng = self.rng
        item = self.item()
        latin = rng.random() < 0.3
        others = [
            p.split("/")[0]
            for p in rng.sample(HARMLESS["harmless:ordinary"], rng.randint(2, 4))
            if _is_latin(p) == latin
        ] or [("T-shirt" if latin else "衣服")]
        banned = self.en_name(item) if latin else item.zh
        q, _ = _quantity(rng, item.unit, latin)
        parts = [f"{o} {rng.randint(1, 5)}" if rng.random() < 0.5 else o for o in others]
        parts.insert(rng.randint(1, len(parts)), f"{banned} {q}")
        sep = rng.choice(
            (", ", "; ", " / ", " + ", "\n") if latin else ("、", "，", "；", " ", "+", "\n")
        )
        return sep.join(parts)

    def _noise(self, base: str) -> str:
        """One kind of surface noise on a harmless declaration."""
        rng = self.rng
        kind = rng.choice(("ocr", "fullwidth", "zero_width", "spacing", "typo"))
        if kind == "ocr":
            return self._ocr_noise(base)
        if kind == "fullwidth":
            return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in base)
        if kind == "zero_width":
            k = rng.randrange(1, max(2, len(base)))
            return base[:k] + rng.choice(_ZERO_WIDTH) + base[k:]
        if kind == "spacing":
            return " ".join(base) if len(base) < 20 else base.replace(" ", "")
        words = base.split(" ")
        k = max(range(len(words)), key=lambda w: len(words[w]))
        words[k] = self._typo(words[k]) if _is_latin(words[k]) else words[k]
        return " ".join(words)

    # -- harmless rows
    def harmless(self, label: str) -> str:
        rng = self.rng
        if label == "harmless:pinyin":
            zh, tones = rng.choice(HARMLESS_PINYIN)
            item = Item("", zh, zh, tones, ("",), "件")
            x = self._pinyin_form(item) if rng.random() < 0.7 else _tone_numbers(tones)
            q, n = _quantity(rng, "件", rng.random() < 0.5)
            return self.wrap(x, q, n)
        if label == "harmless:traditional":
            phrase, unit = rng.choice(HARMLESS_TRAD).rsplit("/", 1)
            q, n = _quantity(rng, unit, False)
            return self.wrap(phrase, q.translate(_TRAD_TEMPLATE), n, style="trad").translate(
                _TRAD_TEMPLATE
            )
        if label == "harmless:noisy":
            base = self.harmless(rng.choice(list(HARMLESS)))
            for _ in range(8):
                noisy = self._noise(base)
                if noisy != base:
                    return noisy
            return " ".join(base)
        entry = rng.choice(HARMLESS[label])
        phrase, unit = (
            entry.rsplit("/", 1) if "/" in entry and not _is_latin(entry) else (entry, "个")
        )
        x = self.modifier(phrase)
        q, n = _quantity(rng, unit, _is_latin(x), small=label in _SMALL_QUANTITIES)
        return self.wrap(x, q, n)

    def row(self, label: str) -> str:
        kind, _, name = label.partition(":")
        if kind == "plain":
            return self.plain(name)
        if kind == "evasion":
            return self.evasion(name)
        return self.harmless(label)


def _label_plan(rng: random.Random, n: int) -> list[tuple[str, bool]]:
    """Exactly round(45 %) banned rows; plain categories take 30 % of them, evasions 70 %."""
    n_banned = round(n * BANNED_SHARE)
    plain = [lab for lab in BANNED_LABELS if lab.startswith("plain:")]
    evasive = [lab for lab in BANNED_LABELS if lab.startswith("evasion:")]
    banned_weights = [0.30 / len(plain)] * len(plain) + [0.70 / len(evasive)] * len(evasive)
    harmless_weights = [2.0 if lab == "harmless:ordinary" else 1.0 for lab in HARMLESS_LABELS]
    plan = [(lab, True) for lab in rng.choices(BANNED_LABELS, banned_weights, k=n_banned)]
    plan += [(lab, False) for lab in rng.choices(HARMLESS_LABELS, harmless_weights, k=n - n_banned)]
    rng.shuffle(plan)
    return plan


def generate(n: int, seed: int) -> list[Declaration]:
    """`n` declarations, deterministic for (n, seed)."""
    writer = _Writer(seed)
    seen: set[str] = set()
    rows = []
    for label, banned in _label_plan(writer.rng, n):
        text = writer.row(label)
        for _ in range(6):  # redraw a repeat a few times; identical rows teach nothing
            if text not in seen:
                break
            text = writer.row(label)
        seen.add(text)
        rows.append(Declaration(text, banned, label))
    return rows


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rows = generate(n, seed)
    counts = Counter(r.label for r in rows)
    banned = sum(r.banned for r in rows)
    print(f"{n} declarations, {banned} banned ({banned / n:.1%}), {len(counts)} labels")
    for label in LABELS:
        print(f"  {label:32s} {counts[label]:5d}")
    rng = random.Random(seed)
    for r in rng.sample(rows, min(25, n)):
        print(f"{'BANNED' if r.banned else 'ok    '} {r.label:30s} {r.text!r}")


if __name__ == "__main__":
    main()
