"""Stage 6, the batch: model objects with their evidence, from what the relation stage read.

Each measure draft becomes a measure entity (names in both languages, status, dates, rate,
amount, legal reference, subtype); each cited entity its lexicon entity with the evidence that
cites it; each relation whose endpoints made it into the batch a relation. Evidence is built from
the document's own text, so span and quote agree by construction (``build.py``).
"""

from __future__ import annotations

from datetime import date

from graph.model.records import Batch, Document, Entity
from graph.model.units import PERCENT
from ingest.extract import build
from ingest.extract.measure_drafts import TYPE_NAMES, head_good
from ingest.extract.types import MeasureDraft, Relations
from ingest.extract.values import InferredDate
from ingest.lexicon import Lexicon

__all__ = ["build_batch"]


def build_batch(
    lexicon: Lexicon, document: Document, text: str, reference: date | None, drafts: list[MeasureDraft], relations: Relations,
) -> Batch:
    """The document's batch: its measures, the entities cited and the relations read."""
    return _BatchBuilder(lexicon, document, text, reference, drafts, relations).build()


def _known_day(reference: date | None) -> bool:
    return reference is not None and not isinstance(reference, InferredDate)


class _BatchBuilder:
    """Builds one document's batch; holds what the measure entities are built from."""

    def __init__(
        self, lexicon: Lexicon, document: Document, text: str, reference: date | None, drafts: list[MeasureDraft], relations: Relations,
    ) -> None:
        self.lex = lexicon
        self.doc = document
        self.text = text  # the simplified-script text the rules read (same length as doc.text)
        self.reference = reference
        self.drafts = drafts
        self.ids = relations.ids
        self.entity_evidence = relations.entity_evidence
        self.relations = relations.relations
        # Evidence from the makings (start, end, rule, confidence), built from the document's own
        # text so that span and quote agree by construction; one object per distinct key
        self._make_evidence = build.EvidenceMaker(document)

    def build(self) -> Batch:
        """Measures first, then the cited entities, then the relations between entities built."""
        entities: list[Entity] = []
        for draft in self.drafts:
            measure_id = self.ids[draft]  # type: ignore[index]
            entities.append(self._measure_entity(draft, measure_id))
        for entity_id, evidence in self.entity_evidence.items():
            entry = self.lex.entry(entity_id)
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
        for name, types, words in self.lex.subtypes:
            if draft.measure_type not in types or best == name:
                continue
            for mm in draft.mentions:
                s = mm.sentence
                if words.search(self.text, max(s.start, mm.start - 30), min(s.end, mm.end + 30)):
                    best = name
                    break
        return best

    def _measure_entity(self, draft: MeasureDraft, measure_id: str) -> Entity:
        """A draft as a measure entity: names from its country, head good and type; an announced
        measure whose start date the document has passed is in force."""
        country = self.lex.entry(draft.country) if draft.country else None
        head = head_good(self.lex, draft)
        good = self.lex.entry(head) if head else None
        type_en, type_zh = TYPE_NAMES[draft.measure_type]
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
