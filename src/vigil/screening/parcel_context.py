"""Context that clears the harmless: explicit rules, each with an id that is written into the
decision's reasons, so an officer (and the audit log) sees why a banned word did not count.

A rule looks at the words just before or just after a match in the normalised declaration:
- COLOUR: the word names a colour (象牙色, 枪灰色, "ivory-colour", "gun-metal grey"); never
  for drugs, which are described by their colour ("cocaine white powder");
- COLOURED_GOODS: the word and a colour name the colour of clothes, bags or other goods
  ("ammo green backpack", 火药红 卫衣, 罂粟红口红);
- SHAPE: it names a shape (子弹形, "bullet-shaped");
- PATTERN: it names a picture or print of the thing (烟花图案, "firework-print");
- TOY, MODEL: a toy or a model of it;
- TOOL: "gun" or 枪 names a hand tool or a toy that sprays or shoots something harmless
  (glue gun, scanner gun, massage gun, nail gun, water pistol, 扫码枪, 打胶枪). The annex
  lists firearms and their replicas; a nail gun is a tool, not a weapon, and a water pistol
  is a toy that is not a replica;
- COLOUR_NAME: a material that also names a colour (ivory, coral, tortoiseshell, 象牙,
  珊瑚) used as the colour of clothing, textiles or stationery ("ivory dress",
  "wedding gown in ivory", "coral lipstick"), never of a carving or jewellery;
- NEGATION: the term is named as absent ("alcohol-free", "formaldehyde free", 无酒精,
  不含甲醛); for weapons and explosives it only lowers `refuse` to `inspect` (无烟火药 is
  smokeless powder);
- ACCESSORY: the term is followed by a word for something made to hold, cover, mount or
  test it ("lighter holder", "fire extinguisher bracket", 充电宝保护套, 甲醛检测仪). For
  weapons and explosives this only lowers `refuse` to `inspect` (a holster may hold a gun).
- REPLICA: a weapon in a list item that says toy, model, figure, replica or display
  anywhere ("toy cap-free revolver (plastic)", "1/6 figure rifle accessory", 导弹模型 摆件):
  only lowers `refuse` to `inspect`, never for a replica term itself (仿真手枪);
- MATERIAL: an animal product named as the look of another material ("faux ivory",
  "resin ivory", 仿象牙, 象牙纹理手机壳); endangered species only;
- PRODUCT_NAME: an explosive or a round names a cosmetic, a food or a drink ("cherry bomb
  lip balm", "bullet coffee", 芝士炸弹面包, 子弹杯 a shot glass); weapons and explosives only;
- TITLE: the term is inside 《》, the title of a book, film or song (《枪炮、病菌与钢铁》);
  never for illegal publications;
- MEDIA_TITLE: the term is followed within a few words by a media format (Cocaine Bear
  DVD, Bullet Train Blu-ray, Dynamite CD single); never for illegal publications or
  pirated copies;
- MEDICINE: an acid named as the salt of a medicine (盐酸二甲双胍片);
- FOOD_CULTURE: a culture or strain for food, drink or growing mushrooms (酸奶菌种,
  yogurt starter cultures, 食用菌菌种): infectious substances only;
- KITCHEN_KNIFE: "knife" named by a kitchen, table or craft use (fish scaler knife, oyster
  knife, paring knife): only the generic knife, never a controlled knife's own name;
- BRAND_NAME: the term is a brand, followed by 牌 or "brand" and the goods (子弹头牌 电动牙刷,
  Bullet brand blender); never drugs or counterfeits;
- TRAINING_NOTES: 练功券 for counting practice at a bank (点钞练功券 银行培训用), never
  when said to circulate (可流通);
- PEER_TO_PEER: "p2p" in a list item about networking, lending or a camera's connection
  (P2P file-sharing router, p2p lending, P2P摄像头) names peer-to-peer, not
  phenyl-2-propanone; never where the item gives a volume, a mass or a chemical word
  (P2P 500ml, p2p liquid).

Colour, shape and pattern clear the match. A toy or a model clears it too, except for
weapons and explosives, whose replicas the catalogue itself bans (附件 一、枪支（含仿制品）):
there the rule only lowers `refuse` to `inspect`, so that a person looks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Effect = Literal["clear", "inspect"]
# Categories where a toy or model may still be a replica the annex bans.
REPLICA_CATEGORIES = frozenset(
    {"firearms & ammunition", "controlled knives & weapons", "explosives & fireworks"}
)


@dataclass(frozen=True, slots=True)
class ContextRule:
    rule_id: str
    description: str
    after: re.Pattern[str] | None = None  # matched right after the term
    before: re.Pattern[str] | None = None  # matched against the text up to the term
    replica_effect: Effect = "clear"  # the effect on weapons and explosives
    terms: frozenset[str] | None = None  # only these matched words, when given
    # a marker anywhere in the list item that holds the term ("1/6 figure rifle accessory")
    item: re.Pattern[str] | None = None
    categories: frozenset[str] | None = None  # only items of these categories, when given
    not_categories: frozenset[str] = frozenset()  # never items of these categories
    both: bool = False  # `before` and `after` must both match (the term is enclosed)
    unless: re.Pattern[str] | None = None  # never a matched term that this finds
    item_unless: re.Pattern[str] | None = None  # never where the list item holds this

    def applies(self, text: str, start: int, end: int, category: str = "") -> str | None:
        """The modifier found around text[start:end], or None."""
        if self.terms is not None and text[start:end] not in self.terms:
            return None
        if self.categories is not None and category not in self.categories:
            return None
        if category in self.not_categories:
            return None
        if self.unless is not None and self.unless.search(text, start, end):
            return None
        if self.item_unless is not None:
            lo, hi = _item_bounds(text, start, end)
            if self.item_unless.search(text[lo:start]) or self.item_unless.search(text[end:hi]):
                return None
        if self.both and self.before is not None and self.after is not None:
            opened = self.before.search(text[:start])
            closed = self.after.match(text, end)
            return text[opened.start() : closed.end()] if opened and closed else None
        if self.item is not None:
            lo, hi = _item_bounds(text, start, end)
            for part in (text[lo:start], text[end:hi]):
                found = self.item.search(part)
                if found:
                    return text[lo:hi].strip()
        if self.after is not None:
            found = self.after.match(text, end)
            if found:
                return text[start : found.end()]
        if self.before is not None:
            found = self.before.search(text[:start])
            if found:
                return text[found.start() : end]
        return None


# What ends one item of a declared list: a line, a comma or semicolon, a slash, a plus.
_ITEM_BREAK = re.compile(r"[\n,;，、；。|/]|\s\+\s|\s-\s")


def _item_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The list item around text[start:end]: from the last break before it to the next."""
    lo = 0
    for found in _ITEM_BREAK.finditer(text, 0, start):
        lo = found.end()
    after = _ITEM_BREAK.search(text, end)
    return lo, after.start() if after else len(text)


_COLOUR_WORDS = (
    r"(?:colou?r(?:ed|s)?|tone[ds]?|shade|hue|white|grey|gray|black|finish|metal(?:lic)?)"
)
CONTEXT_RULES: tuple[ContextRule, ...] = (
    ContextRule(
        "COLOUR",
        "the term names a colour or finish (象牙色, 枪灰色, ivory-colour, gun-metal)",
        after=re.compile(rf"(?:色|[白灰黑黄金银绿红蓝紫棕]色|[\s_-]*{_COLOUR_WORDS}\b)"),
        before=re.compile(r"(?:colou?r|shade|in the colou?r)\s*[:：]?\s*$"),
        # drugs are described by their colour (cocaine white powder, 大麻绿): not a colour
        not_categories=frozenset({"narcotics & psychotropics"}),
    ),
    ContextRule(
        "SHAPE",
        "the term names a shape (子弹形, 手雷造型, bullet-shaped)",
        after=re.compile(r"(?:形状|形|状|造型|[\s_-]*(?:shaped|shape)\b)"),
    ),
    ContextRule(
        "PATTERN",
        "the term names a picture or print of the thing (烟花图案, firework-print, poster)",
        after=re.compile(
            r"(?:图案|印花|贴纸|海报|主题|图片|纹样|挂件|钥匙扣|"
            r"(?:[\s_-]+(?:leaf|leaves|silhouette|icon|skull|outline))?"
            r"[\s_-]*(?:print(?:s|ed)?|pattern(?:s|ed)?|stickers?|decals?|posters?|motifs?|"
            r"logo|design|pictures?|keychain|keyring|charm|pendant|costume|emoji|graphic)\b)"
        ),
        before=re.compile(r"(?:printed|print of|picture of|poster of|印有|画着)\s*$"),
    ),
    ContextRule(
        "TOY",
        "the term is part of a toy (玩具, 毛绒, toy, plush, lego)",
        # Chinese puts 玩具 first (玩具手枪); 玩具 after a term is usually the next item of
        # a list run together ("镭 玩具若干"), so only English reads a toy after the term.
        after=re.compile(r"[\s_-]*(?:toys?|plush(?:ie)?|plaything)\b"),
        before=re.compile(
            r"(?:玩具|毛绒|积木|乐高|儿童|(?:\b(?:toy|plush|lego|kids'?|children'?s|foam|nerf)"
            r"[\s_-]*))$"
        ),
        replica_effect="inspect",
    ),
    ContextRule(
        "MODEL",
        "the term names a model or figure of the thing (模型, 手办, scale model, figurine)",
        # 模型 must end the item (穿山甲模型, 象牙模型摆件), not start the next (模型车).
        after=re.compile(
            r"(?:(?:模型|手办)(?=$|[\s\d,，、;；/摆一两二三四五六七八九十个件套只])|摆件|"
            r"[\s_-]*(?:models?|figurines?|miniatures?)\b)"
        ),
        before=re.compile(r"(?:\b(?:scale|miniature|model)[\s_-]*)$"),
        replica_effect="inspect",
    ),
)


# Things that are coloured, not made of, a material: clothes, textiles, paper, paint, shoes.
_COLOURED_GOODS = (
    r"(?:dress(?:es)?|gowns?|wedding|bridal|bridesmaid|shirts?|blouses?|skirts?|sweaters?|"
    r"cardigans?|jumpers?|hoodies?|t-shirts?|tee|tops?|jackets?|coats?|blazers?|suits?|"
    r"trousers|pants|jeans|leggings|shorts|socks|tights|scarf|scarves|hats?|caps?|gloves|"
    r"shoes|heels|pumps|sneakers|boots|sandals|slippers|curtains?|drapes|blinds|bedding|"
    r"sheets?|duvet|quilt|blankets?|throws?|cushions?|pillows?|pillowcases?|rugs?|carpets?|"
    r"towels?|tablecloths?|napkins?|runners?|lace|silk|satin|linen|cotton|velvet|chiffon|"
    r"tulle|fabric|cloth|yarn|wool|thread|ribbons?|paper|cardstock|card|cards|envelopes?|"
    r"glasses|sunglasses|frames?|eyewear|hair[\s_-]*(?:clips?|claws?|pins?)|claw[\s_-]*clips?|"
    r"barrettes?|"
    r"invitations?|paint|emulsion|lipsticks?|nail|polish|eyeshadow|blush|candles?|tiles?|"
    r"sofa|couch|handbag|wallet|backpack|cushion|phone[\s_-]*(?:cases?|covers?)|"
    r"watch[\s_-]*(?:straps?|bands?)|notebooks?|journals?|planners?|diary|mugs?|umbrellas?|"
    r"laptop[\s_-]*sleeves?|tote[\s_-]*bags?|totes?|headphones|earbuds|keyboards?)"
)
_COLOURED_GOODS_ZH = (
    r"(?:连衣裙|婚纱|礼服|衬衫|裙子?|毛衣|外套|西装|裤子?|袜子?|帽子?|围巾|手套|鞋子?|窗帘|床单|"
    r"被套|枕套|抱枕|毛巾|桌布|布料|面料|毛线|丝带|纸|卡纸|信封|油漆|乳胶漆|口红|唇膏|指甲油|"
    r"蜡烛|瓷砖|沙发|发夹|发卡|抓夹|眼镜|镜框|镜架|手机壳|表带|笔记本|雨伞|马克杯|卫衣|T恤)"
)
_FABRIC_ZH = r"缎面|丝绒|丝质|真丝|纯棉|棉麻|雪纺|针织|蕾丝|亚麻|灯芯绒|长款|短款|中长款|修身|宽松"
_NEGATION_AFTER = re.compile(
    r"(?:[\s_-]*-[\s_]*free\b|[\s_]+free\b(?![\s_-]*(?:gifts?|samples?|shipping|delivery|trial)))"
)
_NEGATION_BEFORE = re.compile(r"(?:无|不含|零添加|零|(?:\bnon|\bzero|\bwithout)[\s_-]+)$")
_ACCESSORY_AFTER = re.compile(
    r"(?:[\s_-]*(?:holders?|stands?|racks?|mounts?|brackets?|covers?|sleeves?|filters?|"
    r"organi[sz]ers?|testers?|detectors?|sensors?|alarms?|signs?|labels?|test[\s_-]*(?:kits?|"
    r"strips?))\b|收纳架|支架|挂架|保护套|保护壳|防尘罩|外壳|检测仪|测试仪|检测盒|测试盒|"
    r"报警器|标识牌|标识|标志牌|检测试剂|检测卡|试剂盒|试纸|检测笔|鉴别笔|识别器|鉴别器|验钞机|"
    r"滤芯|滤清器|滤网)"
)
TOOL_NAMES = frozenset({"gun", "guns", "pistol", "pistols", "枪"})
COLOUR_NAMES = frozenset(
    {"ivory", "coral", "red coral", "tortoiseshell", "象牙", "珊瑚", "红珊瑚", "玳瑁"}
)
CONTEXT_RULES += (
    ContextRule(
        "TOOL",
        "gun or 枪 names a tool or a harmless toy (glue gun, nail gun, scanner gun, "
        "water pistol, 扫码枪, 打胶枪)",
        before=re.compile(
            r"(?:\b(?:hot[\s_-]*glue|glue|scanner|scan(?:ning)?|barcode|bar[\s_-]*code|qr|"
            r"massage|fascia|percussion|muscle|nail|brad|staple|stapler|caulk(?:ing)?|sealant|"
            r"silicone|grease|spray|paint|airbrush|heat|hot[\s_-]*air|soldering|solder|rivet|"
            r"tag(?:ging)?|label|price|bubble|water|squirt|foam|temperature|thermometer|"
            r"infrared|piping|icing|tattoo|dust|pressure[\s_-]*washer|washer|cleaning|"
            r"steam|glitter|confetti|radar|speed|label(?:ling)?|tyre|tire|inflator|"
            r"hot[\s_-]*melt|flash)[\s_-]*)$"
            r"|(?:扫码|扫描|条码|胶|打胶|玻璃胶|热熔胶|钉|射钉|打钉|气钉|铆钉|拉铆|黄油|喷漆|喷|焊|"
            r"热风|按摩|筋膜|测温|额温|体温|泡泡|水|喷水|打标|标价|吹尘|除尘|蒸汽|发泡|美缝|订书|"
            r"纹身|裱花|清洗|洗车|彩带|吹风|电焊|风|油)$"
        ),
        terms=TOOL_NAMES,
    ),
    ContextRule(
        "COLOUR_TINT",
        "a material that names a colour, with a tint after it, names the colour of goods "
        "(象牙黄台灯罩, 珊瑚粉口红)",
        after=re.compile(r"[白灰黄米金银粉红橙棕](?=\s*[\u4e00-\u9fff])"),
        terms=COLOUR_NAMES,
    ),
    ContextRule(
        "SOAKED_PAD",
        "a liquid soaked into a pad, wipe or swab (酒精棉片, 酒精湿巾, alcohol prep pads)",
        after=re.compile(
            r"(?:棉片|棉球|棉签|湿巾|消毒片|擦片|消毒棉|"
            r"[\s_-]*(?:prep[\s_-]*)?(?:pads?|wipes?|swabs?|swabsticks?|towelettes?)\b)"
        ),
        categories=frozenset({"flammable liquids"}),
    ),
    ContextRule(
        "COLOUR_NAME",
        "a material that names a colour, used as the colour of clothes, textiles or "
        "stationery (ivory dress, dress in ivory, 象牙连衣裙)",
        after=re.compile(
            rf"(?:[\s_-]*(?:and[\s_-]+\w+[\s_-]+)?{_COLOURED_GOODS}\b|{_COLOURED_GOODS_ZH})"
        ),
        before=re.compile(rf"\b{_COLOURED_GOODS}\s+in\s+(?:(?:soft|warm|pale|light)\s+)?$"),
        terms=COLOUR_NAMES,
    ),
    ContextRule(
        "NEGATION",
        "the term is named as absent (alcohol-free, formaldehyde free, 无酒精, 不含甲醛)",
        after=_NEGATION_AFTER,
        before=_NEGATION_BEFORE,
        replica_effect="inspect",  # 无烟火药 is smokeless powder, not "no fireworks"
    ),
    ContextRule(
        "ACCESSORY",
        "the term names what an accessory holds, covers, mounts or tests (lighter holder, "
        "fire extinguisher bracket, 充电宝保护套, 甲醛检测仪)",
        after=_ACCESSORY_AFTER,
        replica_effect="inspect",
    ),
)

# A power tool named after the grip it shares with a pistol (手枪钻, pistol-grip drill).
_POWER_TOOL_AFTER = re.compile(
    r"(?:式?(?:电钻|钻|起子|螺丝刀|扳手|电锤|锯|砂光机|打磨机|抛光机|角磨机|喷头|喷嘴|吹风机|手电)"
    r"|[\s_-]*(?:grip|style|type)\b(?:[\s_-]+[a-z]+){0,2}?[\s_-]+(?:drills?|drivers?|saws?|"
    r"sanders?|sprayers?|nozzles?|grinders?|wrench(?:es)?|staplers?|flashlights?|torch(?:es)?|"
    r"dryers?|polishers?|hoses?)\b)"
)
# A lithium battery within the carriage limit of 100 Wh (27,000 mAh at the nominal 3.7 V of
# a lithium-ion cell), or one inside the goods it powers (蓝牙耳机 含锂电池).
_BATTERY_WITHIN_LIMIT = re.compile(
    r"(?<![\d.])(?:(?:[1-9]?\d(?:\.\d+)?|100)\s*wh|"
    r"(?:[1-9]\d{0,3}|1\d{4}|2[0-6]\d{3}|27000)\s*mah)(?![a-z])"
)
CONTEXT_RULES += (
    ContextRule(
        "POWER_TOOL",
        "a power tool named after its pistol grip (手枪钻, pistol-grip drill)",
        after=_POWER_TOOL_AFTER,
        terms=TOOL_NAMES | {"手枪"},
        categories=frozenset({"firearms & ammunition"}),
        replica_effect="clear",
    ),
    ContextRule(
        "BATTERY_LIMIT",
        "a lithium battery within 100 Wh (27,000 mAh at 3.7 V), or one inside the goods it "
        "powers (含锂电池)",
        item=_BATTERY_WITHIN_LIMIT,
        before=re.compile(
            r"(?:含|内含|内置|自带|附带|\b(?:with|built-in|built in|includes?)\s)\s*$"
        ),
        categories=frozenset({"lithium batteries & power banks"}),
    ),
)

# Words that make a weapon in the same list item a toy, a model or a display piece.
_REPLICA_MARKERS = re.compile(
    r"\b(?:toys?|models?|replicas?|figures?|figurines?|miniatures?|props?|cosplay|lego|"
    r"bricks|die[\s-]?cast|scale|display|decorative|ornaments?|dummy|inert|nerf|foam|"
    r"keychains?|keyrings?|costume)\b|\b1\s*[/:]\s*\d{1,3}\b|"
    r"玩具|模型|手办|积木|乐高|道具|摆件|兵人|拼装|儿童|装饰|挂件|钥匙扣|周边|cos"
)
# Materials that imitate an animal product, before or after its name (faux ivory, 树脂象牙,
# ivory-effect, 象牙纹理).
_IMITATION_BEFORE = re.compile(
    r"(?:\b(?:faux|imitation|artificial|synthetic|simulated|man[\s-]?made|vegan|resin|"
    r"plastic|acrylic|celluloid|printed|fake)[\s_-]*|(?:仿|人造|人工|合成|树脂|塑料|亚克力|印花)的?)$"
)
_IMITATION_AFTER = re.compile(
    r"(?:纹理|纹路|纹|质感|效果|[\s_-]*(?:effect|look|like|textured?|pattern|grain|finish)\b)"
)
# Cosmetics, food and drink named after something explosive (cherry bomb lip balm,
# gunpowder green tea, 炸弹 burger is a dish).
_PRODUCT_AFTER = re.compile(
    r"[\s_-]*(?:(?:[a-z]+[\s_-]+)?(?:lip[\s_-]*(?:balm|gloss|stick|tint|oil)|lipsticks?|"
    r"nail[\s_-]*polish|perfume|fragrance|eau[\s_-]+de|body[\s_-]*(?:mist|spray|wash)|"
    r"shampoo|lotion|soap|candles?|tea|coffee|sauce|chill?i(?:e?s)?|chiles?|peppers?|gum|"
    r"candy|cocktail|"
    r"smoothie|burger|sundae|beer|wine|shot[\s_-]*glass))\b"
    # the same in Chinese: 芝士炸弹面包, 子弹杯 (a shot glass), 炸弹饮料
    r"|\s*(?:面包|蛋糕|饼干|汉堡|披萨|奶茶|咖啡|饮料|鸡尾酒|冰淇淋|糖果|巧克力|杯|口红|唇膏|香水)"
)
# Films, books and records named by their title ("Cocaine Bear DVD", "Bullet Train
# Blu-ray", "BTS Dynamite CD single", "The Opium War (history book)"): a media format a
# few words after the term, on the same line.
_MEDIA_AFTER = re.compile(
    r"(?:[ \t_-]+[a-z0-9'’]+){0,3}?[ \t_(-]+(?:dvds?|blu[\s_-]?rays?|cds?|vinyl|lps?|vhs|"
    r"paperback|hardcover|hardback|novels?|audiobooks?|e-?books?|soundtracks?|ost|albums?|"
    r"(?:history|text)[\s_-]*books?|biography|"
    r"box[\s_-]?sets?|posters?|(?:the[\s_-]+)?(?:movie|film)s?)\b"
    # the format in Chinese after a Latin title (BTS Dynamite 专辑 CD)
    r"|(?:[ \t_-]+[a-z0-9'’]+){0,3}?[ \t_(-]*(?:专辑|唱片|原声带|蓝光碟?)"
)
_MEDICINE_AFTER = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:缓释片|肠溶片|分散片|片|胶囊|颗粒|注射液|口服液|滴眼液|滴鼻液|"
    r"软膏|乳膏|凝胶|喷雾剂|糖浆|栓|口服溶液|溶液|滴剂|混悬液|注射剂|冲剂|丸)"
)
_COLOUR_NAME_EN = (
    r"green|red|blue|brown|yellow|pink|purple|orange|beige|khaki|olive|navy|teal|cream|tan|"
    r"white|black|grey|gray"
)
CONTEXT_RULES += (
    ContextRule(
        "COLOURED_GOODS",
        "the term and a colour word name the colour of clothes, bags or other goods "
        "(ammo green backpack, 火药红 卫衣, 罂粟红口红)",
        after=re.compile(
            # a fabric or a cut may stand between (烟花紫 缎面连衣裙)
            rf"(?:[白灰黑黄绿红蓝紫棕橙青粉金银]色?\s*(?=(?:{_FABRIC_ZH})?{_COLOURED_GOODS_ZH})"
            rf"|[\s_-]+(?:{_COLOUR_NAME_EN})[\s_-]+(?={_COLOURED_GOODS}\b))"
        ),
    ),
    ContextRule(
        "VEHICLE",
        "a round or a missile names the shape of a train or another vehicle (bullet train, "
        "子弹头列车, rocket car)",
        after=re.compile(
            # ...not a film's title (Bullet Train Blu-ray: the media rule reads that)
            r"[\s_-]*(?:trains?|railways?|shinkansen|trams?|cars?|buses|bus|boats?|bikes?)\b"
            r"(?![\s_-]*(?:blu|dvd|cd|film|movie|vhs|soundtrack))"
            r"|\s*(?:列车|高铁|动车|火车|汽车|跑车|轿车)"
        ),
        categories=frozenset({"explosives & fireworks", "firearms & ammunition"}),
        terms=frozenset({"bullet", "子弹", "子弹头", "rocket"}),
    ),
    ContextRule(
        "REPLICA",
        "a weapon named in a list item that also says toy, model, figure, replica or "
        "display (toy cap-free revolver (plastic), 1/6 figure rifle accessory, 导弹模型 摆件): "
        "a person looks, it is never refused on the word alone",
        item=_REPLICA_MARKERS,
        categories=REPLICA_CATEGORIES,
        replica_effect="inspect",
        # a replica is what the annex bans (一、枪支（含仿制品）): 仿真手枪 stays refused
        unless=re.compile(r"仿真|仿制|replica|imitation"),
    ),
    ContextRule(
        "MATERIAL",
        "an animal product named as the look of another material (faux ivory, resin "
        "ivory, ivory-effect, 仿象牙, 象牙纹理手机壳)",
        after=_IMITATION_AFTER,
        before=_IMITATION_BEFORE,
        categories=frozenset({"endangered species products"}),
    ),
    ContextRule(
        "PRODUCT_NAME",
        "an explosive or a round names a cosmetic, a food or a drink (cherry bomb lip "
        "balm, gunpowder green tea, bullet coffee)",
        after=_PRODUCT_AFTER,
        categories=frozenset({"explosives & fireworks", "firearms & ammunition"}),
    ),
    ContextRule(
        "TITLE",
        "the term is part of the title of a book, film or song, written in 《》 "
        "(《枪炮、病菌与钢铁》); the titles of banned publications are not cleared",
        before=re.compile(r"《[^《》\n]{0,40}$"),
        after=re.compile(r"[^《》\n]{0,40}》"),
        both=True,
        not_categories=frozenset({"illegal publications"}),
    ),
    ContextRule(
        "MEDIA_TITLE",
        "the term is part of the title of a film, book or record named with its format "
        "(Cocaine Bear DVD, Bullet Train Blu-ray, Dynamite CD single); banned publications "
        "and pirated copies are not cleared",
        after=_MEDIA_AFTER,
        not_categories=frozenset({"illegal publications", "counterfeit & infringing goods"}),
    ),
    ContextRule(
        "MEDICINE",
        "an acid named as the salt of a medicine (盐酸二甲双胍片, 硫酸氨基葡萄糖胶囊)",
        after=_MEDICINE_AFTER,
        terms=frozenset({"盐酸", "硫酸", "硝酸", "氢溴酸"}),
    ),
)


_FOOD_CULTURE_BEFORE = re.compile(
    r"(?:(?:酸奶|乳酸|双歧|发酵|酵母|益生|食用|蘑菇|香菇|平菇|金针菇|木耳|酒曲|面包|纳豆|泡菜|米酒)"
    r"(?:杆菌|菌)?\s*|"
    r"\b(?:yogh?urt|kefir|sourdough|kombucha|probiotic|lactobacillus|mushroom|bread|cheese|wine|"
    r"beer)[\s_-]*)$"
)
_KITCHEN_KNIFE_BEFORE = re.compile(
    r"\b(?:fish(?:[\s_-]*scal(?:er|ing))?|scaler|oyster|shucking|fillet(?:ing)?|boning|carving|"
    r"paring|grapefruit|tomato|santoku|bread|cheese|butter|steak|table|dinner|"
    r"cake|pizza|fruit|vegetable|peeling|palette|putty|craft|hobby|plastic|wooden|"
    r"ceramic|chef'?s?|cook'?s?|sushi|sashimi|nakiri|gyuto|slicing|serrated|"
    r"cleaver)[\s_-]*$"
)
# 刀具 named by the kitchen it serves (厨房刀具, 厨用刀具, 西餐刀具)
_KITCHEN_TOOLS_BEFORE = re.compile(r"(?:厨房|厨用|餐厨|西餐|料理|家用厨房)\s*$")
CONTEXT_RULES += (
    ContextRule(
        "FOOD_CULTURE",
        "a culture or strain for food, drink or growing mushrooms (酸奶菌种, yogurt starter "
        "cultures, 食用菌菌种)",
        before=_FOOD_CULTURE_BEFORE,
        after=re.compile(r"\s*(?:发酵剂|发酵粉|引子|[\s_-]*starters?\b)"),
        categories=frozenset({"infectious & biological"}),
    ),
    ContextRule(
        "KITCHEN_KNIFE",
        "a knife named by a kitchen, table or craft use (fish scaler knife, oyster knife, "
        "paring knife)",
        before=_KITCHEN_KNIFE_BEFORE,
        terms=frozenset({"knife", "knives"}),
        replica_effect="clear",
    ),
    ContextRule(
        "KITCHEN_TOOLS",
        "knives named as the kitchen's (厨房刀具, 西餐刀具)",
        before=_KITCHEN_TOOLS_BEFORE,
        terms=frozenset({"刀具"}),
        replica_effect="clear",
    ),
    ContextRule(
        "BRAND_NAME",
        "the term names a brand of other goods (子弹头牌 电动牙刷, Bullet brand blender)",
        after=re.compile(
            r"(?:[\u4e00-\u9fff]?牌(?![照坊匾子位])\s*(?=[\u4e00-\u9fffa-z])|"
            r"[\s_-]+brand\s+(?=[a-z]))"
        ),
        not_categories=frozenset(
            {
                "narcotics & psychotropics",
                "counterfeit & infringing goods",
                "counterfeit currency & documents",
            }
        ),
    ),
    ContextRule(
        "TRAINING_NOTES",
        "practice notes for counting at a bank (点钞练功券 银行培训用); never when said "
        "to circulate",
        # a use for training after it, and no claim in the item that it circulates
        after=re.compile(
            r"(?![^\n,，、;；|]*流通)\s*(?:[（(]\s*)?(?:银行|柜员|财会)?(?:培训|练习|教学|点钞)"
        ),
        terms=frozenset({"练功券"}),
    ),
)


# What makes "p2p" peer-to-peer: networking, lending and the cameras that connect by it.
_PEER_TO_PEER_ITEM = re.compile(
    r"\b(?:network(?:s|ing)?|file[\s_-]*shar(?:e|ing)|shar(?:e|ing)|torrents?|routers?|"
    r"wi-?fi|wireless|lan|ip|cameras?|cams?|webcams?|cctv|nvr|dvr|doorbells?|monitors?|"
    r"surveillance|video|streaming|apps?|software|servers?|clients?|nodes?|protocols?|vpn|"
    r"modems?|adapters?|modules?|chips?|bluetooth|intercoms?|cloud|remote|onvif|ptz|"
    r"lending|loans?|lenders?|finance|financial|fintech|payments?|platforms?|crypto|"
    r"bitcoin|blockchain|trading|invest(?:ing|ment)?|books?|guides?|magazines?)\b|"
    r"网络|组网|网贷|借贷|贷款|理财|金融|平台|摄像头|摄像机|监控|路由器?|无线|远程|云台|"
    r"门铃|传输|共享|下载|对等|模块|芯片|图书|书籍"
)
# ...unless the item reads as the chemical: a volume, a mass, a strength or a chemical word.
_CHEMICAL_ITEM = re.compile(
    r"\d+(?:\.\d+)?\s*(?:ml|l|litres?|liters?|kg|g|mg|gal|oz|%|升|毫升|克|千克|公斤|斤)"
    r"(?![a-z])|\b(?:liquid|oil|chemicals?|reagent|purity|pure|solution|solvent|precursor|"
    r"bottles?|drums?|barrels?|canisters?|cas)\b|液体|试剂|纯度|分析纯|溶液|原料|化工|油"
)
CONTEXT_RULES += (
    ContextRule(
        "PEER_TO_PEER",
        "p2p names peer-to-peer networking, lending or a camera's connection (P2P "
        "file-sharing router, p2p lending, P2P摄像头), not phenyl-2-propanone",
        item=_PEER_TO_PEER_ITEM,
        item_unless=_CHEMICAL_ITEM,
        terms=frozenset({"p2p"}),
        categories=frozenset({"narcotics & psychotropics"}),
    ),
)


def context_of(
    text: str, start: int, end: int, category: str, rules: Sequence[ContextRule] = CONTEXT_RULES
) -> tuple[Effect, str] | None:
    """The first rule that applies to the match at text[start:end]: its effect on an item of
    this category and a note for the reasons; None when no rule applies."""
    for rule in rules:
        found = rule.applies(text, start, end, category)
        if found is not None:
            effect = rule.replica_effect if category in REPLICA_CATEGORIES else "clear"
            return effect, f"rule {rule.rule_id}: {found!r} ({rule.description})"
    return None
