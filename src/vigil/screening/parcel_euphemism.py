"""Contraband described by what it does instead of named (the `euphemism` evasion class).

A sender who will not write the name often writes the selling point: "research chemical,
not for human consumption" (the label new psychoactive substances are sold under, as the
EMCDDA's and UNODC's reports on NPS describe), "novelty ID, scannable", banknotes that
"pass the pen test", a "self-defence flashlight 50,000kV", a "9mm barrel", petrol by its
grade and volume (92# 20L), a camera or a listening device that is "hidden" or "needs no
installation", a liquid that is colourless and tasteless. Each telltale here is a phrase
that ordinary goods do not use; a match goes to `inspect`, since a person should look
before a parcel is refused on a description.

Some telltales are a pair of cues in one entry of the list, neither enough alone:
- a form drugs are sold in with a knowing wink ("white powder, you know the kind", 懂的来)
  or with a use only a drug has (dried herb 抽的那种, stamps 舔的那种, sweets 蹦迪用, "green
  for 420", "party powder", a white powder 提神用的, pills for a 派对);
- money or a document with a claim that it passes for real (能花出去的 prop money, "movie
  money that actually spends", an ID card 能过机器, a seal 跟公司那个一模一样, 同版);
- something that sets off a Geiger counter (radioactive ore);
- a noise with a festival (过年放的响的东西, "things that go bang for new year": fireworks);
- a thing for hunting that is long or comes apart (打猎用的长家伙 拆开装的: a gun);
- a device that hears next door or is button-sized (a listening device);
- an endangered animal's tooth, horn, bone, claw, scale or skin named in plain words
  (大象牙齿, "elephant teeth", 老虎骨头);
- a knife with a feature of a controlled knife (血槽, 自锁; 公安部《管制刀具认定标准》);
- a tusk carving said to be genuine (carved tusk, not resin; 牙雕 真品);
- a spray for self-defence (防身辣椒水喷罐), a powder for a quarry (开山药), a thing lit by
  hand with sparks (点燃喷花), a rat poison that is colourless or works at once, a seasoning
  with the shell added (火锅底料 加了壳: poppy shells), brand goods made one to one (原单
  大牌包 1:1).
Telltales alone also name publications that incite hatred, separatism or terror
(煽动民族仇恨的出版物) and petrol by grade and volume in Chinese (92号 20升)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


def _word_pattern(pattern: str) -> re.Pattern[str]:
    """A pattern whose word boundaries are ASCII ones, so that a Chinese character beside a
    Latin word bounds it (寄p0rk, 9mm啊): Python's Unicode \\b sees no edge between them."""
    return re.compile(pattern, re.ASCII)


_SELF_DEFENCE = r"(?:self[\s-]?defen[cs]e|防身|防狼)"
_SHOCK = (
    r"(?:\d[\d,.]*\s*(?:万\s*)?(?:kv|千伏)|高压脉冲|高压电击|电击|放电|电人|电火花|电弧|\bzap(?:s|pers?)?\b|"
    r"\d[\d,.]*\s*(?:million\s+|thousand\s+|万\s*)?(?:volts?\b|伏))"
)
# a spray sold for self-defence (女生防身辣椒水喷罐, self-defence spray)
_SPRAY = r"喷罐|喷雾|喷剂|喷射|辣椒水|\bsprays?\b|\bpepper\b"
_HIDDEN_ZH = r"(?:隐蔽|隐藏式?|偷拍|偷录|免安装|放车里|藏在|藏于|藏进|暗藏)"
_DEVICE_ZH = r"(?:摄像头?|摄像机|听音器|监听器?|监控|录音器|拍摄|镜头)"

# What may not stand between the two cues of a pair: a line break or a list separator (a
# wink may follow its item after a comma: "white powder, you know the kind").
_ENTRY_BREAK = _word_pattern(r"[\n,，、;；|\t]")
_LINE_BREAK = _word_pattern(r"[\n;；|\t]")


# Drugs by their form and a wink or a use that only a drug has.
_WINK = (
    r"懂的来|懂得来|懂的都懂|你懂的|\byou\s+know\s+(?:the\s+kind|what\s+i\s+mean)\b|"
    r"\bif\s+you\s+know\s+you\s+know\b|\biykyk\b"
)
_DRUG_FORM = (
    r"粉末|白粉末|干草|叶子|邮票|药丸|糖丸|嗨糖|晶体|结晶|\b(?:white\s+)?powder\b|\bcrystals?\b|"
    r"\bherbs?\b|\bgreens?\b|\bleaf\b|\bleaves\b|\bstamps?\b|\bblotters?\b|\bpills?\b|\btabs?\b"
)
_HERB = (
    r"干草|草叶|叶子|烟叶|绿色植物|绿植|植物|干花|花苞|\bherbs?\b|\bgreens?\b|\bleaf\b|"
    r"\bleaves\b|\bweeds?\b|\bbuds\b"
)
# 420 as a number, not a quantity (420 ml, 420克)
_SMOKED = (
    r"抽的那种|抽的|吸的那种|\bfor\s+smoking\b|"
    r"\b420\b(?!\s*(?:ml|g|kg|mm|cm|w|v|元|克|毫升|码|号|型|款|[\d.]))"
)
_LICKED = r"舔的那种|舔的|\bfor\s+licking\b|\bunder\s+the\s+tongue\b"
_BLOTTER = r"邮票|贴纸|纸片|\bstamps?\b|\bblotters?\b|\bpaper\s+tabs?\b"
_CLUBBING = r"蹦迪用?|嗨用|嗨的|夜店用|\bfor\s+(?:the\s+)?raves?\b|\bclubbing\b"
_CLUB_FORM = (
    r"糖果?|药丸|小药片|粉(?![色丝红底饼条])|\bpowder\b|\bcrystals?\b|\bcand(?:y|ies)\b|\bpills?\b"
)
_PARTY_POWDER = r"\b(?:party|happy)\s+(?:powder|dust|crystals?)\b"
_STIMULANT = r"提神用的?|提神的|\bfor\s+energy\b|\bto\s+stay\s+awake\b"
_WHITE_POWDER = r"白色粉末|白粉末|不明粉末|\bwhite\s+powder\b"

# Money or a document said to pass for the real one.
_PASSES = (
    r"能花出去|花得出去|花得掉|能花的|(?:能|可以?)过机器?|过得了机器|能过验证|能过安检|扫得出|刷得出|"
    r"一模一样|以假乱真|跟真的一样|和真的一样|同版|看不出来|看不出|分辨不出|验不出|"
    # made to a sample or a template: a copy of someone's real one
    r"按样本做|照样本做|按样本|照着样本|按模板|照模板|\bmade\s+to\s+(?:your|a|the)\s+template\b|"
    r"\bindistinguishable\b|"
    r"\b(?:actually\s+)?spends\b|\bspendable\b|\bscans?\s+(?:like\s+)?(?:real|fine)\b|"
    r"\bsame\s+as\s+(?:the\s+)?real\b|\bpass(?:es)?\s+(?:as\s+real|(?:the\s+)?scanners?)\b"
)
_MONEY = (
    r"人民币|钞票|纸币|票子|美元|美金|欧元|港币|道具币|钱|\bmoney\b|\bcash\b|\bbills\b|\bnotes\b|"
    r"\bdollars?\b|\byuan\b|\brmb\b|\beuros?\b"
)
_PAPERS = (
    r"身份证|身分证|证件|护照|驾照|驾驶证|行驶证|执照|毕业证|学位证|户口本|结婚证|公章|印章|刻的章|章子|"
    r"\bid\s*cards?\b|\bids\b|\bpassports?\b|\bdriv(?:ing|er'?s?)\s+licen[cs]es?\b|"
    r"\bdiplomas?\b|\bseals?\b|\bcompany\s+stamps?\b|\bdocuments?\b"
)
# An endangered animal and the part of it that is traded, in plain words.
_ANIMAL = (
    r"大象|犀牛|老虎|穿山甲|"
    r"\belephants?'?s?|\brhino(?:ceros)?e?s?'?s?|\btigers?'?s?|\bpangolins?'?s?"
)
_PART = (
    r"牙齿|獠牙|牙(?![刷膏签线])|角(?![色落])|骨头|骨(?![架])|爪子?|鳞片|鳞甲|皮(?![鞋包带纹筋])|"
    r"\btusks?\b|\bteeth\b|\btooth\b|\bhorns?\b|\bbones?\b|\bclaws?\b|\bscales?\b|"
    r"\bpelts?\b|\bhides?\b"
)
_KNIFE_FEATURE = r"血槽|自锁|锁定|\bblood\s+grooves?\b"
_KNIFE = r"刀(?![片具架座])|匕首|\bknife\b|\bknives\b|\bdaggers?\b"
_GEIGER = r"盖革|\bgeiger\b"
_SETS_OFF = (
    r"让|使|响|叫|报警|\bmakes?\b|\bsets?\s+off\b|\bclicks?\b|\bticks?\b|\bbeeps?\b|\bgo\s+off\b"
)
_FESTIVAL = (
    r"过年|春节|新年|除夕|元宵|节日|婚礼|结婚|婚庆|庆典|开业|喜事|庙会|"
    r"\bnew\s+year'?s?\b|\bwedding\b|\bdiwali\b"
)
_BANG = (
    r"(?<!音)响的|(?<!音)会响|放的响|放响|打上天|飞上天|上天的|冲天|升空|"
    r"\bgo(?:es)?\s+(?:bang|boom)\b|\bthings\s+that\s+(?:bang|boom)\b"
)
_HUNTING = r"打猎|狩猎|打鸟的|打鸟用|\bhunting\b"
_SCOPE = r"瞄准镜|瞄具|\bscopes?\b|\bscoped\b"
# A camera that sees into other people's rooms: a covert camera
_SEES_OTHERS = (
    r"看到别人|看别人|看见别人|偷看|\bsee\s+(?:into|inside)\s+(?:other|someone|their)|"
    r"\bwatch\s+(?:the\s+)?neighbou?rs?\b"
)
_LONG_OR_APART = (
    r"长家伙|家伙|拆开装|拆散|分体|长管|铁管|"
    r"\blong\s+(?:one|thing)\b|\btakedown\b|\bcomes\s+apart\b"
)
_HEARS = r"听见|听到|听清|偷听|听的|\bhears?\b|\blisten(?:s|ing)?\s+in\b"
_NEXT_DOOR = (
    r"隔壁|邻居|别人说话|墙那边|远程|远距离|隔墙|\bremotely\b|\bfrom\s+afar\b|"
    r"\bnext\s+door\b|\bneighbou?rs?\b|\bthrough\s+(?:the\s+)?walls?\b"
)
_BUTTON_SIZED = r"纽扣大小|纽扣般|\bbutton[\s-]sized\b"
_GADGET = r"设备|装置|小东西|摄像|录音|\bdevices?\b|\bcameras?\b|\brecorders?\b|\bgadgets?\b"

# Blasting: a use in a quarry or a mine with a powder or a charge (采石场用开山药)
_BLASTING = r"采石|开山|爆破|炸石|炸鱼|\bquarry(?:ing)?\b|\bblasting\b"
_CHARGE = r"药|\bpowder\b|\bcharges?\b"  # not 粉: 采石场石粉 is stone dust
# Fireworks: lit by hand, with sparks or a fountain (手持点燃喷花棒)
_LIT = r"点燃|引燃|点火|\blight(?:ed)?\s+(?:by\s+hand|the\s+fuse)\b"
_SPARKS = r"喷花|花棒|礼花|冷光|\bsparks?\b|\bfountains?\b"  # not 火花: 点火 火花塞
# A poison for rats sold by the telltale of the banned ones (无色无味, 一包见效)
_RODENT = r"灭鼠|毒鼠|杀鼠|鼠药|老鼠|耗子|\brats?\b|\brodents?\b"
_POTENT = (
    r"无色无味|一包见效|立即见效|立竿见影|剧毒|特别猛|特猛|超猛|很猛|\bcolou?rless\b|\bodou?rless\b|"
    r"\binstant(?:ly)?\b|\bextra[\s-]strong\b"
)
# A carving of tusk or horn said to be genuine, not an imitation (not resin, 非树脂)
_CARVING = r"牙雕|象牙|\bcarved\s+tusks?\b|\btusks?\b"  # not horn: ox-horn carvings are legal
_GENUINE = (
    r"真品|真的|非树脂|不是树脂|不是骨头|非骨|大象的|\bnot\s+bone\b|\bgenuine\b|\bnot\s+(?:resin|plastic|fake)\b|"
    r"\bauthentic\b"
)
# Poppy shells in a seasoning: the hot-pot base "with the shell added" (加了壳)
_SHELL_ADDED = (
    r"加了?壳|放了?壳|带壳的?料|\bwith\s+(?:the\s+)?(?:poppy\s+)?(?:pods?|shells?)\s+added\b"
)
_SEASONING = r"火锅|底料|卤料|卤味|调料|汤料|麻辣烫|香料|\bhot[\s-]?pot\b|\bseasoning\b"
# Factory-original or one-to-one copies of brand goods (原单大牌包 1:1做工)
_ONE_TO_ONE = r"1\s*[:：比]\s*1|原单|尾单|复刻|\b1\s*:\s*1\b|\bmirror\s+quality\b"
_BRAND_GOODS = (
    r"大牌|名牌|奢侈品|包|表|鞋|\b(?:hand)?bags?\b|\bwatch(?:es)?\b|\bsneakers?\b|"
    r"\bdesigner\b"
)

# Rounds by their metal head or jacket and a calibre (铜头小零件 9mm, copper-jacketed .223),
# or a street name of rounds with one (花生米 铜皮的); not screws, rivets or nails.
_METAL_HEAD = (
    r"铜头|铜皮|铜壳|铅头|弹头|\bcopper[\s-]?(?:jacket(?:ed)?|heads?|tipped)\b|\bfmj\b|"
    r"\bhollow[\s-]?points?\b"
)
_CALIBRE = r"\d{1,2}(?:\.\d{1,2})?\s?(?:mm\b|毫米)|(?<![\d.])\.\d{2,3}\b|\b\d{2,3}\s?cal\b|口径"
_ROUND_SLANG = r"花生米|豆子|狗粮"
_HARDWARE = _word_pattern(
    r"螺丝|螺钉|螺栓|铆钉|钉子|钉|螺母|插头|接头|水管|管件|\bscrews?\b|\brivets?\b|\bbolts?\b|"
    r"\bnails?\b|\bfittings?\b|\bplugs?\b"
)
# A blast, a quarry or a mine, and the stuff used for it (开山用的料)
_BLAST_USE = r"开山|爆破|炸石|炸山|开石头|开石|\bblasting\b"
_STUFF = r"(?<![资原饲燃涂布塑香调])料|(?<!百)货|东西|用的|\bstuff\b|\bsupplies\b"
# Sharpened, and a blade that only a controlled knife has (开过刃的双刃小家伙)
_SHARPENED = r"开过刃|开了刃|已开刃|开刃|\bsharpened\b|\blive[\s-]blade\b|\bbattle[\s-]ready\b"
_EDGED = r"双刃|剑|匕|家伙|\bdaggers?\b|\bswords?\b|\bdouble[\s-]edged\b"
# Books without a right to print them (影印的畅销书 无版权)
_NO_RIGHTS = (
    r"无版权|没版权|没有版权|无授权|未授权|盗印|翻印|\bno\s+copyright\b|\bunlicensed\b|"
    r"\bunauthori[sz]ed\s+(?:copies|prints?|reprints?)\b"
)
_BOOK = (
    r"书|册|刊|读物|出版物|教材|小说|漫画|杂志|绘本|\bbooks?\b|\btextbooks?\b|\bnovels?\b|"
    r"\bcomics?\b|\bmagazines?\b"
)
# No book number: not published lawfully (没书号的内部小册子), a publication only
_NO_ISBN = r"(?:没|无|没有)(?:书号|刊号|版号|出版号)|\b(?:no|without\s+an?)\s+isbn\b"
# The striking strip of a matchbox: red phosphorus (火柴盒侧边那层料)
_MATCHBOX = r"火柴盒|\bmatch\s?box(?:es)?\b"
_STRIKER = r"侧边|侧面|擦皮|擦面|磷面|\bstrikers?\b|\bstrike\s+strips?\b|\bstriking\s+surfaces?\b"
# A pipe or a pot for smoking (抽的管子, 吸的玻璃壶): drug paraphernalia
_FOR_SMOKING = r"吸的|抽的|吸食|溜冰用|\bfor\s+smoking\b"
_PIPE = r"管子|玻璃壶|壶|玻璃管|\bglass\s+pipes?\b|\bbongs?\b"  # not a tobacco pipe (烟斗)
# A cylinder said to hold pressure (带压力的钢瓶)
_UNDER_PRESSURE = r"带压|有压|满压|充满气|高压(?!锅)|\bpressuri[sz]ed\b|\bcompressed\b"
_CYLINDER = r"钢瓶|气瓶|气罐|\bcylinders?\b|\bcanisters?\b|\bgas\s+tanks?\b"
# A gas by its name, in a cylinder (氦气 钢瓶): a compressed gas whatever the gas
_GAS_NAME = (
    r"氦气|氮气|氧气|氢气|氩气|二氧化碳|乙炔|丙烷|丁烷|甲烷|笑气|"
    r"\bhelium\b|\bnitrogen\b|\boxygen\b|\bhydrogen\b|\bargon\b|\bco2\b|"
    r"\bcarbon\s+dioxide\b|\bacetylene\b|\bpropane\b|\bbutane\b"
)
# A "thing" said to fire (能响的铁家伙): a gun
_IRON_THING = r"铁家伙|家伙|铁疙瘩"
_FIRES = r"能响|能打响|打得响|能开火|会响"
# What an engine "drinks" (发电机喝的那个): fuel
_ENGINE = (
    r"发电机|摩托车?|汽车|割草机|油锯|柴油机|拖拉机|\bgenerators?\b|\bchainsaws?\b|"
    r"\blawn\s?mowers?\b"
)
_DRINKS = r"喝的|烧的|\bdrinks\b|\bruns\s+on\b"
# A lead pot with industrial radiography (探伤机里的小铅罐): a sealed radioactive source
_RADIOGRAPHY = r"探伤|射线|辐照|伽马|\bradiograph(?:y|ic)\b|\bgamma\b|\bndt\b"
_LEAD_POT = (
    r"铅罐|铅盒|铅容器|铅皮|\blead\s+(?:pigs?|pots?|containers?|castles?|box(?:es)?|cases?)\b|"
    r"\blead[\s-]lined\b"
)
# Something kept in lead: a radioactive mineral or sample (矿石 样本 铅盒装)
_MINERAL = (
    r"矿石|矿物|原石|样本|标本|石头|\bminerals?\b|\bores?\b|\bsamples?\b|\bspecimens?\b|"
    r"\brocks?\b"
)
# Sharps after use (医院用剩的 针筒): clinical waste
_AFTER_USE = r"用剩|用过|使用过|用完|\bused\b"
_SHARPS = r"针筒|针头|注射器|\bsyringes?\b|\bneedles?\b|\bsharps\b"
# Gas for cooking in a full canister (做饭用的气 满罐)
_COOKING_GAS = r"做饭用的气|做饭的气|烧饭用的气|煮饭用的气|\bcooking\s+gas\b"
_FULL_CANISTER = r"满罐|满瓶|罐|瓶|\bfull\b|\bcanisters?\b|\bcylinders?\b|\btanks?\b"
# Made at home to go off (homemade boom kit): an improvised explosive
_HOMEMADE = r"自制|手工做的|\bhome[\s-]?made\b"
_GOES_OFF = r"爆炸|炸的|\bboom\b|\bbang\b|\bblast\b|\bexplosive\b"
# A form drugs come in, with no label and a purity (白色晶体 (高纯) 无标签)
_NO_LABEL = r"无标签|没有标签|没标签|不带标签|\bno\s+labels?\b|\bunlabell?ed\b"
_BARE_FORM = r"晶体|结晶|粉末|\bcrystals?\b|\bpowder\b"
# Plant matter described as such, dried or for personal use (plant material, dried, 18 g)
_PLANT_MATTER = r"\bplant\s+(?:material|matter)\b"
_DRIED_OR_OWN = r"\bdried\b|\bpersonal\s+use\b"
_PILL_FORM = r"药丸|药片|丸|\bpills?\b|\btabs?\b|\btablets?\b"
# Money at an exchange rate of one to several (一比三的货 百元): counterfeit notes
_RATE = r"(?:一|1)\s*(?:比|[:：])\s*(?:[二三四五六七八九十]|[2-9]|10)(?![\d.:])"
_FAKE_MONEY_GOODS = r"的货|百元|钞票?|\bnotes\b|\bbills\b"
# A weed killer said to kill the roots (烧根的除草水): paraquat
_WEEDKILLER = r"除草|\bweed\s?killers?\b|\bherbicides?\b"
_KILLS_ROOTS = r"烧根|烂根|灭根|断根|连根|寸草不生|一扫光|\bkills?\s+(?:the\s+)?roots\b"

# A pathogen named with a laboratory form it is kept or sent in (结核杆菌 培养物, salmonella
# strain, E. coli culture, covid samples): the annex's 九 (传染性、感染性物质) whatever the
# organism; food cultures are cleared by the FOOD_CULTURE context rule (乳酸杆菌 菌种).
_PATHOGEN = (
    r"病原|病毒|细菌|杆菌|球菌|弧菌|真菌|致病|微生物|沙门氏?菌|大肠杆菌|结核|炭疽|霍乱|鼠疫|新冠|"
    r"流感|乙肝|艾滋|\bhiv\b|\bcovid(?:-?19)?\b|\bsars(?:-cov-2)?\b|\bmers\b|\binfluenza\b|"
    r"\bebola\b|\bsalmonella\b|\be\.?\s?coli\b|\blisteria\b|\bstaph(?:ylococcus)?\b|"
    r"\bstrep(?:tococcus)?\b|\btuberculosis\b|\bmycobacteri(?:um|a)\b|\banthrax\b|\bcholera\b|"
    r"\bplague\b|\bpathogens?\b|\bpathogenic\b|\bbacteri(?:a|al|um)\b|\bvirus(?:es)?\b|"
    r"\bfung(?:al|us|i)\b|\bclostridium\b|\blegionella\b|\bbacillus\b"
)
_LAB_FORM = (
    r"样本|标本|培养物|培养液|培养皿|菌株|毒株|菌种|菌液|分离株|拭子|\bcultures?\b|\bstrains?\b|"
    r"\bisolates?\b|\bspecimens?\b|\bsamples?\b|\bswabs?\b"
)
# ...not a test kit, a vaccine or an unused, sterile or empty container
_NOT_A_SPECIMEN = _word_pattern(
    r"检测|试剂|疫苗|口罩|消毒|杀毒|空的|未使用|无菌|\btest(?:s|ing)?\b|\bkits?\b|"
    r"\bvaccines?\b|\bunused\b|\bsterile\b|\bempty\b|\bsoftware\b"
)

# (item id, telltale); item ids are those of the catalogue (banned_items.csv).
TELLTALES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # new psychoactive substances and other drugs sold under a cover label
    (
        "NA-007",
        _word_pattern(
            r"\bnot\s+for\s+(?:human\s+consumption|plants|bathing|smoking)\b|"
            r"\bresearch\s+chemicals?\b|\blegal\s+highs?\b|\bherbal\s+incense\b|"
            r"\bparty\s+pills\b|\bparty\s+favou?rs\b[^\n]{0,20}\bpills\b"
        ),
    ),
    # a knock-out drug (迷药, 听话水) described by its effect or by having no taste
    (
        "NA-003",
        _word_pattern(
            r"无色无味[^\n]{0,10}?(?:水|液|药|粉)|喝了就睡|一喝就倒|"
            r"\b(?:sleepy|sleeping|knock[\s-]?out)\s+(?:water|drops|liquid)\b|"
            r"\bcolou?rless[\s,]+(?:and\s+)?(?:tasteless|odou?rless)\b"
        ),
    ),
    # home-grown "special" leaves
    ("NA-001", _word_pattern(r"(?:特殊|自种|自己种)[^\n]{0,6}?(?:茶叶|烟叶|草|叶子)")),
    (
        "CU-003",
        _word_pattern(
            r"\bpass(?:es)?\s+(?:the\s+)?(?:pen|uv|marker)\s+tests?\b|能过验钞机|过验钞机"
        ),
    ),
    (
        "CU-004",
        _word_pattern(
            r"\bnovelty\s+(?:ids?|driver'?s?\s+licen[cs]es?|passports?)\b|"
            r"\bscannable\s+(?:ids?|licen[cs]es?)\b"
        ),
    ),
    # a stun device sold for self-defence by its voltage or its shock
    (
        "KN-005",
        _word_pattern(
            rf"{_SELF_DEFENCE}[^\n]{{0,30}}?{_SHOCK}|{_SHOCK}[^\n]{{0,30}}?{_SELF_DEFENCE}"
        ),
    ),
    # a barrel named by its calibre, a solvent trap (a suppressor kit)
    (
        "FA-002",
        _word_pattern(
            r"\b(?:\d{1,2}(?:\.\d+)?\s?mm|\.\d{2,3}|\d{2,3}\s?cal)\s+barrels?\b|\bsolvent\s+traps?\b"
        ),
    ),
    # a camera or a listening device sold as hidden or needing no installation
    (
        "EP-002",
        _word_pattern(
            rf"{_HIDDEN_ZH}[^\n]{{0,10}}?{_DEVICE_ZH}|{_DEVICE_ZH}[^\n]{{0,10}}?{_HIDDEN_ZH}"
        ),
    ),
    # petrol by its grade and a volume in litres (92# 20L, 92号 20升)
    (
        "FL-001",
        _word_pattern(
            r"(?<![\d.#第])(?:89|92|95|98)\s*(?:#|号)\s*(?:汽油\s*)?\d+(?:\.\d+)?\s*(?:l\b|升)"
        ),
    ),
    # publications that incite hatred, separatism or terror (the annex, 十三; 出版管理条例 第25条)
    (
        "PB-002",
        _word_pattern(
            r"(?:煽动|宣扬)[\u4e00-\u9fff]{0,6}?(?:仇恨|分裂|暴力|恐怖|极端)[\u4e00-\u9fff]{0,3}?"
            r"(?:出版物|宣传品|书籍|书刊|传单|光盘|视频|图书)|"
            r"\b(?:publications?|leaflets?|pamphlets?|books?|videos?|materials?)\s+"
            r"(?:inciting|that\s+incite|promoting)\s+(?:ethnic\s+|racial\s+|religious\s+)?"
            r"(?:hatred|separatism|terrorism|violence)\b"
        ),
    ),
    # a firework cake or roll by its number of shots
    ("EX-002", _word_pattern(r"\b\d+[\s-]?shots?\s+(?:rolls?|cakes?|barrages?|repeaters?)\b")),
    ("NA-001", _word_pattern(_PARTY_POWDER)),
    # what sets off a blast (起爆的小铜管, detonating caps)
    (
        "EX-001",
        _word_pattern(
            r"(?:起爆|引爆)(?:用)?的?\s*小?(?:铜管|管|帽|药)|\bdetonat(?:ing|or)\s+(?:caps?|tubes?)\b"
        ),
    ),
    # a device that sends text messages in bulk from a car: a fake base station (短信群发
    # 车载设备; 无线电管理条例), not a bulk-messaging service
    ("OT-002", _word_pattern(r"短信群发[\u4e00-\u9fff]{0,3}?(?:设备|主机|基站|发射器|器)")),
    # a camera or a microphone hidden inside something else (camera hidden in a smoke detector)
    (
        "EP-002",
        _word_pattern(
            r"\b(?:cameras?|lens(?:es)?|recorders?|microphones?|mics?)\s+"
            r"(?:hidden|concealed|disguised|built)\s+(?:in|inside|into|as)\b"
        ),
    ),
    # rifling: only a gun barrel has it (发射管 膛线款)
    ("FA-002", _word_pattern(r"膛线|\brifled\s+barrels?\b|\brifling\b")),
    # an acid that etches glass or metal: hydrofluoric and other strong acids (蚀刻玻璃的酸)
    (
        "CO-001",
        _word_pattern(
            r"(?:蚀刻|刻蚀|腐蚀|溶解)[\u4e00-\u9fff]{0,4}?的?强?酸(?![奶菜梅枣辣甜味])|"
            r"\b(?:glass|metal)[\s-]etching\s+acid\b|\bacid\s+(?:for|that)\s+etch"
        ),
    ),
    # films for adults (大人看的小电影, adults-only videos)
    (
        "PB-001",
        _word_pattern(
            r"(?:大人|成人|成年人|男人)看的[\u4e00-\u9fff]{0,3}?(?:电影|影片|视频|片子?|碟|光盘)|"
            r"\b(?:adults?[\s-]only|for\s+adults)\s+(?:movies?|films?|videos?|dvds?)\b"
        ),
    ),
    # gas for balloons, or a "happy" gas: nitrous oxide or helium (开心气球的气, laughing gas)
    (
        "GA-001",
        _word_pattern(
            r"气球的?气(?![嘴筒泵门针])|(?:开心|快乐|嗨)的?气(?![球质候味温色氛场])|"
            r"\b(?:happy|laughing|balloon|party)\s+gas\b"
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class CuePair:
    """Two cues in either order, at most `gap` characters apart, with no break between.
    `cue` is the rarer one: the other is looked for only where it is found."""

    item_id: str
    cue: str
    other: str
    gap: int = 16
    breaks: re.Pattern[str] = _ENTRY_BREAK
    ordered: bool = False  # the cue only before the other
    unless: re.Pattern[str] | None = None  # never when this is in the same entry

    def find(self, text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
        cues = list(re.finditer(self.cue, text, re.ASCII))
        others = list(re.finditer(self.other, text, re.ASCII)) if cues else []
        for cue in cues:
            for other in others:
                if self.ordered and other.start() < cue.start():
                    continue
                lo, hi = (other, cue) if other.start() < cue.start() else (cue, other)
                between = text[lo.end() : hi.start()]
                if hi.start() < lo.end() or len(between) > self.gap or self.breaks.search(between):
                    continue
                if self.unless is not None and self._entry_has_unless(text, lo.start(), hi.end()):
                    continue
                yield self.item_id, text[lo.start() : hi.end()], (lo.start(), hi.end())
                break

    def _entry_has_unless(self, text: str, start: int, end: int) -> bool:
        """Is the `unless` pattern in the list entry around text[start:end]?"""
        assert self.unless is not None
        left = max((b.end() for b in self.breaks.finditer(text, 0, start)), default=0)
        after = self.breaks.search(text, end)
        return self.unless.search(text, left, after.start() if after else len(text)) is not None


CUE_PAIRS: tuple[CuePair, ...] = (
    # drugs: a form with a wink, or with a use only a drug has
    CuePair("NA-001", _WINK, _DRUG_FORM, 24, _LINE_BREAK),
    CuePair("NA-001", _SMOKED, _HERB),
    CuePair("NA-001", _LICKED, _BLOTTER),
    CuePair("NA-001", _CLUBBING, _CLUB_FORM, 12),
    CuePair("NA-001", _STIMULANT, _WHITE_POWDER),
    CuePair("NA-001", r"派对", r"药丸|小药片|摇头", 8),
    # a knife with a feature of a controlled knife (管制刀具认定标准: 血槽, a locking blade)
    CuePair("KN-001", _KNIFE_FEATURE, _KNIFE, 12),
    # money and papers that pass for the real thing
    CuePair("CU-003", _PASSES, _MONEY, 20),
    CuePair("CU-004", _PASSES, _PAPERS, 20),
    # a noise with a festival: fireworks
    CuePair("EX-002", _BANG, _FESTIVAL, 12),
    # for hunting, long or coming apart: a gun
    CuePair("FA-001", _LONG_OR_APART, _HUNTING, 8),
    # hears next door, or button-sized: a listening device
    CuePair("EP-002", _NEXT_DOOR, _HEARS, 6),
    CuePair("EP-002", _BUTTON_SIZED, _GADGET, 8),
    # something that sets off a Geiger counter: radioactive ore
    CuePair("RA-002", _GEIGER, _SETS_OFF, 12, _LINE_BREAK),
    # an endangered animal's part in plain words (大象牙齿, elephant teeth)
    CuePair("EN-001", _ANIMAL, _PART, 2, ordered=True),
    # a carving of tusk or horn said to be genuine (carved tusk, not resin; 牙雕 真品)
    CuePair("EN-001", _CARVING, _GENUINE, 12),
    # a spray for self-defence: pepper spray (女生防身辣椒水喷罐)
    CuePair("KN-005", _SELF_DEFENCE, _SPRAY, 8),
    # a powder or charge for a quarry or blasting: an explosive (采石场用开山药)
    CuePair("EX-001", _BLASTING, _CHARGE, 3, ordered=True),
    # lit by hand with sparks or a fountain: a firework (手持点燃喷花棒)
    CuePair("EX-002", _LIT, _SPARKS, 4),
    # a rat poison with the telltale of a banned one (灭鼠药 无色无味)
    CuePair("TX-002", _RODENT, _POTENT, 12),
    # a seasoning with the shell added: poppy shells (火锅底料 加了壳)
    CuePair("NA-005", _SHELL_ADDED, _SEASONING, 8),
    # one-to-one or factory-original brand goods: counterfeit (原单大牌包 1:1做工)
    CuePair("IP-002", _ONE_TO_ONE, _BRAND_GOODS, 8),
    # rounds by a metal head and a calibre, or a street name of rounds with a metal head
    CuePair("FA-003", _METAL_HEAD, _CALIBRE, 12, unless=_HARDWARE),
    CuePair("FA-003", _ROUND_SLANG, _METAL_HEAD, 6),
    # the stuff for blasting a quarry: an explosive (开山用的料)
    CuePair("EX-001", _BLAST_USE, _STUFF, 6),
    # sharpened and double-edged: a controlled knife (开过刃的双刃小家伙)
    CuePair("KN-004", _SHARPENED, _EDGED, 8),
    # a book printed without the right to: a pirated copy (影印的畅销书 无版权)
    CuePair("IP-001", _NO_RIGHTS, _BOOK, 12),
    # a publication without a book number (没书号的内部小册子), not a notebook
    CuePair("PB-001", _NO_ISBN, _BOOK, 8),
    # a matchbox's striking strip: red phosphorus (火柴盒侧边那层料)
    CuePair("FL-002", _MATCHBOX, _STRIKER, 6),
    # a pipe or a pot for smoking: drug paraphernalia (抽的管子, 吸的玻璃壶)
    CuePair("NA-004", _FOR_SMOKING, _PIPE, 6),
    # a pot with two tubes: an "ice pot" for smoking methamphetamine (玻璃壶 带两根管)
    CuePair("NA-004", r"两根管|两根吸管|两个管|\btwo\s+tubes\b", r"壶|瓶|\bbottles?\b", 8),
    # a cylinder said to hold pressure: a compressed gas (带压力的钢瓶)
    CuePair("GA-002", _UNDER_PRESSURE, _CYLINDER, 4, ordered=True),
    # a "thing" said to fire: a gun (能响的铁家伙)
    CuePair("FA-001", _FIRES, _IRON_THING, 6),
    # what an engine drinks: fuel (发电机喝的那个)
    CuePair("FL-001", _ENGINE, _DRINKS, 4, ordered=True),
    # a lead pot with radiography: a sealed radioactive source (探伤机里的小铅罐)
    CuePair("RA-001", _RADIOGRAPHY, _LEAD_POT, 8),
    # money at a rate of one to several: counterfeit notes (一比三的货 百元)
    CuePair("CU-003", _RATE, _FAKE_MONEY_GOODS, 6),
    # an official seal carved to order: a forged seal (刻章 (公章), 私刻财务章)
    CuePair("CU-002", r"刻章|私刻|代刻|刻制|刻个", r"公章|财务章|合同章|发票专用章|法人章", 6),
    # a pathogen with a laboratory form: an infectious substance (结核杆菌 培养物)
    CuePair("BI-002", _PATHOGEN, _LAB_FORM, 6, unless=_NOT_A_SPECIMEN),
    # a weed killer that kills the roots: paraquat (烧根的除草水)
    CuePair("TX-001", _KILLS_ROOTS, _WEEDKILLER, 8),
    # a named gas in a cylinder: a compressed gas (氦气 钢瓶)
    CuePair("GA-002", _CYLINDER, _GAS_NAME, 12),
    # a hunting tool with a scope: a gun (打鸟用具 带瞄准镜)
    CuePair("FA-001", _SCOPE, _HUNTING, 8),
    # a camera that sees into other people's rooms: a covert camera
    CuePair("EP-002", _SEES_OTHERS, _GADGET, 10),
    # a mineral or a sample kept in lead: a radioactive one
    CuePair("RA-002", _LEAD_POT, _MINERAL, 24),
    # syringes or needles after use: clinical waste
    CuePair("BI-003", _AFTER_USE, _SHARPS, 8),
    # cooking gas in a full canister: a compressed gas
    CuePair("GA-001", _COOKING_GAS, _FULL_CANISTER, 6),
    # made at home to go off: an improvised explosive
    CuePair("EX-001", _HOMEMADE, _GOES_OFF, 6, ordered=True),
    # a crystal or powder with no label: a drug until a person reads it
    CuePair("NA-001", _NO_LABEL, _BARE_FORM, 24, _LINE_BREAK),
    # plant matter, dried or for personal use: cannabis until a person looks
    CuePair("NA-001", _PLANT_MATTER, _DRIED_OR_OWN, 24, _LINE_BREAK),
    # pills for staying awake: a stimulant
    CuePair("NA-001", _STIMULANT, _PILL_FORM, 6),
    # a horn or tusk carving named with the animal after it (carved horn (rhino))
    CuePair("EN-001", r"\bcarved\s+(?:horns?|tusks?)\b|雕刻的?角", _ANIMAL, 12),
)
# Any rare cue at all: most declarations have none, and are read once for them. Without
# word boundaries and lookbehinds, which would make the search try every cue at every
# character; the pairs themselves check them.
_ANY_CUE = _word_pattern(
    "|".join(dict.fromkeys(re.sub(r"\\b|\(\?<!.\)", "", pair.cue) for pair in CUE_PAIRS))
)


def find_telltales(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(item id, the words found, their span) for each telltale in the normalised text."""
    for item_id, pattern in TELLTALES:
        for found in pattern.finditer(text):
            yield item_id, found.group(), found.span()
    if _ANY_CUE.search(text):
        for pair in CUE_PAIRS:
            yield from pair.find(text)
