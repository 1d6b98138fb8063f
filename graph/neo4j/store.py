"""The Neo4j store: the same contract as the embedded store, for shared deployments and Browser.

Entities are nodes labelled ``Entity`` and their type (``:Entity:Country``); relations are
relationships of their own type with a ``key`` property; evidence is kept on both as a list of
canonical JSON strings (so Browser users see the quotes), and ``Document`` nodes MENTIONS what they
support. What a write changes is decided by :mod:`graph.write_plan`, exactly as in the embedded
store; this module only carries the plan out, in one transaction, with the statements of
:mod:`graph.neo4j.cypher`. One driver per store; every query has a timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from neo4j.exceptions import AuthError as Neo4jAuthError
from neo4j.exceptions import Neo4jError, ServiceUnavailable

import neo4j
from graph.flows import FlowStore
from graph.model.errors import InvalidDataError, NotFoundError, StoreUnavailableError
from graph.model.records import Batch
from graph.names import NAMES_RULE
from graph.neo4j import cypher
from graph.neo4j.history import history_statements
from graph.neo4j.reads import PAGE, Neo4jReads, names_and_aliases
from graph.neo4j.rows import name_index, plan_statements
from graph.neo4j.snapshot import Neo4jSnapshot
from graph.store import GraphReader, GraphStore, WriteSummary
from graph.write_plan import WritePlan, plan_batch, plan_document_removal

__all__ = ["Neo4jStore"]


class Neo4jStore(Neo4jReads, GraphStore):
    """A GraphStore on a Neo4j 5 server, over Bolt. Its own reads each run on their own and see
    the newest committed version; :meth:`snapshot` gives a reader held at one version."""

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        database: str = "neo4j",
        timeout_s: float = 15.0,
        history_s: float = 900.0,
    ) -> None:
        """``history_s``: how long each write's history is kept, so how long a snapshot can be
        held while writes go on (a snapshot older than that, with writes since, refuses to read)."""
        self.database = database
        self.timeout_s = timeout_s
        self.history_s = history_s
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), max_connection_pool_size=20)
            self._driver.verify_connectivity()
            self._setup_schema()
        except (ServiceUnavailable, Neo4jAuthError, OSError, ValueError) as e:
            raise StoreUnavailableError(f"cannot reach Neo4j at {uri}: {e}") from e

    # -- plumbing ---------------------------------------------------------------------------
    def _read(self, statement: str, **parameters: Any) -> list[dict[str, Any]]:
        try:
            records, _, _ = self._driver.execute_query(
                neo4j.Query(statement, timeout=self.timeout_s),
                parameters_=parameters,
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
            )
        except ServiceUnavailable as e:
            raise StoreUnavailableError(f"Neo4j is unavailable: {e}") from e
        return [r.data() for r in records]

    def _setup_schema(self) -> None:
        for statement in cypher.schema_statements():
            self._driver.execute_query(neo4j.Query(statement, timeout=self.timeout_s), database_=self.database)
        self._refold_names()

    def _refold_names(self) -> None:
        """Rewrite every entity's ``name_index`` when it was folded under another
        ``graph.names.NAMES_RULE`` (the embedded store rebuilds its snapshot for the same reason),
        so a store written before a change of folding finds names as a fresh one does."""
        rows = self._read(cypher.NAMES_RULE_OF_STORE)
        if rows and rows[0]["rule"] == NAMES_RULE:
            return
        after = ""
        while page := self._read(cypher.ENTITY_NAMES_PAGE, after=after, limit=PAGE):
            rows = [{"id": r["id"], "name_index": name_index(names_and_aliases(r))} for r in page]
            self._write_now(cypher.SET_NAME_INDEX, rows=rows)
            after = page[-1]["id"]
        self._write_now(cypher.SET_NAMES_RULE, rule=NAMES_RULE)

    def _write_now(self, statement: str, **parameters: Any) -> None:
        """One auto-committed write outside a plan (upkeep of stored data, not content)."""
        query = neo4j.Query(statement, timeout=max(self.timeout_s, 60.0))
        self._driver.execute_query(query, parameters_=parameters, database_=self.database)

    # -- writes -----------------------------------------------------------------------------
    def upsert(self, batch: Batch) -> WriteSummary:
        plan = plan_batch(batch, self)
        if plan.summary.changed:
            self._execute(plan)
        return plan.summary

    def remove_document(self, document_id: str) -> WriteSummary:
        if self.document(document_id) is None:
            raise NotFoundError(f"no document {document_id!r}")
        plan = plan_document_removal(document_id, self)
        self._execute(plan)
        return plan.summary

    def _execute(self, plan: WritePlan) -> None:
        """Carry a plan out in one transaction: all of it or none of it. The transaction first
        takes the version lock, then keeps what the plan will change (graph.neo4j.history) for
        the snapshots that are held, then writes, and drops history no snapshot can still use."""

        removed_subjects = self.document_subjects(plan.removed_document) if plan.removed_document else []
        statements = list(plan_statements(plan, removed_subjects))
        evidence_delta = plan.summary.evidence_added - plan.summary.evidence_removed

        def work(tx: neo4j.ManagedTransaction) -> None:
            version = tx.run(cypher.LOCK_VERSION).single(strict=True)["version"] + 1
            for statement, parameters in history_statements(plan, removed_subjects, version, evidence_delta):
                tx.run(statement, parameters).consume()
            for statement, parameters in statements:
                tx.run(statement, parameters).consume()
            tx.run(cypher.PRUNE_HISTORY, {"keep_s": self.history_s}).consume()

        try:
            with self._driver.session(database=self.database) as session:
                session.execute_write(neo4j.unit_of_work(timeout=max(self.timeout_s, 60.0))(work))
        except ServiceUnavailable as e:
            raise StoreUnavailableError(f"Neo4j is unavailable: {e}") from e
        except Neo4jError as e:
            raise InvalidDataError(f"Neo4j refused the write: {e.message}") from e

    def clear(self) -> None:
        """Delete everything, in bounded transactions (tests and full re-syncs); the schema stays."""
        while True:
            records, _, _ = self._driver.execute_query(
                neo4j.Query(cypher.CLEAR_SOME, timeout=max(self.timeout_s, 120.0)), database_=self.database
            )
            if records[0]["deleted"] == 0:
                return

    @contextmanager
    def snapshot(self) -> Iterator[GraphReader]:
        """One read transaction held for the block, answering at the version committed when it
        began (graph.neo4j.snapshot). It takes no locks: writers go on while it is held."""
        try:
            session = self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS)
            transaction = session.begin_transaction(timeout=self.history_s)
        except ServiceUnavailable as e:
            raise StoreUnavailableError(f"Neo4j is unavailable: {e}") from e
        try:
            yield Neo4jSnapshot(transaction, self.flows)
        finally:
            transaction.close()
            session.close()

    @cached_property
    def flows(self) -> FlowStore:
        """Trade flows, as ``:TradeFlow`` nodes (graph/neo4j/flows.py)."""
        from graph.neo4j.flows import Neo4jFlows

        return Neo4jFlows(self._driver, self.database, self.timeout_s)

    def close(self) -> None:
        self._driver.close()

