"""neo4j/browser/style.grass: a rule per label with a colour of its own, captions by name, relation
captions with the share where there is one, and nothing Browser's GraSS reader would misread."""

from __future__ import annotations

import re

import pytest

from graph.model.enums import EntityType, RelationType

SELECTOR = re.compile(r"(node|relationship)(\.[A-Za-z_][A-Za-z0-9_]*)?")
COLOUR = re.compile(r"#[0-9A-F]{6}")
LABELS = [t.value for t in EntityType] + ["Document"]


@pytest.fixture(scope="module")
def style(tool):
    return tool.parse_grass(tool.BROWSER_STYLE.read_text(encoding="utf-8"))


def test_selectors_are_well_formed(style):
    """Browser's reader has no comments and glues stray text to the next selector: none may exist."""
    for selector, props in style.items():
        assert SELECTOR.fullmatch(selector), selector
        assert props, f"{selector}: no property parsed (a ':' inside a value drops it)"


def test_every_label_has_a_colour_of_its_own(style):
    colours = {}
    for label in LABELS:
        rule = style.get(f"node.{label}")
        assert rule is not None, f"no rule for :{label}"
        assert COLOUR.fullmatch(rule["color"]), label
        assert COLOUR.fullmatch(rule["border-color"]), label
        assert COLOUR.fullmatch(rule["text-color-internal"]), label
        colours[label] = rule["color"]
    assert len(set(colours.values())) == len(colours), colours


def test_nodes_are_captioned_by_name(style):
    """Every entity node is also :Entity; its rule holds the caption, before the per-type rules."""
    assert style["node.Entity"]["caption"] == "{name}"
    assert style["node.Document"]["caption"] == "{title}"
    order = list(style)
    assert all(order.index("node.Entity") < order.index(f"node.{t.value}") for t in EntityType)
    # Browser invents a colour and caption for a label whose rules give none: each must give both
    for label in LABELS:
        merged = {**style["node.Entity"], **style[f"node.{label}"]} if label != "Document" else style["node.Document"]
        assert {"caption", "color"} <= set(merged), label


def test_relations_are_captioned_with_their_type_and_share(style):
    assert style["relationship"]["caption"] == "<type>"
    for rtype in ("DEPENDS_ON", "SELLS_TO", "SUPPLIES", "MADE_FROM"):  # the types that carry a share
        assert style[f"relationship.{rtype}"]["caption"] == f"{rtype} {{share}}"
    known = {t.value for t in RelationType} | {"MENTIONS"}
    for selector in style:
        if selector.startswith("relationship."):
            assert selector.split(".", 1)[1] in known, selector


def test_the_post_connect_command_is_one_line_of_json(tool):
    conf = tool.browser_style_conf()
    assert list(conf) == ["browser.post_connect_cmd"]
    command = conf["browser.post_connect_cmd"]
    assert command.startswith("style {") and "\n" not in command
    # post_connect_cmd splits on ';' outside quotes: the JSON form has none at all
    assert ";" not in command


def test_parse_grass_reads_like_browser(tool):
    parsed = tool.parse_grass('node.A {\n  color: #FFFFFF;\n  caption: "{name}";\n}\nrelationship { caption: \'<type>\'; }')
    assert parsed == {"node.A": {"color": "#FFFFFF", "caption": "{name}"}, "relationship": {"caption": "<type>"}}
    # what Browser does with a comment: glued to the next selector (so the file has none)
    assert "/*x*/node.B" in tool.parse_grass("/* x */ node.B { color: #000000; }")


def test_extra_conf_must_be_single_lines(tool):
    with pytest.raises(ValueError):
        tool.Neo4jServer(extra_conf={"browser.post_connect_cmd": "style a\nserver.evil=1"})
    with pytest.raises(ValueError):
        tool.Neo4jServer(extra_conf={"a=b": "c"})


@pytest.mark.neo4j
def test_an_unknown_setting_stops_neo4j_before_it_starts(tool, neo4j_server):
    """Why the compose file's NEO4J_* names are checked: strict validation refuses an unknown key
    (already in neo4j-admin, which the image runs first to set the password)."""
    server = tool.Neo4jServer(extra_conf={"browser.no_such_setting": "1"}, startup_timeout=60)
    try:
        with pytest.raises(tool.Neo4jStartError, match="Unrecognized setting"):
            server.start()
    finally:
        server.stop()
