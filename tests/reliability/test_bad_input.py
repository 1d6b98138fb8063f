"""Bad input at every entry point: the facts loader, ``tradegraph ingest`` and ``tradegraph
extract``, and ``POST /v1/documents``. Binary files, empty files, invalid UTF-8, a 50 MB text,
deeply nested JSON, YAML alias bombs and custom tags, unknown fields, invalid ids, references to
entities that do not exist, dates like 2025-13-40, shares like 1.5 or NaN: each gets a clear error
naming file, line and field (HTTP: a 4xx problem), and the store's content is exactly as it was
(same rows, same counts, same data version)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.harness.fingerprint import sqlite_content, store_fingerprint
from graph.model.errors import InvalidDataError
from ingest.readers import read_document
from ingest.structured import load_facts
from tests.conftest import SEEDS, cli
from tests.reliability.conftest import AUTH, assert_problem

ARTICLE = "中国对镓实施出口管制。Acme 依赖中国的镓。China supplies gallium.\n"
GOOD = """\
documents:
  a: {path: a.txt, language: zh}
entities:
  - {id: "country:CN", names: {zh: 中国}, quote: 中国}
  - {id: "commodity:gallium", names: {zh: 镓}, quote: 镓}
relations:
  - {source: "country:CN", type: SUPPLIES, target: "commodity:gallium", quote: 中国对镓}
"""
BIG = 50 * 1024 * 1024

BOMB = "documents:\n  a: {path: a.txt}\n" + "".join(
    f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n" for i in range(9)
)


def _csv(header: str, row: str) -> str:
    return f"{header}\n{row}\n"


# name -> (content, line, field, words). line/field None: not asserted.
FACTS_CASES: dict[str, tuple[bytes | str, int | None, str | None, str]] = {
    "binary.yaml": (b"documents:\x00\x01\x02\xff" * 100, None, None, "binary"),
    "empty.yaml": (b"", None, None, "a facts file is a mapping"),
    "empty.json": (b"", 1, None, "invalid JSON"),
    "invalid-utf8.yaml": (b"documents:\n  a: {path: a.txt}\n\xff\xfe oops\n", 3, None, "not valid UTF-8"),
    "deep.json": ("[" * 100_000 + "]" * 100_000, None, None, "nested too deeply"),
    "deep.yaml": ("documents: " + "[" * 5_000 + "]" * 5_000, None, None, "nested too deeply"),
    "bomb.yaml": (BOMB, 4, None, "aliases are not accepted"),
    "merge-key.yaml": (GOOD + "  - &r {source: 'country:CN', type: SUPPLIES, target: 'commodity:gallium', quote: 镓}\n  - {<<: *r}\n", 9, None, "aliases"),
    "python-tag.yaml": (GOOD + "  - !!python/object/apply:os.system ['touch /tmp/tradegraph-pwned']\n", 8, None, "invalid YAML"),
    "custom-tag.yaml": (GOOD.replace("quote: 中国}", "quote: !Ref 中国}", 1), 4, None, "invalid YAML"),
    "timestamp-tag.yaml": (GOOD.replace("language: zh}", "language: zh, published: !!timestamp 2025-13-40}"), 2, None, "cannot be read as timestamp"),
    "huge-int.yaml": (GOOD.replace("quote: 中国对镓}", "quote: 中国对镓, share: 1" + "0" * 5000 + "}"), 7, None, "cannot be read as int"),
    "huge-int.json": ('{"documents": {"a": {"path": "a.txt"}}, "n": 1' + "0" * 5000 + "}", None, None, "invalid JSON"),
    "bad-date.yaml": (GOOD.replace("language: zh}", "language: zh, published: 2025-13-40}"), 2, "documents.a.published", "month"),
    "bad-measure-date.yaml": (
        GOOD.replace(
            "entities:\n",
            "entities:\n  - {id: 'measure:cn-gallium', names: {zh: 管制}, quote: 出口管制,"
            " measure: {measure_type: export_control, status: in_force, announced: 2025-13-40}}\n",
        ),
        4,
        "measure.announced",
        "month",
    ),
    "share-1.5.yaml": (GOOD.replace("quote: 中国对镓}", "quote: 中国对镓, share: 1.5}"), 7, "share", "less than or equal to 1"),
    "share-nan.yaml": (GOOD.replace("quote: 中国对镓}", "quote: 中国对镓, share: .nan}"), 7, "share", "finite number"),
    "share-nan.json": (
        json.dumps({"documents": {"a": {"path": "a.txt"}}, "entities": [], "relations": [{"source": "country:CN", "type": "SUPPLIES", "target": "commodity:gallium", "quote": "中国对镓", "share": "NaN"}]}, indent=1).replace('"NaN"', "NaN"),
        None,
        "share",
        "finite number",
    ),
    "share-nan.csv": (_csv("source,type,target,share,document,quote", "country:CN,SUPPLIES,commodity:gallium,NaN,a.txt,中国对镓"), 2, "share", "finite number"),
    "share-1.5.csv": (_csv("source,type,target,share,document,quote", "country:CN,SUPPLIES,commodity:gallium,1.5,a.txt,中国对镓"), 2, "share", "less than or equal to 1"),
    "share-word.csv": (_csv("source,type,target,share,document,quote", "country:CN,SUPPLIES,commodity:gallium,half,a.txt,中国对镓"), 2, "share", "not a number"),
    "huge-field.csv": (_csv("id,name_en,document,quote", "country:CN," + "x" * 200_000 + ",a.txt,中国"), 2, None, "invalid CSV"),
    "no-header.csv": ("just,some,columns\n1,2,3\n", 1, None, "CSV header"),
    "unknown-field.yaml": (GOOD.replace("{zh: 中国}, quote", "{zh: 中国}, colour: red, quote"), 4, "colour", "Extra inputs"),
    "unknown-section.yaml": (GOOD + "extras: [1, 2]\n", None, "extras", "unknown sections"),
    "unknown-column.csv": (_csv("id,name_en,colour,document,quote", "country:CN,China,red,a.txt,中国"), 2, "colour", "Extra inputs"),
    "invalid-id.yaml": (GOOD.replace('"commodity:gallium", names', '"commodity:Bad Id", names'), 5, "id", "lower-case"),
    "invalid-country.yaml": (GOOD.replace('"country:CN", names', '"country:ZZ", names'), 4, "id", "ISO 3166"),
    "unknown-prefix.yaml": (GOOD.replace('"commodity:gallium", names', '"metal:gallium", names'), 5, "id", "no known type prefix"),
    "unknown-type.yaml": (GOOD.replace("type: SUPPLIES", "type: SELLS"), 7, "type", "Input should be"),
    "wrong-endpoint.yaml": (GOOD.replace("type: SUPPLIES", "type: COVERS"), 7, None, "cannot start at"),
    "self-loop.yaml": (GOOD.replace('type: SUPPLIES, target: "commodity:gallium"', 'type: NEGOTIATES_WITH, target: "country:CN"'), 7, None, "itself"),
    "confidence.yaml": (GOOD.replace("quote: 中国}", "quote: 中国, confidence: 1.5}"), 4, "entities[0].confidence", "less than or equal to 1"),
    "doc-list.yaml": (GOOD.replace("quote: 中国}", "quote: 中国, doc: [a]}"), 4, "entities[0].doc", "local name"),
    "unknown-doc.yaml": (GOOD.replace("quote: 中国}", "quote: 中国, doc: b}"), 4, "entities[0].doc", "unknown document"),
    "quote-missing.yaml": (GOOD.replace("quote: 中国对镓", "quote: 美国对镓"), 7, "relations[0].quote", "is not in the document"),
    "no-quote.yaml": (GOOD.replace(", quote: 中国对镓", ""), 7, "relations[0].quote", "needs a quote"),
    "dir-path.yaml": (GOOD.replace("path: a.txt", "path: ."), 2, "documents.a.path", "folder"),
    "nul-path.yaml": (GOOD.replace("path: a.txt", 'path: "a\\0b.txt"'), 2, "documents.a.path", "file name"),
    "binary-text.yaml": (GOOD.replace("path: a.txt", "path: binary.bin"), 2, "documents.a.path", "binary"),
    "huge-text.yaml": (GOOD.replace("path: a.txt", "path: huge.bin"), 2, "documents.a.path", "more than the"),
    "huge.yaml": (None, None, None, "more than the"),  # written as 50 MB below
}


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-facts")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "binary.bin").write_bytes(os.urandom(2000) + b"\x00")
    with open(folder / "huge.bin", "wb") as f:
        f.truncate(21 * 1024 * 1024)
    for name, (content, *_rest) in FACTS_CASES.items():
        path = folder / name
        if content is None:
            with open(path, "wb") as f:
                line = ("- " + "x" * 98 + "\n").encode()
                f.write(b"documents: {}\nentities:\n" + line * (BIG // len(line)))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(FACTS_CASES))
def test_the_loader_names_file_line_and_field(bad_folder, name):
    _, line, field, words = FACTS_CASES[name]
    with pytest.raises(InvalidDataError) as info:
        load_facts(bad_folder / name)
    error = info.value
    assert error.file and error.file.endswith(name), str(error)
    assert words in str(error), str(error)
    if line is not None:
        assert error.line == line, str(error)
    if field is not None:
        assert error.field == field, str(error)


def test_the_good_file_loads(bad_folder):
    (bad_folder / "good").mkdir(exist_ok=True)
    (bad_folder / "good" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (bad_folder / "good" / "f.yaml").write_text(GOOD, encoding="utf-8")
    assert len(load_facts(bad_folder / "good" / "f.yaml").relations) == 1


def _seeded_db(tmp_path: Path) -> dict[str, str]:
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db")}
    done = cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return env


def test_cli_ingest_rejects_every_bad_facts_file_and_changes_nothing(bad_folder, tmp_path):
    env = _seeded_db(tmp_path)
    before = sqlite_content(tmp_path / "cli.db")
    names = sorted(n for n in FACTS_CASES if Path(n).suffix in (".yaml", ".json", ".csv"))
    done = cli("ingest", *(str(bad_folder / n) for n in names), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    rejected = [line for line in done.stderr.splitlines() if line.startswith("rejected")]
    for name in names:
        _, line, field, words = FACTS_CASES[name]
        mine = [r for r in rejected if f"{name}:" in r or f"{name} " in r]
        assert mine, (name, done.stderr[-3000:])
        message = mine[0]
        assert words in message, message
        if line is not None:
            assert f"{name}:{line}" in message, message
        if field is not None:
            assert f"field '{field}'" in message, message
    assert f"{len(names)} rejected" in done.stderr
    assert sqlite_content(tmp_path / "cli.db") == before


REFERENCE = """\
documents:
  a: {path: a.txt, language: zh}
entities:
  - {id: "country:CN", names: {zh: 中国}, quote: 中国}
relations:
  - {source: "country:CN", type: SUPPLIES, target: "commodity:nowhere", quote: 中国对镓}
"""


def test_a_reference_to_an_unknown_entity_is_rejected_naming_the_field(tmp_path):
    env = _seeded_db(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ref.yaml").write_text(REFERENCE, encoding="utf-8")
    before = sqlite_content(tmp_path / "cli.db")
    done = cli("ingest", str(tmp_path / "ref.yaml"), env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "ref.yaml" in done.stderr and "field 'relations[0].target'" in done.stderr and "commodity:nowhere" in done.stderr
    assert sqlite_content(tmp_path / "cli.db") == before


def test_a_reference_to_an_unknown_entity_names_its_line(tmp_path):
    """The store's refusal of a facts batch names the record's line too (ingest.structured.locate)."""
    env = _seeded_db(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ref.yaml").write_text(REFERENCE, encoding="utf-8")
    done = cli("ingest", str(tmp_path / "ref.yaml"), env=env, cwd=tmp_path)
    assert "ref.yaml:6 field 'relations[0].target'" in done.stderr, done.stderr


def test_locate_gives_the_line_of_the_record(tmp_path):
    """What the pipeline fix above would use: the loader remembers each record's line."""
    from graph.embedded import EmbeddedStore
    from ingest.structured import locate

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ref.yaml").write_text(REFERENCE, encoding="utf-8")
    batch = load_facts(tmp_path / "ref.yaml")
    with EmbeddedStore(tmp_path / "s.db") as store, pytest.raises(InvalidDataError) as info:
        store.upsert(batch)
    located = locate(batch, info.value, file="ref.yaml")
    assert str(located).startswith("ref.yaml:6 field 'relations[0].target'"), str(located)


# -- texts: tradegraph ingest and tradegraph extract --------------------------------------------

TEXT_CASES: dict[str, tuple[bytes | None, int | None, str | None, str]] = {
    "binary.txt": (os.urandom(3000) + b"\x00" + os.urandom(100), None, None, "binary"),
    "empty.txt": (b"", None, None, "empty"),
    "blank.md": (b"  \n\n\t\n", None, None, "empty"),
    "invalid-utf8.txt": (b"China imposes tariffs.\n\xff\xfe\xfd\n", 2, None, "not valid UTF-8"),
    "late-nul.txt": (b"China imposes tariffs. " * 1000 + b"\x00", None, None, "binary"),
    "huge.txt": (None, None, None, "more than the"),  # 50 MB, written below
    "front-unknown.md": (b"---\ntitle: x\nauthor: y\n---\nChina imposes tariffs.\n", None, "author", "unknown front matter keys"),
    "front-yaml.md": (b"---\ntitle: [unclosed\n---\nChina imposes tariffs.\n", None, None, "front matter is not valid YAML"),
    "front-tag.md": (b"---\ntitle: !!python/object/apply:os.system ['true']\n---\nChina imposes tariffs.\n", None, None, "front matter is not valid YAML"),
    "front-list.md": (b"---\n- a\n- b\n---\nChina imposes tariffs.\n", 1, None, "front matter must be a mapping"),
    "scripts.html": (b"<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>", None, None, "no main text"),
    "binary.html": (b"\x00\x01<html>" + os.urandom(500), None, None, "binary"),
    "report.pdf": (b"%PDF-1.7\n" + os.urandom(500), None, None, "unsupported file type"),
}


@pytest.fixture(scope="module")
def bad_texts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-texts")
    for name, (content, *_rest) in TEXT_CASES.items():
        if content is None:
            sentence = b"China imposes tariffs on steel. "
            (folder / name).write_bytes(sentence * (BIG // len(sentence) + 1))
        else:
            (folder / name).write_bytes(content)
    return folder


def test_cli_ingest_rejects_every_bad_text_and_changes_nothing(bad_texts, tmp_path):
    env = _seeded_db(tmp_path)
    before = sqlite_content(tmp_path / "cli.db")
    names = sorted(TEXT_CASES)
    done = cli("ingest", *(str(bad_texts / n) for n in names), env=env, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-3000:]
    rejected = [line for line in done.stderr.splitlines() if line.startswith("rejected")]
    for name in names:
        _, line, field, words = TEXT_CASES[name]
        mine = [r for r in rejected if name in r]
        assert mine, (name, done.stderr[-3000:])
        assert words in mine[0], mine[0]
        if line is not None:
            assert f"{name}:{line}" in mine[0], mine[0]
        if field is not None:
            assert f"field '{field}'" in mine[0], mine[0]
    assert sqlite_content(tmp_path / "cli.db") == before


def test_cli_extract_refuses_every_bad_text(bad_texts, tmp_path):
    for name in sorted(TEXT_CASES):
        _, line, field, words = TEXT_CASES[name]
        done = cli("extract", str(bad_texts / name), cwd=tmp_path)
        assert done.returncode == 2, (name, done.returncode, done.stderr[-1000:])
        assert done.stdout == "" and "Traceback" not in done.stderr, (name, done.stderr[-1000:])
        assert name in done.stderr, done.stderr
        if words != "unsupported file type":  # extract names its own list of readable types
            assert words in done.stderr, (name, done.stderr)
        else:
            assert "unknown file type" in done.stderr
        if line is not None:
            assert f"{name}:{line}" in done.stderr, done.stderr


def test_cli_extract_from_stdin_reports_invalid_utf8_like_a_file(tmp_path):
    """`extract -` reads standard input as bytes, with the same checks as a file."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "tradegraph"), "extract", "-"],
        input=b"China imposes tariffs.\n\xff\xfe\n",
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert done.returncode == 2
    assert b"not valid UTF-8" in done.stderr and b"<stdin>:2" in done.stderr, done.stderr


FRONT_DATE = b"---\npublished: 2025-13-40\n---\nChina imposes tariffs on steel.\n"


def test_a_front_matter_date_like_2025_13_40_is_a_clear_error(tmp_path):
    """Front matter dates stay text until _as_date, which names the field; no traceback, no 500."""
    path = tmp_path / "dated.md"
    path.write_bytes(FRONT_DATE)
    with pytest.raises(InvalidDataError) as info:
        read_document(path)
    assert info.value.field == "published"
    done = cli("ingest", str(path), env={"TRADEGRAPH_DB_PATH": str(tmp_path / "s.db")}, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


ALIAS_BOMB = (
    "---\npublished: ["
    + ", ".join(["&l0 [x, x, x, x, x, x, x, x, x]", *(f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9))])
    + "]\n---\nChina imposes tariffs on steel.\n"
)

BOMB_PROBE = textwrap.dedent(
    """
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))
    from graph.model.errors import InvalidDataError
    from ingest.readers import read_text
    started = time.monotonic()
    try:
        read_text(sys.stdin.read())
    except InvalidDataError as e:
        print("refused", round(time.monotonic() - started, 2), e)
        sys.exit(0)
    except MemoryError:
        print("memory", round(time.monotonic() - started, 2))
        sys.exit(3)
    print("accepted")
    sys.exit(4)
    """
)


def test_a_front_matter_alias_bomb_is_refused_at_once(tmp_path):
    """Front matter refuses YAML aliases: a 400-byte billion-laughs is refused at once, in little memory."""
    done = subprocess.run(
        [sys.executable, "-c", BOMB_PROBE],
        input=ALIAS_BOMB,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stdout + done.stderr[-500:]
    assert float(done.stdout.split()[1]) < 1.0, done.stdout


# -- POST /v1/documents -------------------------------------------------------------------------

BODIES = [
    ({"text": ""}, 422, "text"),
    ({"text": "   \n\t "}, 422, None),
    ({"text": "abc\x00def"}, 422, None),
    ({"text": "China imposes tariffs.", "published": "2025-13-40"}, 422, "published"),
    ({"text": "China imposes tariffs.", "published": "2025-02-30"}, 422, "published"),
    ({"text": "China imposes tariffs.", "language": "xx"}, 422, "language"),
    ({"text": "China imposes tariffs.", "colour": "red"}, 422, "colour"),
    ({"text": 1}, 422, "text"),
    ({"text": None}, 422, "text"),
    ({"text": ["a"]}, 422, "text"),
    ({"text": {"a": {"b": {"c": []}}}}, 422, "text"),
    ({}, 422, "text"),
    ([], 422, None),
    ("just a string", 422, None),
    ({"text": "---\ntitle: [unclosed\n---\nChina imposes tariffs."}, 422, None),
    ({"text": "---\nauthor: me\n---\nChina imposes tariffs."}, 422, "author"),
    ({"text": "---\ntitle: !!python/object/apply:os.system ['true']\n---\nChina imposes tariffs."}, 422, None),
]

RAW_BODIES = [
    (b"\xff\xfe\x00garbage", "application/json"),
    (b'{"text": "\xff\xfe bad"}', "application/json"),
    (b'{"text": "\\ud800 lone surrogate"}', "application/json"),
    (b'{"text": "a", "published": NaN}', "application/json"),
    (b'{"text": 1e999}', "application/json"),
    (b'{"text": "a"', "application/json"),
    (b"text: a", "application/yaml"),
    (b"text=a", "application/x-www-form-urlencoded"),
    (b"China imposes tariffs.", "text/plain"),
    (b"", "application/json"),
]


@pytest.mark.parametrize(("body", "status", "field"), BODIES, ids=[repr(b)[:40] for b, _, _ in BODIES])
def test_post_refuses_bad_bodies_and_changes_nothing(seeded_store, app_for, body, status, field):
    client = app_for(seeded_store)
    before = store_fingerprint(seeded_store)
    response = client.post("/v1/documents", json=body, headers=AUTH)
    problem = assert_problem(response, status)
    if field is not None:
        named = {problem.get("field"), *(".".join(e["loc"][1:]) for e in problem.get("errors", []))}
        assert field in named, problem
    assert store_fingerprint(seeded_store) == before


@pytest.mark.parametrize(("raw", "content_type"), RAW_BODIES, ids=[repr(r)[:30] for r, _ in RAW_BODIES])
def test_post_refuses_malformed_bytes(seeded, app_for, raw, content_type):
    client = app_for(seeded)
    before = store_fingerprint(seeded)
    response = client.post("/v1/documents", content=raw, headers={**AUTH, "Content-Type": content_type})
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert_problem(response)
    assert store_fingerprint(seeded) == before


def test_post_refuses_a_50_mb_text(seeded, app_for):
    client = app_for(seeded)
    before = store_fingerprint(seeded)
    body = b'{"text": "' + b"China imposes tariffs. " * (BIG // 23) + b'"}'
    assert_problem(client.post("/v1/documents", content=body, headers={**AUTH, "Content-Type": "application/json"}), 413)
    assert store_fingerprint(seeded) == before


# -- fuzzing the loaders: nothing but InvalidDataError ------------------------------------------

KEYS = ["documents", "entities", "relations", "path", "id", "names", "en", "zh", "aliases", "quote", "doc", "source",
        "target", "type", "share", "origin", "confidence", "extractor", "measure", "measure_type", "status",
        "announced", "published", "language", "attributes", "valid_from", "__line__"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["a.txt", "country:CN", "commodity:gallium", "中国", "镓", "中国对镓", "SUPPLIES", "2025-13-40",
                     "2025-10-09", "NaN", "1.5", "", "x" * 300, "export_control", "in_force", "zh"]),
    st.text(max_size=20),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=30,
)


def _only_invalid_data(call) -> None:  # noqa: ANN001
    try:
        call()
    except InvalidDataError:
        pass


@settings(max_examples=int(os.environ.get("TRADEGRAPH_LOADER_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=list(HealthCheck))
@given(tree=TREES, suffix=st.sampled_from([".yaml", ".json"]))
def test_the_facts_loader_raises_nothing_but_invalid_data(tmp_path_factory, tree, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / f"f{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(tree, default=str), encoding="utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    _only_invalid_data(lambda: load_facts(path))


@settings(max_examples=int(os.environ.get("TRADEGRAPH_LOADER_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    suffix=st.sampled_from([".yaml", ".json", ".csv", ".txt", ".md", ".html"]),
    front=st.booleans(),
)
def test_every_reader_raises_nothing_but_invalid_data(tmp_path_factory, data, suffix, front):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / f"f{suffix}"
    if front and suffix in (".md", ".txt"):
        data = b"---\n" + data + b"\n---\nChina imposes tariffs.\n"
    elif suffix == ".csv":
        data = b"source,type,target,share,document,quote\n" + data
    path.write_bytes(data)
    if suffix in (".yaml", ".json", ".csv"):
        _only_invalid_data(lambda: load_facts(path))
    else:
        _only_invalid_data(lambda: read_document(path))


def test_iso_dates_in_bodies_are_strings():
    """app/api/params.IsoDateValue, for POST /v1/documents' ``published`` (see test_live_fuzz)."""
    from datetime import date

    from pydantic import TypeAdapter, ValidationError

    from app.api.params import IsoDateValue

    adapter = TypeAdapter(IsoDateValue)
    assert adapter.validate_python("2025-10-09") == date(2025, 10, 9)
    for bad in (0, 1735689600, 1.5, "0", "2025-13-40", "2025-1-1", True, [], {}):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)
