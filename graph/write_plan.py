"""Deciding what a write changes, apart from how a store carries it out.

Both stores run the same planner inside their write transaction: it checks the batch against the
store (every fact has evidence, every quote is really at its span, every endpoint exists), merges
it with what is stored, and returns exactly the rows to write. Idempotency, evidence merging and
orphan removal are therefore defined once, and the two stores cannot drift apart on them.

A new reading's values replace the stored ones; a reading whose evidence is all stored already (a
document read again) only fills what is missing. So reading again what the store holds plans
nothing, whatever other documents said in between, and an empty plan is not committed.

The planner never reads a stored subject's evidence: it asks the store which of the batch's own
pieces are stored already (``GraphReader.stored_evidence_keys``) and plans only the others, so a
write citing an entity that thousands of documents cite costs what it adds, not what is there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.model.decisions import Decision, DecisionKind, in_force
from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Claim, Document, Entity, Evidence, Relation, keeping_claims, without_reports_from
from graph.review_view import reviewed
from graph.store import Direction, EvidenceKey, WriteSummary

if TYPE_CHECKING:
    from graph.store import GraphReader

__all__ = ["WritePlan", "plan_batch", "plan_document_removal"]


@dataclass
class WritePlan:
    summary: WriteSummary = field(default_factory=WriteSummary)
    new_documents: list[Document] = field(default_factory=list)
    #: Entities and relations whose stored form (evidence aside) this write sets: new ones as
    #: given, stored ones merged with what the batch says.
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: The key of each of ``relations``, in the same order (worked out once).
    relation_keys: list[str] = field(default_factory=list)
    #: Each piece of evidence the write adds, with its subject (entity id or relation key): none
    #: stored already, no two with one subject and ``Evidence.key``.
    new_evidence: list[tuple[str, Evidence]] = field(default_factory=list)
    #: The evidence of each subject the write creates (its pieces of ``new_evidence``, sorted by
    #: ``Evidence.key``): for a store that writes a new relation's evidence in its row (embedded).
    created_evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    #: The subjects among ``entities`` and ``relations`` that are stored already.
    stored: set[str] = field(default_factory=set)
    #: Review decisions this write records, stamped with its system time.
    new_decisions: list[Decision] = field(default_factory=list)
    removed_document: str | None = None
    removed_relations: list[str] = field(default_factory=list)
    removed_entities: list[str] = field(default_factory=list)

    @property
    def touched(self) -> list[str]:
        """Every entity id and relation key whose stored form this plan changes, each once, in a
        deterministic order (not sorted: readers of the change log sort what they collect)."""
        keys = dict.fromkeys(e.id for e in self.entities)
        keys.update(dict.fromkeys(self.relation_keys))
        keys.update(dict.fromkeys(s for s, _ in self.new_evidence))
        keys.update(dict.fromkeys(self.removed_relations))
        keys.update(dict.fromkeys(self.removed_entities))
        return list(keys)


def _document_texts(batch: Batch, store: GraphReader) -> dict[str, str]:
    texts = {d.id: d.text for d in batch.documents}
    cited = {e.document_id for item in (*batch.entities, *batch.relations) for e in item.evidence}
    for doc_id in sorted(cited - texts.keys()):
        stored = store.document(doc_id)
        if stored is not None:
            texts[doc_id] = stored.text
    return texts


def _check_evidence(where: str, evidence: list[Evidence], texts: dict[str, str]) -> None:
    if not evidence:
        raise InvalidDataError("every fact needs at least one piece of evidence", field=f"{where}.evidence")
    for i, item in enumerate(evidence):
        text = texts.get(item.document_id)
        if text is None:
            raise InvalidDataError(f"cites unknown document {item.document_id!r}", field=f"{where}.evidence[{i}]")
        if text[item.start : item.end] != item.quote:
            raise InvalidDataError(
                f"the quote is not the text of {item.document_id} at {item.start}..{item.end}",
                field=f"{where}.evidence[{i}].quote",
            )


def _check_endpoints(batch: Batch, store: GraphReader) -> set[str]:
    """Refuse a relation whose endpoint or origin is neither in the batch nor stored; return
    the ids of those outside the batch that are stored."""
    known = {e.id for e in batch.entities}
    referenced = {r.source for r in batch.relations} | {r.target for r in batch.relations}
    referenced |= {r.origin for r in batch.relations if r.origin}
    unknown = sorted(referenced - known)
    stored = store.known(unknown)
    known |= stored
    if known.issuperset(unknown):
        return stored
    for i, relation in enumerate(batch.relations):  # name the first relation that fails
        for name in ("source", "target", "origin"):
            value = getattr(relation, name)
            if value is not None and value not in known:
                raise InvalidDataError(f"unknown entity {value!r}", field=f"relations[{i}].{name}")


def _distinct_sorted(evidence: list[Evidence]) -> list[Evidence]:
    """One piece of evidence per ``Evidence.key`` (the first given), in key order: what merging
    the list into nothing gives (``Entity.merged``, ``Relation.merged``)."""
    by_key: dict[tuple, Evidence] = {}
    for e in evidence:
        by_key.setdefault(e.key, e)
    return sorted(by_key.values(), key=lambda e: e.key)


def _check_all_evidence(kind: str, items: list[Entity] | list[Relation], texts: dict[str, str], needed: frozenset[str] = frozenset()) -> None:
    """``_check_evidence`` for every item, in one tight loop; an item that fails is checked again
    by ``_check_evidence`` for its precise error. An entity in ``needed`` may come without
    evidence: see ``_needed_entities``."""
    for i, item in enumerate(items):
        evidence = item.evidence
        if not evidence and getattr(item, "id", None) not in needed:
            _check_evidence(f"{kind}[{i}]", evidence, texts)
        for e in evidence:
            text = texts.get(e.document_id)
            if text is None or text[e.start : e.end] != e.quote:
                _check_evidence(f"{kind}[{i}]", evidence, texts)


def _needed_entities(batch: Batch) -> frozenset[str]:
    """In a copy of a store (``Batch.copied``), the entities the batch's relations start at, end
    at or name as their origin: such an entity may come without evidence of its own, since a
    store keeps an entity whose last document was removed while relations other documents support
    still need it, and a copy carries it with those relations. Nothing otherwise."""
    if not batch.copied or not batch.relations or all(e.evidence for e in batch.entities):
        return frozenset()
    return frozenset(x for r in batch.relations for x in (r.source, r.target, r.origin) if x)


def system_time() -> dt.datetime:
    """Now, in UTC to the microsecond: the system time a write stamps on the documents it adds
    (``Document.ingested``), from which every fact's first and last sighting by this store and
    ``known_at`` reads follow (graph/time_view.py)."""
    return dt.datetime.now(dt.UTC)


def plan_batch(batch: Batch, store: GraphReader) -> WritePlan:
    """Check ``batch`` against ``store`` and work out the rows that writing it changes.

    This runs for every relation of every write, so it avoids per-item work that most items do
    not need: errors are located only once something is wrong, a new relation's evidence is
    taken as is, and counters are kept in locals."""
    texts = _document_texts(batch, store)
    _check_all_evidence("entities", batch.entities, texts, _needed_entities(batch))
    _check_all_evidence("relations", batch.relations, texts)
    stored_ids = _check_endpoints(batch, store)

    plan = WritePlan()
    summary = plan.summary
    stamp = system_time()
    seen_docs: set[str] = set()
    stored_docs_fn = getattr(store, "known_documents", None)
    stored_docs = stored_docs_fn([d.id for d in batch.documents]) if stored_docs_fn is not None else None
    for document in batch.documents:
        if document.id in seen_docs:
            continue
        seen_docs.add(document.id)
        if (document.id not in stored_docs) if stored_docs is not None else store.document(document.id) is None:
            # A sync or an export read back keeps its time (in UTC, however it was built); others get this write's.
            taken = document.ingested.astimezone(dt.UTC) if document.ingested else stamp
            plan.new_documents.append(document.model_copy(update={"ingested": taken}))
            summary.documents_added += 1
        else:
            summary.documents_unchanged += 1

    if batch.decisions:
        _plan_decisions(plan, batch.decisions, store, stamp)

    incoming_entities: dict[str, Entity] = {}
    for entity in batch.entities:
        prior = incoming_entities.get(entity.id)
        incoming_entities[entity.id] = prior.merged(entity) if prior else entity
    stored_entities = store.entities(incoming_entities)  # bodies only: see the module docstring
    known = _stored_keys(store, stored_entities, incoming_entities)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for entity_id, entity in incoming_entities.items():
        counts[_merge_into_plan(plan, entity_id, entity, stored_entities.get(entity_id), known, plan.entities, None)] += 1
    summary.entities_added, summary.entities_updated, summary.entities_unchanged = counts.values()

    incoming_relations: dict[str, Relation] = {}
    for relation in batch.relations:
        key = relation.key
        prior = incoming_relations.get(key)
        incoming_relations[key] = prior.merged(relation) if prior else relation
    # Only a relation between two stored entities can be stored: the others are not asked for.
    stored_ids.update(stored_entities)
    stored_relations = store.relations(
        [k for k, r in incoming_relations.items() if r.source in stored_ids and r.target in stored_ids], evidence=False
    )
    known = _stored_keys(store, stored_relations, incoming_relations)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    new_evidence, created, rows, keys = plan.new_evidence, plan.created_evidence, plan.relations, plan.relation_keys
    added = 0
    for key, relation in incoming_relations.items():
        stored = stored_relations.get(key)
        if stored is not None:
            counts[_merge_into_plan(plan, key, relation, stored, known, rows, keys)] += 1
            continue
        # A new relation (most of a bulk load): _merge_into_plan's first branch, inlined.
        evidence = relation.evidence
        if len(evidence) == 1:
            new_evidence.append((key, evidence[0]))
            created[key] = evidence
        else:
            evidence = created[key] = _distinct_sorted(evidence)
            new_evidence += [(key, e) for e in evidence]
        summary.evidence_added += len(evidence)
        rows.append(relation)
        keys.append(key)
        added += 1
    counts["added"] += added
    summary.relations_added, summary.relations_updated, summary.relations_unchanged = counts.values()
    return plan


def _stored_keys(store: GraphReader, stored: dict, incoming: dict) -> set[tuple[str, EvidenceKey]]:  # noqa: ANN001
    """The (subject, ``Evidence.key``) pairs of the incoming evidence of stored subjects that the
    store holds already: asked by key, so the answer costs what the batch brings."""
    pairs = [(subject, e.key) for subject in stored for e in incoming[subject].evidence]
    return store.stored_evidence_keys(pairs) if pairs else set()


def _merge_into_plan(
    plan: WritePlan, key: str, incoming, stored, known: set[tuple[str, EvidenceKey]], rows: list, keys: list | None  # noqa: ANN001
) -> str:
    """Fold one incoming entity or relation into the plan; return added, updated or unchanged.
    ``stored`` is read without its evidence; ``known`` holds the pairs of the incoming evidence
    that are stored. ``keys`` (for relations) gets the key of each row added to ``rows``."""
    if stored is None:
        evidence = incoming.evidence
        if len(evidence) > 1:
            evidence = _distinct_sorted(evidence)
        plan.new_evidence += [(key, e) for e in evidence]
        plan.summary.evidence_added += len(evidence)
        plan.created_evidence[key] = evidence
        rows.append(incoming)
        if keys is not None:
            keys.append(key)
        return "added"
    read_before = all((key, e.key) in known for e in incoming.evidence)
    if read_before and isinstance(incoming, Relation) and _fills_nothing(incoming, stored):
        return "unchanged"
    # A reading the store holds already was merged when it was first written: merged again, it
    # only fills gaps. Were its values to replace the stored ones, re-reading a document would
    # undo whatever another document said since, and every pass over a folder would flip them.
    merged = stored.merged(incoming, replace=not read_before)  # evidence: the incoming, distinct, sorted
    fresh = [e for e in merged.evidence if (key, e.key) not in known]
    plan.new_evidence += [(key, e) for e in fresh]
    plan.summary.evidence_added += len(fresh)
    if merged.model_dump(exclude={"evidence"}) != stored.model_dump(exclude={"evidence"}):
        rows.append(merged)
        if keys is not None:
            keys.append(key)
        plan.stored.add(key)
        return "updated"
    return "unchanged"


def _fills_nothing(incoming: Relation, stored: Relation) -> bool:
    """True when every value ``incoming`` sets is set in ``stored`` already, so that merging a
    reading the store holds (``replace=False``) gives ``stored`` back. Re-reading a document takes
    this path for every relation, without building and validating a merged copy of each."""
    for name in ("share", "origin", "valid_from", "valid_to"):
        if getattr(incoming, name) is not None and getattr(stored, name) is None:
            return False
    attributes = stored.attributes
    return all(v is None or attributes.get(name) is not None for name, v in incoming.attributes.items())


def _plan_decisions(plan: WritePlan, decisions: list[Decision], store: GraphReader, stamp: dt.datetime) -> None:
    """Record the decisions the store does not hold, each checked against what it names: a
    merge's two entities, a rejected entity or relation, an undone decision must exist."""
    held = store.decisions()
    recorded = {d.id for d in held}
    # A relation may be rejected by its key as answers show it, after merges.
    decided = reviewed(store, in_force(held))
    for i, decision in enumerate(decisions):
        if decision.id in recorded:
            continue
        # One carried from another store (a sync, an export) has its time: a record, taken as it
        # was. One made now is checked against what it names, and takes this write's time.
        if decision.at is None:
            _check_decision(decision, f"decisions[{i}]", store, decided, recorded)
            decision = decision.model_copy(update={"at": stamp})
        plan.new_decisions.append(decision)
        recorded.add(decision.id)
        plan.summary.decisions_added += 1


def _check_decision(decision: Decision, where: str, store: GraphReader, decided: GraphReader, recorded: set[str]) -> None:
    """A merge's two entities, a rejected entity or relation, an undone decision must exist."""
    if decision.kind in (DecisionKind.MERGE, DecisionKind.DISTINCT):
        missing = [e for e in (decision.subject, decision.into) if e not in store.known([e])]
        if missing:
            raise InvalidDataError(f"no entity {missing[0]!r} to merge", field=f"{where}.{'subject' if missing[0] == decision.subject else 'into'}")
    elif decision.kind is DecisionKind.REJECT:
        subject = decision.subject
        found = subject in (decided.relations([subject], evidence=False) | store.relations([subject], evidence=False)) if "|" in subject else subject in store.known([subject])
        if not found:
            raise InvalidDataError(f"no fact {subject!r} to reject", field=f"{where}.subject")
    elif decision.subject not in recorded:
        raise InvalidDataError(f"no decision {decision.subject!r} to undo", field=f"{where}.subject")


def plan_document_removal(document_id: str, store: GraphReader) -> WritePlan:
    """Remove a document's evidence, then every relation and entity that is left with none.

    An entity that lost its last evidence but still has relations, or is still the origin of one,
    stays: removing it would cut relations that other documents support."""
    plan = WritePlan(removed_document=document_id)
    subjects = store.document_subjects(document_id)
    evidence = store.evidence(subjects)
    orphaned = {s for s in subjects if all(e.document_id == document_id for e in evidence.get(s, []))}
    plan.summary.documents_removed = 1
    plan.summary.evidence_removed = sum(
        1 for s in subjects for e in evidence.get(s, []) if e.document_id == document_id
    )
    plan.removed_relations = sorted(s for s in orphaned if "|" in s)
    removed = set(plan.removed_relations)
    for entity_id in sorted(s for s in orphaned if "|" not in s):
        touching = [*store.edges([entity_id], Direction.BOTH), *store.origin_edges(entity_id)]
        if all(r.key in removed for r in touching):
            plan.removed_entities.append(entity_id)
    plan.summary.relations_removed = len(plan.removed_relations)
    plan.summary.entities_removed = len(plan.removed_entities)
    # What stays loses the values the document stated: a measure its lifecycle events and stated
    # values, a relation or entity its claims; what is shown is chosen again among the rest.
    def elsewhere(claim: Claim) -> bool:
        return claim.evidence is None or claim.evidence.document_id != document_id

    staying = [s for s in subjects if "|" not in s and s not in plan.removed_entities]
    for entity in store.entities(staying).values():
        kept = keeping_claims(entity, elsewhere)
        if entity.measure is not None:
            measure = without_reports_from(entity.measure, document_id)
            if measure is not entity.measure:
                kept = kept.model_copy(update={"measure": measure})
        if kept is not entity:
            plan.entities.append(kept)
            plan.stored.add(entity.id)
            plan.summary.entities_updated += 1
    staying = [s for s in subjects if "|" in s and s not in removed]
    for key, relation in store.relations(staying, evidence=False).items():
        kept = keeping_claims(relation, elsewhere)
        if kept is not relation:
            plan.relations.append(kept)
            plan.relation_keys.append(key)
            plan.stored.add(key)
            plan.summary.relations_updated += 1
    return plan
