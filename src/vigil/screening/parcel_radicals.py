"""Characters written as their two components (木仓 for 枪, 酉夋 for 酸, 广林 for 麻).

No pinned package ships a character decomposition, so the table is written here: for the
characters of catalogue terms that split into a radical and a second part, each split as a
sender would type it, left-right or top-bottom. A radical that has a standalone form also
counts in that form (金甲 as well as 钅甲, 水由 as well as 氵由, 人叚 as well as 亻叚).
The matcher (parcels._find_radical_splits) reads a split only where it completes a catalogue
term of two characters or more, so 木仓库 (a timber store) is not a gun.
"""

from __future__ import annotations

# "parts char" pairs, grouped by the radical. Written from the characters' structure.
_SPLITS = """
木仓枪 弓单弹 火乍炸 火包炮 米分粉 火因烟 冫水冰 钅十针 石肖硝 亻方仿
酉夋酸 酉享醇 酉同酮 酉旨酯 酉迷醚 酉荃醛 酉分酚 酉先酰 酉昔醋 酉干酐 酉卒醉 氵酉酒
钅甲钾 钅内钠 钅吕铝 钅少钞 钅戋钱 钅安铵 钅孟锰 钅它铊 钅美镁 钅由铀 钅古钴 钅色铯
钅不钚 钅雷镭 钅土钍 钅思锶 钅各铬 钅里锂 钅丐钙 钅贝钡 钅衣铱 钅眉镅 钅卜钋 钅同铜
钅冈钢 钅易锡 钅艮银 钅考铐 钅竟镜 钅兑锐 钅夆锋 钅月钥 钅蜀镯 钅沿铅
氵由油 氵夜液 氵气汽 氵各洛 氵每海 氵臭溴 氵历沥 氵可河 氵包泡 氵农浓 氵显湿 氵容溶
氵先洗 氵少沙 氵主注 氵目泪 氵世泄 氵朝潮 氵肖消 氵去法 氵舌活 氵原源 氵寅演
火然燃 火暴爆 火夬炔 火完烷 火臽焰 火尧烧 火户炉 火亢炕 山灰炭 工水汞
石咸碱 石申砷 石西硒 石比砒 石炭碳 石粦磷 石黄磺 石车砗 石渠磲 石开研 石皮破 石欠砍
石兹磁 石马码 石更硬 石广矿
亻叚假 亻为伪 亻俞偷 亻崔催 亻吏使 亻衣依 亻左佐 亻象像 亻本体 亻专传 亻言信 亻呆保
亻木休 亻寸付 亻半伴
讠正证 讠枼谍 讠兑说 讠己记 讠吾语 讠若诺 讠殳设 讠午许 讠十计 讠炎谈
艹约药 艹本苯 艹早草 艹田苗 艹磨蘑 艹姑菇 艹分芬 艹化花 艹介芥 艹可苛 艹牙芽 艹焦蕉
艹心芯 艹阿菏
米青精 米共粪 米斗料 米子籽 覀米粟
口马吗 口非啡 口加咖 口坐唑 口米咪 口定啶 口卡咔 口圭哇 口比吡 口及吸 口贲喷 口因咽
口奎喹 口乎呼 口咸喊 口丂号
月安胺 月旦胆 月交胶 月半胖 月退腿
木昆棍 木戒械 木奉棒 木及极 木章樟 木几机 木才材 木示标 木莫模 木朱株 木公松 木反板
木同桐 木干杆 木丈杖 木佥检 木可柯 木不杯 木当档 木木林
奴弓弩 弓虽强 弓长张
扌白拍 扌口扣 扌立拉 扌丁打 扌乇托 扌寺持 扌旨指 扌非排 扌屈掘 扌反扳 扌察擦 扌尤扰
扌空控 扌聂摄 扌居据 尚手掌
犭昔猎 犭良狼 犭且狙 犭虫独 犭侯猴
纟氏纸 纟戋线 纟丑纽 纟只织 纟戎绒 纟少纱 纟且组 纟色绝
足宗踪 足兆跳 足易踢
虫胡蝴 虫枼蝶 虫莽蟒
禾岁秽 禾中种 禾兑税 禾必秘 禾希稀 禾只积
王代玳 王冒瑁 王册珊 王胡瑚 王元玩 王朱珠 王不环
女昏婚 丬女妆
加马驾 马史驶 婴鸟鹦 武鸟鹉 沙鱼鲨 鱼粦鳞 鱼夌鲮 鱼里鲤
革便鞭 革圭鞋
土也地 土曾增 土亢坑 莫土墓 土立垃 土及圾 土夬块
车仑轮 目民眠 目苗瞄
阝方防 阝可阿 阝击陆 阝佥险 阝匋陶
朿刂刺 亥刂刻 舌刂刮 齐刂剂 佥刂剑
孝攵教 冫中冲 冫令冷 忄青情 忄布怖 礻申神 礻乚礼
气羊氧 气录氯 气弗氟 气炎氮 气青氰 气亥氦 气亚氩 气安氨
雨田雷 雨散霰 雨务雾 敬言警 覀示票 竹官管 竹夭笑 竹前箭 竹毛笔 灰皿盔 次皿盗 化贝货
次贝资 巩心恐 广林麻
"""
# Radicals with a standalone form a sender may type instead.
_STANDALONE = {"钅": "金", "氵": "水", "亻": "人", "讠": "言", "扌": "手", "纟": "糸", "犭": "犬"}


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in _SPLITS.split():
        parts, char = entry[:-1], entry[-1]
        table[parts] = char
        for radical, standalone in _STANDALONE.items():
            if parts.startswith(radical):
                table[standalone + parts[1:]] = char
    return table


# Two components, as written → the character they make.
RADICAL_SPLITS: dict[str, str] = _build()
