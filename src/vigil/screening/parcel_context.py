"""Context that clears the harmless: explicit rules, each with an id that is written into the
decision's reasons, so an officer (and the audit log) sees why a banned word did not count.

A rule looks at the words just before or just after a match in the normalised declaration:
- COLOUR: the word names a colour (象牙色, 枪灰色, "ivory-colour", "gun-metal grey");
- SHAPE: it names a shape (子弹形, "bullet-shaped");
- PATTERN: it names a picture or print of the thing (烟花图案, "firework-print");
- TOY, MODEL: a toy or a model of it.

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

    def applies(self, text: str, start: int, end: int) -> str | None:
        """The modifier found around text[start:end], or None."""
        if self.after is not None:
            found = self.after.match(text, end)
            if found:
                return text[start : found.end()]
        if self.before is not None:
            found = self.before.search(text[:start])
            if found:
                return text[found.start() : end]
        return None


_COLOUR_WORDS = (
    r"(?:colou?r(?:ed|s)?|tone[ds]?|shade|hue|white|grey|gray|black|finish|metal(?:lic)?)"
)
CONTEXT_RULES: tuple[ContextRule, ...] = (
    ContextRule(
        "COLOUR",
        "the term names a colour or finish (象牙色, 枪灰色, ivory-colour, gun-metal)",
        after=re.compile(rf"(?:色|[白灰黑黄金银绿红蓝紫棕]色|[\s_-]*{_COLOUR_WORDS}\b)"),
        before=re.compile(r"(?:colou?r|shade|in the colou?r)\s*[:：]?\s*$"),
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


def context_of(
    text: str, start: int, end: int, category: str, rules: Sequence[ContextRule] = CONTEXT_RULES
) -> tuple[Effect, str] | None:
    """The first rule that applies to the match at text[start:end]: its effect on an item of
    this category and a note for the reasons; None when no rule applies."""
    for rule in rules:
        found = rule.applies(text, start, end)
        if found is not None:
            effect = rule.replica_effect if category in REPLICA_CATEGORIES else "clear"
            return effect, f"rule {rule.rule_id}: {found!r} ({rule.description})"
    return None
