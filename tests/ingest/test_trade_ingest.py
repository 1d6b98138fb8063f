"""Trade flows files into a store (both stores): BACI as published and a plain CSV, the relations
derived from them, idempotence, and bad rows that reject the whole file."""

from __future__ import annotations

import shutil

import pytest

from graph.embedded import EmbeddedStore
from graph.flows import FlowQuery
from graph.model.errors import InvalidDataError
from graph.model.records import Relation
from ingest.pipeline import ingest_paths
from ingest.trade_derive import ingest_trade_file
from tests.conftest import ROOT, cli

BACI = ROOT / "tests" / "data" / "baci"
FLOWS = BACI / "BACI_HS17_Y2023_V202401.csv"
PLAIN = ROOT / "tests" / "data" / "trade_plain" / "flows_extract.csv"
# US imports of HS 850511 in 2023 in the file: China (line 7), Germany (8), Japan (10), Other Asia (11).
US_IMPORTS = 412_345_678 + 45_000_000 + 98_765_432 + 12_000_000
US_FROM_CN = "country:US|DEPENDS_ON|commodity:hs-850511|country:CN"


def test_baci_year_gives_the_import_share_with_year_value_and_rows(store):
    result = ingest_trade_file(store, FLOWS)
    assert result.loaded and result.rows == 11
    relation = store.relations([US_FROM_CN])[US_FROM_CN]
    assert relation.share == round(412_345_678 / US_IMPORTS, 6)
    assert relation.attributes == {
        "year": 2023, "value_usd": 412_345_678.0, "imports_value_usd": float(US_IMPORTS), "source": "BACI HS17 V202401",
    }
    (evidence,) = relation.evidence
    assert "BACI_HS17_Y2023_V202401.csv line 7" in evidence.quote
    assert "lines 7, 8, 10, 11" in evidence.quote  # the rows the share was computed from
    document = store.document(evidence.document_id)
    assert document.text[evidence.start : evidence.end] == evidence.quote
    supplies = store.relations(["country:CN|SUPPLIES|commodity:hs-850511|"])["country:CN|SUPPLIES|commodity:hs-850511|"]
    assert supplies.share == round((250_000_000 + 180_000_000 + 412_345_678) / (US_IMPORTS + 250_000_000 + 180_000_000), 6)
    # Japan's 17% of US imports is below the default share of 0.25: a flow, not a relation.
    assert store.relations(["country:US|DEPENDS_ON|commodity:hs-850511|country:JP"]) == {}
    good = store.entity("commodity:hs-850511")
    # the code entity of graph.hs, the one GTA records and the lexicon's goods meet on
    assert good.attributes == {"hs": "850511", "hs_level": "subheading"} and "8505.11" in good.aliases
    assert good.name.startswith("HS 8505.11: ")
    for child, parent in (("850511", "8505"), ("8505", "85"), ("85", "section-xvi")):
        assert store.relations([f"commodity:hs-{child}|IS_A|commodity:hs-{parent}|"])
    # Derived relations are built without validation (speed): each one must pass it all the same.
    for stored in store.iter_relations():
        assert Relation.model_validate(stored.model_dump()) == stored


def test_the_same_file_twice_changes_nothing(store):
    ingest_trade_file(store, FLOWS)
    version, counts = store.data_version(), store.counts()
    again = ingest_trade_file(store, FLOWS)
    assert not again.loaded and not again.summary.changed
    assert store.data_version() == version and store.counts() == counts
    assert store.flows.find(FlowQuery())[1] == 11


def test_a_lower_share_makes_more_relations(store):
    ingest_trade_file(store, FLOWS, min_share=0.1)
    relation = store.relations(["country:US|DEPENDS_ON|commodity:hs-850511|country:JP"])
    assert relation["country:US|DEPENDS_ON|commodity:hs-850511|country:JP"].share == round(98_765_432 / US_IMPORTS, 6)


def test_flows_below_the_minimum_value_make_no_relation_until_the_bar_is_lowered(store):
    # The US sold Japan 5,000.5 thousand USD of HS 010121, all of Japan's imports of it: a 100%
    # share, but below the default 10 million USD.
    jp_from_us = "country:JP|DEPENDS_ON|commodity:hs-010121|country:US"
    ingest_trade_file(store, FLOWS)
    assert store.relations([jp_from_us, "country:US|SUPPLIES|commodity:hs-010121|"]) == {}
    assert store.flows.find(FlowQuery(hs="010121"))[1] == 1  # a flow all the same
    version = store.data_version()
    lowered = ingest_trade_file(store, FLOWS, min_value=1_000_000)
    assert not lowered.loaded and lowered.summary.changed  # derived again, rows not read again
    relation = store.relations([jp_from_us])[jp_from_us]
    assert relation.share == 1.0 and relation.attributes["value_usd"] == 5_000_500.0
    assert "BACI_HS17_Y2023_V202401.csv line 12" in relation.evidence[0].quote
    assert store.data_version() != version
    version = store.data_version()
    again = ingest_trade_file(store, FLOWS, min_value=1_000_000)
    assert not again.summary.changed and store.data_version() == version


def test_a_bad_row_rejects_the_whole_file_and_names_line_and_field(store, tmp_path):
    folder = tmp_path / "baci"
    shutil.copytree(BACI, folder)
    path = folder / FLOWS.name
    lines = path.read_text().splitlines()
    lines[9] = lines[9].replace("98765.432", "lots")  # line 10, after nine good rows
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InvalidDataError) as caught:
        ingest_trade_file(store, path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), 10, "v")
    assert store.flows.find(FlowQuery())[1] == 0
    assert store.counts().relations == 0 and store.counts().documents == 0


def test_a_country_code_missing_from_the_code_file_is_named(store, tmp_path):
    folder = tmp_path / "baci"
    shutil.copytree(BACI, folder)
    path = folder / FLOWS.name
    path.write_text(path.read_text().replace("2023,490,842", "2023,999,842"))
    with pytest.raises(InvalidDataError) as caught:
        ingest_trade_file(store, path)
    assert (caught.value.line, caught.value.field) == (11, "i")
    assert "999" in caught.value.reason


def test_flows_without_their_code_files_are_refused_by_name(store, tmp_path):
    shutil.copy(FLOWS, tmp_path / FLOWS.name)
    with pytest.raises(InvalidDataError) as caught:
        ingest_trade_file(store, tmp_path / FLOWS.name)
    assert caught.value.file == str(tmp_path / FLOWS.name) and "country_codes_V202401.csv" in caught.value.reason


def test_plain_csv_with_iso_codes(store):
    ingest_trade_file(store, PLAIN)
    relation = store.relations([US_FROM_CN])[US_FROM_CN]
    assert relation.share == round(380 / 540, 6)
    assert relation.attributes["year"] == 2022 and relation.attributes["source"] == "flows_extract"
    flows, count = store.flows.find(FlowQuery(exporter="JP"))
    assert count == 1 and flows[0].importer == "US" and flows[0].quantity is None and flows[0].line == 3


def test_flows_are_queryable_by_exporter_importer_hs_prefix_and_year(store):
    ingest_trade_file(store, FLOWS)
    flows, count = store.flows.find(FlowQuery(exporter="CN", importer="US", hs="8505", year=2023))
    assert count == 1 and (flows[0].value_usd, flows[0].line, flows[0].file) == (412_345_678.0, 7, FLOWS.name)
    assert store.flows.find(FlowQuery(exporter="CN", hs="28"))[1] == 3
    assert [f.hs6 for f in store.flows.find(FlowQuery(hs="01"))[0]] == ["010121"]  # BACI wrote 10121
    assert store.flows.find(FlowQuery(exporter="S19"))[1] == 1  # Other Asia: no ISO alpha-2, kept as BACI's code
    values = [f.value_usd for f in store.flows.find(FlowQuery(importer="US"), limit=3)[0]]
    assert values == sorted(values, reverse=True) and len(values) == 3
    totals = store.flows.totals("CN", "US", ["2846", "280530"])
    assert [(t.year, t.value_usd, t.rows) for t in totals] == [(2023, 180_000_000.0, 2)]


def test_a_folder_ingest_reads_flows_and_skips_code_files(store):
    results = {r.path.name: r for r in ingest_paths(store, [BACI, PLAIN.parent])}
    assert results[FLOWS.name].status == "added"
    assert results["flows_extract.csv"].status == "added"
    assert results["country_codes_V202401.csv"].status == "skipped"
    assert {r.status for r in ingest_paths(store, [BACI, PLAIN.parent]) if r.path.name.startswith(("BACI", "flows"))} == {"unchanged"}


def test_cli_ingest_with_a_share_flag(tmp_path):
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db")}
    first = cli("ingest", str(BACI), "--trade-min-share", "0.1", env=env)
    assert first.returncode == 0, first.stderr
    assert "1 added" in first.stderr and "2 skipped" in first.stderr  # the two code files, read with the flows
    again = cli("ingest", str(BACI), "--trade-min-share", "0.1", env=env)
    assert again.returncode == 0 and "1 unchanged" in again.stderr
    bad = cli("ingest", str(BACI), "--trade-min-share", "2", env=env)
    assert bad.returncode == 2 and "--trade-min-share" in bad.stderr


def test_cli_ingest_with_a_value_bar(tmp_path):
    """``--trade-min-value`` reaches the derivation: China's 412 million USD of US magnet imports
    make no relation under a 500 million bar, and do once the file is ingested at the default."""
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db")}
    key = "country:US|DEPENDS_ON|commodity:hs-850511|country:CN"
    high = cli("ingest", str(BACI), "--trade-min-value", "500000000", env=env)
    assert high.returncode == 0, high.stderr
    with EmbeddedStore(tmp_path / "cli.db") as store:
        assert store.relations([key]) == {}
    default = cli("ingest", str(BACI), env=env)
    assert default.returncode == 0, default.stderr
    with EmbeddedStore(tmp_path / "cli.db") as store:
        assert store.relations([key])[key].attributes["value_usd"] == 412_345_678.0
    bad = cli("ingest", str(BACI), "--trade-min-value", "-1", env=env)
    assert bad.returncode == 2 and "--trade-min-value" in bad.stderr
