"""Relations of affiliation: MEMBER_OF and BASED_IN.

The lexicon confirms what the text only implies: MEMBER_OF needs the lexicon to list the member,
BASED_IN needs the firm's lexicon home to be the country written next to it, or the text to
introduce a new name with its country ("Malaysia's Primary Industries Minister Teresa Kok").
"""

from __future__ import annotations

import re

from graph.model.enums import EntityType, RelationType
from ingest.extract.relations.base import RelationDraft, RuleBase
from ingest.extract.relations.record import Recorder
from ingest.extract.types import COORDINATION, GOODS_TYPES, Mention, Sentence

__all__ = ["AffiliationRules", "StatedHomes"]

# the post between an organisation and a person: "China's foreign ministry spokesman Geng
# Shuang", "商务部新闻发言人何亚东", "the Commerce Department's Under Secretary Alan Estevez"
_POST_BETWEEN = re.compile(
    r"^\s*(?:'s|’s|的)?\s*(?:(?!(?:and|or|with|from|by|to|told|said|of)\b)[A-Za-z-]+\s+){0,2}(?:spokesman|spokeswoman|spokesperson|minister|secretary|under secretary|director|"
    r"chairman|chairwoman|chair|commissioner|head|chief|official|president|governor|ambassador)\s*$"
    r"|^\s*(?:的)?[\u4e00-\u9fff]{0,4}(?:发言人|部长|副部长|局长|副局长|主任|主席|主委|署长|司长|大使|负责人|官员|委员)\s*$",
    re.I,
)
_LIST_THEN_HOME = re.compile(r"\s*(?:等|及其他|和其他|,?\s*and other)\s*$", re.I)
_FIRMS_NOUN = re.compile(r"\s*(?:[A-Za-z-]+\s+)?(?:企业|公司|厂商|科技企业|科技公司|companies|firms|groups|corporations)", re.I)
_ADJACENT = re.compile(
    r"^\s*(?:的|'s|’s)?\s*(?:[A-Za-z-]+\s+){0,2}(?:such as|like|including)?\s*$|^\s*(?:的|'s|’s)?\s*$"
    # "美国芯片企业英伟达", "以色列网络技术公司迈络思", "澳大利亚莱纳斯公司" (the firm's word after it is in its name)
    r"|^\s*的?[\u4e00-\u9fff]{0,6}(?:企业|公司|巨头|厂商|制造商|生产商|集团|运营商|车企|芯片商)\s*$",
    re.I,
)




def _heads(org: Mention, gap: str) -> bool:
    """"农业部长", "海关署长": 长 right after a ministry, bureau or office names its head (the
    lexicon's name took 部 of 部长)."""
    return gap == "长" and org.type is EntityType.ORGANIZATION and org.surface[-1:] in {"部", "局", "署", "委", "厅"}


class AffiliationRules(RuleBase):
    """MEMBER_OF and BASED_IN as one sentence states them."""

    # MEMBER_OF ----------------------------------------------------------------------------------
    def membership(self, text: str, s: Sentence) -> list[RelationDraft]:
        """MEMBER_OF for a member named just before a bloc the lexicon lists it in ("France and
        other EU states"), or a person named near a title the lexicon gives them at their
        organisation: the lexicon knows the membership, the text only has to name both."""
        out = []
        for m in s.mentions:
            entry = self.lex.entry(m.entity_id)
            if entry is None:
                continue
            if entry.members:
                for c in s.mentions:
                    if c.entity_id in entry.members and 0 <= m.start - c.end <= 25 and not re.search(r"[。；;.!?]", text[c.end : m.start]):
                        d = self._draft(s, c, RelationType.MEMBER_OF, m, f"rule:{m.lang}.member_of.lexicon", 0.7)
                        out += [d] if d else []
            if entry.type is EntityType.PERSON and entry.org and entry.titles:
                window = text[max(0, m.start - 25) : m.end + 25]
                if any(t in window for t in entry.titles):
                    org = self.lex.entry(entry.org)
                    if org is not None:
                        fake = Mention(m.start, m.end, org.id, org.type, m.surface, m.lang)
                        d = self._draft(s, m, RelationType.MEMBER_OF, fake, f"rule:{m.lang}.member_of.title", 0.7)
                        if d:
                            d.mentions = (m,)
                            out.append(d)
        return out + self.posts(text, s)

    def posts(self, text: str, s: Sentence) -> list[RelationDraft]:
        """MEMBER_OF for a person named right after an organisation and a post ("China's foreign
        ministry spokesman Geng Shuang", 商务部新闻发言人何亚东): the text states the post."""
        out = []
        for i, m in enumerate(s.mentions):
            if m.type is not EntityType.ORGANIZATION:
                continue
            after = next((p for p in s.mentions[i + 1 :] if p.start >= m.end), None)
            if after is not None and after.type is EntityType.PERSON and _POST_BETWEEN.match(text[m.end : after.start]):
                d = self._draft(s, after, RelationType.MEMBER_OF, m, f"rule:{m.lang}.member_of.post", 0.7)
                out += [d] if d else []
        return out

    # BASED_IN -----------------------------------------------------------------------------------
    def based_in(self, text: str, s: Sentence, embedded: dict[str, tuple[int, str]]) -> list[RelationDraft]:
        """BASED_IN when the country the lexicon gives a firm, agency or person is written next to
        it ("US chipmaker Micron", 中国商务部): the text confirms what the lexicon knows."""
        out = []
        for i, m in enumerate(s.mentions):
            if m.type not in {EntityType.FIRM, EntityType.ORGANIZATION, EntityType.PERSON} or m.pair:
                continue
            entry = self.lex.entry(m.entity_id)
            home = entry.country if entry else None
            if home is None:
                continue
            rule = f"rule:{m.lang}.based_in.adjacent"
            inside = embedded.get(m.surface)
            if inside and inside[1] == home:
                country = Mention(m.start, m.start + inside[0], home, EntityType.COUNTRY, m.surface[: inside[0]], m.lang)
                d = self._draft(s, m, RelationType.BASED_IN, country, f"rule:{m.lang}.based_in.name", 0.8)
                if d:
                    out.append(d)
                continue
            after = self._listed_home_after(text, s, i, home)
            if after is not None:  # "字节跳动、阿里巴巴和腾讯等中国企业"
                d = self._draft(s, m, RelationType.BASED_IN, after, rule, 0.7)
                out += [d] if d else []
                continue
            j, head = i, m
            while j > 0:
                prev = s.mentions[j - 1]
                if prev.type in GOODS_TYPES and m.type is EntityType.FIRM:  # "韩国芯片企业三星电子": the goods word describes the firm
                    j -= 1
                    continue
                gap = text[prev.end : head.start]
                titles = entry.titles if entry else ()
                if prev.entity_id == home and (_ADJACENT.match(gap) or gap.strip() in titles):
                    d = self._draft(s, m, RelationType.BASED_IN, prev, rule, 0.7)
                    out += [d] if d else []
                    break
                prev_entry = self.lex.entry(prev.entity_id)
                inside = embedded.get(prev.surface)
                if m.type is EntityType.PERSON and inside and inside[1] == home and (gap.strip() in titles or _heads(prev, gap)):
                    # "中国外交部发言人汪文斌", "美国农业部长珀杜": the country named inside the
                    # ministry before the post
                    country = Mention(prev.start, prev.start + inside[0], home, EntityType.COUNTRY, prev.surface[: inside[0]], prev.lang)
                    d = self._draft(s, m, RelationType.BASED_IN, country, f"rule:{m.lang}.based_in.name", 0.7)
                    out += [d] if d else []
                    break
                if prev.type in {EntityType.FIRM, EntityType.ORGANIZATION} and prev_entry and prev_entry.country == home and COORDINATION.match(gap):
                    j, head = j - 1, prev
                    inside = embedded.get(prev.surface)
                    if inside and inside[1] == home:  # "中国商务部与海关总署": the country covers both
                        country = Mention(prev.start, prev.start + inside[0], home, EntityType.COUNTRY, prev.surface[: inside[0]], prev.lang)
                        d = self._draft(s, m, RelationType.BASED_IN, country, f"rule:{m.lang}.based_in.name", 0.7)
                        out += [d] if d else []
                        break
                    continue
                break
        return out


    def _listed_home_after(self, text: str, s: Sentence, i: int, home: str) -> Mention | None:
        """The home country written after a list of firms that ends in 等 ("A、B和C等中国企业",
        "A, B and other Chinese companies"), when it is the firm's own."""
        k = i
        while k + 1 < len(s.mentions) and s.mentions[k + 1].type is EntityType.FIRM and COORDINATION.match(text[s.mentions[k].end : s.mentions[k + 1].start]):
            k += 1
        if k + 1 >= len(s.mentions):
            return None
        country = s.mentions[k + 1]
        if country.entity_id != home or not _LIST_THEN_HOME.match(text, s.mentions[k].end, country.start):
            return None
        return country if _FIRMS_NOUN.match(text, country.end) else None


class StatedHomes(Recorder):
    """BASED_IN for the names the text introduced with their country (a part of the relation stage)."""

    def _stated_homes(self) -> None:
        """"Malaysia's Primary Industries Minister Teresa Kok", "中国外交部发言人汪文斌": a name the
        text introduced with its country is based there, cited by the words that say so."""
        for entity_id, (start, end) in self.found.based.items():
            home = self.found.entries[entity_id].country
            if home is None or not self.ids or (entity_id not in self.entity_evidence and self.found.entries[entity_id].type is EntityType.FIRM):
                continue  # in a text with no measure, a stated home is no trade fact
            if entity_id not in self.entity_evidence:
                lang = "zh" if self.sentences and self.sentences[0].zh else "en"
                rule = f"rule:{lang}.text.{self.found.entries[entity_id].type.value.lower()}"
                self.entity_evidence[entity_id][(start, end, rule)] = self.evidence(start, end, rule, 0.6)
            lang = "zh" if self.sentences and self.sentences[0].zh else "en"
            rule = f"rule:{lang}.based_in.stated"
            self.entity_evidence[home].setdefault((start, end, f"rule:{lang}.lexicon.country"), self.evidence(start, end, f"rule:{lang}.lexicon.country", 0.6))
            self.add_relation(entity_id, RelationType.BASED_IN, home, start, end, rule, 0.6)
