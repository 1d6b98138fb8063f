"""Readers turn real files into Documents, or refuse them with an error naming the file."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from graph.model.errors import InvalidDataError
from graph.model.ids import document_id
from ingest.readers import MAX_BYTES, detect_language, read_document, read_stdin, read_text

ZH = "中国商务部宣布对镓、锗相关物项实施出口管制。"
EN = "China's Ministry of Commerce announced export controls on gallium and germanium."


def test_plain_text_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ZH + "\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == ZH
    assert doc.language == "zh"
    assert doc.id == document_id(ZH)
    assert doc.source == "a.txt"  # the file's name, not the server's path (docs/reliability.md)
    assert doc.published is None


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Gallium\nurl: https://example.org/a\npublished: 2023-07-03\nlanguage: en\n---\n" + EN,
        encoding="utf-8",
    )
    doc = read_document(path)
    assert doc.text == EN
    assert doc.title == "Gallium"
    assert doc.url == "https://example.org/a"
    assert doc.published == date(2023, 7, 3)
    assert doc.language == "en"


def test_arguments_override_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\npublished: 2023-07-03\n---\n" + EN, encoding="utf-8")
    doc = read_document(path, published=date(2024, 1, 2), language="en")
    assert doc.published == date(2024, 1, 2)


def test_front_matter_does_not_change_the_document_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: x\n---\n" + EN, encoding="utf-8")
    assert read_document(tmp_path / "a.txt").id == read_document(tmp_path / "b.md").id


def test_unknown_front_matter_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\nauthor: me\n---\n" + EN, encoding="utf-8")
    with pytest.raises(InvalidDataError) as e:
        read_document(path)
    assert e.value.field == "author" and e.value.file == str(path)


def test_bad_published_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\npublished: yesterday\n---\n" + EN, encoding="utf-8")
    with pytest.raises(InvalidDataError, match="not a date"):
        read_document(path)


def test_html_main_text(tmp_path: Path) -> None:
    body = " ".join([EN] * 3)
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Gallium curbs</title>"
        '<meta property="article:published_time" content="2023-07-03"></head>'
        f"<body><nav>Home | World | Markets</nav><article><h1>Gallium curbs</h1><p>{body}</p>"
        f"<p>{body}</p></article><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert "export controls on gallium" in doc.text
    assert "Copyright" not in doc.text
    assert doc.published == date(2023, 7, 3)
    assert doc.language == "en"


def test_html_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="no main text"):
        read_document(path)


def test_stdin_bytes() -> None:
    doc = read_stdin(io.BytesIO(ZH.encode("utf-8")), published=date(2023, 7, 3))
    assert doc.text == ZH and doc.source == "<stdin>" and doc.published == date(2023, 7, 3)


def test_read_text_detects_language() -> None:
    assert read_text(EN).language == "en"
    assert read_text(ZH).language == "zh"
    assert read_text(EN, language="de").language == "de"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\t\n", "empty"),
        ("latin1.txt", "tariff\nnaïve".encode("latin-1"), "not valid UTF-8"),
        ("a.pdf", b"%PDF-1.4", "unknown file type"),
        ("noext", b"text", "unknown file type"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InvalidDataError, match=message) as e:
        read_document(path)
    assert e.value.file == str(path)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"line one\nline two\n\xff\xfe bad\n")
    with pytest.raises(InvalidDataError) as e:
        read_document(path)
    assert e.value.line == 3


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(InvalidDataError, match="more than"):
        read_document(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataError, match="cannot read"):
        read_document(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"a\x00b", "binary"), (b"\xff\xfe\xfa", "UTF-8"), (b"a" * (MAX_BYTES + 1), "more than")],
)
def test_bad_stdin_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidDataError, match=message):
        read_stdin(io.BytesIO(data))


def test_read_text_refuses_oversized_and_blank() -> None:
    with pytest.raises(InvalidDataError, match="more than"):
        read_text("字" * (MAX_BYTES // 3 + 10))
    with pytest.raises(InvalidDataError, match="no text"):
        read_text("   ")


def test_detect_language_scripts() -> None:
    assert detect_language("日本は輸出規制を強化した") == "ja"
    assert detect_language("한국은 수출 규제를") == "ko"
    assert detect_language("12345 !!!") is None
