"""Open vocabulary: firms, organisations and people that no lexicon file lists, read from the text.

The lexicon is where aliases, translations and home countries are curated; real news names many
more actors than it will ever hold (a brand hit by duties, a subsidiary in a sanctions notice, a
minister). This stage finds them by the way news writes them:

- English: capitalised names ending in a corporate word (``Jiaao Enprotech Ltd.``, ``LG
  Electronics``, ``Trina Solar``); names after a role noun or in a list (``washer makers Samsung
  Electronics and LG Electronics``, ``members include First Solar and Qcells``); a title before a
  name (``Prime Minister Mahathir Mohamad``); capitalised names ending in an agency word
  (``Directorate General of Foreign Trade``, ``US Customs and Border Protection``).
- Chinese: a name before a corporate suffix (公司, 集团, 科技, 半导体...), cut by the ``rjieba``
  segmenter's word boundaries; a name after a role noun (制造商大疆创新); a name after a title
  (发言人汪文斌, 贸易代表莱特希泽); an agency that begins with its country (美国海关及边境保护局).

Each new entity gets a stable id from its name (:func:`graph.model.ids.make_id`) and a
:class:`~ingest.lexicon.LexEntry` that lives for one document; the home country is the country
named right before it (``Malaysia's Primary Industries Minister Teresa Kok``, 中国外交部发言人).
Later mentions of a person by one part of the name (``Mahathir said``) are found too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from itertools import accumulate
from typing import NamedTuple

from graph.model.enums import EntityType
from graph.model.ids import make_id
from graph.model.records import Entity
from ingest.extract.types import Found, Mention
from ingest.lexicon import LexEntry, Lexicon

__all__ = ["OpenNames", "ZH_TITLE"]

_CAP = r"[A-Z][\w&'’.-]*"
_LEGAL = r"Inc\.?|Corp\.?|Corporation|Co\.,?\s+Ltd\.?|Stock\s+Co\.?|Co\.|Ltd\.?|Limited|LLC|PLC|plc|AG|SA|S\.A\.|GmbH|N\.V\.|NV|SE"
_TRADE = (
    r"Group|Holdings|Technologies|Technology|Electronics|Solar|Energy|Motors|Industries|Semiconductors?|Systems|"
    r"Airlines|Pharmaceuticals|Steel|Mining|Metals|Chemicals?|Materials|Telecom|Networks|Bank|Foods|Robotics|Aerospace|Dynamics"
)
_FIRM_EN = re.compile(
    rf"(?<![\w'’.-])(?P<name>(?:{_CAP}\s+){{0,4}}?{_CAP})\s+(?P<cue>{_LEGAL}|{_TRADE})(?![\w-])"
    r"(?!\s+(?:Minister|Ministry|Secretary|Department|Commission|Committee|Council|Board|Agency|Bureau|Office|Association))"
)
_ROLE_EN = re.compile(
    r"\b(?:makers?|manufacturers?|producers?|exporters?|chipmakers?|carmakers?|automakers?|companies|company|firms?|giants?|"
    r"brands?|retailers?|suppliers?|operators?|subsidiary|subsidiaries|units?|include|includes|including|such as)\s+"
)
# Goods a measure's coverage list names that no lexicon lists: "tariffs on cheese, handbags and
# sparkling wine", "duties of 25% on imports of lumber and cranes" (English only: Chinese lists
# closed by 等 name measures and regions as often as goods)
_MEASURE_WORD_EN = r"(?:tariffs?|duties|duty|levies|levy|surcharges?|bans?|curbs?|restrictions?|controls?|quotas?|taxes|embargo)"
_COVER_LIST_EN = re.compile(
    rf"\b{_MEASURE_WORD_EN}\s+(?:of\s+(?:up\s+to\s+)?\d+(?:\.\d+)?\s*(?:%|percent|per cent)\s+)?(?:on|covering|targeting)\s+"
    r"|\b(?P<generic>including|such as|covers|covering|ranging from)\s+",
    re.I,
)
# a generic list word ("including") opens a coverage list only after a measure word in its clause
_MEASURE_BEFORE_EN = re.compile(rf"\b{_MEASURE_WORD_EN}\b[^.;:]*$", re.I)
# items that name an actor or a measure, not a good ("chipmakers", "export controls")
_NOT_GOODS_EN = frozenset(
    "controls control screening restrictions restriction curbs measures sanctions investigations probes makers maker producers "
    "producer chipmakers carmakers automakers companies firms exporters importers suppliers manufacturers retailers brands "
    "operators banks groups agencies ministries governments".split()
)
_WORD = re.compile(r"\S+")
_ITEM_EN = re.compile(r"(?:(?!(?:and|or|from|to|in|by|with|worth)\b)[a-z][a-z-]*\s+){0,3}(?!(?:and|or)\b)[a-z][a-z-]*[a-z]")
_ITEM_STOP = frozenset(
    "goods products imports exports items things categories lines others other more most some all many billion million worth value "
    "the a an its their his her our this that these those from to in by with for of on at as imported exported made country countries "
    "companies firms entities people government officials year years month months percent per cent rate rates duty duties tariff tariffs "
    "which who that were was is are be been and or both about further also such new said took take takes effect one two three "
    "four five six seven eight nine ten several dozens hundreds".split()
)
_LIST_SEP_EN = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")

# "China's CMOC, the world's largest…", "Swiss-based Glencore": a name right after a country's
# possessive or its "-based" is the country's firm (titles and agencies are read elsewhere)
# "Canada's Justin Trudeau said": a name that speaks or takes a stance is a person, not a firm
_SPEAKS_AFTER = re.compile(
    r"\s+(?:has\s+|had\s+)?(?:said|says|told|tells|criticised|criticized|condemned|opposed|opposes|called|calls|warned|warns|urged|urges|"
    r"added|noted|argued|vowed|accused|stressed|insisted)\b", re.I,
)
_OWNED_EN = re.compile(r"(?:['’]s|-based)\s+(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,2})(?=\s*[,(]|\s+(?!and\b|of\b|for\b|on\b|to\b)[a-z])")
_LIST_NAME = re.compile(rf"(?:{_CAP})(?:\s+{_CAP}){{0,2}}")
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")
_TITLE_EN = re.compile(
    r"\b(?:President|Vice President|Prime Minister|Premier|Vice Premier|Minister|Secretary|Chancellor|Commissioner|Governor|"
    r"Ambassador|spokesman|spokeswoman|spokesperson|Trade Representative|Chairman|Chairwoman|chief executive|CEO|Senator|"
    r"Finance Minister|Trade Minister|Foreign Minister|Commerce Minister|Director-General|Director General)\s+"
)
_PERSON_EN = re.compile(r"(?P<name>[A-Z][a-z'’-]+(?:\s+(?:bin\s+|van\s+|de\s+|von\s+)?[A-Z][a-z'’-]+){1,2})(?![\w-])")
_ORG_HEAD = (
    r"Ministry|Department|Directorate|Board|Commission|Council|Agency|Administration|Bureau|Office|Committee|Association|"
    r"Federation|Authority|Chamber|Institute|Protection|Service|Alliance|Court|Parliament|Senate|Congress"
)
_ORG_EN = re.compile(
    rf"(?<![\w'’.-])(?P<name>(?:{_CAP}\s+(?:(?:of|and|for|on|the)\s+)*){{0,6}}(?:{_ORG_HEAD})(?:\s+(?:of|for|on)(?:\s+(?:the|and))?(?:\s+{_CAP}(?:\s+and)?){{1,5}})?)(?![\w-])"
)
# the words a firm or agency name ends on: found first, so the costly name patterns run only near them
_FIRM_CUE = re.compile(rf"\s(?:{_LEGAL}|{_TRADE})(?![\w-])")
_ORG_CUE = re.compile(rf"\b(?:{_ORG_HEAD})\b")
_OTHERS_EN = re.compile(r"\s*,?\s+and\s+(?:\w+\s+){0,2}other\s+(?:[A-Z]\w+\s+)?(?:companies|firms|entities|groups|makers|manufacturers)\b")
_LAST_NAME_BEFORE = re.compile(rf"(?<![\w'’.-]){_CAP}(?:\s+{_CAP}){{0,2}}$")
_LEAD_STOP = frozenset(
    "The A An On In At But And Among While As After Before Under With From For By Its Their His Her This That These Those "
    "Both Other Some Several Meanwhile However Also Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
    "March April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
_NOT_NAMES = frozenset(
    "The A An It He She They We This That Section Article Trade Act Reuters Photo Inc Corp Ltd Co Group Foreign Ministry "
    "President Minister Secretary Prime Premier Commerce Finance Economy Industry Beijing Washington Brussels".split()
)

_GAP_STOP = re.compile(
    r"[,.;:，。；、()（）\n]|\b(?:and|or|said|says|to|with|against|after|before|when|while|but|by|at|on|in|of|for|from)\b|[与和对向]"
)
_ZH_FIRM_KIND = r"科技|半导体|电子|银行|航空|控股|实业|化工|矿业|制药|光电|通讯|能源|汽车|钢铁|新能源|创新"
# "科技公司" is one ending ("格兰德·米勒科技公司"), not 科技 then 公司
_ZH_FIRM_SUFFIX = re.compile(r"(?:(?:" + _ZH_FIRM_KIND + r"){0,2}(?:股份有限公司|有限公司|公司|集团))|(?:" + _ZH_FIRM_KIND + ")")
_ZH_GENERIC = frozenset(
    "制造商 生产商 厂商 供应商 运营商 巨头 品牌 企业 旗下 子公司 母公司 无人机 手机 光伏 电池 "
    "该 这家 此 本 多家 外国 外资 美国 中国 日本 欧洲 相关 其 其他 一家 两家 国有 国营 民营 上市 跨国 大型 中小 科技 半导体 "
    "电子 汽车 能源 航空 银行 集团 公司 下游 上游 国内 海外 境外 全球 信息 网络 金融 芯片 数字 新 高新 生物".split()
)
_ZH_ROLE = re.compile(r"(?:制造商|生产商|厂商|供应商|运营商|巨头|品牌|龙头|企业如|公司如|旗下的?|子公司)")
_ZH_NAME_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]{2,8}?(?=等|、|和|及|与|，|,|。|；|被|的|在|已|将|也|均|分别|公司|集团|$)")
ZH_TITLE = re.compile(
    r"(?:副总理|总理|首相|总统|副总统|国务卿|部长|外长|财长|商务部长|贸易部长|发言人|局长|主席|大使|贸易代表|牵头人|司长|署长|州长|"
    r"总裁|首席执行官|董事长|行政长官|特首|部长助理|委员|官员|参议员|众议员|议员|副主任|主任|处长|高管|执行主任|行政总裁|总经理|创始人)"
)
# "供应商洽谈供货": words after a role noun that open with a verb of trade are a predicate, not a
# name (the segmenter's part of speech cannot tell: it tags the name 极飞科技 as a verb too)
_ZH_PREDICATE = re.compile(r"洽谈|合作|供货|供应|提供|表示|生产|出口|进口|签署|签订|达成|停止|暂停|恢复|交付|采购|购买|销售|称|说")
# a name of several transliterated words joined by "·", ending where a firm's suffix begins
_TRANSLITERATED = re.compile(r"(?:[\u4e00-\u9fff]{1,8}·)+[\u4e00-\u9fff]{1,8}$")
# words that open a phrase before a name, never a firm's first character: 对, 向, 与…
_ZH_BEFORE_NAME = "对向与和及将把被由在从为给令据"
# words between a country or body and a title that part them: "美国宣布制裁行政长官林郑月娥" does
# not make her American
_NOT_HOME_GAP = re.compile(r"[，,。；、与和对向表示称说]|宣布|制裁|签署|会见|批评|反制|起诉|要求|决定|发布|禁止|暂停")
# "参议员卢比奥、克鲁兹、霍利及图米": further names listed after a titled one are people too
_ZH_LISTED_PERSON = re.compile(
    r"(?:、|和|及|以及)(?P<name>[\u4e00-\u9fff]{2,4}?|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6})"
    r"(?=、|和|及|以及|，|,|。|；|等|$|表示|说|称|指出|联署|提出|要求|呼吁|批评|认为|也|则|均|都|曾|在|对|向)"
)
_ZH_PERSON = re.compile(
    r"(?P<name>[\u4e00-\u9fff·]{2,5}?)(?=表示|说|称|指出|强调|同日|当天|在|与|和|及|、|，|,|。|；|的|等|曾|此前|今天|回应|透露|宣布|签署|会见|上周|日前|周|此次|则|也|对|向|\d)"
)
_ZH_NOT_PERSON = re.compile(r"表示|说|称|指出|强调|回应|透露|宣布|签署|会见|认为|介绍|答|就|今天|昨天|当天|同日|也|还|曾|已|则|在|对|向")
_ZH_ORG_SUFFIX = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:委员会|总署|理事会|办公室|协会|商会|部|局|署|厅)(?=[^\u4e00-\u9fff]|[\u4e00-\u9fff])")
_ZH_ORG_STOP = re.compile(r"[，,。；、表示称说与和的将在对已]")


class _Doc(NamedTuple):
    """The document's lexicon mentions sorted into what the finders ask about, in one pass."""

    mentions: list[Mention]
    spans: list[tuple[int, int]]
    actor_spans: list[tuple[int, int]]  # every name but goods: goods may sit inside a firm's name
    countries: list[Mention]  # single countries (not pairs such as 中美)
    actors: list[Mention]  # countries and organisations, where a title's home is read from
    goods: list[Mention]

    @staticmethod
    def of(mentions: list[Mention]) -> "_Doc":
        spans, actor_spans, countries, actors, goods = [], [], [], [], []
        country, org, goods_types = EntityType.COUNTRY, EntityType.ORGANIZATION, (EntityType.COMMODITY, EntityType.PRODUCT)
        for m in mentions:
            start, end, _id, etype = m[0], m[1], m[2], m[3]
            spans.append((start, end))
            if etype in goods_types:
                goods.append(m)
                continue
            actor_spans.append((start, end))
            if etype is country:
                actors.append(m)
                if not m[6]:
                    countries.append(m)
            elif etype is org:
                actors.append(m)
        return _Doc(mentions, spans, actor_spans, countries, actors, goods)


class _Taken:
    """Spans already named: the document's mentions (sorted once, a running maximum of their ends
    answers an overlap question in one bisection) plus the few spans added while reading."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.reach = list(accumulate(self.ends, max))
        self.extra: list[tuple[int, int]] = []

    def busy(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return (i > 0 and self.reach[i - 1] > start) or any(s < end and start < e for s, e in self.extra)

    def inside(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans overlapping start:end."""
        found = []
        j = bisect_left(self.starts, end) - 1
        while j >= 0 and self.reach[j] > start:  # the running maximum only falls going back
            if self.ends[j] > start:
                found.append((self.starts[j], self.ends[j]))
            j -= 1
        return found + [(s, e) for s, e in self.extra if s < end and start < e]

    def add(self, start: int, end: int) -> None:
        self.extra.append((start, end))


@cache
def _segment(window: str) -> tuple[tuple[str, str], ...]:
    import rjieba

    return tuple(rjieba.tag(window))


class OpenNames:
    """Finds the names of one document that the lexicon does not list (see the module docstring)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    def find(self, text: str, language: str | None, mentions: list[Mention]) -> Found:
        """What this document names that the lexicon does not (see :class:`Found`)."""
        doc = _Doc.of(mentions)
        known = _Taken(doc.spans)
        zh = language in {"zh", "ja"}
        # (start, end, type, name, home country, where the words tying it to its home begin or -1)
        found: list[tuple[int, int, EntityType, str, str | None, int]] = []
        # names of actors known, plus what each finder below has found; goods may be swallowed by a
        # firm's name (安世半导体), so they do not stop the finders
        seen = _Taken(doc.actor_spans)
        for finder in (self._zh_orgs, self._zh_people, self._zh_firms) if zh else (self._en_orgs, self._en_people, self._en_firms, self._en_goods):
            new = finder(text, doc, seen, found)
            for f in new:
                seen.add(f[0], f[1])
            found += new
        out = Found()
        heads = {m.start: m for m in doc.countries}
        goods_inside = doc.goods
        taken = _Taken([])
        lang = "zh" if zh else "en"
        for start, end, etype, name, home, home_start in sorted(found):
            head = heads.get(start)
            head = head if head is not None and head.end < end else None
            swallowed = [g for g in goods_inside if start <= g.start and g.end <= end] if etype is EntityType.FIRM else []
            if swallowed and end - start - sum(g.end - g.start for g in swallowed) < 2:
                continue  # "电动汽车": goods with a corporate-looking ending, not a firm
            # "安世半导体": a firm named after what it makes is the firm, not the goods
            allowed = {(g.start, g.end) for g in swallowed} | ({(head.start, head.end)} if head else set())
            if not name or taken.busy(start, end) or any(span not in allowed for span in known.inside(start, end)):
                continue
            entity_id = make_id(etype, name)
            if self.lex.entry(entity_id) is not None:
                continue  # a slug that happens to be a lexicon id: the lexicon's entity, not this one
            surface = text[start:end]
            if entity_id not in out.entries:
                names = {lang: name}
                aliases = sorted({surface} - {name})
                out.entries[entity_id] = LexEntry(entity=_entity(entity_id, etype, names, aliases), country=home, file="<text>")
            out.dropped.update((g.start, g.end) for g in swallowed)
            if head is not None:  # "美国海关及边境保护局", "US Customs and Border Protection": the country begins the name
                out.dropped.add((head.start, head.end))
                out.embedded[surface] = (head.end - head.start, head.entity_id)
            elif home is not None and home_start >= 0:
                out.based.setdefault(entity_id, (home_start, end))
            taken.add(start, end)
            out.mentions.append(Mention(start, end, entity_id, etype, surface, lang))
        if out.entries:
            for m in out.mentions:
                known.add(m.start, m.end)
            out.mentions += self._repeats(text, out.entries, known, lang)
            out.mentions.sort()
        return out

    # -- later mentions -------------------------------------------------------------------------
    def _repeats(self, text: str, entries: dict[str, LexEntry], taken: _Taken, lang: str) -> list[Mention]:
        out = []
        for entity_id, entry in entries.items():
            forms = {*entry.entity.names.values(), *entry.entity.aliases}
            if entry.type is EntityType.PERSON and lang == "en":
                parts = next(iter(entry.entity.names.values())).split()
                forms |= {p for p in (parts[0], parts[-1]) if len(p) >= 4 and p not in _NOT_NAMES}
            for form in sorted(forms, key=len, reverse=True):
                pos = text.find(form)
                while pos >= 0:
                    end = pos + len(form)
                    bounded = lang != "en" or ((pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()))
                    if bounded and not taken.busy(pos, end):
                        taken.add(pos, end)
                        out.append(Mention(pos, end, entity_id, entry.type, form, lang))
                    pos = text.find(form, end)
        return out

    # -- English --------------------------------------------------------------------------------
    def _home_before(self, text: str, mentions: list[Mention], start: int) -> tuple[str | None, int]:
        """The country named just before ``start`` ("Malaysia's … Minister", "China's Ministry") and where it begins."""
        for m in reversed(mentions):
            if m.end > start:
                continue
            gap = text[m.end : start]
            if len(gap) > 40 or _GAP_STOP.search(gap):
                return None, -1
            home = self.lex.home(m.entity_id)
            if m.type in {EntityType.COUNTRY, EntityType.ORGANIZATION} and home and home.startswith("country:"):
                return home, m.start
            return None, -1
        return None, -1

    def _en_firms(self, text: str, doc: _Doc, known: _Taken, found: list[tuple]) -> list[tuple]:
        out = []
        for m in _near(_FIRM_CUE, _FIRM_EN, text, 70, 14):
            start = m.start("name")
            words = m.group("name").split()
            while words and (words[0] in _LEAD_STOP or known.busy(start, start + len(words[0]))):
                start = text.index(words[0], start) + len(words[0])
                while start < len(text) and text[start].isspace():
                    start += 1
                words = words[1:]
            if not words:
                continue
            legal = re.fullmatch(_LEGAL, m.group("cue")) is not None
            name = " ".join(words) if legal else " ".join([*words, m.group("cue")])
            if name in _NOT_NAMES or known.busy(start, m.end()):
                continue
            out.append((start, m.end(), EntityType.FIRM, name.rstrip(".,"), None, -1))
        out += self._en_listed(text, known)
        out += self._en_owned(text, doc, known)
        for role in _ROLE_EN.finditer(text):
            pos = role.end()
            while True:
                n = _LIST_NAME.match(text, pos)
                if n is None:
                    break
                words = n.group(0).split()
                if words[0] not in _LEAD_STOP and words[0] not in _NOT_NAMES and not known.busy(n.start(), n.end()):
                    out.append((n.start(), n.end(), EntityType.FIRM, n.group(0), None, -1))
                sep = _LIST_SEP.match(text, n.end())
                if sep is None or not sep.group(0).strip(" "):
                    break
                pos = sep.end()
        return out

    def _en_owned(self, text: str, doc: _Doc, known: _Taken) -> list[tuple]:
        """"China's CMOC", "Swiss-based Glencore": a capitalised name right after a country's
        possessive or "-based" is a firm of that country, unless it is a title, an agency or a
        word that is no name."""
        out = []
        for country in doc.countries:
            m = _OWNED_EN.match(text, country.end)
            if m is None:
                continue
            name = m.group("name")
            words = name.split()
            if (
                words[0] in _LEAD_STOP or any(w in _NOT_NAMES for w in words) or _TITLE_EN.match(name + " ")
                or _ORG_CUE.search(name) or known.busy(m.start("name"), m.end("name"))
                or (len(words) > 1 and _SPEAKS_AFTER.match(text, m.end("name")))
            ):
                continue
            home = self.lex.home(country.entity_id)
            out.append((m.start("name"), m.end("name"), EntityType.FIRM, name, home, country.start))
        return out

    def _en_goods(self, text: str, doc: _Doc, known: _Taken, found: list[tuple]) -> list[tuple]:
        """The items of a coverage list after a measure word ("tariffs on cheese, handbags and
        sparkling wine") that no lexicon lists: lower-case phrases of one to four words, read
        until the list ends; a capitalised word (a name) or a number ends it."""
        out = []
        for cue in _COVER_LIST_EN.finditer(text):
            if cue.group("generic") and not _MEASURE_BEFORE_EN.search(text, max(0, cue.start() - 80), cue.start()):
                continue
            pos = cue.end()
            items: list[tuple] = []
            separated = False
            for _ in range(30):
                item = _ITEM_EN.match(text, pos)
                if item is None:
                    break
                words = list(_WORD.finditer(text, item.start(), item.end()))
                while words and words[-1].group(0) in _ITEM_STOP:
                    words.pop()
                while words and words[0].group(0) in _ITEM_STOP:
                    words.pop(0)
                if any(w.group(0) in _ITEM_STOP or w.group(0).endswith(("ly", "ed")) for w in words):
                    break  # a clause, not a list item ("both duties took effect", "widely seen")
                if words and len(words) <= 4 and words[-1].group(0) not in _NOT_GOODS_EN:
                    start, end = words[0].start(), words[-1].end()
                    if not known.busy(start, end):
                        items.append((start, end, EntityType.COMMODITY, " ".join(w.group(0) for w in words), None, -1))
                sep = _LIST_SEP_EN.match(text, item.end())
                if sep is None:
                    break
                separated = True
                pos = sep.end()
            if separated:  # a list of two or more: one word after "on" is too often not a good
                out += items
        return out

    def _en_listed(self, text: str, known: _Taken) -> list[tuple]:
        """"added Hikvision, Dahua Technology and six other Chinese companies": the names listed
        before a count of other firms are firms too."""
        out = []
        for tail in _OTHERS_EN.finditer(text):
            pos = tail.start()
            while True:
                n = _LAST_NAME_BEFORE.search(text, max(0, pos - 60), pos)
                if n is None:
                    break
                words = n.group(0).split()
                if words[0] in _LEAD_STOP or words[0] in _NOT_NAMES:
                    break
                if not known.busy(n.start(), n.end()):
                    out.append((n.start(), n.end(), EntityType.FIRM, n.group(0), None, -1))
                before = text[max(0, n.start() - 2) : n.start()]
                if not before.endswith(", "):
                    break
                pos = n.start() - 2
        return out

    def _en_people(self, text: str, doc: _Doc, known: _Taken, found: list[tuple]) -> list[tuple]:
        mentions = doc.mentions
        out = []
        for t in _TITLE_EN.finditer(text):
            n = _PERSON_EN.match(text, t.end())
            if n is None or known.busy(n.start(), n.end()):
                continue
            words = n.group("name").split()
            if words[0] in _NOT_NAMES or words[0] in _LEAD_STOP:
                continue
            home, home_start = self._home_before(text, mentions, t.start())  # "Malaysia's Primary Industries Minister"
            out.append((n.start(), n.end(), EntityType.PERSON, n.group("name"), home, home_start))
        return out

    def _en_orgs(self, text: str, doc: _Doc, known: _Taken, found: list[tuple]) -> list[tuple]:
        mentions = doc.mentions
        out = []
        for m in _near(_ORG_CUE, _ORG_EN, text, 90, 70):
            start, end = m.start("name"), m.end("name")
            words = m.group("name").split()
            while words and words[0] in _LEAD_STOP:
                start = text.index(words[0], start) + len(words[0]) + 1
                words = words[1:]
            if len(words) < 2 or (known.busy(start, end) and not self._starts_with_country(mentions, start, end)):
                continue
            home, home_start = None, -1
            for mention in mentions:
                if mention.start == start and mention.end < end and mention.type is EntityType.COUNTRY:
                    home = mention.entity_id  # "US Customs and Border Protection"
            if home is None:
                home, home_start = self._home_before(text, mentions, start)  # "India's Directorate General…"
            out.append((start, end, EntityType.ORGANIZATION, text[start:end], home, home_start))
        return out

    @staticmethod
    def _starts_with_country(mentions: list[Mention], start: int, end: int) -> bool:
        inside = [m for m in mentions if start <= m.start < end]
        return len(inside) == 1 and inside[0].start == start and inside[0].type is EntityType.COUNTRY

    # -- Chinese --------------------------------------------------------------------------------
    def _zh_orgs(self, text: str, doc: _Doc, known: _Taken, found: list[tuple]) -> list[tuple]:
        out = []
        for m in doc.countries:
            hit = _ZH_ORG_SUFFIX.match(text, m.end, m.end + 14)
            if hit is None or _ZH_ORG_STOP.search(hit.group(0)) or known.busy(hit.start(), hit.end()):
                continue
            out.append((m.start, hit.end(), EntityType.ORGANIZATION, text[m.start : hit.end()], m.entity_id, -1))
        return out

    def _zh_people(self, text: str, doc: _Doc, known: _Taken, orgs: list[tuple]) -> list[tuple]:
        out = []
        actors = sorted(doc.actors + [Mention(o[0], o[1], "", EntityType.ORGANIZATION, "", "zh") for o in orgs]) if orgs else doc.actors
        starts = [a.start for a in actors]
        homes = {(o[0], o[1]): o[4] for o in orgs}
        for t in ZH_TITLE.finditer(text):
            n = _ZH_PERSON.match(text, t.end())
            if n is None or known.busy(n.start(), n.end()):
                continue
            name = n.group("name")
            if len(name) < 2 or name[0] in "的了是在将对等和与之以并而" or name in _ZH_GENERIC or _ZH_NOT_PERSON.match(name):
                continue
            home, home_start = None, -1
            i = bisect_left(starts, t.start()) - 1
            # an actor that took the title's first character ("美国农业部" + 长) still names its home
            while i >= 0 and actors[i].end > t.start() and not (t.end() > actors[i].end and ZH_TITLE.fullmatch(text[actors[i].end - 1 : t.end()])):
                i -= 1
            for a in actors[i : i + 1] if i >= 0 else ():
                gap = text[a.end : t.start()]
                if len(gap) <= 12 and not _NOT_HOME_GAP.search(gap):
                    home = homes.get((a.start, a.end)) if not a.entity_id else self.lex.home(a.entity_id)
                    home_start = a.start
                break
            out.append((n.start(), n.end(), EntityType.PERSON, name, home, home_start))
            end = n.end()
            while (more := _ZH_LISTED_PERSON.match(text, end)) is not None:
                listed = more.group("name")
                if listed in _ZH_GENERIC or _ZH_NOT_PERSON.match(listed) or known.busy(more.start("name"), more.end()) or ZH_TITLE.search(listed):
                    break
                out.append((more.start("name"), more.end(), EntityType.PERSON, listed, home, home_start))
                end = more.end()
        return out

    def _zh_firms(self, text: str, doc: _Doc, known: _Taken, found: list[tuple]) -> list[tuple]:
        out = []
        for s in _ZH_FIRM_SUFFIX.finditer(text):
            lo = max(0, s.start() - 8)
            window = text[lo : s.start()]
            if not window or not ("\u4e00" <= window[-1] <= "\u9fff" or window[-1].isalnum()):
                continue
            tokens = _segment(window)
            name_tokens: list[str] = []
            for word, tag in reversed(tokens):
                if tag[:1] in {"n", "x", "j"} or tag in {"eng", "nz", "nrt", "nr", "ns", "nt"}:
                    if word in _ZH_GENERIC or not word.strip() or re.search(r"[，,。；、“”「」《》()（）\d]", word):
                        break
                    name_tokens.insert(0, word)
                    if len(name_tokens) == 2:
                        break
                else:
                    break
            if not name_tokens:
                continue
            stem = "".join(name_tokens)
            start = s.start() - len(stem)
            joined = _TRANSLITERATED.search(text, max(0, start - 16), s.start())
            if joined is not None and joined.start() < start:  # "亨廷顿·英格尔斯工业公司": the whole name
                start = joined.start()
            while s.start() - start > 2 and text[start] in _ZH_BEFORE_NAME:  # "对斯凯迪奥公司": 对 is no part of it
                start += 1
            if s.start() - start < 2 or known.busy(start, s.end()):
                continue
            out.append((start, s.end(), EntityType.FIRM, text[start : s.end()], None, -1))
        for r in _ZH_ROLE.finditer(text):
            pos = r.end()
            while True:
                n = _ZH_NAME_RUN.match(text, pos, pos + 10)
                if n is None or n.end() == n.start():
                    break
                name = n.group(0)
                if name not in _ZH_GENERIC and name[0] not in _ZH_BEFORE_NAME + "的了是等" and not re.search(r"\d", name) and not known.busy(n.start(), n.end()) and not _ZH_PREDICATE.match(name):
                    out.append((n.start(), n.end(), EntityType.FIRM, name, None, -1))
                if text[n.end() : n.end() + 1] not in {"、", "和", "及", "与"}:
                    break
                pos = n.end() + 1
        return out


def _near(cue: re.Pattern[str], pattern: re.Pattern[str], text: str, before: int, after: int) -> list[re.Match[str]]:
    """Matches of ``pattern`` around each hit of its cheap ``cue``, each match once, in text order."""
    out: dict[tuple[int, int], re.Match[str]] = {}
    floor = 0
    for hit in cue.finditer(text):
        lo = max(floor, hit.start() - before)
        for m in pattern.finditer(text, lo, min(len(text), hit.end() + after)):
            out.setdefault(m.span(), m)
            floor = max(floor, m.end())
    return [out[k] for k in sorted(out)]


def _entity(entity_id: str, etype: EntityType, names: dict[str, str], aliases: list[str]) -> Entity:
    return Entity(id=entity_id, type=etype, names=names, aliases=aliases, attributes={"source": "text"})
