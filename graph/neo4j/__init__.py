"""The Neo4j store and the Neo4j formats, one module per concern.

- ``store``: :class:`Neo4jStore`, the contract over Bolt (writes, and reads of the newest version);
- ``snapshot``: the reader ``Neo4jStore.snapshot()`` yields, held at one version;
- ``history``: what each write keeps of the state it replaces, so a snapshot can answer at its version;
- ``cypher``: every statement sent to Neo4j, where a test can enumerate and lint them;
- ``rows``: model objects to node and relationship properties and back, and write plans to statements;
- ``export_cypher`` and ``export_admin``: a graph as a Cypher script and as ``neo4j-admin import`` files.

Modules here import the driver as ``neo4j`` (absolute imports), never this package.
"""

from graph.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
