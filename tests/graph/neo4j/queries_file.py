"""Reading neo4j/browser/queries.cypher: the ready Browser queries, one statement per block.

The file's format, which :func:`statements` enforces: blocks separated by blank lines; leading
blocks of `//` lines only are the file's notes; every other block is one statement, whose first
line is `// its name`, whose body is Cypher and whose last line ends with its only `;`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bench.harness.paths import ROOT

QUERIES = ROOT / "neo4j" / "browser" / "queries.cypher"


@dataclass(frozen=True)
class Statement:
    name: str  # the text of the `//` line, without the slashes
    text: str  # the block as written: comment line, Cypher, `;` (what a person pastes)
    cypher: str  # the Cypher alone: no comment line, no `;` (what a driver runs)
    line: int  # 1-based line of the `//` name line in the file


def statements(path: Path = QUERIES) -> list[Statement]:
    """Every statement of the file, in order; ValueError names the first block that breaks the format."""
    text = path.read_text(encoding="utf-8")
    found: list[Statement] = []
    for match in re.finditer(r"(?:[^\n]+\n?)+", text):
        block = match.group(0).rstrip("\n")
        line = text.count("\n", 0, match.start()) + 1
        lines = block.splitlines()
        if not block.strip():
            continue
        if all(ln.lstrip().startswith("//") for ln in lines):
            if found:
                raise ValueError(f"{path.name}:{line}: a comment block after the first statement")
            continue
        if not lines[0].startswith("// "):
            raise ValueError(f"{path.name}:{line}: a statement must start with a `// name` line")
        if not lines[-1].rstrip().endswith(";"):
            raise ValueError(f"{path.name}:{line}: a statement must end with `;`")
        body = "\n".join(lines[1:]).rstrip()
        if body.count(";") != 1:
            raise ValueError(f"{path.name}:{line}: one `;` per statement, at its end")
        found.append(Statement(name=lines[0][3:].strip(), text=block, cypher=body[:-1].rstrip(), line=line))
    return found


def statement(prefix: str, path: Path = QUERIES) -> Statement:
    """The one statement whose name starts with ``prefix``."""
    chosen = [s for s in statements(path) if s.name.startswith(prefix)]
    if len(chosen) != 1:
        raise LookupError(f"{len(chosen)} statements named {prefix!r}...")
    return chosen[0]
