"""Every Cypher statement the project sends to Neo4j, in one module a test can enumerate and lint.

Values only ever travel as parameters. Labels and relationship types cannot be parameters without
the dynamic ``$(...)`` syntax, which on 5.26 scans the whole store, so the builders below splice
them in from the model's own enumerations only (``_label`` and ``_rel_type`` refuse anything else).
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.model.enums import EntityType, RelationType

__all__ = [
    "schema_statements",
    "all_statements",
    "ENTITIES_BY_ID",
    "DOCUMENT_BY_ID",
    "DOCUMENTS",
    "DOCUMENT_TIMES",
    "DOCUMENT_SUBJECTS",
    "META",
    "ENTITY_EVIDENCE",
    "STORED_ENTITY_EVIDENCE",
    "MENTIONS",
    "DOCUMENT_RELATION_KEYS",
    "DOCUMENTS_UPSERT",
    "REMOVE_ENTITY_EVIDENCE",
    "DELETE_ENTITIES",
    "DELETE_DOCUMENT",
    "BUMP_VERSION",
    "LOOKUP",
    "NAME_KEYS_BY_LENGTH",
    "NAMES_RULE_OF_STORE",
    "ENTITY_NAMES_PAGE",
    "SET_NAME_INDEX",
    "SET_NAMES_RULE",
    "ENTITY_PAGE",
    "ORIGIN_EDGES",
    "RELATION_COUNTS_OUT",
    "RELATION_COUNTS_IN",
    "DEGREES",
    "LOCK_VERSION",
    "KEEP_ENTITIES",
    "KEEP_DOCUMENTS",
    "KEEP_VERSION",
    "PRUNE_HISTORY",
    "HISTORY_VERSIONS",
    "HISTORY_ENTRIES",
    "keep_relations_query",
    "entity_upsert_query",
    "relation_upsert_query",
    "relation_evidence_query",
    "stored_relation_evidence_query",
    "remove_relation_evidence_query",
    "delete_relations_query",
    "relations_by_key_query",
    "edges_query",
    "neighbour_ids_query",
    "entity_ids_query",
    "count_label_query",
    "count_type_query",
    "relation_page_query",
]


def _label(entity_type: EntityType | str) -> str:
    return EntityType(entity_type).value  # raises for anything outside the model


def _rel_type(relation_type: RelationType | str) -> str:
    return RelationType(relation_type).value


def _rel_types(types: Iterable[RelationType | str] | None) -> str:
    """``:A|B|C`` for the pattern; every type of the model when ``types`` is None."""
    chosen = sorted({_rel_type(t) for t in (types if types is not None else RelationType)})
    return ":" + "|".join(chosen)


# -- schema -------------------------------------------------------------------------------------
def schema_statements() -> list[str]:
    """Constraints and indexes, all idempotent (IF NOT EXISTS)."""
    statements = [
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
        "CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (m:Meta) REQUIRE m.id IS UNIQUE",
        "CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (d:Decision) REQUIRE d.id IS UNIQUE",
        "CREATE TEXT INDEX entity_name_index IF NOT EXISTS FOR (n:Entity) ON (n.name_index)",
    ]
    for entity_type in EntityType:
        label = _label(entity_type)
        statements.append(
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
    for relation_type in RelationType:
        rtype = _rel_type(relation_type)
        statements.append(f"CREATE INDEX {rtype.lower()}_key IF NOT EXISTS FOR ()-[r:{rtype}]-() ON (r.key)")
    statements.append("CREATE INDEX depends_on_origin IF NOT EXISTS FOR ()-[r:DEPENDS_ON]-() ON (r.origin)")
    statements.append("CREATE INDEX undo_version IF NOT EXISTS FOR (u:Undo) ON (u.undo_version)")
    statements.append("CREATE CONSTRAINT undo_version_id IF NOT EXISTS FOR (h:UndoVersion) REQUIRE h.version IS UNIQUE")
    statements.append("CREATE INDEX undo_version_at IF NOT EXISTS FOR (h:UndoVersion) ON (h.at)")
    return statements


# -- writes -------------------------------------------------------------------------------------
DOCUMENTS_UPSERT = """
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
ON CREATE SET d += row.props
"""


def entity_upsert_query(entity_type: EntityType | str) -> str:
    """Create or update entities of one type; ``row.props`` (a superset of what was stored, from
    the merge) overwrites key by key, and ``evidence`` is left to the append-only statements."""
    label = _label(entity_type)
    return f"""
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
SET n += row.props, n:Entity
"""


def relation_upsert_query(relation_type: RelationType | str) -> str:
    rtype = _rel_type(relation_type)
    return f"""
UNWIND $rows AS row
MATCH (s:Entity {{id: row.source}})
MATCH (t:Entity {{id: row.target}})
MERGE (s)-[r:{rtype} {{key: row.key}}]->(t)
SET r += row.props
"""


ENTITY_EVIDENCE = """
UNWIND $rows AS row
MATCH (n:Entity {id: row.subject})
SET n.evidence = coalesce(n.evidence, []) + [e IN row.evidence WHERE NOT e IN coalesce(n.evidence, [])]
"""


def relation_evidence_query(relation_type: RelationType | str) -> str:
    rtype = _rel_type(relation_type)
    return f"""
UNWIND $rows AS row
MATCH ()-[r:{rtype} {{key: row.subject}}]->()
SET r.evidence = coalesce(r.evidence, []) + [e IN row.evidence WHERE NOT e IN coalesce(r.evidence, [])]
"""


# Which of the pieces asked about each subject already has: a stored piece (its JSON, keys sorted:
# confidence, document_id, end, extractor, quote, start) matches when it contains the piece's
# ``middle`` (document_id to the opening quote of quote) and ends with its ``tail`` (start). The
# quote's own quotation marks are escaped, so neither can match inside it.
STORED_ENTITY_EVIDENCE = """
UNWIND $rows AS row
MATCH (n:Entity {id: row.subject})
WITH row, coalesce(n.evidence, []) AS stored
UNWIND row.pieces AS piece
WITH row, piece, stored
WHERE any(e IN stored WHERE e CONTAINS piece.middle AND e ENDS WITH piece.tail)
RETURN row.subject AS subject, piece.at AS at
"""


def stored_relation_evidence_query(relation_type: RelationType | str) -> str:
    """STORED_ENTITY_EVIDENCE for the relations of one type (found by their indexed key)."""
    rtype = _rel_type(relation_type)
    return f"""
UNWIND $rows AS row
MATCH ()-[r:{rtype} {{key: row.subject}}]->()
WITH row, coalesce(r.evidence, []) AS stored
UNWIND row.pieces AS piece
WITH row, piece, stored
WHERE any(e IN stored WHERE e CONTAINS piece.middle AND e ENDS WITH piece.tail)
RETURN row.subject AS subject, piece.at AS at
"""


MENTIONS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
MATCH (n:Entity {id: row.subject})
MERGE (d)-[:MENTIONS]->(n)
"""

DOCUMENT_RELATION_KEYS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
SET d.relation_keys = coalesce(d.relation_keys, []) + [k IN row.keys WHERE NOT k IN coalesce(d.relation_keys, [])]
"""

REMOVE_ENTITY_EVIDENCE = """
MATCH (d:Document {id: $document})-[:MENTIONS]->(n:Entity)
SET n.evidence = [e IN n.evidence WHERE NOT e CONTAINS $needle]
"""


def remove_relation_evidence_query(relation_type: RelationType | str) -> str:
    rtype = _rel_type(relation_type)
    return f"""
UNWIND $keys AS key
MATCH ()-[r:{rtype} {{key: key}}]->()
SET r.evidence = [e IN r.evidence WHERE NOT e CONTAINS $needle]
"""


def delete_relations_query(relation_type: RelationType | str) -> str:
    rtype = _rel_type(relation_type)
    return f"""
UNWIND $keys AS key
MATCH ()-[r:{rtype} {{key: key}}]->()
DELETE r
"""


DELETE_ENTITIES = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
DETACH DELETE n
"""

DELETE_DOCUMENT = """
MATCH (d:Document {id: $document})
DETACH DELETE d
"""

CLEAR_SOME = """
MATCH (n)
WITH n LIMIT 10000
DETACH DELETE n
RETURN count(*) AS deleted
"""

# Review decisions (graph/model/decisions.py): one node each, its whole record as JSON, and the
# version that recorded it (the Meta node's version before this write's bump, plus one), so a
# snapshot reads only the decisions made by its version.
DECISIONS_CREATE = """
OPTIONAL MATCH (m:Meta {id: 'store'})
WITH coalesce(m.version, 0) + 1 AS version
UNWIND $rows AS row
MERGE (d:Decision {id: row.id})
ON CREATE SET d.kind = row.kind, d.subject = row.subject, d.at = row.at, d.body = row.body, d.version = version
"""

DECISIONS = """
MATCH (d:Decision) WHERE d.version <= $version
RETURN d.body AS body
ORDER BY d.at, d.id
"""

BUMP_VERSION = """
MERGE (m:Meta {id: 'store'})
SET m.version = coalesce(m.version, 0) + 1, m.evidence = coalesce(m.evidence, 0) + $evidence_delta,
    m.names_rule = $names_rule
RETURN m.version AS version
"""

# -- history: what each write replaced, for snapshots (graph.neo4j.history) ---------------------
# The first statement of every write: it takes the Meta node's write lock, so writes commit one at
# a time in version order, and tells the write which version it will commit.
LOCK_VERSION = """
MERGE (m:Meta {id: 'store'})
SET m.version = coalesce(m.version, 0)
RETURN m.version AS version
"""

# One ``Undo`` node per subject a write touches: whether it existed before (``undo_absent``) and
# after (``undo_after``, null when that is unchanged); its properties before the write when the
# write sets them (``row.copy``), with its evidence only when the write deletes it (``row.whole``);
# and the evidence the write adds to it (``undo_added``) or takes from it (``undo_removed``, the
# pieces citing the removed document). Evidence lists can be long: a write copies only what it changes.
KEEP_ENTITIES = """
UNWIND $rows AS row
OPTIONAL MATCH (n:Entity {id: row.subject})
CREATE (u:Undo)
SET u += CASE WHEN n IS NULL OR NOT row.copy THEN {} WHEN row.whole THEN properties(n) ELSE n {.*, evidence: null} END,
    u.undo_version = $version, u.undo_kind = 'entity', u.undo_subject = row.subject,
    u.undo_absent = n IS NULL, u.undo_after = row.after,
    u.undo_copied = n IS NOT NULL AND row.copy, u.undo_whole = n IS NOT NULL AND row.whole,
    u.undo_added = row.added,
    u.undo_removed = CASE WHEN n IS NULL OR $needle IS NULL THEN [] ELSE [e IN coalesce(n.evidence, []) WHERE e CONTAINS $needle] END
"""

KEEP_DOCUMENTS = """
UNWIND $rows AS row
OPTIONAL MATCH (d:Document {id: row.subject})
CREATE (u:Undo)
SET u += CASE WHEN d IS NULL THEN {} ELSE properties(d) END,
    u.undo_version = $version, u.undo_kind = 'document', u.undo_subject = row.subject,
    u.undo_absent = d IS NULL, u.undo_after = row.after,
    u.undo_mentions = CASE WHEN d IS NULL THEN [] ELSE [(d)-[:MENTIONS]->(n:Entity) | n.id] END
"""


def keep_relations_query(relation_type: RelationType | str) -> str:
    """:data:`KEEP_ENTITIES` for relations of one type (their ends are in their keys)."""
    rtype = _rel_type(relation_type)
    return f"""
UNWIND $rows AS row
OPTIONAL MATCH (:Entity)-[r:{rtype} {{key: row.subject}}]->(:Entity)
CREATE (u:Undo)
SET u += CASE WHEN r IS NULL OR NOT row.copy THEN {{}} WHEN row.whole THEN properties(r) ELSE r {{.*, evidence: null}} END,
    u.undo_version = $version, u.undo_kind = 'relation', u.undo_subject = row.subject,
    u.undo_absent = r IS NULL, u.undo_after = row.after,
    u.undo_copied = r IS NOT NULL AND row.copy, u.undo_whole = r IS NOT NULL AND row.whole,
    u.undo_added = row.added,
    u.undo_removed = CASE WHEN r IS NULL OR $needle IS NULL THEN [] ELSE [e IN coalesce(r.evidence, []) WHERE e CONTAINS $needle] END
"""


# The last of a write's history: how many Undo nodes it made (a reader takes a version only when it
# sees all of them) and how much evidence it added.
KEEP_VERSION = """
MATCH (u:Undo {undo_version: $version})
WITH count(u) AS entries
CREATE (:UndoVersion {version: $version, entries: entries, evidence: $evidence_delta, at: datetime()})
"""

# History older than the snapshots it serves, a hundred versions at most per write.
PRUNE_HISTORY = """
MATCH (h:UndoVersion)
WHERE h.at < datetime() - duration({seconds: $keep_s})
WITH h ORDER BY h.version LIMIT 100
OPTIONAL MATCH (u:Undo {undo_version: h.version})
DELETE u
WITH DISTINCT h
DELETE h
"""

HISTORY_VERSIONS = """
MATCH (h:UndoVersion)
WHERE h.version > $after
RETURN h.version AS version, h.entries AS entries, h.evidence AS evidence
ORDER BY h.version
"""

HISTORY_ENTRIES = """
MATCH (u:Undo)
WHERE u.undo_version > $after
RETURN properties(u) AS props
ORDER BY u.undo_version
"""

# -- reads --------------------------------------------------------------------------------------
META = "MATCH (m:Meta {id: 'store'}) RETURN m.version AS version, m.evidence AS evidence"

ENTITIES_BY_ID = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN properties(n) AS props
"""

ENTITY_PAGE = """
MATCH (n:Entity)
WHERE n.id > $after
RETURN properties(n) AS props
ORDER BY n.id
LIMIT $limit
"""

DOCUMENT_BY_ID = "MATCH (d:Document {id: $id}) RETURN properties(d) AS props"

DOCUMENTS = """
MATCH (d:Document)
RETURN d.id AS id, d.title AS title, d.url AS url, d.published AS published, d.language AS language, d.source AS source,
       d.ingested AS ingested
ORDER BY d.id
"""

# The world and system time of the documents asked about: where an undated lifecycle event is
# placed (graph/time_view.py), when a fact was first and last seen (graph/queries/explore.py).
DOCUMENT_TIMES = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id AS id, d.published AS published, d.ingested AS ingested
"""

DOCUMENT_SUBJECTS = """
MATCH (d:Document {id: $id})
OPTIONAL MATCH (d)-[:MENTIONS]->(n:Entity)
RETURN d.relation_keys AS keys, collect(n.id) AS ids
"""

LOOKUP = """
MATCH (n:Entity)
WHERE n.name_index CONTAINS $needle AND ($type IS NULL OR n.type = $type)
RETURN n.id AS id, n.type AS type, n.name_index AS names
ORDER BY n.id
LIMIT $limit
"""

# Every normalised name of about a length (near matches are compared in Python).
NAME_KEYS_BY_LENGTH = """
MATCH (n:Entity)
WHERE $type IS NULL OR n.type = $type
UNWIND split(n.name_index, '|') AS key
WITH n, key
WHERE size(key) >= $shortest AND size(key) <= $longest
RETURN n.id AS id, key
"""

# Entities whose name_index was folded under an older rule are rewritten page by page.
NAMES_RULE_OF_STORE = "MATCH (m:Meta {id: 'store'}) RETURN m.names_rule AS rule"

ENTITY_NAMES_PAGE = """
MATCH (n:Entity)
WHERE n.id > $after
RETURN n.id AS id, n.names AS names, n.aliases AS aliases
ORDER BY n.id
LIMIT $limit
"""

SET_NAME_INDEX = """
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.name_index = row.name_index
"""

SET_NAMES_RULE = """
MERGE (m:Meta {id: 'store'})
SET m.names_rule = $rule, m.version = coalesce(m.version, 0), m.evidence = coalesce(m.evidence, 0)
"""

RELATION_COUNTS_OUT = """
MATCH (n:Entity {id: $id})-[r]->(:Entity)
RETURN type(r) AS type, count(r) AS count
"""

RELATION_COUNTS_IN = """
MATCH (n:Entity {id: $id})<-[r]-(:Entity)
RETURN type(r) AS type, count(r) AS count
"""

DEGREES = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, COUNT { (n)-->(:Entity) } + COUNT { (n)<--(:Entity) } AS degree
"""

ORIGIN_EDGES = """
MATCH (s:Entity)-[r:DEPENDS_ON]->(t:Entity)
WHERE r.origin = $origin
RETURN s.id AS source, type(r) AS type, t.id AS target, properties(r) AS props
ORDER BY r.key
"""


def relations_by_key_query(relation_type: RelationType | str) -> str:
    rtype = _rel_type(relation_type)
    return f"""
UNWIND $keys AS key
MATCH (s:Entity)-[r:{rtype} {{key: key}}]->(t:Entity)
RETURN s.id AS source, type(r) AS type, t.id AS target, properties(r) AS props
"""


def _match_around(relationship: str, direction: str) -> str:
    """``MATCH`` from the nodes ``n`` across one relationship (``relationship`` is what goes inside
    the brackets) to ``m``: ``out`` leaves ``n``, ``in`` enters it, ``both`` either."""
    arrows = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}
    if direction not in arrows:
        raise ValueError(f"unknown direction {direction!r}")
    left, right = arrows[direction]
    return f"MATCH (n:Entity){left}[{relationship}]{right}(m:Entity)"


def edges_query(direction: str, types: Iterable[RelationType | str] | None) -> str:
    """Relations around a set of nodes: ``out`` leaves them, ``in`` enters them, ``both`` either."""
    return f"""
UNWIND $ids AS id
{_match_around("r" + _rel_types(types), direction)}
WHERE n.id = id
RETURN DISTINCT startNode(r).id AS source, type(r) AS type, endNode(r).id AS target, properties(r) AS props
"""


def neighbour_ids_query(direction: str, types: Iterable[RelationType | str] | None) -> str:
    """Ids of the entities one relation from a set of nodes (``out``, ``in`` or ``both`` as in
    :func:`edges_query`), without reading the relations' properties."""
    return f"""
UNWIND $ids AS id
{_match_around(_rel_types(types), direction)}
WHERE n.id = id
RETURN DISTINCT m.id AS id
"""


def entity_ids_query(entity_type: EntityType | str | None) -> str:
    label = _label(entity_type) if entity_type is not None else "Entity"
    return f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id"


def count_label_query(entity_type: EntityType | str) -> str:
    return f"MATCH (n:{_label(entity_type)}) RETURN count(n) AS count"


def count_type_query(relation_type: RelationType | str) -> str:
    return f"MATCH ()-[r:{_rel_type(relation_type)}]->() RETURN count(r) AS count"


def relation_page_query(relation_type: RelationType | str) -> str:
    rtype = _rel_type(relation_type)
    return f"""
MATCH (s:Entity)-[r:{rtype}]->(t:Entity)
WHERE r.key > $after
RETURN s.id AS source, type(r) AS type, t.id AS target, properties(r) AS props
ORDER BY r.key
LIMIT $limit
"""


COUNT_DOCUMENTS = "MATCH (d:Document) RETURN count(d) AS count"


def all_statements() -> list[tuple[str, str]]:
    """(name, statement) for every statement this module can produce, for linting."""
    found: list[tuple[str, str]] = [(f"schema[{i}]", s) for i, s in enumerate(schema_statements())]
    for name, value in sorted(globals().items()):
        if name.isupper() and isinstance(value, str):
            found.append((name, value))
    for entity_type in EntityType:
        found += [
            (f"entity_upsert[{entity_type}]", entity_upsert_query(entity_type)),
            (f"entity_ids[{entity_type}]", entity_ids_query(entity_type)),
            (f"count_label[{entity_type}]", count_label_query(entity_type)),
        ]
    found.append(("entity_ids[all]", entity_ids_query(None)))
    for relation_type in RelationType:
        for builder in (
            relation_upsert_query,
            relation_evidence_query,
            stored_relation_evidence_query,
            remove_relation_evidence_query,
            delete_relations_query,
            relations_by_key_query,
            count_type_query,
            relation_page_query,
            keep_relations_query,
        ):
            found.append((f"{builder.__name__}[{relation_type}]", builder(relation_type)))
    for direction in ("out", "in", "both"):
        found.append((f"edges[{direction}, all]", edges_query(direction, None)))
        found.append((f"edges[{direction}, DEPENDS_ON]", edges_query(direction, [RelationType.DEPENDS_ON])))
        found.append((f"neighbour_ids[{direction}, all]", neighbour_ids_query(direction, None)))
        found.append((f"neighbour_ids[{direction}, IMPOSES]", neighbour_ids_query(direction, [RelationType.IMPOSES])))
    return found
