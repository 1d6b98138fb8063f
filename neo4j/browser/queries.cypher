// Ready queries for Neo4j Browser on the tradegraph store (Cypher 5, Neo4j 5.26).
// Paste one statement into Browser's editor and run it (Ctrl+Enter). Each starts with a `//` line
// naming it and ends with `;`; tests/neo4j/test_queries.py runs every one against the seed graph.
// The ids a statement starts from are in its first WITH line: change them to ask about another
// commodity, country pair or measure.
// Nodes are `:Entity:<Type>` with `id` and `name`; `evidence` lists the quotes as JSON strings.

// What depends on Chinese rare earths: rare earths widened through IS_A/MADE_FROM to what they include and what is made from them, then DEPENDS_ON walked backwards; the first step counts when its origin is China, or it names none and China SUPPLIES a good on the way
WITH 'commodity:rare-earths' AS commodityId, 'country:CN' AS originId
MATCH (root:Entity {id: commodityId})
MATCH (origin:Country {id: originId})
MATCH (included:Entity)-[:IS_A|MADE_FROM*0..8]->(root)
WITH root, origin, collect(DISTINCT included) AS goods
MATCH path = (dependent:Entity)-[:DEPENDS_ON*0..3]->(direct:Entity)-[first:DEPENDS_ON]->(good:Entity)-[:IS_A|MADE_FROM*0..8]->(root)
WHERE none(r IN relationships(path) WHERE type(r) = 'DEPENDS_ON' AND startNode(r) IN goods)
  AND (first.origin = origin.id
       OR (first.origin IS NULL
           AND EXISTS {
             MATCH (origin)-[:SUPPLIES]->(supplied:Entity)
             WHERE supplied IN goods AND EXISTS { (good)-[:IS_A|MADE_FROM*0..8]->(supplied) }
           }))
WITH dependent, path,
     [r IN relationships(path) WHERE type(r) = 'DEPENDS_ON'] AS dependencies
WITH dependent, path, size(dependencies) AS hops,
     reduce(x = 1.0, r IN dependencies | CASE WHEN x IS NULL OR r.share IS NULL THEN null ELSE x * r.share END) AS exposure,
     last(dependencies) AS reliance
RETURN dependent.name AS dependent, dependent.id AS id, dependent.type AS type,
       min(hops) AS hops, max(exposure) AS exposure,
       collect(DISTINCT endNode(reliance).name) AS relies_on,
       collect(path) AS paths
ORDER BY exposure IS NULL, exposure DESC, hops, id;

// US–China escalation timeline: the measures each side imposed on the other (directly or through what is based in it), in date order, with the measures they answered
WITH 'country:US' AS aId, 'country:CN' AS bId
MATCH (a:Entity {id: aId})
MATCH (b:Entity {id: bId})
UNWIND [[a, b], [b, a]] AS sides
WITH sides[0] AS side, sides[1] AS other
MATCH (actor:Entity)-[:IMPOSES]->(m:Measure)-[:TARGETS]->(hit:Entity)
WHERE (actor = side OR EXISTS { (actor)-[:BASED_IN]->(side) })
  AND (hit = other OR EXISTS { (hit)-[:BASED_IN]->(other) })
WITH DISTINCT side, other, m
OPTIONAL MATCH (m)-[:RETALIATES_AGAINST]->(answered:Measure)
WITH side, other, m, collect(answered.name) AS answers
RETURN coalesce(m.announced, m.effective) AS date,
       side.name AS imposed_by, other.name AS against,
       m.name AS measure, m.measure_type AS measure_type, m.status AS status,
       m.rate AS rate, m.previous_rate AS previous_rate, answers, m.id AS id
ORDER BY date IS NULL, date, id;

// US–China escalation as a graph: who imposed what on whom, and which measure answered which
WITH 'country:US' AS aId, 'country:CN' AS bId
MATCH (a:Entity {id: aId})
MATCH (b:Entity {id: bId})
UNWIND [[a, b], [b, a]] AS sides
WITH sides[0] AS side, sides[1] AS other
MATCH step = (side)-[:IMPOSES]->(m:Measure)-[:TARGETS]->(other)
OPTIONAL MATCH answer = (m)-[:RETALIATES_AGAINST]->(:Measure)
RETURN step, answer;

// What a measure hits: the goods China's rare-earth export controls cover, everything that depends on them (supplied by the imposing country, for export-side measures), and whether it lies in a targeted country
WITH 'measure:cn-2025-10-09-rare-earth-export-controls' AS measureId
MATCH (m:Measure {id: measureId})
WITH m,
     CASE WHEN m.measure_type IN ['export_control', 'supply_cutoff', 'entity_list']
          THEN [(imposer:Country)-[:IMPOSES]->(m) | imposer][0] END AS origin
MATCH (m)-[:COVERS]->(covered:Entity)
MATCH (included:Entity)-[:IS_A|MADE_FROM*0..8]->(covered)
WITH m, origin, covered, collect(DISTINCT included) AS goods
MATCH path = (m)-[:COVERS]->(covered)<-[:IS_A|MADE_FROM*0..8]-(good:Entity)<-[first:DEPENDS_ON]-(direct:Entity)<-[:DEPENDS_ON*0..3]-(dependent:Entity)
WHERE none(r IN relationships(path) WHERE type(r) = 'DEPENDS_ON' AND startNode(r) IN goods)
  AND (origin IS NULL
       OR first.origin = origin.id
       OR (first.origin IS NULL
           AND EXISTS {
             MATCH (origin)-[:SUPPLIES]->(supplied:Entity)
             WHERE supplied IN goods AND EXISTS { (good)-[:IS_A|MADE_FROM*0..8]->(supplied) }
           }))
WITH m, dependent, covered, path,
     [r IN relationships(path) WHERE type(r) = 'DEPENDS_ON'] AS dependencies
WITH m, dependent, covered, path, size(dependencies) AS hops,
     reduce(x = 1.0, r IN dependencies | CASE WHEN x IS NULL OR r.share IS NULL THEN null ELSE x * r.share END) AS exposure
WITH m, dependent, min(hops) AS hops, max(exposure) AS exposure,
     collect(DISTINCT covered.name) AS through, collect(path) AS paths
RETURN dependent.name AS dependent, dependent.id AS id, dependent.type AS type,
       EXISTS {
         MATCH (m)-[:TARGETS]->(target:Entity)
         WHERE target = dependent OR EXISTS { (dependent)-[:BASED_IN]->(target) }
       } AS in_targeted_country,
       hops, exposure, through, paths
ORDER BY in_targeted_country DESC, exposure IS NULL, exposure DESC, hops, id;

// The goods a measure covers, and how many things depend on each directly
WITH 'measure:cn-2025-10-09-rare-earth-export-controls' AS measureId
MATCH (m:Measure {id: measureId})-[:COVERS]->(covered:Entity)
OPTIONAL MATCH (dependent:Entity)-[:DEPENDS_ON]->(covered)
RETURN covered.name AS covered, covered.id AS id, covered.type AS type,
       count(dependent) AS direct_dependents
ORDER BY id;

// Where a fact comes from: the quotes behind what the F-35 depends on
WITH 'product:f-35' AS entityId
MATCH (n:Entity {id: entityId})-[r:DEPENDS_ON]->(target:Entity)
UNWIND r.evidence AS evidence
RETURN n.name AS entity, type(r) AS relation, target.name AS target, r.share AS share,
       r.origin AS origin, evidence
ORDER BY target, evidence;

// The whole seed graph at a glance (entities and the relations between them; documents left out)
MATCH (n:Entity)
OPTIONAL MATCH (n)-[r]->(m:Entity)
RETURN n, r, m
LIMIT 300;
