"""Opening the files an ingest reads: regular files only, never more than a byte cap, and never
outside the folder they are meant to stay in.

Every reader (texts, facts files, the texts a facts file names) gets its bytes from
:func:`read_capped`, so one function decides what may be read. The checks are about what the file
*is*, not what it claims: ``st_size`` is 0 for ``/dev/zero`` and a FIFO, so the type is checked
before opening (opening a FIFO for reading waits for a writer) and the cap counts the bytes
actually read.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

from graph.model.errors import InvalidDataError

__all__ = ["csv_header", "inside", "leaves", "open_stream", "read_capped"]

_HEADER_BYTES = 64 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# O_NONBLOCK: should the path turn into a FIFO between the check and the open, opening it does not
# wait for a writer (and the fstat after the open refuses it). Regular files ignore the flag.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _check_regular(mode: int, source: str) -> None:
    if stat.S_ISDIR(mode):
        raise InvalidDataError("is a folder, not a file", file=source)
    if not stat.S_ISREG(mode):
        raise InvalidDataError(f"not a regular file ({_kind(mode)})", file=source)


def read_capped(path: Path, limit: int, *, source: str | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), refusing anything else and
    anything longer than ``limit`` bytes; errors name ``source`` (default: the path)."""
    source = source if source is not None else str(path)
    try:
        _check_regular(os.stat(path).st_mode, source)
        fd = os.open(path, _OPEN_FLAGS)
    except ValueError as e:  # a NUL or an unencodable character in the path
        raise InvalidDataError(f"is not a usable file name: {e}", file=repr(source)) from e
    except OSError as e:
        raise InvalidDataError(f"cannot read the file: {e.strerror or e}", file=source) from e
    with os.fdopen(fd, "rb") as file:
        _check_regular(os.fstat(fd).st_mode, source)
        try:
            data = file.read(limit + 1)
        except OSError as e:
            raise InvalidDataError(f"cannot read the file: {e.strerror or e}", file=source) from e
    if len(data) > limit:
        raise InvalidDataError(f"file is more than the {limit} bytes allowed", file=source)
    return data


def open_stream(path: Path, *, source: str | None = None) -> io.BufferedReader:
    """The regular file at ``path`` opened for reading in binary with the checks of
    :func:`read_capped`, for datasets read row by row: too big to hold whole, so no byte cap;
    the caller decodes each line and can then name the line a bad byte is on."""
    source = source if source is not None else str(path)
    try:
        _check_regular(os.stat(path).st_mode, source)
        fd = os.open(path, _OPEN_FLAGS)
    except ValueError as e:
        raise InvalidDataError(f"is not a usable file name: {e}", file=repr(source)) from e
    except OSError as e:
        raise InvalidDataError(f"cannot read the file: {e.strerror or e}", file=source) from e
    try:
        _check_regular(os.fstat(fd).st_mode, source)
    except InvalidDataError:
        os.close(fd)
        raise
    return open(fd, "rb")


def csv_header(path: Path) -> list[str] | None:
    """The first row of a ``.csv`` file, its fields stripped as written; None for another suffix
    or a file that cannot be read. How a dataset (a GTA export, a BACI year, a plain flows file)
    is told from a curated facts CSV: by its header, whatever the file's name."""
    if path.suffix.lower() != ".csv":
        return None
    try:
        with open_stream(path) as file:
            first = file.readline(_HEADER_BYTES).decode("utf-8-sig", errors="replace")
    except InvalidDataError:
        return None
    return [field.strip() for field in next(csv.reader([first]), [])]


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every symlink and ``..`` resolved, is ``folder`` or below it."""
    return path.resolve().is_relative_to(folder.resolve())


def leaves(path: Path, folder: Path) -> str | None:
    """Why ``path`` (an entry found under ``folder``) may not be read: it leads out of the folder
    through a symlink; None when it stays inside."""
    try:
        if inside(path, folder):
            return None
        return f"a symlink that leads out of the folder {folder} (to {path.resolve()})"
    except (OSError, RuntimeError) as e:  # a symlink loop
        return f"a symlink that cannot be resolved: {e}"
