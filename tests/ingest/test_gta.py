"""Global Trade Alert exports: interventions load as measures with their lifecycle, HS-coded goods,
IMPOSES and TARGETS, every fact citing its record; on both stores."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc
from pathlib import Path

import pytest

from bench.harness.paths import ROOT
from graph.model.enums import MeasureStatus, MeasureType, RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import relation_key
from graph.queries.measures import MeasureFilter, list_measures
from ingest.gta import _check, ingest_gta
from ingest.gta_vocabulary import gta_vocabulary
from ingest.pipeline import dataset_kind, ingest_paths
from tests.conftest import cli

DATA = ROOT / "tests" / "data" / "gta"
EXPORT = DATA / "interventions.csv"
HEADER = (
    "State Act ID,Intervention ID,State Act Title,Intervention Type,MAST chapter,GTA Evaluation,"
    "Implementing Jurisdiction,Affected Jurisdiction,Affected Product,Announcement Date,"
    "Implementation Date,Removal Date,Is In Force"
)
GOOD_ROW = "1,501,Ruritania: import duty on bicycles,Import tariff,Tariff measures,Red,Japan,China,871200,2024-01-05,2024-02-01,,1"


def _write(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "gta.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _is_gta(path: Path) -> bool:
    return dataset_kind(path) == "gta"


def _has(store, source: str, type: RelationType, target: str) -> bool:
    return bool(store.relations([relation_key(source, type, target)], evidence=False))


def test_the_export_is_told_by_its_header(tmp_path):
    assert _is_gta(EXPORT)
    facts = tmp_path / "facts.csv"
    facts.write_text("id,name_en,document,quote\ncountry:CN,China,a.txt,China\n", encoding="utf-8")
    assert not _is_gta(facts)
    snake = _write(tmp_path, header="intervention_id,intervention_type,implementing_jurisdictions", name="api.csv")
    assert _is_gta(snake)


def test_interventions_load_as_measures_with_their_lifecycle(store):
    [result] = ingest_paths(store, [DATA])
    assert result.status == "added", result.error
    assert result.warnings == []
    ban = store.entity("measure:gta-190001")
    assert ban.name == "China: Export ban on unwrought gallium and germanium oxides"
    assert (ban.measure.measure_type, ban.measure.status) == (MeasureType.EXPORT_CONTROL, MeasureStatus.IN_FORCE)
    assert (ban.measure.announced, ban.measure.effective, ban.measure.ended) == (dt.date(2023, 7, 3), dt.date(2023, 8, 1), None)
    assert ban.attributes["gta_evaluation"] == "Red"
    assert ban.attributes["subtype"] == "export_ban"
    assert ban.measure.mast_chapter == "P"
    lifted = store.entity("measure:gta-190004").measure
    assert (lifted.status, lifted.ended) == (MeasureStatus.LIFTED, dt.date(2024, 9, 28))
    probe = store.entity("measure:gta-190003")
    assert (probe.measure.measure_type, probe.measure.status) == (MeasureType.ANTI_DUMPING, MeasureStatus.ANNOUNCED)
    assert probe.measure.effective is None and probe.attributes["gta_evaluation"] == "Amber"
    tariff = store.entity("measure:gta-190002")
    assert (tariff.measure.measure_type, tariff.attributes["gta_mast_chapter"]) == (MeasureType.TARIFF, "Tariff measures")
    # one state act, two interventions: two measures, the act's id kept on each
    assert {store.entity(f"measure:gta-{i}").attributes["gta_state_act_id"] for i in (190002, 190005)} == {"90002"}
    # a type the table does not list takes its MAST chapter's general type and keeps its own name
    novel = store.entity("measure:gta-190006")
    assert novel.measure.measure_type is MeasureType.EXPORT_CONTROL
    assert novel.attributes["gta_intervention_type"] == "Critical minerals export registration"
    assert "subtype" not in novel.attributes


def test_measures_impose_target_and_cover_hs_coded_goods(store):
    ingest_paths(store, [DATA])
    assert _has(store, "country:CN", RelationType.IMPOSES, "measure:gta-190001")
    assert _has(store, "measure:gta-190001", RelationType.TARGETS, "country:US")
    assert _has(store, "measure:gta-190001", RelationType.TARGETS, "country:JP")
    assert _has(store, "org:eu", RelationType.IMPOSES, "measure:gta-190003")
    # GTA's own spellings (Chinese Taipei, Turkiye) through ingest/gta.yaml; Kosovo has no id here
    for country in ("country:BD", "country:TW", "country:TR"):
        assert _has(store, "measure:gta-190004", RelationType.TARGETS, country)
    for code in ("811292", "282560"):
        assert _has(store, "measure:gta-190001", RelationType.COVERS, f"commodity:hs-{code}")
    assert _has(store, "measure:gta-190002", RelationType.COVERS, "commodity:hs-850519")  # written 8505.19
    magnets = store.entity("commodity:hs-850511")
    assert magnets.attributes["hs"] == "850511"
    assert "permanent magnets" in magnets.name.lower()
    # the code entity is graph.hs's: in the hierarchy, as the lexicon's and the flows' goods are
    assert _has(store, "commodity:hs-850511", RelationType.IS_A, "commodity:hs-8505")
    assert _has(store, "commodity:hs-8505", RelationType.IS_A, "commodity:hs-85")
    answer = list_measures(store, MeasureFilter(imposer="country:US", covers="commodity:hs-854231"))
    assert [m.entity.id for m in answer.data] == ["measure:gta-190005"]
    assert [t.id for t in answer.data[0].targets] == ["country:CN"]
    assert [m.entity.id for m in list_measures(store, MeasureFilter(target="country:CN")).data] == [
        "measure:gta-190003", "measure:gta-190002", "measure:gta-190005", "measure:gta-190006",
    ]


def test_every_fact_cites_its_record(store):
    ingest_paths(store, [DATA])
    covers = store.relations([relation_key("measure:gta-190002", "COVERS", "commodity:hs-850519")])
    [evidence] = next(iter(covers.values())).evidence
    document = store.document(evidence.document_id)
    assert document.title.startswith("Global Trade Alert intervention 190002")
    assert document.source == "interventions.csv, line 3"
    assert document.url == "https://www.globaltradealert.org/intervention/190002"
    assert evidence.quote == "8505.19" and evidence.extractor == "gta"
    line = document.text[: evidence.end].rsplit("\n", 1)[-1]
    assert line == "Affected Product: 850511, 8505.19"
    imposes = store.relations([relation_key("country:IN", "IMPOSES", "measure:gta-190004")])
    [evidence] = next(iter(imposes.values())).evidence
    text = store.document(evidence.document_id).text
    assert text[evidence.start : evidence.end] == "India"
    assert text[: evidence.start].endswith("Implementing Jurisdiction: ")
    targets = store.relations([relation_key("measure:gta-190004", "TARGETS", "country:TR")])
    [evidence] = next(iter(targets.values())).evidence
    assert evidence.quote == "Turkiye"


def test_reingesting_the_export_commits_nothing(store):
    ingest_paths(store, [DATA])
    version, counts = store.data_version(), store.counts()
    [again] = ingest_paths(store, [DATA])
    assert again.status == "unchanged"
    assert not again.summary.changed
    assert (store.data_version(), store.counts()) == (version, counts)


def test_a_bad_row_is_named_and_nothing_is_written(store, tmp_path):
    path = _write(tmp_path, GOOD_ROW, GOOD_ROW.replace("501", "502").replace("2024-02-01", "2024-02-30"))
    [result] = ingest_paths(store, [path])
    assert result.status == "rejected"
    assert f"{path}:3 field 'Implementation Date'" in result.error and "2024-02-30" in result.error
    assert store.counts().entities == 0 and store.counts().documents == 0


@pytest.mark.parametrize(
    "row, column, words",
    [
        (GOOD_ROW.replace("871200", "\"8712, 87120\""), "Affected Product", "'8712' is not a six-digit HS code"),
        (GOOD_ROW.replace(",Red,", ",Crimson,"), "GTA Evaluation", "not Red, Amber or Green"),
        (GOOD_ROW.replace("2024-01-05,2024-02-01,", "2024-01-05,2024-02-01,2023-12-01"), "Removal Date", "before"),
        (GOOD_ROW.replace("1,501,", "1,,", 1), "Intervention ID", "is empty"),
        (GOOD_ROW.replace("1,501,", "1,A501,", 1), "Intervention ID", "not an intervention id"),
        (GOOD_ROW.replace(",Japan,", ",,"), "Implementing Jurisdiction", "is empty"),
        (GOOD_ROW.replace(",,1", ",,maybe"), "Is In Force", "not an in-force flag"),
        (GOOD_ROW, "Intervention ID", "also on line 2"),
    ],
)
def test_bad_values_name_file_line_and_column(embedded, tmp_path, row, column, words):
    path = _write(tmp_path, GOOD_ROW, row)
    with pytest.raises(InvalidDataError) as raised:
        ingest_gta(embedded, path)
    assert (raised.value.file, raised.value.line, raised.value.field) == (str(path), 3, column)
    assert words in raised.value.reason
    assert embedded.counts().entities == 0


def test_a_broken_file_is_refused_by_line(embedded, tmp_path):
    short = _write(tmp_path, GOOD_ROW, "1,503,too short")
    with pytest.raises(InvalidDataError, match=r"gta.csv:3: has 3 fields where the header has 13"):
        ingest_gta(embedded, short)
    missing = _write(tmp_path, "1,Japan", header="Intervention ID,Implementing Jurisdiction", name="thin.csv")
    with pytest.raises(InvalidDataError, match=r"thin.csv:1: a GTA export needs the columns \['stateacttitle', 'interventiontype'\]"):
        ingest_gta(embedded, missing)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes((HEADER + "\n" + GOOD_ROW.replace("Ruritania", "Ruritanía") + "\n").encode("latin-1"))
    with pytest.raises(InvalidDataError, match=r"latin1.csv:2: is not valid UTF-8"):
        ingest_gta(embedded, latin1)
    assert embedded.counts().entities == 0


def test_an_unknown_jurisdiction_is_a_warning_naming_file_line_column_and_value(embedded, tmp_path):
    path = _write(tmp_path, GOOD_ROW.replace(",China,", ',"China, Atlantis",'))
    [result] = ingest_paths(embedded, [path])
    assert result.status == "added"
    assert result.warnings == [f"{path}:2 field 'Affected Jurisdiction': unknown jurisdiction 'Atlantis', left out"]
    assert _has(embedded, "measure:gta-501", RelationType.TARGETS, "country:CN")


def test_api_style_headers_and_codes_that_lost_their_leading_zero(embedded, tmp_path):
    header = "intervention_id,state_act_id,state_act_title,intervention_type,mast_chapter,implementing_jurisdictions,affected_products,date_announced,date_implemented,date_removed,is_in_force"
    row = '7,8,Ruritania: ban on coffee exports,Export ban,P: Export-related measures,"Bonaire, Sint Eustatius and Saba","90111, 0901.21",2022-03-01,,,'
    result = ingest_gta(embedded, _write(tmp_path, row, header=header))
    assert result.warnings == []
    measure = embedded.entity("measure:gta-7")
    assert measure.measure.status is MeasureStatus.ANNOUNCED  # no flag, no implementation date
    assert _has(embedded, "country:BQ", RelationType.IMPOSES, "measure:gta-7")
    assert _has(embedded, "measure:gta-7", RelationType.COVERS, "commodity:hs-090111")
    assert _has(embedded, "measure:gta-7", RelationType.COVERS, "commodity:hs-090121")


def test_the_type_table_falls_back_on_the_mast_chapter():
    vocabulary = gta_vocabulary()
    assert vocabulary.measure_kind("Anti-subsidy", "D: Contingent trade-protective measures") == (MeasureType.COUNTERVAILING_DUTY, None)
    assert vocabulary.measure_kind("import licensing requirement", None) == (MeasureType.IMPORT_BAN, "import_licensing")
    assert vocabulary.measure_kind("Something new", "F: Price-control measures") == (MeasureType.TARIFF, None)
    assert vocabulary.measure_kind("Something new", "FDI measures") == (MeasureType.INVESTMENT_RESTRICTION, None)
    assert vocabulary.measure_kind("Public procurement preference margin", "M: Government procurement restrictions") == (MeasureType.OTHER, None)


def _big_export(path: Path, rows: int) -> Path:
    """A GTA-format file of ``rows`` interventions, each with a long description column."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([*HEADER.split(","), "Intervention Description"])
        for i in range(rows):
            writer.writerow(next(csv.reader(io.StringIO(GOOD_ROW.replace("501", str(1000 + i))))) + ["words " * 400])
    return path


def test_the_check_pass_streams_rows_in_bounded_memory(tmp_path):
    path = _big_export(tmp_path / "big.csv", 4000)
    size = path.stat().st_size
    assert size > 9_000_000
    tracemalloc.start()
    try:
        assert _check(path, gta_vocabulary(), []) == 4000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size / 5, f"peak {peak} bytes for a {size}-byte file"


def test_a_file_is_written_in_batches_with_the_same_result(embedded, tmp_path):
    path = _big_export(tmp_path / "big.csv", 120)
    result = ingest_gta(embedded, path, rows_per_batch=50)
    assert result.interventions == 120
    # the measures, Japan, China, and HS 871200 with its heading, chapter and section
    assert result.summary.entities_added == 120 + 2 + 4
    assert result.summary.documents_added == 120 + 4  # the records, and the four codes' nomenclature lines
    assert not ingest_gta(embedded, path, rows_per_batch=7).summary.changed


def test_the_cli_ingests_an_export_and_prints_its_warnings(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    _write(folder, GOOD_ROW.replace(",China,", ',"China, Atlantis",'))
    run = cli("ingest", str(folder), env={"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db")}, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "added" in run.stderr and "unknown jurisdiction 'Atlantis'" in run.stderr


def test_a_field_given_twice_is_read_and_cited_from_one_column(embedded, tmp_path):
    header = HEADER.replace("State Act Title", "State Act Title,Intervention Title")
    row = GOOD_ROW.replace("Ruritania: import duty on bicycles", "Ruritania: import duty on bicycles,Bicycles (intervention 1 of 3)")
    ingest_gta(embedded, _write(tmp_path, row, header=header))
    measure = embedded.entity("measure:gta-501")
    assert measure.name == "Ruritania: import duty on bicycles"
    text = embedded.document(measure.evidence[0].document_id).text
    assert text[: measure.evidence[0].start].endswith("\nState Act Title: ")
