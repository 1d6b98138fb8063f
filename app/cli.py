"""The ``tradegraph`` command line. Errors from the core become a message and an exit code here,
and only here (``EXIT_CODES``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import orjson

from app.errors import AuthError
from app.settings import get_settings
from app.stores import open_store
from graph.model.decisions import in_force
from graph.model.errors import (
    AmbiguousNameError,
    InvalidDataError,
    LimitExceededError,
    MovedError,
    NotFoundError,
    QueryTimeoutError,
    StoreUnavailableError,
    TradeGraphError,
)
from graph.review_view import reviewed
from graph.store import GraphReader, GraphStore
from graph.time_view import in_time

__all__ = ["main", "build_parser", "EXIT_CODES", "exit_code"]

# The exit code of each error class (a subclass takes its nearest listed ancestor's): 2 for input
# to fix, 3 for a store to wait for, 4 for something that is not there, 5 for a refused write.
EXIT_CODES: dict[type[TradeGraphError], int] = {
    TradeGraphError: 1,
    InvalidDataError: 2,
    AmbiguousNameError: 2,
    LimitExceededError: 2,
    StoreUnavailableError: 3,
    QueryTimeoutError: 3,
    NotFoundError: 4,
    MovedError: 4,
    AuthError: 5,
}


def exit_code(error: TradeGraphError) -> int:
    """The code ``tradegraph`` exits with after ``error``."""
    return next(EXIT_CODES[kind] for kind in type(error).__mro__ if kind in EXIT_CODES)

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str) -> Callable:
    def register(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = func
        return func

    return register


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from e


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{text!r} is not a moment (ISO 8601, e.g. 2025-10-24T08:00:00Z)") from e
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs its time zone (Z or +hh:mm)")
    return moment


def _add_time_options(p: argparse.ArgumentParser) -> None:
    """``--as-of`` and ``--known-at``, as the API's ``as_of`` and ``known_at`` (graph/time_view.py)."""
    p.add_argument("--as-of", type=_date, help="the graph as it stood in the world on this day (YYYY-MM-DD)")
    p.add_argument("--known-at", type=_moment, help="the graph as this store knew it at this moment (ISO 8601 with zone)")


@contextmanager
def _reading(store: GraphStore, args: argparse.Namespace, *, decided: bool = True) -> Iterator[GraphReader]:
    """One snapshot of ``store`` as the API reads it: with the review decisions in force (unless
    not ``decided``: an export holds the facts as given and the decisions beside them), at the
    command's ``--as-of`` / ``--known-at`` if given."""
    known_at = getattr(args, "known_at", None)
    with store.snapshot() as reader:
        decided = reviewed(reader, in_force(reader.decisions(), known_at)) if decided else reader
        yield in_time(decided, as_of=getattr(args, "as_of", None), known_at=known_at)


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from e
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not above 0 and at most 1")
    return value


def _usd(text: str) -> float:
    try:
        value = float(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from e
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount of at least 0")
    return value


def _print_json(value: object) -> None:
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")


@command("ingest")
def _ingest(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from ingest.pipeline import dataset_kind, gather, ingest_paths

    console = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        raise InvalidDataError("no such file or folder", file=str(missing[0]))
    found, refused = gather(args.paths)
    total = len(found) + len(refused)
    totals = {"added": 0, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 0}
    settings = get_settings()
    min_share = args.trade_min_share if args.trade_min_share is not None else settings.trade_min_share
    min_value = args.trade_min_value if args.trade_min_value is not None else settings.trade_min_value_usd
    # A bar for long runs: many files, or a dataset read row by row (a BACI year is eleven million rows).
    quiet = total < 20 and not any(dataset_kind(p) not in (None, "codes") for p in found)
    with open_store(settings) as store, Progress(console=console, transient=True, disable=quiet) as progress:
        task = progress.add_task("ingesting", total=total)
        trade_tasks: dict = {}

        def trade_progress(path, done: int, size: int) -> None:  # noqa: ANN001
            if path not in trade_tasks:
                trade_tasks[path] = progress.add_task(f"reading {path.name}", total=size)
            progress.update(trade_tasks[path], completed=done)

        def report(result) -> None:  # noqa: ANN001
            totals[result.status] += 1
            progress.advance(task)
            if result.status == "rejected":
                console.print(f"rejected  {result.error}", style="red")
            elif args.verbose or total < 20:
                line = f"{result.status:9} {result.path}"
                if result.summary and result.summary.changed:
                    s = result.summary
                    line += f"  (+{s.entities_added} entities, +{s.relations_added} relations, +{s.evidence_added} evidence)"
                console.print(line + (f"  ({result.error})" if result.error else ""))
            for warning in result.warnings[:20]:
                console.print(f"warning   {warning}", style="yellow")
            if len(result.warnings) > 20:
                console.print(f"warning   ... and {len(result.warnings) - 20} more in {result.path}", style="yellow")

        ingest_paths(
            store, args.paths, published=args.published, on_file=report, trade_min_share=min_share,
            trade_min_value=min_value, on_progress=trade_progress
        )
        counts = store.counts()
    console.print(
        f"{totals['added']} added, {totals['updated']} updated, {totals['unchanged']} unchanged, "
        f"{totals['rejected']} rejected, {totals['skipped']} skipped; the store now holds "
        f"{counts.entities} entities, {counts.relations} relations, {counts.documents} documents"
    )
    return 2 if totals["rejected"] else 0


@command("extract")
def _extract(args: argparse.Namespace) -> int:
    from ingest.jsonl import batch_to_jsonl
    from ingest.pipeline import extract_document
    from ingest.readers import read_document, read_stdin

    if str(args.path) == "-":
        document = read_stdin(sys.stdin.buffer, published=args.published)
    else:
        document = read_document(args.path, published=args.published)
    batch = extract_document(document)
    for line in batch_to_jsonl(batch):
        sys.stdout.write(line + "\n")
    return 0


@command("stats")
def _stats(args: argparse.Namespace) -> int:
    from graph.queries.explore import stats

    with open_store(get_settings()) as store, _reading(store, args) as reader:
        _print_json(stats(reader).model_dump(mode="json"))
    return 0


@command("show")
def _show(args: argparse.Namespace) -> int:
    from graph.queries.explore import entity_detail

    with open_store(get_settings()) as store, _reading(store, args) as reader:
        _print_json(entity_detail(reader, args.id).model_dump(mode="json", exclude_none=True))
    return 0


@command("search")
def _search(args: argparse.Namespace) -> int:
    from graph.queries.explore import search

    with open_store(get_settings()) as store, _reading(store, args) as reader:
        for hit in search(reader, args.query, limit=args.limit).data:
            print(f"{hit.entity.id}\t{hit.entity.name}\t{' / '.join(hit.entity.names.values())}")
    return 0


@command("hs")
def _hs(args: argparse.Namespace) -> int:
    """The whole HS nomenclature on request only: ingesting goods writes just their codes."""
    from graph.hs import all_codes, hs_batch

    with open_store(get_settings()) as store:
        summary = store.upsert(hs_batch(all_codes()))
    print(
        f"the HS nomenclature (HS 2022): {summary.entities_added} code entities added, "
        f"{summary.entities_updated + summary.entities_unchanged} already there, {summary.relations_added} IS_A added"
    )
    return 0


@command("review")
def _review(args: argparse.Namespace) -> int:
    """The decisions made, or one more: merge, reject, undo (graph/model/decisions.py)."""
    from app.review import next_decision
    from graph.model.decisions import standing_ids
    from graph.model.records import Batch

    with open_store(get_settings()) as store:
        if args.action != "list":
            fields = {"kind": args.action, "subject": args.subject, "into": args.into, "reason": args.reason, "by": args.by}
            decision = next_decision(store.decisions(), {k: v for k, v in fields.items() if v is not None})
            summary = store.upsert(Batch(decisions=[decision]))
            print(f"{decision.id}: {args.action} {args.subject}{' into ' + args.into if args.into else ''} ({'recorded' if summary.changed else 'already recorded'})")
            return 0
        made = store.decisions()
        standing = standing_ids(made)
        for d in made:
            into = f" into {d.into}" if d.into else ""
            state = "in force" if d.id in standing else "taken back"
            print(f"{d.id}\t{d.at.isoformat() if d.at else ''}\t{d.kind} {d.subject}{into}\t{state}\t{d.by}: {d.reason}")
    return 0


@command("remove")
def _remove(args: argparse.Namespace) -> int:
    with open_store(get_settings()) as store:
        summary = store.remove_document(args.document_id)
    print(f"removed {args.document_id}: -{summary.evidence_removed} evidence, -{summary.relations_removed} relations, -{summary.entities_removed} entities")
    return 0


@command("export")
def _export(args: argparse.Namespace) -> int:
    from graph.export import export_graphml, export_json
    from graph.neo4j.export_admin import export_neo4j_admin
    from graph.neo4j.export_cypher import cypher_script

    dated = args.as_of is not None or args.known_at is not None
    if dated and args.format in ("neo4j-admin", "cypher"):
        raise InvalidDataError("a dated export (--as-of, --known-at) is json or graphml", field="--format")
    with open_store(get_settings()) as store, _reading(store, args, decided=False) as reader:
        if args.format == "neo4j-admin":
            if args.output is None:
                raise InvalidDataError("the neo4j-admin export writes several files: name a folder", field="--output")
            import_args = export_neo4j_admin(store, args.output)
            print(f"wrote {args.output}; load it into a stopped server with:")
            print(f"  cd {args.output} && neo4j-admin database import full {' '.join(import_args)} neo4j")
            return 0
        chunks = {
            "json": lambda: export_json(reader),
            "graphml": lambda: (c.encode() for c in export_graphml(reader)),
            "cypher": lambda: (c.encode() for c in cypher_script(store)),
        }[args.format]()
        out = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
        try:
            for chunk in chunks:
                out.write(chunk)
        finally:
            if args.output:
                out.close()
    return 0


@command("sync")
def _sync(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from app.settings import Backend
    from graph.embedded import EmbeddedStore
    from graph.sync import sync

    settings = get_settings()
    target_settings = settings.model_copy(update={"backend": Backend.NEO4J})
    with EmbeddedStore(settings.db_path) as source, open_store(target_settings) as target:
        counts = source.counts()
        total = counts.documents + counts.entities + counts.relations
        with Progress(transient=True) as progress:
            task = progress.add_task(f"syncing into {target.backend}", total=total)
            summary = sync(source, target, batch_size=args.batch_size, on_batch=lambda kind, rows: progress.advance(task, rows))
        after = target.counts()
    print(
        f"synced: +{summary.entities_added} entities, +{summary.relations_added} relations, "
        f"+{summary.documents_added} documents, {summary.entities_unchanged + summary.relations_unchanged} unchanged; "
        f"Neo4j now holds {after.entities} entities, {after.relations} relations, {after.documents} documents"
    )
    return 0


@command("eval")
def _eval(args: argparse.Namespace) -> int:
    from ingest.evaluate import evaluate

    for i, path in enumerate(args.paths):
        report = evaluate(path)
        if len(args.paths) > 1:
            print(("\n" if i else "") + f"== {path}")
        print(report.format())
    return 0


@command("serve")
def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app

    uvicorn.run(create_app(get_settings()), host=args.host, port=args.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradegraph", description="Trade-dispute knowledge graph: ingest, query, serve.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest", help="load facts files (yaml/json/csv), trade flows (BACI or plain CSV) and extract texts (txt/md/html) into the store"
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--published", type=_date, help="publication date for texts that do not give one")
    p.add_argument("-v", "--verbose", action="store_true", help="a line per file even on long runs")
    p.add_argument(
        "--trade-min-share", type=_share, metavar="SHARE",
        help="trade flows files: make relations for shares at or above this (default TRADEGRAPH_TRADE_MIN_SHARE, 0.25)",
    )
    p.add_argument(
        "--trade-min-value", type=_usd, metavar="USD",
        help="trade flows files: ... with at least this much trade behind the share (default TRADEGRAPH_TRADE_MIN_VALUE_USD, 10000000)",
    )

    p = sub.add_parser("extract", help="print what the extractor reads in a text, as JSON lines, without writing")
    p.add_argument("path", type=Path, metavar="PATH", help="a .txt, .md or .html file, or - for standard input")
    p.add_argument("--published", type=_date, help="the document's date, for resolving dates such as '10 月 9 日'")
    p.add_argument("--json", action="store_true", help="JSON lines (the only output format; accepted for clarity)")

    p = sub.add_parser("stats", help="counts of documents, entities, relations and evidence")
    _add_time_options(p)

    p = sub.add_parser("show", help="one entity with its evidence")
    p.add_argument("id", help="an id, name or alias")
    _add_time_options(p)

    p = sub.add_parser("search", help="entities by name or alias in any language")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    _add_time_options(p)

    p = sub.add_parser("hs", help="the Harmonized System: `hs load` writes every section, chapter, heading and subheading with IS_A")
    p.add_argument("action", choices=["load"])

    p = sub.add_parser("review", help="review decisions: list them, or merge two entities, reject a fact, undo a decision")
    p.add_argument("action", choices=["list", "merge", "reject", "undo"])
    p.add_argument("subject", nargs="?", help="merge: the entity merged away; reject: an entity id or relation key; undo: a decision id")
    p.add_argument("--into", help="merge: the entity kept")
    p.add_argument("--reason", help="why (required to decide)")
    p.add_argument("--by", default="cli", help="who decides (default: cli)")

    p = sub.add_parser("remove", help="remove a document and what only it supports")
    p.add_argument("document_id")

    p = sub.add_parser("export", help="write the whole graph (JSON, GraphML, a Cypher script, or neo4j-admin CSV files)")
    p.add_argument("--format", choices=["json", "graphml", "cypher", "neo4j-admin"], default="json")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: standard output); a folder for neo4j-admin")
    _add_time_options(p)

    p = sub.add_parser("sync", help="copy the embedded store into Neo4j (NEO4J_URI...), idempotently, in batches")
    p.add_argument("--to", choices=["neo4j"], required=True)
    p.add_argument("--batch-size", type=int, default=500)

    p = sub.add_parser("eval", help="precision, recall and F1 of the extractor on gold annotations")
    p.add_argument(
        "paths", type=Path, nargs="*", default=[Path("tests/eval")], metavar="PATH",
        help="gold files or folders of them, each scored as its own set (default tests/eval)",
    )

    p = sub.add_parser("serve", help="run the REST API with uvicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except TradeGraphError as e:
        print(f"error: {e}", file=sys.stderr)
        return exit_code(e)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0



if __name__ == "__main__":
    sys.exit(main())
