"""Decoding text files: UTF-8 first, then the charset an HTML page declares, then detection among
the encodings Chinese news is saved in.

Much Chinese text on disk is GB18030 (or its subsets GBK and GB2312) or Big5. Detection is limited
to those on purpose: asked to consider every code page, a detector reads any byte string as some
single-byte encoding (random bytes come out as Urdu), and a wrong guess would put mojibake into
the graph. A text that none of them reads cleanly is refused, naming what was tried.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from graph.model.errors import InvalidDataError

__all__ = ["decode", "DETECTED"]

DETECTED = ("gb18030", "big5", "cp950", "big5hkscs")
"""The encodings detection chooses from (after UTF-8 has failed), in the order of preference."""

_DETECTED_NAMES = "GB18030 (GBK, GB2312) or Big5 (CP950, Big5-HKSCS)"
# <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gb2312">,
# looked for in the first bytes of the page as browsers do.
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_PRESCAN = 4096
# Pages labelled with a subset are often written in the superset (browsers read them so too).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}


def _declared(data: bytes) -> str | None:
    """The Python codec an HTML page declares in a meta tag, if it names one that can apply: an
    ASCII-compatible text encoding other than UTF-8 (which was tried already)."""
    match = _META_CHARSET.search(data[:_PRESCAN])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32", "utf-8")):
        return None
    name = _SUPERSETS.get(name, name)
    try:  # refuses what is no text encoding (rot13) or not ASCII-compatible (a page could not say so)
        return name if "<meta>".encode(name) == b"<meta>" else None
    except (ValueError, LookupError):
        return None


def _detect(data: bytes) -> str | None:
    best = from_bytes(data, cp_isolation=list(DETECTED)).best()
    return str(best) if best is not None else None


def decode(data: bytes, source: str, *, html: bool = False) -> str:
    """The text of ``data``: UTF-8 (a BOM is dropped); else, for HTML, the charset its meta tag
    declares; else GB18030 or Big5 as detected. Refused, naming the first bad UTF-8 byte's line
    and the encodings tried, when none of them reads it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        failure = e
    declared = _declared(data) if html else None
    if declared is not None:
        try:
            return data.decode(declared)
        except ValueError:
            pass
    detected = _detect(data)
    if detected is not None:
        return detected
    line = data.count(b"\n", 0, failure.start) + 1
    also = f" nor in the {declared} its meta tag declares," if declared else ""
    raise InvalidDataError(
        f"input is not valid UTF-8 (byte {failure.start}: {failure.reason}),{also} and detection found"
        f" no {_DETECTED_NAMES} text in it either",
        file=source,
        line=line,
    )
