"""A measure's own relations: IMPOSES, TARGETS and COVERS, and the measure's id.

Each mention of a measure cites its sentence for the measure and for each party; an imposer that
is a firm, agency or person also makes its home country an imposer (at a lower confidence).
COVERS comes only from mentions whose goods all belong to the measure.
"""

from __future__ import annotations

from graph.model.enums import EntityType, RelationType
from ingest.extract.measure_drafts import measure_id as _id_of
from ingest.extract.relations.record import Recorder
from ingest.extract.types import Mention

__all__ = ["MeasureRelations"]


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
