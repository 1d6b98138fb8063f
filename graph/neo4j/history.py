"""What each write keeps of the state it replaces, so that a snapshot can answer at its version.

Neo4j runs every transaction at read-committed isolation: a read transaction sees each write as
soon as it commits, so two reads in one transaction may disagree (non-repeatable reads, in the
operations manual's words). A snapshot therefore cannot rely on its transaction alone. Instead
every write, inside its own transaction and under the Meta node's write lock (so versions commit
in order), copies each entity, relation and document it is about to change into an ``Undo`` node
stamped with the version it commits, and ends with an ``UndoVersion`` header that counts them.

A snapshot held at version ``v`` reads the newest state, then the history after ``v``, and puts
back, for every subject some later write touched, the copy the first such write kept: that copy
is the subject as it stood at ``v`` (or its absence). Reading the history *after* the state is what
makes this exact: any write the state read saw had committed before the history read began.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.model.errors import StoreUnavailableError
from graph.model.ids import entity_type_of
from graph.neo4j import cypher
from graph.neo4j.rows import evidence_json, removal_needle, type_of_key
from graph.write_plan import WritePlan

__all__ = ["Delta", "History", "Subjects", "history_statements", "key_ends"]

#: Read one statement in the snapshot's transaction: (statement, parameters) -> rows.
Read = Callable[..., list[dict[str, Any]]]


def history_statements(
    plan: WritePlan, removed_subjects: list[str], version: int, evidence_delta: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The statements that keep what ``plan`` will change, run first in its transaction.

    ``after`` says whether a subject exists once the write commits (None: as it did before), so
    a snapshot can tell what the write added to or took from the counts; ``copy`` whether the
    write sets its properties, ``whole`` whether it deletes it (then its evidence is kept too)."""
    entities: dict[str, bool | None] = {}
    relations: dict[str, bool | None] = {}
    documents: dict[str, bool | None] = {}
    added: dict[str, list[str]] = defaultdict(list)
    for subject, evidence in plan.new_evidence:
        added[subject].append(evidence_json(evidence))
        documents.setdefault(evidence.document_id, None)
    for subject in [*added, *removed_subjects]:
        (relations if "|" in subject else entities).setdefault(subject, None)
    entities |= {e.id: True for e in plan.entities} | dict.fromkeys(plan.removed_entities, False)
    relations |= dict.fromkeys(plan.relation_keys, True) | dict.fromkeys(plan.removed_relations, False)
    documents |= {d.id: True for d in plan.new_documents}
    if plan.removed_document:
        documents[plan.removed_document] = False
    needle = removal_needle(plan.removed_document) if plan.removed_document else None

    def rows(subjects: dict[str, bool | None]) -> list[dict[str, Any]]:
        return [
            {"subject": s, "after": after, "copy": after is not None, "whole": after is False, "added": added.get(s, [])}
            for s, after in sorted(subjects.items())
        ]

    if entities:
        yield cypher.KEEP_ENTITIES, {"rows": rows(entities), "version": version, "needle": needle}
    by_type: dict[str, dict[str, bool | None]] = defaultdict(dict)
    for key, after in relations.items():
        by_type[type_of_key(key)][key] = after
    for relation_type, keys in sorted(by_type.items()):
        yield cypher.keep_relations_query(relation_type), {"rows": rows(keys), "version": version, "needle": needle}
    if documents:
        yield cypher.KEEP_DOCUMENTS, {"rows": [{"subject": s, "after": a} for s, a in sorted(documents.items())], "version": version}
    yield cypher.KEEP_VERSION, {"version": version, "evidence_delta": evidence_delta}


def key_ends(key: str) -> tuple[str, str, str]:
    """(source, type, target) of a relation key (graph.model.relation_key)."""
    source, relation_type, target = key.split("|")[:3]
    return source, relation_type, target


class Subjects:
    """Entities or relations changed since a snapshot's version, and how to put each back.

    What stood at the version is told by the first later write of each subject: whether it
    existed, its properties (from the first write that set them or deleted it), and for each piece
    of evidence whether the first write that touched it added it (so it was not there) or took it
    away (so it was). The evidence a subject had is then worked out from any later state of it:
    the newest one a read returned, or, for a subject deleted since, the copy its deletion kept."""

    def __init__(self) -> None:
        self.existed: dict[str, bool] = {}
        self.props: dict[str, dict[str, Any]] = {}
        self.first_touch: dict[str, dict[str, bool]] = defaultdict(dict)
        self.whole: dict[str, list[str]] = {}

    def __contains__(self, subject: object) -> bool:
        return subject in self.existed

    def __len__(self) -> int:
        return len(self.existed)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.existed))

    def take(self, subject: str, entry: dict[str, Any]) -> None:
        self.existed.setdefault(subject, not entry["undo_absent"])
        if entry.get("undo_copied"):
            self.props.setdefault(subject, {k: v for k, v in _own(entry).items() if k != "evidence"})
        if entry.get("undo_whole"):
            self.whole[subject] = list(entry.get("evidence") or [])
        touched = self.first_touch[subject]
        for piece in entry.get("undo_added") or []:
            touched.setdefault(piece, True)
        for piece in entry.get("undo_removed") or []:
            touched.setdefault(piece, False)

    def came_or_went(self, subject: str) -> bool:
        """Whether a later write created or deleted the subject (so it may exist now and not
        then, or the other way round)."""
        return not self.existed[subject] or subject in self.whole

    def props_changed(self, subject: str) -> bool:
        """Whether a later write set the subject's properties, created or deleted it."""
        return subject in self.props or not self.existed[subject]

    def then(self, subject: str, newest: dict[str, Any] | None) -> dict[str, Any] | None:
        """The subject's properties with evidence at the snapshot's version (None: it did not
        exist), from ``newest``: its properties as a read after the version returned them (None
        when that read did not find it)."""
        if subject not in self.existed:
            return newest
        if not self.existed[subject]:
            return None
        if newest is None and subject not in self.whole:
            raise StoreUnavailableError(f"the Neo4j history lacks what {subject!r} was: read again")
        base = newest if newest is not None else {}
        evidence = newest.get("evidence") if newest is not None else self.whole[subject]
        touched = self.first_touch[subject]
        pieces = [p for p in evidence or [] if touched.get(p) is not True]
        held = set(pieces)
        pieces += [p for p, added in touched.items() if not added and p not in held]
        props = self.props.get(subject, {k: v for k, v in base.items() if k != "evidence"})
        return props | {"evidence": pieces}


@dataclass
class Delta:
    """What one write changed in :class:`graph.store.Counts`."""

    documents: int = 0
    evidence: int = 0
    entities_by_type: Counter[str] = field(default_factory=Counter)
    relations_by_type: Counter[str] = field(default_factory=Counter)


def _own(props: dict[str, Any]) -> dict[str, Any]:
    """An Undo node's copy of the subject's properties, without the history's own."""
    return {k: v for k, v in props.items() if not k.startswith("undo_")}


class History:
    """What the writes after a snapshot's version changed, as far as they have been read.

    ``entities`` and ``relations`` are :class:`Subjects`; ``documents`` maps a document id to
    its ``props`` and ``mentions`` at the version, or None when it did not exist then (documents
    are small and rarely change, so a write keeps them whole). It only grows: a later write never
    changes what stood at the version."""

    #: How many times a history read may find the newest write not yet whole before giving up.
    ATTEMPTS = 20

    def __init__(self, version: int) -> None:
        self.version = version
        self.seen = version  # every write up to here is in the maps
        self.entities = Subjects()
        self.relations = Subjects()
        self.documents: dict[str, dict[str, Any] | None] = {}
        self.deltas: dict[int, Delta] = {}

    def catch_up(self, read: Read) -> None:
        """Take in every write committed before this call began. Called after each read of the
        newest state, so that whatever that read saw is here to be put back."""
        for _ in range(self.ATTEMPTS):
            rows = read(cypher.META)
            newest = int(rows[0]["version"] or 0) if rows else 0
            if newest <= self.seen:
                return
            self._take(read)
            if self.seen >= newest:
                return
        raise StoreUnavailableError(
            f"this snapshot of the Neo4j store (version {self.version}) is older than the history the store keeps: "
            "read again"
        )

    def _take(self, read: Read) -> None:
        headers = read(cypher.HISTORY_VERSIONS, after=self.seen)
        entries: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in read(cypher.HISTORY_ENTRIES, after=self.seen):
            entries[row["props"]["undo_version"]].append(row["props"])
        for header in headers:
            version = header["version"]
            if version != self.seen + 1 or len(entries[version]) != header["entries"]:
                return  # pruned, or committing while this was read: the caller tries again
            self._apply(version, entries[version], header["evidence"] or 0)
            self.seen = version

    def _apply(self, version: int, entries: list[dict[str, Any]], evidence: int) -> None:
        delta = Delta(evidence=evidence)
        for entry in entries:
            kind, subject, absent, after = entry["undo_kind"], entry["undo_subject"], entry["undo_absent"], entry.get("undo_after")
            change = 0 if after is None else int(after) - int(not absent)
            if kind == "entity":
                self.entities.take(subject, entry)
                delta.entities_by_type[entity_type_of(subject).value] += change
            elif kind == "relation":
                self.relations.take(subject, entry)
                delta.relations_by_type[type_of_key(subject).value] += change
            else:
                copy = None if absent else {"props": _own(entry) | {"id": subject}, "mentions": list(entry.get("undo_mentions") or [])}
                self.documents.setdefault(subject, copy)
                delta.documents += change
        self.deltas[version] = delta

    def since(self, version: int) -> Delta:
        """What the writes after the snapshot's version up to ``version`` changed, summed."""
        total = Delta()
        for v in range(self.version + 1, version + 1):
            delta = self.deltas[v]
            total.documents += delta.documents
            total.evidence += delta.evidence
            total.entities_by_type.update(delta.entities_by_type)
            total.relations_by_type.update(delta.relations_by_type)
        return total
