"""Readers: files and standard input to :class:`graph.model.Document`.

A reader's job is to refuse what it cannot read faithfully — binary data, bytes in no encoding
it knows (UTF-8, or GB18030 and Big5 by detection: ingest.charsets), an empty or oversized input,
something that is not a regular file (ingest.files), a file type it does not know — with an
:class:`~graph.model.errors.InvalidDataError` that names the file (and line, where there is one), before
anything downstream sees it. Readers never write to a store, so a refused input leaves nothing
behind.

Supported inputs:

- ``.txt`` / ``.md`` / ``.markdown``, optionally opening with YAML front matter between two ``---``
  lines; the keys ``title``, ``url``, ``published`` and ``language`` are read, others refused.
- ``.html`` / ``.htm``: the main text through trafilatura, title and date from its metadata.
- standard input: :func:`read_stdin` (bytes) or :func:`read_text` (an already decoded string).

A document read from a file keeps only the file's name as its ``source``: the API serves it, and
the server's folders are nobody's business.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import yaml

from graph.model.errors import InvalidDataError
from graph.model.records import Document, parse
from ingest.charsets import decode
from ingest.files import read_capped

__all__ = [
    "MAX_BYTES",
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "read_document",
    "read_text_file",
    "read_text",
    "read_stdin",
    "detect_language",
]

MAX_BYTES = 5 * 1024 * 1024
"""Largest input accepted, in bytes; a news article is a few tens of kilobytes."""

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
FRONT_MATTER_KEYS = frozenset({"title", "url", "published", "language"})

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str | None:
    """Guess the language from the script: enough for choosing zh or en rules, nothing finer.

    Kana or Hangul decide Japanese or Korean; otherwise Han characters making up a fifth of the
    letters mean Chinese, and Latin letters English. A text with no letters gets None."""
    sample = text[:20000]
    han = len(_CJK.findall(sample))
    kana = len(_KANA.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    latin = len(_LATIN.findall(sample))
    letters = han + kana + hangul + latin
    if not letters:
        return None
    if kana > 0.05 * letters:
        return "ja"
    if hangul > 0.2 * letters:
        return "ko"
    if han >= 0.2 * letters:
        return "zh"
    if latin:
        return "en"
    return None


def _check_bytes(data: bytes, source: str) -> None:
    if len(data) > MAX_BYTES:
        raise InvalidDataError(f"input is {len(data)} bytes, more than the {MAX_BYTES} allowed", file=source)
    if not data.strip():
        raise InvalidDataError("input is empty", file=source)
    if b"\x00" in data:
        raise InvalidDataError("input looks binary (it contains NUL bytes), not text", file=source)


def _as_date(value: object, source: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError as e:
        raise InvalidDataError(f"{value!r} is not a date (YYYY-MM-DD)", file=source, field="published") from e


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without aliases (no alias bombs) and without implicit timestamps, so that a date
    such as 2025-13-40 reaches _as_date as text and is refused there with the field named."""

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("YAML aliases are not accepted in front matter")
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _split_front_matter(text: str, source: str) -> tuple[dict, str]:
    """The front matter mapping (empty when there is none) and the body that follows it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.load(match.group(1), Loader=_FrontMatterLoader) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise InvalidDataError(f"front matter is not valid YAML: {e}", file=source, line=line) from e
    if not isinstance(meta, dict):
        raise InvalidDataError("front matter must be a mapping", file=source, line=1)
    unknown = sorted(set(map(str, meta)) - FRONT_MATTER_KEYS)
    if unknown:
        raise InvalidDataError(
            f"unknown front matter keys {unknown}; known: {sorted(FRONT_MATTER_KEYS)}", file=source, field=unknown[0]
        )
    for key, value in meta.items():
        if not isinstance(value, (str, int, float, date)) and value is not None:
            raise InvalidDataError("front matter values are single values, not lists or mappings", file=source, field=str(key))
    return meta, text[match.end() :]


def _build(
    text: str,
    *,
    source: str,
    title: str | None,
    url: str | None,
    published: date | None,
    language: str | None,
) -> Document:
    if "\x00" in text:
        raise InvalidDataError("input looks binary (it contains NUL characters), not text", file=source)
    if not text.strip():
        raise InvalidDataError("input has no text", file=source)
    data = {
        "title": title,
        "url": url,
        "published": published,
        "language": language or detect_language(text),
        "source": source,
        "text": text,
    }
    return parse(Document, data, file=source)


def read_text(
    text: str,
    *,
    source: str = "<stdin>",
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    language: str | None = None,
) -> Document:
    """A Document from a decoded string, e.g. standard input; front matter is honoured and the
    keyword arguments win over it."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidDataError(f"input is more than the {MAX_BYTES} bytes allowed", file=source)
    meta, body = _split_front_matter(text, source)
    return _build(
        body,
        source=source,
        title=title or meta.get("title"),
        url=url or meta.get("url"),
        published=published or _as_date(meta.get("published"), source),
        language=language or meta.get("language"),
    )


def read_stdin(
    stream: BinaryIO | None = None,
    *,
    published: date | None = None,
    language: str | None = None,
) -> Document:
    """A Document from standard input (or any binary stream), with the same checks as a file."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(MAX_BYTES + 1)
    _check_bytes(data, "<stdin>")
    return read_text(decode(data, "<stdin>"), published=published, language=language)


def _read_html(raw: str, source: str) -> tuple[str, str | None, str | None, date | None]:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InvalidDataError("no main text found in the HTML", file=source)
    meta = trafilatura.extract_metadata(raw)
    title = meta.title if meta else None
    url = meta.url if meta else None
    published = None
    if meta and meta.date:
        try:
            published = date.fromisoformat(meta.date[:10])
        except ValueError:
            published = None
    return text, title, url, published


def read_text_file(path: Path) -> str:
    """The decoded text of a file, whole: a regular file of at most MAX_BYTES, not binary, in
    UTF-8 or (detected) GB18030 or Big5; HTML may also declare its charset."""
    data = read_capped(path, MAX_BYTES)
    _check_bytes(data, str(path))
    return decode(data, str(path), html=path.suffix.lower() in HTML_SUFFIXES)


def read_document(path: Path, *, published: date | None = None, language: str | None = None) -> Document:
    """Read a text, Markdown or HTML file into a Document; ``published``/``language`` override
    what the file says. Errors name the path; the document's ``source`` is the file name."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        known = ", ".join(sorted(TEXT_SUFFIXES | HTML_SUFFIXES))
        raise InvalidDataError(f"unknown file type {suffix or '(none)'!r}; readable: {known}", file=str(path))
    raw = read_text_file(path)
    try:
        if suffix in HTML_SUFFIXES:
            text, title, url, found_date = _read_html(raw, str(path))
            return _build(
                text, source=path.name, title=title, url=url, published=published or found_date, language=language
            )
        return read_text(raw, source=path.name, published=published, language=language)
    except InvalidDataError as e:
        raise e.located(file=str(path)) from e  # errors name the path read, not the name kept
