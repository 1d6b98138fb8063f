"""A folder of many small news articles, made from the eval articles: for the re-ingest tests, and
for the ingest that writes while bench/reliability/reads_during_ingest.py reads.

Each article takes the opening paragraph of one eval article and a sample of its other paragraphs,
in the original or a shuffled order, dated up to 90 days after the original. So each dispute is
told by several articles that overlap without being equal: their measures are matched against the
store (coreference), relative dates (去年10月, "last October") resolve differently, and two
articles can disagree about a measure's date or status, as real reports do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from bench.harness.paths import EVAL

__all__ = ["write_articles"]


@dataclass(frozen=True)
class _Source:
    stem: str
    meta: dict[str, str]
    paragraphs: list[str]


def _sources() -> list[_Source]:
    found = []
    for path in sorted([*EVAL.glob("*.md"), *EVAL.glob("heldout*/*.md")]):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in front.strip().splitlines())
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        found.append(_Source(path.stem, meta, paragraphs))
    return found


def write_articles(folder: Path, count: int, *, seed: int = 7, paragraphs: int | None = None, label: str = "") -> list[Path]:
    """Write ``count`` Markdown articles into ``folder`` (deterministic for ``seed``); return them
    in the order the folder walk reads them.

    ``paragraphs`` caps an article at that many paragraphs plus one (small articles extract fast,
    so an ingest of them commits often); a ``label`` closes every article with a line of its
    own, so that no two folders written with different labels share a document."""
    rng = random.Random(seed)
    sources = _sources()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        source = rng.choice(sources)
        opening, rest = source.paragraphs[0], source.paragraphs[1:]
        chosen = [opening, *rng.sample(rest, rng.randint(min(1, len(rest)), len(rest)))]
        if rng.random() < 0.5:
            rng.shuffle(chosen)
        if paragraphs is not None:
            chosen = chosen[: paragraphs + 1]
        if label:
            chosen.append(f"(Dispatch {label}-{i}.)")
        published = dt.date.fromisoformat(source.meta["published"]) + dt.timedelta(days=rng.randint(0, 90))
        title, language = f"{source.meta['title']} ({i})", source.meta["language"]
        front = f"---\ntitle: {title}\npublished: {published}\nlanguage: {language}\n---\n"
        path = folder / f"{i:04d}-{source.stem}.md"
        path.write_text(front + "\n\n".join(chosen) + "\n", encoding="utf-8")
        written.append(path)
    return written
