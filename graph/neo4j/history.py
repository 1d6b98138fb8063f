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

from graph.errors import StoreUnavailableError
from graph.ids import entity_type_of
from graph.neo4j import cypher
from graph.neo4j.rows import type_of_key
from graph.write_plan import WritePlan

__all__ = ["history_statements", "History", "Delta"]

#: Read one statement in the snapshot's transaction: (statement, parameters) -> rows.
Read = Callable[..., list[dict[str, Any]]]


def history_statements(
    plan: WritePlan, removed_subjects: list[str], version: int, evidence_delta: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The statements that keep what ``plan`` will change, run first in its transaction.

    ``after`` says whether a subject exists once the write commits (None: as it did before), so
    a snapshot can tell what the write added to or took from the counts."""
    entities: dict[str, bool | None] = {}
    relations: dict[str, bool | None] = {}
    documents: dict[str, bool | None] = {}
    for subject in [*(s for s, _ in plan.new_evidence), *removed_subjects]:
        (relations if "|" in subject else entities).setdefault(subject, None)
    for _, evidence in plan.new_evidence:
        documents.setdefault(evidence.document_id, None)
    entities |= {e.id: True for e in plan.entities} | dict.fromkeys(plan.removed_entities, False)
    relations |= dict.fromkeys(plan.relation_keys, True) | dict.fromkeys(plan.removed_relations, False)
    documents |= {d.id: True for d in plan.new_documents}
    if plan.removed_document:
        documents[plan.removed_document] = False

    def rows(subjects: dict[str, bool | None]) -> list[dict[str, Any]]:
        return [{"subject": s, "after": after} for s, after in sorted(subjects.items())]

    if entities:
        yield cypher.KEEP_ENTITIES, {"rows": rows(entities), "version": version}
    by_type: dict[str, dict[str, bool | None]] = defaultdict(dict)
    for key, after in relations.items():
        by_type[type_of_key(key)][key] = after
    for relation_type, keys in sorted(by_type.items()):
        yield cypher.keep_relations_query(relation_type), {"rows": rows(keys), "version": version}
    if documents:
        yield cypher.KEEP_DOCUMENTS, {"rows": rows(documents), "version": version}
    yield cypher.KEEP_VERSION, {"version": version, "evidence_delta": evidence_delta}


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
    """The subjects changed since a snapshot's version, each as it stood at that version.

    ``entities``, ``relations`` and ``documents`` map an id or key to its properties at the
    snapshot's version, or None when it did not exist then; a relation's copy carries
    ``source``, ``type``, ``target`` and ``props`` (the shape of a relation row), a document's
    ``props`` and ``mentions``. It only grows: a later write never changes what stood at ``v``."""

    #: How many times a history read may find the newest write not yet whole before giving up.
    ATTEMPTS = 20

    def __init__(self, version: int) -> None:
        self.version = version
        self.seen = version  # every write up to here is in the maps
        self.entities: dict[str, dict[str, Any] | None] = {}
        self.relations: dict[str, dict[str, Any] | None] = {}
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
        for props in entries:
            kind, subject, absent, after = props["undo_kind"], props["undo_subject"], props["undo_absent"], props.get("undo_after")
            change = 0 if after is None else int(after) - int(not absent)
            copy: dict[str, Any] | None = None
            if kind == "entity":
                copy = None if absent else _own(props)
                self.entities.setdefault(subject, copy)
                delta.entities_by_type[entity_type_of(subject).value] += change
            elif kind == "relation":
                if not absent:
                    copy = {"source": props["undo_source"], "type": props["undo_type"], "target": props["undo_target"], "props": _own(props)}
                self.relations.setdefault(subject, copy)
                delta.relations_by_type[type_of_key(subject).value] += change
            else:
                if not absent:
                    copy = {"props": _own(props) | {"id": subject}, "mentions": list(props.get("undo_mentions") or [])}
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
