"""A seeded generator of realistic trade graphs at a chosen size, written through the users' loader.

    .venv/bin/python -m bench.generate --relations 100000 --db bench/data/g100k.db

What it makes, for a target of R relations (about R/5 entities, like a real trade graph: a few
hubs, a long tail):

- every ISO 3166 country (pycountry, with its zh_CN name), blocs and agencies, officials;
- a commodity taxonomy five levels deep under 16 real roots (IS_A), goods made from other goods
  and products made from commodities (MADE_FROM, some with shares);
- firms with home countries (BASED_IN, Zipf over countries), who supplies what (SUPPLIES with
  world shares), and webs of DEPENDS_ON (firm → good, firm → supplier firm, product → input,
  country → good from an origin), shares known for about 70%;
- measures (type, status, announced/effective/ended dates, rates for tariffs) imposed by one
  actor on another, covering goods, and retaliation chains: when B answers A, B's measure
  RETALIATES_AGAINST A's latest one against B; stances (OPPOSES/SUPPORTS) and talks.

Every entity and relation carries evidence that quotes the real text of a generated Document (en
or zh news-wire style, about 40 sentences each): a relation quotes its sentence, an entity its name
in the first sentence that mentions it. Batches are ``graph.model.Batch`` objects written with the
store's ``upsert``, the same path the CLI and the API use, so the store checks every quote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gettext
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from graph.model.enums import MeasureStatus, MeasureType, RelationType
from graph.model.records import Batch, Document, Entity, Evidence, MeasureAttributes, Relation

__all__ = ["Spec", "Plan", "make_plan", "batches", "build"]

R = RelationType

# Real roots of the taxonomy: (slug, en, zh)
ROOTS = [
    ("rare-earths", "rare earths", "稀土"),
    ("steel", "steel", "钢铁"),
    ("aluminium", "aluminium", "铝"),
    ("copper", "copper", "铜"),
    ("lithium", "lithium", "锂"),
    ("gallium", "gallium", "镓"),
    ("graphite", "graphite", "石墨"),
    ("soybeans", "soybeans", "大豆"),
    ("wheat", "wheat", "小麦"),
    ("crude-oil", "crude oil", "原油"),
    ("natural-gas", "natural gas", "天然气"),
    ("semiconductors", "semiconductors", "半导体"),
    ("chemicals", "chemicals", "化学品"),
    ("fertilisers", "fertilisers", "化肥"),
    ("pharmaceuticals", "pharmaceuticals", "药品"),
    ("machine-tools", "machine tools", "机床"),
]
FORMS = [
    ("ore", "矿"), ("oxide", "氧化物"), ("alloy", "合金"), ("powder", "粉末"), ("concentrate", "精矿"),
    ("ingot", "锭"), ("wafer", "晶圆"), ("compound", "化合物"), ("magnet", "磁体"), ("foil", "箔"),
    ("sheet", "板材"), ("wire", "线材"), ("resin", "树脂"), ("precursor", "前驱体"), ("grade", "等级品"),
]
PRODUCT_KINDS = [
    ("fighter jet", "战斗机"), ("radar", "雷达"), ("electric vehicle", "电动汽车"), ("wind turbine", "风力涡轮机"),
    ("smartphone", "智能手机"), ("satellite", "卫星"), ("battery pack", "电池组"), ("airliner", "客机"),
    ("industrial robot", "工业机器人"), ("server", "服务器"), ("drone", "无人机"), ("missile", "导弹"),
]
SYL_EN = ["nor", "vex", "tal", "ori", "kan", "mer", "dia", "lum", "sol", "tek", "ra", "quin", "vel", "zen",
          "cor", "ast", "bri", "don", "fal", "gar", "hel", "ix", "jor", "kel", "lan", "mon", "nex", "pol"]
FIRM_SUFFIX = [("Holdings", "控股"), ("Materials", "材料"), ("Technologies", "科技"), ("Industries", "实业"),
               ("Group", "集团"), ("Electronics", "电子"), ("Metals", "金属"), ("Motors", "汽车")]
SYL_ZH = "华中新恒金泰宏盛长安瑞德丰海通达鑫源凯天信远诚光明嘉祥利和永康"
BLOCS = [("g7", "G7", "七国集团"), ("eu", "European Union", "欧盟"), ("asean", "ASEAN", "东盟"),
         ("wto", "World Trade Organization", "世界贸易组织"), ("brics", "BRICS", "金砖国家"),
         ("apec", "APEC", "亚太经合组织"), ("g20", "G20", "二十国集团"), ("opec", "OPEC", "石油输出国组织"),
         ("mercosur", "Mercosur", "南方共同市场"), ("au", "African Union", "非洲联盟"),
         ("gcc", "Gulf Cooperation Council", "海湾合作委员会"), ("rcep", "RCEP", "区域全面经济伙伴关系"),
         ("cptpp", "CPTPP", "全面与进步跨太平洋伙伴关系"), ("oecd", "OECD", "经合组织"),
         ("eaeu", "Eurasian Economic Union", "欧亚经济联盟"), ("sco", "SCO", "上海合作组织")]
# Big trading countries first: Zipf weights follow this order, the rest of pycountry after them.
MAJOR = ["CN", "US", "DE", "JP", "KR", "GB", "FR", "IN", "IT", "NL", "CA", "MX", "RU", "BR", "AU", "TW",
         "SG", "VN", "ES", "CH", "SA", "ID", "MY", "TH", "PL", "BE", "SE", "TR", "AE", "ZA"]
MEASURE_WORDS = {
    MeasureType.TARIFF: ("tariff", "关税"), MeasureType.EXPORT_CONTROL: ("export controls", "出口管制"),
    MeasureType.IMPORT_BAN: ("import ban", "进口禁令"), MeasureType.PURCHASE_SUSPENSION: ("purchase suspension", "暂停采购"),
    MeasureType.PORT_FEE: ("port fees", "港口费"), MeasureType.SANCTION: ("sanctions", "制裁"),
    MeasureType.ENTITY_LIST: ("entity list designation", "实体清单"), MeasureType.SUPPLY_CUTOFF: ("supply cutoff", "断供"),
    MeasureType.ANTI_DUMPING: ("anti-dumping duties", "反倾销税"), MeasureType.COUNTERVAILING_DUTY: ("countervailing duties", "反补贴税"),
    MeasureType.SAFEGUARD: ("safeguard measures", "保障措施"), MeasureType.INVESTMENT_RESTRICTION: ("investment restrictions", "投资限制"),
    MeasureType.OTHER: ("trade measure", "贸易措施"),
}
TEMPLATES = {  # relation type -> (en, zh); {s} source name, {t} target name, {p} percent, {o} origin name
    R.IMPOSES: ("{s} announced {t}.", "{s}宣布{t}。"),
    R.TARGETS: ("{s} is aimed at {t}.", "{s}针对{t}。"),
    R.COVERS: ("{s} applies to {t}.", "{s}涵盖{t}。"),
    R.RETALIATES_AGAINST: ("{s} came in retaliation against {t}.", "{s}是对{t}的反制。"),
    R.DEPENDS_ON: ("{s} relies on {t}{o} for {p} of its needs.", "{s}依赖{o}{t}，占其需求的{p}。"),
    R.SUPPLIES: ("{s} supplies {p} of the world's {t}.", "{s}供应全球{p}的{t}。"),
    R.IS_A: ("{s} is a kind of {t}.", "{s}属于{t}。"),
    R.MADE_FROM: ("{s} is made from {t}{p}.", "{s}由{t}制成{p}。"),
    R.MEMBER_OF: ("{s} is a member of {t}.", "{s}是{t}的成员。"),
    R.BASED_IN: ("{s} is based in {t}.", "{s}总部位于{t}。"),
    R.OPPOSES: ("{s} spoke out against {t}.", "{s}反对{t}。"),
    R.SUPPORTS: ("{s} backed {t}.", "{s}支持{t}。"),
    R.NEGOTIATES_WITH: ("{s} held trade talks with {t}.", "{s}与{t}举行贸易谈判。"),
}
EPOCH = dt.date(2000, 1, 1)
SPAN_DAYS = (dt.date(2025, 10, 31) - EPOCH).days


@dataclass
class Spec:
    relations: int = 10_000
    seed: int = 7
    batch_size: int = 5_000
    zh_share: float = 0.35
    sentences_per_document: int = 40


@dataclass
class Node:
    id: str
    names: dict[str, str]
    aliases: list[str] = field(default_factory=list)
    measure: dict | None = None


@dataclass
class Fact:
    source: int
    type: RelationType
    target: int
    share: float | None = None
    origin: int | None = None
    valid_from: dt.date | None = None


@dataclass
class Plan:
    nodes: list[Node]
    facts: list[Fact]
    kinds: dict[str, list[int]]  # entity type -> node indexes, for the benchmarks' samples


def _zipf_weights(n: int, a: float = 1.1) -> list[float]:
    total = 0.0
    cum = []
    for i in range(n):
        total += 1.0 / (i + 1) ** a
        cum.append(total)
    return cum


class _Maker:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.nodes: list[Node] = []
        self.facts: list[Fact] = []
        self.keys: set[tuple] = set()
        self.kinds: dict[str, list[int]] = {}

    def node(self, kind: str, node: Node) -> int:
        self.nodes.append(node)
        index = len(self.nodes) - 1
        self.kinds.setdefault(kind, []).append(index)
        return index

    def fact(self, source: int, rtype: RelationType, target: int, **kw) -> bool:
        if source == target:
            return False
        key = (source, rtype, target, kw.get("origin"))
        if key in self.keys:
            return False
        self.keys.add(key)
        self.facts.append(Fact(source, rtype, target, **kw))
        return True

    def share(self, low: float = 0.02, high: float = 0.9, unknown: float = 0.3) -> float | None:
        if self.rng.random() < unknown:
            return None
        return round(self.rng.uniform(low, high), 2)

    def pick(self, items: list[int], cum: list[float] | None = None) -> int:
        if cum is None:
            return items[self.rng.randrange(len(items))]
        return self.rng.choices(items, cum_weights=cum, k=1)[0]

    # -- entities ----------------------------------------------------------------------------
    def countries(self) -> None:
        try:
            zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
        except OSError:
            zh = gettext.NullTranslations()
        by_code = {c.alpha_2: c for c in pycountry.countries}
        order = MAJOR + sorted(set(by_code) - set(MAJOR))
        for code in order:
            country = by_code[code]
            en = getattr(country, "common_name", None) or country.name
            names = {"en": en}
            zh_name = zh.gettext(country.name)
            if zh_name and zh_name != country.name:
                names["zh"] = zh_name
            aliases = [country.alpha_3] + ([country.official_name] if getattr(country, "official_name", None) else [])
            self.node("Country", Node(f"country:{code}", names, aliases))
        self.country_cum = _zipf_weights(len(order), 1.2)

    def firm_name(self, i: int) -> tuple[str, str]:
        rng = self.rng
        en = "".join(rng.choice(SYL_EN) for _ in range(rng.randint(2, 3))).capitalize()
        zh = "".join(rng.choice(SYL_ZH) for _ in range(2))
        suffix_en, suffix_zh = rng.choice(FIRM_SUFFIX)
        return f"{en} {suffix_en} {i}", f"{zh}{suffix_zh}{i}"

    def make(self) -> Plan:
        spec, rng = self.spec, self.rng
        n = spec.relations
        self.countries()
        countries = self.kinds["Country"]
        ccum = self.country_cum
        n_comm = max(40, n // 50)
        n_prod = max(15, n // 100)
        n_firm = max(40, n // 8)
        n_meas = max(20, n // 40)
        n_pers = max(10, n // 400)
        n_agency = 20 + n // 2000

        blocs = [self.node("Organization", Node(f"org:{slug}", {"en": en, "zh": zh})) for slug, en, zh in BLOCS]
        agencies = []
        agencies_of: dict[int, list[int]] = {}
        for i in range(n_agency):
            home = self.pick(countries, ccum)
            code = self.nodes[home].id.split(":")[1]
            agencies.append(self.node("Organization", Node(
                f"org:{code.lower()}-trade-agency-{i}",
                {"en": f"{code} Trade Agency {i}", "zh": f"{self.nodes[home].names.get('zh', code)}贸易署{i}"})))
            self.fact(agencies[-1], R.BASED_IN, home)
            agencies_of.setdefault(home, []).append(agencies[-1])
        # Commodity taxonomy: 16 roots, then four levels below (5%, 20%, 35%, the rest).
        levels: list[list[int]] = [[]]
        for slug, en, zh in ROOTS:
            levels[0].append(self.node("Commodity", Node(f"commodity:{slug}", {"en": en, "zh": zh})))
        remaining = n_comm - len(ROOTS)
        sizes = [max(1, int(remaining * f)) for f in (0.05, 0.20, 0.35)]
        sizes.append(max(1, remaining - sum(sizes)))
        count = 0
        for depth, size in enumerate(sizes, start=1):
            levels.append([])
            for _ in range(size):
                parent = self.pick(levels[depth - 1])
                form_en, form_zh = rng.choice(FORMS)
                pn = self.nodes[parent].names
                root_en = pn["en"].split(" ", 1)[0] if depth > 1 else pn["en"]
                count += 1
                idx = self.node("Commodity", Node(
                    f"commodity:c{count}-{form_en}",
                    {"en": f"{root_en} {form_en} {count}", "zh": f"{pn['zh'][:2]}{form_zh}{count}"},
                    [f"HS {count:06d}"]))
                levels[depth].append(idx)
                self.fact(idx, R.IS_A, parent)
        commodities = self.kinds["Commodity"]
        inner = [c for level in levels[1:4] for c in level]
        for level in levels[2:]:
            for c in level:
                if rng.random() < 0.25:
                    for _ in range(rng.randint(1, 2)):
                        self.fact(c, R.MADE_FROM, self.pick(inner), share=self.share(0.05, 0.8, 0.6))
        comm_cum = _zipf_weights(len(commodities), 0.8)
        for i in range(n_prod):
            kind_en, kind_zh = rng.choice(PRODUCT_KINDS)
            home = self.pick(countries, ccum)
            p = self.node("Product", Node(f"product:p{i}-{kind_en.replace(' ', '-')}",
                                          {"en": f"{kind_en.title()} P{i}", "zh": f"{kind_zh}P{i}"}))
            for _ in range(rng.randint(2, 4)):
                self.fact(p, R.MADE_FROM, self.pick(commodities, comm_cum), share=self.share(0.05, 0.6, 0.6))
            if rng.random() < 0.6:
                self.fact(p, R.BASED_IN, home)
        products = self.kinds["Product"]
        goods = commodities + products
        goods_cum = _zipf_weights(len(goods), 0.9)
        for i in range(n_firm):
            en, zh = self.firm_name(i)
            f = self.node("Firm", Node(f"firm:f{i}-{en.split()[0].lower()}", {"en": en, "zh": zh}))
            self.fact(f, R.BASED_IN, self.pick(countries, ccum))
        firms = self.kinds["Firm"]
        firm_cum = _zipf_weights(len(firms), 0.9)
        for i in range(n_pers):
            name = f"{rng.choice(SYL_EN).capitalize()}{rng.choice(SYL_EN)} {rng.choice(SYL_EN).capitalize()}{rng.choice(SYL_EN)} {i}"
            p = self.node("Person", Node(f"person:p{i}", {"en": name}))
            self.fact(p, R.BASED_IN, self.pick(countries, ccum))
            self.fact(p, R.MEMBER_OF, self.pick(agencies))
        for c in countries:
            for _ in range(rng.randint(1, 3)):  # at least one, so every country is in the graph
                self.fact(c, R.MEMBER_OF, self.pick(blocs))
        # Who supplies what.
        for c in commodities:
            remaining_share = 1.0
            for _ in range(rng.randint(2, 6)):
                share = round(rng.uniform(0.02, remaining_share * 0.7), 2) if remaining_share > 0.05 else None
                if share:
                    remaining_share -= share
                self.fact(self.pick(countries, ccum), R.SUPPLIES, c, share=share)
        for f in firms:
            for _ in range(rng.randint(1, 2)):
                self.fact(f, R.SUPPLIES, self.pick(goods, goods_cum), share=self.share(0.001, 0.2, 0.5))
        # Measures and retaliation chains, in date order.
        latest: dict[tuple[int, int], int] = {}
        types = list(MeasureType)
        type_weights = [30, 14, 8, 4, 2, 10, 9, 3, 10, 4, 3, 2, 1]
        for i in range(n_meas):
            imposer = self.pick(countries[:60], ccum[:60])
            target = self.pick(countries[:60], ccum[:60])
            while target == imposer:
                target = self.pick(countries[:60], ccum[:60])
            announced = EPOCH + dt.timedelta(days=int(SPAN_DAYS * i / n_meas))
            mtype = rng.choices(types, weights=type_weights, k=1)[0]
            status = rng.choices(list(MeasureStatus), weights=[15, 25, 45, 7, 8], k=1)[0]
            attrs = {"measure_type": mtype.value, "status": status.value, "announced": announced}
            if status in (MeasureStatus.IN_FORCE, MeasureStatus.LIFTED, MeasureStatus.SUSPENDED):
                attrs["effective"] = announced + dt.timedelta(days=rng.randint(0, 90))
            if status is MeasureStatus.LIFTED:
                attrs["ended"] = attrs["effective"] + dt.timedelta(days=rng.randint(30, 900))
            if mtype in (MeasureType.TARIFF, MeasureType.ANTI_DUMPING, MeasureType.COUNTERVAILING_DUTY):
                attrs["rate"] = float(rng.choice([5, 10, 15, 25, 34, 50, 84, 100, 125, 145]))
                if rng.random() < 0.3:
                    attrs["previous_rate"] = float(rng.choice([0, 5, 10, 25]))
            code_i = self.nodes[imposer].id.split(":")[1]
            code_t = self.nodes[target].id.split(":")[1]
            words_en, words_zh = MEASURE_WORDS[mtype]
            zh_i = self.nodes[imposer].names.get("zh", code_i)
            zh_t = self.nodes[target].names.get("zh", code_t)
            m = self.node("Measure", Node(
                f"measure:{code_i.lower()}-{announced.isoformat()}-{mtype.value.replace('_', '-')}-{i}",
                {"en": f"{code_i} {words_en} on {code_t} No. {i}", "zh": f"{zh_i}对{zh_t}{words_zh}第{i}号"},
                measure=attrs))
            actor = imposer
            if rng.random() < 0.15 and agencies_of.get(imposer):
                actor = self.pick(agencies_of[imposer])
            self.fact(actor, R.IMPOSES, m, valid_from=announced)
            self.fact(m, R.TARGETS, target)
            if rng.random() < 0.3:
                self.fact(m, R.TARGETS, self.pick(firms, firm_cum))
            for _ in range(rng.randint(1, 4)):
                self.fact(m, R.COVERS, self.pick(goods, goods_cum))
            earlier = latest.get((target, imposer))
            if earlier is not None and rng.random() < 0.6:
                self.fact(m, R.RETALIATES_AGAINST, earlier)
            latest[(imposer, target)] = m
            if rng.random() < 0.2:
                self.fact(self.pick(countries, ccum), rng.choice([R.OPPOSES, R.SUPPORTS]), m)
        measures = self.kinds["Measure"]
        for _ in range(max(5, n_meas // 20)):
            a, b = self.pick(countries[:60], ccum[:60]), self.pick(countries[:60], ccum[:60])
            self.fact(a, R.NEGOTIATES_WITH, b)
        del measures
        # The webs of dependence fill the rest of the budget.
        supplier_countries: dict[int, list[int]] = {}
        for ff in self.facts:
            if ff.type is R.SUPPLIES and ff.source < len(countries):
                supplier_countries.setdefault(ff.target, []).append(ff.source)
        attempts = 0
        while len(self.facts) < n and attempts < 4 * n:
            attempts += 1
            roll = rng.random()
            if roll < 0.68:
                source, target = self.pick(firms), self.pick(goods, goods_cum)
            elif roll < 0.85:
                source, target = self.pick(firms), self.pick(firms, firm_cum)
            elif roll < 0.95:
                source, target = self.pick(products), self.pick(commodities, comm_cum)
            else:
                source, target = self.pick(countries, ccum), self.pick(goods, goods_cum)
            origin = None
            if (roll < 0.68 and rng.random() < 0.3) or roll >= 0.95:
                origins = supplier_countries.get(target)
                origin = self.pick(origins) if origins and rng.random() < 0.8 else self.pick(countries, ccum)
                if origin == source:
                    origin = None
            self.fact(source, R.DEPENDS_ON, target, share=self.share(), origin=origin)
        return Plan(self.nodes, self.facts, self.kinds)


def make_plan(spec: Spec) -> Plan:
    """The graph to write: entities and facts, deterministic for a seed."""
    return _Maker(spec).make()


def _display(node: Node, lang: str) -> str:
    return node.names.get(lang) or node.names["en"]


def _sentence(plan: Plan, fact: Fact, lang: str) -> tuple[str, tuple[int, int], tuple[int, int]]:
    """The sentence stating ``fact`` and the spans of the source's and target's names in it."""
    s_node, t_node = plan.nodes[fact.source], plan.nodes[fact.target]
    s_name, t_name = _display(s_node, lang), _display(t_node, lang)
    en, zh = TEMPLATES[fact.type]
    template = zh if lang == "zh" else en
    if fact.type in (R.DEPENDS_ON, R.SUPPLIES):
        p = f"{round(fact.share * 100)}%" if fact.share is not None else ("一部分" if lang == "zh" else "part")
    elif fact.type is R.MADE_FROM:
        p = (f"（占{round(fact.share * 100)}%）" if lang == "zh" else f" ({round(fact.share * 100)}%)") if fact.share is not None else ""
    else:
        p = ""
    o = ""
    if fact.origin is not None:
        origin = _display(plan.nodes[fact.origin], lang)
        o = f"来自{origin}的" if lang == "zh" else f" from {origin}"
    head, _, rest = template.partition("{s}")
    text = head + s_name
    s_span = (len(head), len(text))
    # Fill everything but {t}, then place the target's name where {t} was.
    rest = rest.replace("{p}", p).replace("{o}", o)
    before_t, _, after_t = rest.partition("{t}")
    text += before_t
    t_span = (len(text), len(text) + len(t_name))
    text += t_name + after_t
    return text, s_span, t_span


def batches(plan: Plan, spec: Spec) -> Iterator[Batch]:
    """The plan as batches of about ``spec.batch_size`` relations, each with its documents and the
    entities it introduces (an entity is introduced by the first sentence that names it)."""
    rng = random.Random(spec.seed + 1)
    introduced = bytearray(len(plan.nodes))
    doc_number = 0
    day = EPOCH
    for start in range(0, len(plan.facts), spec.batch_size):
        chunk = plan.facts[start : start + spec.batch_size]
        documents: list[Document] = []
        entities: list[Entity] = []
        relations: list[Relation] = []
        for d in range(0, len(chunk), spec.sentences_per_document):
            group = chunk[d : d + spec.sentences_per_document]
            doc_number += 1
            day = day + dt.timedelta(days=1) if doc_number % 3 == 0 else day
            lang = "zh" if rng.random() < spec.zh_share else "en"
            header = f"贸易快讯 第{doc_number}期（{day.isoformat()}）" if lang == "zh" else f"Trade wire no. {doc_number}, {day.isoformat()}"
            parts = [header]
            offset = len(header) + 1
            pending: list[tuple[Fact, int, str, tuple[int, int], tuple[int, int]]] = []
            for fact in group:
                text, s_span, t_span = _sentence(plan, fact, lang)
                pending.append((fact, offset, text, s_span, t_span))
                parts.append(text)
                offset += len(text) + 1
            document = Document(text="\n".join(parts), language=lang, published=day, title=header,
                                source=f"bench-generator seed {spec.seed}")
            documents.append(document)
            doc_id = document.id
            for fact, at, text, s_span, t_span in pending:
                for node_index, (a, b) in ((fact.source, s_span), (fact.target, t_span)):
                    if not introduced[node_index]:
                        introduced[node_index] = 1
                        node = plan.nodes[node_index]
                        entities.append(Entity(
                            id=node.id, names=node.names, aliases=node.aliases,
                            measure=MeasureAttributes(**node.measure) if node.measure else None,
                            evidence=[Evidence(document_id=doc_id, quote=text[a:b], start=at + a, end=at + b, extractor="bench-generator", confidence=0.9)],
                        ))
                origin = plan.nodes[fact.origin].id if fact.origin is not None else None
                if origin is not None and not introduced[fact.origin]:
                    # An origin is named in the sentence too; introduce it with its own name's span.
                    oname = _display(plan.nodes[fact.origin], lang)
                    k = text.index(oname)
                    introduced[fact.origin] = 1
                    onode = plan.nodes[fact.origin]
                    entities.append(Entity(id=onode.id, names=onode.names, aliases=onode.aliases,
                                           evidence=[Evidence(document_id=doc_id, quote=oname, start=at + k, end=at + k + len(oname), extractor="bench-generator")]))
                relations.append(Relation(
                    source=plan.nodes[fact.source].id, type=fact.type, target=plan.nodes[fact.target].id,
                    share=fact.share, origin=origin, valid_from=fact.valid_from,
                    evidence=[Evidence(document_id=doc_id, quote=text, start=at, end=at + len(text), extractor="bench-generator", confidence=0.9)],
                ))
        yield Batch(documents=documents, entities=entities, relations=relations)


def build(path: str | Path, spec: Spec, *, progress: bool = True) -> dict:
    """Generate the graph and write it into an embedded store at ``path`` (which must not exist)."""
    from graph.embedded import EmbeddedStore

    path = Path(path)
    if path.exists():
        raise SystemExit(f"{path} exists; remove it first")
    t0 = time.perf_counter()
    plan = make_plan(spec)
    t_plan = time.perf_counter() - t0
    t_models = t_upsert = 0.0
    written = 0
    with EmbeddedStore(path) as store:
        it = batches(plan, spec)
        while True:
            t1 = time.perf_counter()
            batch = next(it, None)
            t2 = time.perf_counter()
            if batch is None:
                break
            store.upsert(batch)
            t3 = time.perf_counter()
            t_models += t2 - t1
            t_upsert += t3 - t2
            written += len(batch.relations)
            if progress and written % (spec.batch_size * 20) < spec.batch_size:
                print(f"  {written:>10,} relations  upsert {written / t_upsert:,.0f}/s", file=sys.stderr, flush=True)
        counts = store.counts()
    return {
        "path": str(path), "relations": counts.relations, "entities": counts.entities, "documents": counts.documents,
        "evidence": counts.evidence, "plan_s": round(t_plan, 2), "models_s": round(t_models, 2),
        "upsert_s": round(t_upsert, 2), "upsert_relations_per_s": round(written / t_upsert) if t_upsert else None,
        "db_bytes": path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob(path.name + "-*")),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    spec = Spec(relations=args.relations, seed=args.seed, batch_size=args.batch)
    result = build(args.db, spec)
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    print(f"reproduce: .venv/bin/python -m bench.generate --relations {args.relations} --seed {args.seed} --batch {args.batch} --db {args.db}")


if __name__ == "__main__":
    main()
