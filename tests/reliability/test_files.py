"""What ingest may read: files inside the folder a facts file or a walk is rooted in, regular files
only and never more bytes than the cap, and Chinese texts in the encodings they are saved in.

Every refusal is checked the way tests/reliability/test_bad_input.py checks bad input: the CLI
exits 2 with a line naming the file (and line) and the reason, and the store's rows, counts and
data version are exactly as they were. Symlinks, FIFOs and /dev/zero are real; so are the GB18030
and Big5 files, written here with Python's codecs."""

from __future__ import annotations

import ast
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from app.main import create_app
from app.settings import Settings
from bench.harness.fingerprint import sqlite_content
from bench.harness.paths import ROOT
from graph.hs import NOMENCLATURE_SOURCE
from graph.model.errors import InvalidDataError
from ingest.pipeline import ingest_paths
from ingest.readers import read_document
from ingest.structured import load_facts
from tests.conftest import BIN, SEEDS, cli
from tests.reliability.conftest import AUTH, TOKEN

ARTICLE = "中国对镓实施出口管制。Acme 依赖中国的镓。China supplies gallium.\n"
SECRET = "SECRET-OUTSIDE-THE-FEED 中国对镓实施出口管制。\n"
FACTS = """\
documents:
  d: {{path: {path}, language: zh}}
entities:
  - {{id: "country:CN", names: {{zh: 中国}}, quote: 中国}}
"""


def _seeded_db(tmp_path: Path) -> dict[str, str]:
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db")}
    done = cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return env


def _rejected(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("rejected")]


# -- defect 2: a facts file reads only inside its own folder; a walk never leaves its folder ----


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """work/feed/ (the folder ingested) beside work/outside.txt, with a symlink leading out."""
    work = tmp_path / "work"
    feed = work / "feed"
    feed.mkdir(parents=True)
    (work / "outside.txt").write_text(SECRET, encoding="utf-8")
    (feed / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (feed / "out-link.txt").symlink_to(work / "outside.txt")
    (feed / "in-link.txt").symlink_to(feed / "a.txt")
    return work


ESCAPES = {
    "absolute": "/etc/hostname",
    "absolute-inside-looking": "{feed}/../outside.txt",
    "dotdot": "../../../../../../etc/passwd",
    "dotdot-real-file": "../outside.txt",
    "symlink-out": "out-link.txt",
}


@pytest.mark.parametrize("case", sorted(ESCAPES))
def test_a_facts_file_may_reference_only_files_in_its_own_folder(layout, tmp_path, case):
    feed = layout / "feed"
    path = ESCAPES[case].format(feed=feed)
    facts = feed / "f.yaml"
    facts.write_text(FACTS.format(path=path), encoding="utf-8")
    with pytest.raises(InvalidDataError) as info:
        load_facts(facts)
    error = info.value
    assert error.file == str(facts) and error.line == 2 and error.field == "documents.d.path", str(error)
    assert "outside the facts file's folder" in error.reason, str(error)

    env = _seeded_db(tmp_path)
    before = sqlite_content(tmp_path / "cli.db")
    done = cli("ingest", str(facts), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    (line,) = _rejected(done.stderr)
    assert f"{facts}:2 field 'documents.d.path'" in line and "outside the facts file's folder" in line, line
    assert sqlite_content(tmp_path / "cli.db") == before


def test_a_facts_file_may_reference_files_below_it_and_links_that_stay_inside(layout):
    feed = layout / "feed"
    (feed / "sub").mkdir()
    (feed / "sub" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    for path in ("a.txt", "./sub/b.txt", "sub/../a.txt", "in-link.txt"):
        (feed / "f.yaml").write_text(FACTS.format(path=path), encoding="utf-8")
        assert load_facts(feed / "f.yaml").documents[0].text == ARTICLE.strip()


def test_a_folder_walk_never_leaves_the_folder_through_a_symlink(layout, tmp_path):
    feed = layout / "feed"
    (feed / "a.txt").unlink()
    (feed / "in-link.txt").unlink()
    elsewhere = layout / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "hidden.txt").write_text(SECRET, encoding="utf-8")
    (feed / "more").symlink_to(elsewhere, target_is_directory=True)
    (feed / "passwd.txt").symlink_to("/etc/passwd")
    env = _seeded_db(tmp_path)
    before = sqlite_content(tmp_path / "cli.db")
    done = cli("ingest", str(feed), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    rejected = _rejected(done.stderr)
    for name in ("out-link.txt", "passwd.txt", "more"):
        mine = [line for line in rejected if f"{feed / name}:" in line]
        assert mine and "leads out of the folder" in mine[0], (name, done.stderr)
    assert "hidden.txt" not in done.stderr
    assert sqlite_content(tmp_path / "cli.db") == before


def test_a_link_inside_the_folder_is_read_once(layout, tmp_path):
    """A symlink that stays inside the folder is not refused; its text is the same document."""
    feed = layout / "feed"
    (feed / "out-link.txt").unlink()
    done = cli("ingest", str(feed), env={"TRADEGRAPH_DB_PATH": str(tmp_path / "s.db")}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stderr and "1 unchanged" in done.stderr, done.stderr


HOSTILE_TEXTS = [
    "---\nurl: file:///etc/hostname\ntitle: /etc/passwd\n---\nChina imposes tariffs on steel.",
    "documents: {d: {path: /etc/hostname}}\nentities: [{id: 'country:CN', names: {en: China}, quote: China}]",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=["front-matter", "facts-yaml"])
def test_nothing_posted_over_http_makes_the_server_read_a_file(embedded, text):
    """The API takes texts, never paths: what is posted is the document, and no file is opened."""
    from fastapi.testclient import TestClient

    passwd_line = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]

    with TestClient(create_app(Settings(api_token=TOKEN), store=embedded)) as client:
        answer = client.post("/v1/documents", json={"text": text}, headers=AUTH)
        assert answer.status_code == 201, answer.text
        document = client.get(f"/v1/documents/{answer.json()['document']['id']}").json()
        export = client.get("/v1/export").text
    assert document["source"] == "api"
    for served in (answer.text, export):
        assert passwd_line not in served


def test_the_api_imports_nothing_that_opens_a_file():
    """No module of app/api imports a file reader: an HTTP request has no way to name a path.
    Imports are read from the syntax tree, so an operation id or a word in a docstring that
    happens to share a reader's name does not count."""
    readers = {"read_document", "load_facts", "ingest_paths", "read_capped", "read_text_file"}
    for module in sorted((ROOT / "app" / "api").rglob("*.py")):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                imported |= {node.module or ""} | {alias.name for alias in node.names}
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
        assert not imported & (readers | {"ingest.files", "ingest.structured"}), module


# -- defect 3: only regular files, capped by the bytes read -------------------------------------

def _limited(memory: int = 1 << 30):  # noqa: ANN202 - a preexec_fn
    """A child that cannot take the machine down if a reader reads /dev/zero forever."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return limit


def _tradegraph(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "tradegraph"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
        preexec_fn=_limited(),
    )


@pytest.mark.timeout(180)
@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_a_symlink_to_dev_zero_is_refused_not_read(tmp_path, command):
    (tmp_path / "z.txt").symlink_to("/dev/zero")
    env = _seeded_db(tmp_path)
    before = sqlite_content(tmp_path / "cli.db")
    done = _tradegraph(command, "z.txt", cwd=tmp_path, env=env)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    assert "z.txt" in done.stderr and "not a regular file (a character device)" in done.stderr, done.stderr
    assert sqlite_content(tmp_path / "cli.db") == before


@pytest.fixture
def fifo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "feed"
    folder.mkdir()
    os.mkfifo(folder / "x.txt")
    os.mkfifo(folder / "f.yaml")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "g.yaml").write_text(FACTS.format(path="x.txt"), encoding="utf-8")
    return folder


@pytest.mark.timeout(60)
def test_a_fifo_is_refused_without_waiting_for_a_writer(fifo_folder):
    """Every reader: a text, a facts file, and a text a facts file names. A regression fails at
    the timeout instead of hanging the suite."""
    for read, path, field in (
        (read_document, fifo_folder / "x.txt", None),
        (load_facts, fifo_folder / "f.yaml", None),
        (load_facts, fifo_folder / "g.yaml", "documents.d.path"),
    ):
        with pytest.raises(InvalidDataError) as info:
            read(path)
        assert info.value.file == str(path) and info.value.field == field, str(info.value)
        assert "not a regular file (a FIFO)" in info.value.reason, str(info.value)


@pytest.mark.timeout(180)
def test_the_cli_refuses_fifos_named_or_found_in_a_folder(fifo_folder, tmp_path):
    env = _seeded_db(tmp_path)
    before = sqlite_content(tmp_path / "cli.db")
    for args in ((str(fifo_folder / "x.txt"),), (str(fifo_folder),)):
        done = _tradegraph("ingest", *args, cwd=tmp_path, env=env)
        assert done.returncode == 2, done.stderr
        assert f"{fifo_folder / 'x.txt'}: not a regular file (a FIFO)" in done.stderr, done.stderr
    assert f"{fifo_folder / 'f.yaml'}: not a regular file (a FIFO)" in done.stderr
    assert "g.yaml:2 field 'documents.d.path'" in done.stderr, done.stderr
    # a.txt was the only good file of the folder; everything else was refused and wrote nothing
    after = sqlite_content(tmp_path / "cli.db")
    assert after["counts"]["documents"] == before["counts"]["documents"] + 1


# -- defect 6: a document's source is its file name, never a server path ------------------------


def test_a_document_source_is_its_file_name_not_a_server_path(store, app_for):
    """Ingested from absolute paths, on both stores: GET /v1/documents/{id} and /v1/export give the
    file names only, and ingesting again changes nothing."""
    files = [SEEDS, ROOT / "tests" / "eval" / "zh_gallium_germanium_2023.md"]
    results = ingest_paths(store, [f.resolve() for f in files])
    assert not [r for r in results if r.status == "rejected"], results
    again = ingest_paths(store, [f.resolve() for f in files])
    assert {r.status for r in again} <= {"unchanged", "skipped"}, [(r.path, r.status) for r in again]
    client = app_for(store)
    export = client.get("/v1/export")
    assert export.status_code == 200
    documents = export.json()["documents"]
    sources = sorted(d["source"] for d in documents if d["source"] != NOMENCLATURE_SOURCE)  # HS lines the goods' codes cite
    assert sources == ["000_a76c9cf03c257c19.txt", "background.md", "zh_gallium_germanium_2023.md"], sources
    assert str(ROOT) not in export.text
    for document in documents:
        served = client.get(f"/v1/documents/{document['id']}").json()
        assert served["source"] == document["source"] and "/" not in served["source"]


def test_a_store_with_old_absolute_sources_keeps_working(embedded):
    """Documents are keyed by their text, not their source: a store written before this change
    (absolute sources) takes the same files again as unchanged."""
    from graph.model.records import Batch, Document

    text = (SEEDS / "000_a76c9cf03c257c19.txt").read_text(encoding="utf-8")
    embedded.upsert(Batch(documents=[Document(text=text, source=str(SEEDS / "000_a76c9cf03c257c19.txt"))]))
    results = ingest_paths(embedded, [SEEDS / "facts.yaml"])
    assert [r.status for r in results] == ["added"]  # its facts are new; the document is not
    texts = [d for d in embedded.documents() if d.source != NOMENCLATURE_SOURCE]  # not the HS lines codes cite
    assert len(texts) == 2  # the seed article (kept) and background.md


# -- defect 9: Chinese texts in GB18030 and Big5 --------------------------------------------------

SIMPLIFIED = "中国商务部宣布对镓、锗相关物项实施出口管制。美国依赖中国的稀土供应，日本也表示关切。\n"
TRADITIONAL = "中國商務部宣布對鎵、鍺相關物項實施出口管制。美國依賴中國的稀土供應，日本也表示關切。\n"
HTML = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    "<title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
)


@pytest.fixture
def encoded(tmp_path: Path) -> Path:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "gb.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (folder / "big5.md").write_bytes(("---\ntitle: 鎵鍺出口管制\n---\n" + TRADITIONAL).encode("big5"))
    (folder / "gbk.html").write_bytes(HTML.format(charset="gbk", title="镓锗出口管制", body=SIMPLIFIED.strip()).encode("gbk"))
    (folder / "big5.html").write_bytes(HTML.format(charset="big5", title="鎵鍺出口管制", body=TRADITIONAL.strip()).encode("big5"))
    return folder


def test_chinese_texts_in_gb18030_and_big5_are_read(encoded, tmp_path):
    assert read_document(encoded / "gb.txt").text == SIMPLIFIED.strip()
    big5 = read_document(encoded / "big5.md")
    assert big5.text == TRADITIONAL.strip() and big5.title == "鎵鍺出口管制"
    assert SIMPLIFIED.strip() in read_document(encoded / "gbk.html").text
    assert TRADITIONAL.strip() in read_document(encoded / "big5.html").text
    done = cli("ingest", str(encoded), env={"TRADEGRAPH_DB_PATH": str(tmp_path / "s.db")}, cwd=tmp_path)
    assert done.returncode == 0 and "0 rejected" in done.stderr, done.stderr


def test_a_facts_file_quotes_a_big5_text_by_its_decoded_characters(encoded):
    (encoded / "f.yaml").write_text(
        "documents:\n  d: {path: big5.md, language: zh}\n"
        "entities:\n  - {id: 'commodity:gallium', names: {zh: 鎵}, quote: 鎵}\n",
        encoding="utf-8",
    )
    (evidence,) = load_facts(encoded / "f.yaml").entities[0].evidence
    document = load_facts(encoded / "f.yaml").documents[0]
    assert document.text[evidence.start : evidence.end] == evidence.quote == "鎵"
    assert evidence.start == document.text.index("鎵")


def test_an_html_declared_charset_is_honoured(tmp_path):
    """A page that says windows-1252 is read as such, although detection tries Chinese encodings only."""
    body = "Café owners say the naïve tariff on crème fraîche costs them dearly. " * 3
    path = tmp_path / "fr.html"
    path.write_bytes(HTML.format(charset="windows-1252", title="Tariffs", body=body).encode("cp1252"))
    assert "crème fraîche" in read_document(path).text


def test_undetectable_bytes_are_refused_naming_what_was_tried(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("tariff\nnaïve crème".encode("latin-1"))
    with pytest.raises(InvalidDataError) as info:
        read_document(path)
    assert info.value.line == 2, str(info.value)
    for tried in ("UTF-8", "GB18030", "Big5"):
        assert tried in info.value.reason, str(info.value)
