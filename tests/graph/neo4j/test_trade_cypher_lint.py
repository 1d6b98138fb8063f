"""Every Cypher statement of the trade flows store passes Neo4j's own front end (as
tests/graph/neo4j/test_cypher_lint.py does for the graph store's)."""

from graph.neo4j.flows import all_statements
from tests.graph.neo4j.test_cypher_lint import lint, problems


def test_every_trade_flow_statement_is_clean():
    statements = all_statements()
    assert {"LOAD_FLOWS", "SCAN_PAGE", "FIND_FLOWS", "TOTALS"} <= {name for name, _ in statements}
    assert problems(lint(statements)) == {}
