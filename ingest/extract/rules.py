"""The rule extractor: lexicon matching, measure triggers and cue rules, with evidence for all.

Every fact cites the sentence it was read from (an entity cites the words that name it), with
the rule that produced it as ``extractor`` (``rule:zh.export_control.trigger``). Sentences with no
trade signal — no trigger, no dependency, supply, negotiation or trade word — yield nothing at all,
so headlines about football in a scraped page leave no trace in the graph.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache

from graph.enums import EntityType, RelationType
from graph.ids import slugify
from graph.model import Batch, Document, Entity, Evidence, MeasureAttributes, Relation
from graph.units import PERCENT
from ingest.extract import build
from ingest.extract.confidence import calibrated, rule_key
from ingest.extract.context import ACTOR_TYPES, GOODS_TYPES, Mention, Sentence, bucket
from ingest.extract.folding import fold_mentions
from ingest.extract.matcher import Hit, TermMatcher, fold, lookbehind, pattern_hits
from ingest.extract.measures import MeasureDraft, MeasureMention, MentionFinder, find_mentions
from ingest.extract.names import Found, OpenNames
from ingest.extract.relations import RelationDraft, RelationRules
from ingest.extract.script import to_simplified
from ingest.extract.text import sentences as split_sentences
from ingest.extract.values import InferredDate, dateline_span, reference_date
from ingest.lexicon import Lexicon
from ingest.readers import detect_language

__all__ = ["RuleExtractor"]

_TYPE_NAMES = {
    "tariff": ("tariffs", "关税"),
    "export_control": ("export controls", "出口管制"),
    "import_ban": ("import ban", "进口禁令"),
    "purchase_suspension": ("purchase suspension", "暂停采购"),
    "port_fee": ("port fees", "港口费"),
    "sanction": ("sanctions", "制裁"),
    "entity_list": ("entity list", "实体清单"),
    "supply_cutoff": ("supply cutoff", "断供"),
    "anti_dumping": ("anti-dumping duties", "反倾销税"),
    "countervailing_duty": ("countervailing duties", "反补贴税"),
    "safeguard": ("safeguard measures", "保障措施"),
    "investment_restriction": ("investment restrictions", "投资限制"),
    "other": ("trade measure", "贸易措施"),
}
_new_tuple = tuple.__new__  # a Mention built in C, without the NamedTuple's Python-level __new__
_WEAK_SIGNALS = {"opposes", "supports", "retaliation"}
_DIRECTIONAL = frozenset("对涉在赴访来")
_RETALIATORY = re.compile(r"retaliat|counter-?tariff|countermeasure|报复|反制", re.I)
_MADE_FROM_HINT = re.compile(r"是(?:制造|生产|制作)|used (?:to make|in making|for)|goes into", re.I)
_ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|its|their|such)\s+(?:[\w-]+\s+){0,2}?(?:ban|bans|move|moves|step|steps|measure|measures|decision|"
    r"duties|tariffs|curbs|controls|restrictions|probe|investigation|action|actions)\s+(?:was|were|is|are|came|come|as)\s+(?:\w+\s+){0,3}?"
    r"(?:a |an )?(?=response|retaliation|answer|reply|countermeasure|retaliatory)"
    r"|(?:此举|这一举措|该举措|这一措施|该措施|上述措施|这些措施|此次调查|该调查|这一决定|此次措施)(?=[^。；]{0,50}?(?:反制|回应|报复|还击|反击))",
    re.I,
)


@cache
def _lexicon_rule(lang: str, etype: EntityType) -> str:
    """The rule name an entity cited by the lexicon gets (``rule:zh.lexicon.country``)."""
    return f"rule:{lang}.lexicon.{etype.value.lower()}"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while one document is read.

    Reading a document makes a few thousand small objects that all stay alive until the Batch is
    built, so every collection the allocations trigger walks them and finds nothing to free:
    about a tenth of extraction time. Memory is not at stake (almost all of it is freed by
    reference counting when the call returns; the few cycles go at the next collection).
    The collector is left as it was found: a caller that turned it off keeps it off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class RuleExtractor:
    """Deterministic, offline extraction driven by a :class:`~ingest.lexicon.Lexicon`."""

    name = "rules"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.names = TermMatcher(lexicon.entity_terms)
        goods_terms = {k: [t for t in v if t.kind == "entity" and t.value.split(":", 1)[0] in {"commodity", "product"}] for k, v in lexicon.entity_terms.items()}
        goods_terms = {k: v for k, v in goods_terms.items() if v}
        self.goods = TermMatcher(goods_terms)
        # goods names one of whose proper suffixes begins another goods name ("C919大型客机" and
        # "大型客机发动机"): only after these can a longer head follow, so only these are checked
        proper = {fold(k)[:i] for k in goods_terms for i in range(1, len(k))}  # prefixes of a longer name

        def prone(name: str) -> bool:
            return any(
                name[i:] in proper and (name[i - 1] == " " or not name[i].isascii())
                for i in range(1, len(name))
            )

        self.head_prone = frozenset(k for k in map(fold, goods_terms) if prone(k))
        self.cues = TermMatcher(
            {k: [t for t in v if not (t.kind == "cue" and t.value in {"location", "target"})] for k, v in lexicon.cue_terms.items()}
        )
        self.target_words = lookbehind(lexicon.cue_words("target"))
        self.location_words = lookbehind(lexicon.cue_words("location"))
        self.finder = MentionFinder(lexicon, self.target_words, self.location_words)
        self.relations = RelationRules(lexicon, self.location_words)
        self.open_names = OpenNames(lexicon)
        self.confidence = calibrated()
        self.embedded = self._embedded_countries()
        entries = lexicon.entries.values()
        self.types = {key: e.type for key, e in lexicon.entries.items()}  # asked for every name found
        # which names can start a membership or a home-country rule, so other sentences skip them
        self.member_ids = frozenset(e.id for e in entries if e.members or (e.type is EntityType.PERSON and e.org and e.titles))
        self.based_ids = frozenset(
            e.id for e in entries if e.type in {EntityType.FIRM, EntityType.ORGANIZATION, EntityType.PERSON} and e.country
        )

    def _embedded_countries(self) -> dict[str, tuple[int, str]]:
        """Names that begin with their country's name (中国商务部, Japan's METI): surface → (length, country)."""
        out = {}
        for terms in self.lex.entity_terms.values():
            for term in terms:
                if term.kind != "entity" or term.value.startswith("country:"):
                    continue
                surface = term.surface
                for k in range(len(surface) - 1, 0, -1):
                    prefix = surface[:k]
                    hits = self.lex.entity_terms.get(prefix) or self.lex.entity_terms.get(prefix.lower()) or []
                    country = next((t.value for t in hits if t.value.startswith("country:")), None)
                    if country:
                        out[surface] = (k, country)
                        break
        return out

    # -- matching -------------------------------------------------------------------------------
    def _mentions(self, text: str, folded: str) -> tuple[list[Mention], list[tuple[int, int]]]:
        mentions, spans = [], []
        types = self.types
        hits = self.names.find(text, folded)
        skip_until = -1
        for i, hit in enumerate(hits):
            if hit.start < skip_until:
                continue
            if hit.kind == "entity" and len(hit.surface) == 2 and hit.surface[0] in _DIRECTIONAL:
                longer = self._longer_name(text, folded, hit.start + 1, hit.end)
                if longer is not None:  # "对美国", "对美光公司": 对 marks the target, the name is longer
                    hit, skip_until = longer, longer.end
            spans.append((hit.start, hit.end))
            if hit.kind == "entity":
                etype = types.get(hit.value)
                if etype is not None:
                    m = _new_tuple(Mention, (hit.start, hit.end, hit.value, etype, hit.surface, hit.lang, False))
                    mentions.append(m)
                    if m.type in GOODS_TYPES and folded[m.start : m.end] in self.head_prone:
                        head = self._goods_head(text, folded, m)
                        if head is not None:  # "C919 大型客机发动机": the engines, of the C919
                            mentions.append(head)
                            skip_until = max(skip_until, head.end)
            elif hit.kind == "pair":
                for country in hit.value.split(","):
                    mentions.append(Mention(hit.start, hit.end, country, EntityType.COUNTRY, hit.surface, hit.lang, pair=True))
        return mentions, spans

    def _longer_name(self, text: str, folded: str, start: int, end: int) -> Hit | None:
        """A name that starts at ``start`` and runs past ``end`` (the 美国 in 对美国)."""
        window = self.names.find(text[start : start + 16], folded[start : start + 16])
        if window and window[0].start == 0 and start + window[0].end > end and window[0].kind == "entity":
            h = window[0]
            return Hit(start + h.start, start + h.end, h.kind, h.value, h.lang, h.surface)
        return None

    def _goods_head(self, text: str, folded: str, m: Mention) -> Mention | None:
        """A goods name that begins inside ``m`` and runs past its end: the compound's head."""
        lo, hi = m.start + 1, m.end + 12
        for h in self.goods.find(text[lo:hi], folded[lo:hi]):
            start, end = lo + h.start, lo + h.end
            if start >= m.end:
                break
            if end > m.end and h.kind == "entity" and h.value != m.entity_id:
                entry = self.lex.entry(h.value)
                if entry is not None and entry.type in GOODS_TYPES:
                    return Mention(start, end, h.value, entry.type, h.surface, h.lang)
        return None

    def _cue_hits(self, text: str, folded: str, name_spans: list[tuple[int, int]]):  # noqa: ANN202
        hits = self.cues.find(text, folded) + pattern_hits(self.lex, text, folded)
        # "retaliatory tariffs", "报复性关税": the trigger says it answers something; a cue of no
        # width at its start lets the retaliation rule see the measure after it
        hits += [Hit(h.start, h.start, "cue", "retaliation", h.lang, "") for h in hits if h.kind == "measure" and _RETALIATORY.search(h.surface)]
        if not name_spans:
            return hits
        starts = [s for s, _ in name_spans]  # name hits never overlap, so one bisect finds the container
        kept = []
        for h in hits:
            i = bisect.bisect_right(starts, h.start) - 1
            if i >= 0:
                s, e = name_spans[i]
                if s <= h.start and h.end <= e and (s, e) != (h.start, h.end):
                    continue
            kept.append(h)
        return kept

    # -- the interface ---------------------------------------------------------------------------
    def extract(self, document: Document) -> Batch:
        """Read ``document.text`` (the normalised text every span indexes into) into a Batch."""
        with _collector_paused():
            return self._extract(document)

    def _extract(self, document: Document) -> Batch:
        # rules read the simplified-script text; it has the original's length, so every span
        # indexes both, and evidence quotes are cut from the original (build.EvidenceMaker)
        text = to_simplified(document.text)
        reference = reference_date(text, document.published)
        dateline = dateline_span(text)
        if dateline is not None:  # "WASHINGTON, Jan 23 - ": the day reported on, no event; blanked, same length
            text = text[: dateline[0]] + " " * (dateline[1] - dateline[0]) + text[dateline[1] :]
        language = document.language or detect_language(text)
        folded = fold(text)
        mentions, name_spans = self._mentions(text, folded)
        found = self.open_names.find(text, language, mentions)
        if found.mentions or found.dropped:
            mentions = sorted([m for m in mentions if (m.start, m.end) not in found.dropped] + found.mentions)
            name_spans = sorted({*name_spans, *((m.start, m.end) for m in found.mentions)} - found.dropped)
        with self.lex.document_entries(found.entries):
            return self._read(document, text, folded, language, mentions, name_spans, found, reference)

    def _read(
        self, document: Document, text: str, folded: str, language: str | None, mentions: list[Mention],
        name_spans: list[tuple[int, int]], found: Found, reference: date | None,
    ) -> Batch:
        cue_hits = self._cue_hits(text, folded, name_spans)
        sentences = bucket(text, split_sentences(text, language), language, mentions, cue_hits)
        measure_mentions = find_mentions(self.finder, text, sentences, reference)
        drafts = fold_mentions(self.lex, self.finder, measure_mentions)
        batch = _Assembler(self, document, text, sentences, drafts, measure_mentions, reference, found).batch()
        for mm in measure_mentions:  # a mention and its draft point at each other: let go, so that
            mm.measure = None  # the document's working objects are freed on return, not by the collector
        return batch


def _known_day(reference: date | None) -> bool:
    return reference is not None and not isinstance(reference, InferredDate)


def _answers_earlier(responder: MeasureDraft, provoker: MeasureDraft) -> bool:
    """Whether a retaliation link would point back in time: the answer dated before what it answers.
    Such a link is never made, whatever the cue words say."""
    answered = provoker.announced  # an effective date alone may come long after the announcement
    answer = min((d for d in (responder.announced, responder.effective) if d), default=None)
    return answered is not None and answer is not None and answer < answered


class _Assembler:
    """Turns drafts into model objects, each with its evidence, for one document."""

    def __init__(
        self, ex: RuleExtractor, doc: Document, text: str, sentences: list[Sentence], drafts: list[MeasureDraft],
        mentions: list[MeasureMention], reference: date | None, found: Found,
    ) -> None:
        self.ex = ex
        self.found = found
        # names the text itself gave a home can start a home-country rule too
        self.based_ids = ex.based_ids | {k for k, e in found.entries.items() if e.country}
        self.embedded = {**ex.embedded, **found.embedded} if found.embedded else ex.embedded
        self.doc = doc
        self.text = text  # the simplified-script text the rules read (same length as doc.text)
        self.sentences = sentences
        self.drafts = drafts
        self.mentions = mentions
        self.reference = reference
        self.entity_evidence: dict[str, dict[tuple[int, int, str], tuple[int, int, str, float]]] = defaultdict(dict)
        self.relations: dict[tuple, dict] = {}
        self.ids: dict[int, str] = {}
        # Evidence from the makings (start, end, rule, confidence), built from the document's own
        # text so that span and quote agree by construction; one object per distinct key
        self._make_evidence = build.EvidenceMaker(doc)
        # the hint has no anchors or lookarounds: absent from the text, it is absent from every sentence
        self.made_from_hint = _MADE_FROM_HINT.search(self.text) is not None

    def evidence(self, start: int, end: int, rule: str, confidence: float) -> tuple[int, int, str, float]:
        """The makings of an Evidence; built in _build, once per distinct key."""
        return (start, end, rule, confidence)

    def cite_entity(self, m: Mention, rule: str | None = None, sentence: Sentence | None = None) -> None:
        if sentence is not None:
            start, end = sentence.span
        else:
            start, end = m.start, m.end
        rule = rule or _lexicon_rule(m.lang, m.type)
        cited = self.entity_evidence[m.entity_id]
        if (start, end, rule) not in cited:
            cited[(start, end, rule)] = (start, end, rule, 0.9)

    def add_relation(self, source: str, rtype: RelationType, target: str, start: int, end: int, rule: str, confidence: float, share: float | None = None, origin: str | None = None) -> None:
        confidence = self.ex.confidence.get(rule_key(rule), confidence)  # as calibrated on the gold sets
        key = (source, rtype, target, origin)
        slot = self.relations.setdefault(key, {"share": share, "evidence": {}})
        if slot["share"] is None and share is not None:
            slot["share"] = share
        slot["evidence"].setdefault((start, end, rule), self.evidence(start, end, rule, confidence))

    # -- assembly --------------------------------------------------------------------------------
    def batch(self) -> Batch:
        signal = {s.index for s in self.sentences if s.has_trade_signal()}
        # "market" is too common a word to signal trade alone: only where it names one's buyer
        signal |= {s.index for s in self.sentences if s.has("cue", "market") and self.ex.relations.markets(self.text, s)}
        if self.drafts:
            signal |= {s.index for s in self.sentences if any(s.has("cue", value) for value in _WEAK_SIGNALS)}
        for s in self.sentences:
            if s.index in signal:
                for m in s.mentions:
                    self.cite_entity(m)
        self._measures()
        by_sentence: dict[int, list[MeasureDraft]] = defaultdict(list)
        for draft in self.drafts:
            if draft in self.ids:
                for mm in draft.mentions:
                    if draft not in by_sentence[mm.sentence.index]:
                        by_sentence[mm.sentence.index].append(draft)
        seen: list[MeasureDraft] = []
        self.history: list[tuple[int, list[MeasureDraft]]] = []  # sentences that named measures, in order
        here_of: dict[int, list[MeasureMention]] = defaultdict(list)
        for mm in self.mentions:
            if mm.measure is not None and mm.measure in self.ids:
                here_of[mm.sentence.index].append(mm)
        for s in self.sentences:
            here = here_of.get(s.index, [])
            if s.index in signal:
                self._sentence_relations(s, here, seen)
            for draft in by_sentence.get(s.index, ()):
                if draft in seen:
                    seen.remove(draft)
                seen.append(draft)
            if s.index in by_sentence:
                self.history.append((s.index, by_sentence[s.index]))
        self._stated_homes()
        return self._build()

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

    def _measures(self) -> None:
        used: set[str] = set()
        for draft in self.drafts:
            measure_id = self._measure_id(draft)
            base, n = measure_id, 2
            while measure_id in used:
                measure_id, n = f"{base}-{n}", n + 1
            used.add(measure_id)
            self.ids[draft] = measure_id  # type: ignore[index]
            for mm in draft.mentions:
                s = mm.sentence
                rule = f"rule:{mm.lang}.{mm.measure_type}.trigger"
                conf = 0.6 if mm.inferred_imposer else 0.8
                self.entity_evidence[measure_id].setdefault((s.start, s.end, rule), self.evidence(s.start, s.end, rule, conf))
                for m in mm.imposers:
                    self.cite_entity(m)
                    self.add_relation(m.entity_id, RelationType.IMPOSES, measure_id, s.start, s.end, f"rule:{mm.lang}.imposes.actor", conf)
                    home = self.ex.relations.home(m.entity_id)
                    if home and home != m.entity_id:
                        self.cite_entity(Mention(m.start, m.end, home, EntityType.COUNTRY, m.surface, m.lang), f"rule:{mm.lang}.lexicon.home", s)
                        self.add_relation(home, RelationType.IMPOSES, measure_id, s.start, s.end, f"rule:{mm.lang}.imposes.home_country", conf * 0.9)
                for m in mm.targets:
                    self.cite_entity(m)
                    self.add_relation(measure_id, RelationType.TARGETS, m.entity_id, s.start, s.end, f"rule:{mm.lang}.targets.cue", 0.7)
                for m in mm.goods if mm.goods and all(g.entity_id in draft.goods for g in mm.goods) else []:
                    self.cite_entity(m)
                    self.add_relation(measure_id, RelationType.COVERS, m.entity_id, s.start, s.end, f"rule:{mm.lang}.covers.goods", 0.7)

    def _measure_id(self, draft: MeasureDraft) -> str:
        iso = draft.country.split(":")[1].lower() if draft.country else "xx"
        when = draft.announced or draft.effective
        role = "announced" if draft.announced else "effective"
        if when is not None:
            stamp = when.isoformat()[:7] if draft.precision.get(role) == "month" else when.isoformat()
        elif draft.year:
            stamp = str(draft.year)
        elif self.reference is not None:
            stamp = str(self.reference.year)
        else:
            stamp = ""
        parts = [iso] + ([stamp] if stamp else [])
        head = self._head_good(draft)
        type_en = _TYPE_NAMES[draft.measure_type][0]
        if head:
            local = head.split(":", 1)[1]
            parts.append(local[:-1] if local.endswith("s") and not local.endswith("ss") else local)
        parts.append(slugify(type_en))
        if not head and draft.targets:
            parts.append("on-" + slugify(next(iter(draft.targets)).split(":", 1)[1]))
        return "measure:" + "-".join(p for p in parts if p)

    def _head_good(self, draft: MeasureDraft) -> str | None:
        goods = list(draft.goods)
        if not goods:
            return None
        def score(g: str) -> int:
            return sum(1 for other in goods if other != g and g in self.ex.lex.ancestors(other))

        return max(goods, key=lambda g: (score(g), -goods.index(g)))

    def _sentence_relations(self, s: Sentence, here: list[MeasureMention], seen: list[MeasureDraft]) -> None:
        rules = self.ex.relations
        drafts: list[RelationDraft] = []
        # each rule runs only where its cue or its kind of name is present (the same output, less work)
        if s.has("cue", "depends"):
            drafts += rules.depends(self.text, s)
        if s.has("cue", "share_of"):
            drafts += rules.shares(self.text, s)
        if s.has("cue", "market"):
            drafts += rules.markets(self.text, s)
        if s.has("cue", "supplies"):
            drafts += rules.supplies(self.text, s)
        if self.made_from_hint and _MADE_FROM_HINT.search(self.text, s.start, s.end):
            drafts += rules.made_from(self.text, s)
        ex = self.ex
        if any(m.entity_id in ex.member_ids for m in s.mentions):
            drafts += rules.membership(self.text, s)
        if any(m.entity_id in self.based_ids for m in s.mentions):
            drafts += rules.based_in(self.text, s, self.embedded)
        if s.has("cue", "negotiates"):
            drafts += rules.negotiations(self.text, s, seen)
        for d in drafts:
            for m in d.mentions:
                self.cite_entity(m) if (m.start, m.end) != (s.start, s.end) else None
            if d.target not in self.entity_evidence:
                self.entity_evidence[d.target]  # noqa: B018 - make sure the endpoint is cited below
                entry = self.ex.lex.entry(d.target)
                if entry is not None:
                    rule = f"rule:{s.language or 'en'}.lexicon.{entry.type.value.lower()}"
                    self.entity_evidence[d.target].setdefault((s.start, s.end, rule), self.evidence(s.start, s.end, rule, 0.6))
            if d.origin and d.origin not in self.entity_evidence:
                self.entity_evidence[d.origin][(s.start, s.end, "rule:origin")] = self.evidence(s.start, s.end, "rule:origin", 0.6)
            self.add_relation(d.source, d.type, d.target, d.start, d.end, d.rule, d.confidence, d.share, d.origin)
        if s.has("cue", "opposes") or s.has("cue", "supports"):
            for holder, rtype, measure, rule in rules.stances(self.text, s, here, seen, self.history):
                self.cite_entity(holder)
                self.add_relation(holder.entity_id, rtype, self.ids[measure], s.start, s.end, rule, 0.6)  # type: ignore[index]
        if s.has("cue", "retaliation"):
            self._retaliation(s, here, seen)

    def _retaliation(self, s: Sentence, here: list[MeasureMention], seen: list[MeasureDraft]) -> None:
        cues = s.cues_of("cue", "retaliation")
        if not cues:
            return
        pairs = self._anaphoric_retaliation(s, here, cues)
        if pairs is None:
            pairs = []
            for cue in cues:
                pairs += self._cue_retaliation(s, here, seen, cue)
        for responders, provokers in pairs:
            for r in dict.fromkeys(responders):
                for p in dict.fromkeys(provokers):
                    if r is not p and r.country != p.country and not _answers_earlier(r, p):
                        self.add_relation(self.ids[r], RelationType.RETALIATES_AGAINST, self.ids[p], s.start, s.end, f"rule:{s.language or 'en'}.retaliates.cue", 0.6)  # type: ignore[index]

    def _anaphoric_retaliation(self, s: Sentence, here: list[MeasureMention], cues: list[Hit]) -> list[tuple[list, list]] | None:
        """"The ban was a response to the US measures", "此举是对美方的反制": the answering measure
        is named by an anaphor (the ban, this move, 此举), the answered one by its owner."""
        frame = _ANAPHOR.search(self.text, s.start, s.end)
        if frame is None:
            return None
        cue = next((c for c in cues if c.start >= frame.end() - 12), None)
        if cue is None:
            return None
        after = [mm for mm in here if mm.start >= cue.start or mm.start >= frame.end()]
        provokers: list[MeasureDraft] = [mm.measure for mm in after if mm.measure is not None]
        if not provokers:
            owners = [m for m in s.mentions if m.start >= frame.end() and m.type in ACTOR_TYPES and not m.pair]
            owner = self.ex.lex.home(owners[0].entity_id) if owners else None
            if owner is None:
                return None
            provokers = self._latest_by(owner, s.index)
        if not provokers:
            return None
        countries = {p.country for p in provokers}
        before = [mm.measure for mm in here if mm.end <= frame.start() and mm.measure is not None and mm.measure.country not in countries]
        responders = before or [d for _i, ds in self.history for d in ds if d.country not in countries][-1:]
        return [(responders, provokers)] if responders else None

    def _latest_by(self, country: str, before: int) -> list[MeasureDraft]:
        for index, drafts in reversed(self.history):
            if index >= before:
                continue
            mine = [d for d in drafts if d.country == country]
            if mine:
                return mine
        return []

    def _cue_retaliation(self, s: Sentence, here: list[MeasureMention], seen: list[MeasureDraft], cue: Hit) -> list[tuple[list, list]]:
        before = [mm for mm in here if mm.end <= cue.start]
        after = [mm for mm in here if mm.start >= cue.end]
        surface = cue.surface.lower()
        provokers: list[MeasureDraft] = []
        responders: list[MeasureDraft] = []
        if surface in {"after", "following"} or surface.endswith(" after") or (cue.lang == "zh" and surface.endswith("后")):
            first, rest = (after, before) if cue.lang == "en" else (before, after)
            if first:
                country = (first[0] if cue.lang == "en" else first[-1]).measure.country
                provokers = [mm.measure for mm in first if mm.measure.country == country]
                responders = [mm.measure for mm in rest + first if mm.measure.country != country]
        elif cue.lang == "zh":
            if before and not after and self.text[cue.start - 1 : cue.start] != "的" and len({mm.measure.country for mm in before}) == 1:
                # "中方对印度棉花加征关税作为反制": the measure before the cue is the answer
                responders = [mm.measure for mm in before]
                provokers = self._earlier(responders[0], s, [])
            elif before and not after and len({mm.measure.country for mm in before}) > 1:
                last = before[-1].measure
                provokers = [last]
                responders = [mm.measure for mm in before if mm.measure.country != last.country]
            elif before and not after:
                provokers = [before[-1].measure]
                responders = [d for d in seen if d.country != provokers[0].country and d not in provokers][-1:]
            elif after:
                responders = [mm.measure for mm in after]
                provokers = self._earlier(responders[0], s, before)
        else:
            if surface in {"in response to", "response to", "a response", "answer to", "reply to", "in retaliation", "retaliation"} and after and before:
                provokers = [after[0].measure]
                responders = [mm.measure for mm in before if mm.measure.country != provokers[0].country]
            elif surface in {"in response to", "response to", "a response", "answer to", "reply to", "in retaliation"} and before:
                # "…, widely seen as a response to the Dutch and Japanese curbs": the owners name it
                owners = [m for m in s.mentions if m.start >= cue.end and m.type in ACTOR_TYPES and not m.pair]
                sides = dict.fromkeys(h for h in (self.ex.lex.home(m.entity_id) for m in owners[:3]) if h)
                provokers = [d for side in sides for d in self._latest_by(side, s.index)]
                responders = [mm.measure for mm in before if mm.measure.country not in sides]
            elif after:
                responders = [mm.measure for mm in after]
                provokers = self._earlier(responders[0], s, before)
        return [(responders, provokers)]

    def _earlier(self, responder: MeasureDraft, s: Sentence, before: list[MeasureMention]) -> list[MeasureDraft]:
        """What a responder answers: the other side's measures named last (in this sentence before
        the cue, else in the latest sentence that named any), aimed-at countries first, same type
        preferred."""
        entries = [(i, ds) for i, ds in self.history if i < s.index and s.index - i <= 4]
        entries.append((s.index, [mm.measure for mm in before if mm.measure is not None]))
        aimed = set(responder.targets)

        def usable(d: MeasureDraft) -> bool:
            return d is not responder and d.country != responder.country

        for _index, drafts in reversed(entries):
            pool = [d for d in dict.fromkeys(drafts) if usable(d)]
            if aimed and any(d.country in aimed for d in pool):
                pool = [d for d in pool if d.country in aimed]
            elif aimed and any(usable(d) and d.country in aimed for _i, ds in entries for d in ds):
                continue  # a sentence about someone else: look further back for the aimed-at side
            if pool:
                same = [d for d in pool if d.measure_type == responder.measure_type]
                return same or pool
        return []

    def _build(self) -> Batch:
        entities: list[Entity] = []
        for draft in self.drafts:
            measure_id = self.ids[draft]  # type: ignore[index]
            entities.append(self._measure_entity(draft, measure_id))
        for entity_id, evidence in self.entity_evidence.items():
            entry = self.ex.lex.entry(entity_id)
            if entry is None or not evidence:
                continue
            entities.append(build.with_evidence(entry.entity, list(map(self._make_evidence, evidence.values()))))
        known = {e.id for e in entities}
        relations = []
        for (source, rtype, target, origin), slot in self.relations.items():
            if source not in known or target not in known or (origin and origin not in known):
                continue
            made = build.relation(source, rtype, target, slot["share"], origin, list(map(self._make_evidence, slot["evidence"].values())))
            if made is not None:
                relations.append(made)
        return build.batch(self.doc, entities, relations)

    def _subtype(self, draft: MeasureDraft) -> str | None:
        """The finer kind (see ``subtypes`` in cues.yaml): of the kinds whose words stand near one
        of the measure's triggers, the one listed last (a later stage: final after provisional
        after the investigation)."""
        best = None
        for name, types, words in self.ex.lex.subtypes:
            if draft.measure_type not in types or best == name:
                continue
            for mm in draft.mentions:
                s = mm.sentence
                if words.search(self.text, max(s.start, mm.start - 30), min(s.end, mm.end + 30)):
                    best = name
                    break
        return best

    def _measure_entity(self, draft: MeasureDraft, measure_id: str) -> Entity:
        country = self.ex.lex.entry(draft.country) if draft.country else None
        head = self._head_good(draft)
        good = self.ex.lex.entry(head) if head else None
        type_en, type_zh = _TYPE_NAMES[draft.measure_type]
        en = " ".join(p for p in [country.entity.names.get("en") if country else None, good.entity.names.get("en", "").lower() if good else None, type_en] if p)
        zh = "".join(p for p in [country.entity.names.get("zh") if country else None, good.entity.names.get("zh") if good else None, type_zh] if p)
        ended = draft.ended
        for start in (draft.announced, draft.effective):
            if ended and start and ended < start:
                ended = None
        attributes = {f"{k}_precision": v for k, v in draft.precision.items() if getattr(draft, k) is not None and (k != "ended" or ended)}
        subtype = self._subtype(draft)
        if subtype:
            attributes["subtype"] = subtype
        status = draft.status
        if status == "announced" and draft.effective and _known_day(self.reference) and draft.effective <= self.reference:  # type: ignore[operator]
            status = "in_force"  # announced with a start date the document has already passed
        return build.measure_entity(
            measure_id,
            {"en": en, "zh": zh},
            attributes,
            list(map(self._make_evidence, self.entity_evidence[measure_id].values())),
            measure_type=draft.measure_type,
            status=status,
            announced=draft.announced,
            effective=draft.effective,
            ended=ended,
            rate=draft.rate,
            previous_rate=draft.previous_rate,
            amount=draft.amount[0] if draft.amount else None,
            unit=draft.amount[1] if draft.amount else (PERCENT if draft.rate is not None else None),
            legal_reference=draft.legal_reference,
        )
