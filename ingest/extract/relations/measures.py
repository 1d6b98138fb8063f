"""A measure's own relations: IMPOSES, TARGETS and COVERS, and the measure's id.

Each mention of a measure cites its sentence for the measure and for each party; an imposer that
is a firm, agency or person also makes its home country an imposer (at a lower confidence).
COVERS comes only from mentions whose goods all belong to the measure.
"""

from __future__ import annotations

import re

from graph.model.enums import EntityType, RelationType
from ingest.extract.measure_drafts import measure_id as _id_of
from ingest.extract.relations.record import Recorder
from ingest.extract.types import MeasureDraft, Mention, Sentence

__all__ = ["MeasureRelations", "AFFECTED", "AFFECTED_WORDS"]

# "the countries affected include…", "the levy falls hardest on…", "受影响的国家包括…": the names
# listed after it are what the measure named last is aimed at
AFFECTED = re.compile(
    r"\b(?:countries|economies|exporters|trading partners|nations|suppliers) (?:most )?(?:affected|hit)(?: most| hardest)? (?:include|are|would be)\b"
    r"|\b(?:affected|hardest-hit|worst-hit) (?:countries|economies|trading partners|exporters) (?:include|are)\b|\bfalls? hardest on\b"
    r"|受(?:影响|冲击)(?:最大|较大|最多)?的(?:国家|经济体|出口国|贸易伙伴)(?:和地区)?(?:包括|有|为)",
    re.I,
)
# words one of which any AFFECTED phrase holds: plain substring checks, so that a text without them
# skips the regex
AFFECTED_WORDS = ("affected", "Affected", "hardest", "hit most", "受影响", "受冲击")


class MeasureRelations(Recorder):
    """IMPOSES, TARGETS and COVERS for every measure draft (a part of the relation stage)."""

    def _measures(self) -> None:
        """Give each draft its id (numbered when two would share one) and record its own relations."""
        used: set[str] = set()
        for draft in self.drafts:
            measure_id = _id_of(self.rules.lex, draft, self.reference)
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
                    home = self.rules.home(m.entity_id)
                    if home and home != m.entity_id:
                        self.cite_entity(Mention(m.start, m.end, home, EntityType.COUNTRY, m.surface, m.lang), f"rule:{mm.lang}.lexicon.home", s)
                        self.add_relation(home, RelationType.IMPOSES, measure_id, s.start, s.end, f"rule:{mm.lang}.imposes.home_country", conf * 0.9)
                for m in mm.targets:
                    self.cite_entity(m)
                    self.add_relation(measure_id, RelationType.TARGETS, m.entity_id, s.start, s.end, f"rule:{mm.lang}.targets.cue", 0.7)
                for m in mm.goods if mm.goods and all(g.entity_id in draft.goods for g in mm.goods) else []:
                    self.cite_entity(m)
                    self.add_relation(measure_id, RelationType.COVERS, m.entity_id, s.start, s.end, f"rule:{mm.lang}.covers.goods", 0.7)

    def _affected(self, s: Sentence, seen: list[MeasureDraft]) -> None:
        """TARGETS for the countries a sentence lists as the ones the latest measure hits."""
        if not seen or seen[-1] not in self.ids:
            return
        cue = AFFECTED.search(self.text, s.start, s.end)
        if cue is None:
            return
        draft = seen[-1]
        measure_id = self.ids[draft]  # type: ignore[index]
        rule = f"rule:{s.language or 'en'}.targets.affected"
        for m in s.mentions:
            if m.start >= cue.end() and m.type is EntityType.COUNTRY and not m.pair and m.entity_id != draft.country:
                self.cite_entity(m)
                self.add_relation(measure_id, RelationType.TARGETS, m.entity_id, s.start, s.end, rule, 0.6)
