"""The seed loader: the only door into the database.

    from guestlist.seeds.loader import load, bundled
    report = load("sqlite:///guestlist.db", bundled())
    print(report.headline())          # "0 added, 0 changed, 1234 unchanged"

A run reads and checks every document first (no database needed), then opens
ONE transaction, takes the seed lock, checks references and parent cycles
against the stored rows, and writes. Any problem raises
``guestlist.models.errors.SeedError`` naming file, record, field and line; the
transaction is rolled back, so the database is exactly as it was.

The database is a URL, an engine or a connection. On a connection the
caller already has a transaction on, the load is a savepoint inside it: all
or nothing as ever, and the caller's commit or rollback decides what stays.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine, Transaction

from guestlist.models.db import Database, bind
from guestlist.models.db.locks import Lock, hold
from guestlist.models.db.migrate import require_head
from guestlist.models.errors import SeedError
from guestlist.models.search import rebuild, sync
from guestlist.seeds.reference import states_document

from .document import Document, parse, read_file
from .format import BULK_TABLES
from .ledger import Ledger
from .offices import check_office_holders
from .paths import unreadable
from .resolve import Resolver, check_cycles, check_identifiers, check_references, resolve_names
from .summary import DocumentReport, LoadSummary
from .validate import CheckedDocument, check_document, check_run
from .writer import WriteContext, Writer

__all__ = ["Document", "LoadSummary", "SeedError", "bulk_tables", "bundled", "load", "parse", "read_documents"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STATES_DOCUMENT_NAME = "<ISO 3166 states from pycountry>"
SUFFIXES = (".yaml", ".yml")

Item = Document | Path | str | Mapping[str, Any] | tuple[str, Mapping[str, Any]]


def bundled() -> list[Document | Path]:
    """The bundled seeds in load order: the generated states document, then seeds/data/*.yaml by name."""
    items: list[Document | Path] = [Document(STATES_DOCUMENT_NAME, states_document())]
    items.extend(sorted(p for p in DATA_DIR.glob("*") if p.suffix in SUFFIXES and p.is_file()))
    return items


def read_documents(items: Iterable[Item]) -> list[Document]:
    """Files, folders (every *.yaml/*.yml in name order) and in-memory documents, parsed."""
    out: list[Document] = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, Document):
            out.append(item)
        elif isinstance(item, tuple):
            name, data = item
            out.append(Document(str(name), _in_memory(str(name), data)))
        elif isinstance(item, Mapping):
            data = dict(item)
            name = str(data.pop("name", None) or _default_name(data, number))
            out.append(Document(name, _in_memory(name, data)))
        else:
            out.extend(_read_path(Path(item)))
    return out


def _read_path(path: Path) -> Iterator[Document]:
    if path.is_dir():
        # Every *.yaml entry counts, links included: one that loops or dangles is refused, not skipped.
        files = sorted((p for p in path.iterdir() if p.suffix in SUFFIXES), key=lambda p: p.name)
        if not files:
            raise SeedError(str(path), None, None, "folder holds no seed documents (*.yaml, *.yml)")
        for file in files:
            problem = unreadable(file)
            if problem is not None:
                raise SeedError(str(file), None, None, problem)
        for file in files:
            yield read_file(file, _display(file))
    elif path.exists():
        yield read_file(path, _display(path))
    elif os.path.islink(path):
        raise SeedError(str(path), None, None, unreadable(path) or "no such file or folder")
    else:
        raise SeedError(str(path), None, None, "no such file or folder")


def _display(path: Path) -> str:
    """Bundled files by their place in the project; others as given."""
    try:
        return str(Path("seeds/data") / path.resolve().relative_to(DATA_DIR))
    except ValueError:
        return str(path)


def _in_memory(name: str, data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise SeedError(name, None, None, "a seed document is a mapping of sections")
    return data


def _default_name(data: Mapping[str, Any], number: int) -> str:
    source = data.get("source")
    slug = source.get("slug") if isinstance(source, Mapping) else None
    return f"<{slug}>" if isinstance(slug, str) else f"<document {number}>"


def bulk_tables() -> tuple[str, ...]:
    """Sections that ``bulk:`` entries may carry (``guestlist.seeds.loader.format``)."""
    return BULK_TABLES


def check(items: Iterable[Item]) -> list[CheckedDocument]:
    """Read and check documents without a database: every error a file alone can show."""
    documents = [check_document(doc) for doc in read_documents(items)]
    check_run(documents)
    return documents


def load(
    db: Database,
    items: Iterable[Item],
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    recheck: bool = False,
    transient: bool = False,
    search_index: bool = True,
) -> LoadSummary:
    """Load seed documents into ``db`` (a URL, an engine or a connection) in one transaction.

    ``progress(done, total)`` is called as records are written. With
    ``dry_run`` everything runs, the report is the same, and the transaction
    is rolled back. A bulk file already applied in full and unchanged since
    is not read again (``guestlist.seeds.loader.ledger``) unless ``recheck`` is set.
    ``transient`` bulk files (written for this run only, as ``import
    popolo`` spools them) are always read and never recorded in the ledger.
    The search index is brought up to date in the same transaction for the
    tables the run wrote to; ``search_index=False`` leaves it for
    ``guestlist db reindex-search`` (a measured trade, see docs/search.md).
    """
    documents = check(items)
    total = sum(_size(doc) for doc in documents)
    done = 0

    def advance(steps: int) -> None:
        nonlocal done
        done += steps
        if progress is not None:
            progress(min(done, total), total)

    reports = {id(doc): DocumentReport(doc.name) for doc in documents}
    with bind(db) as target, _locked_transaction(target) as (conn, transaction):
        head = require_head(conn)
        resolver = Resolver(conn)
        resolve_names(conn, resolver, documents)
        check_references(conn, resolver, documents)
        check_cycles(conn, documents)
        check_identifiers(conn, documents)
        # Every run keeps the ledger true: a YAML change to a bulk table drops that table's rows.
        ledger = Ledger(conn, head, recheck=recheck or transient, record=not transient)
        ctx = WriteContext(conn, resolver, reports, advance, ledger)
        Writer(ctx, documents).run()
        check_office_holders(conn, resolver, documents)
        if search_index:
            sync(
                conn,
                {
                    name
                    for r in reports.values()
                    for name, t in r.tables.items()
                    if t.count("added") or t.count("changed")
                },
            )
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()
    return LoadSummary([reports[id(doc)] for doc in documents], dry_run=dry_run)


def reindex_search(db: Database) -> int:
    """Rebuild the search index of ``db`` (a URL, an engine or a connection) from every row, under the seed lock.

    For rows changed with plain SQL: a seed keeps the index current by
    itself. Returns the number of entries.
    """
    with bind(db) as target, _locked_transaction(target) as (conn, transaction):
        require_head(conn)
        written = rebuild(conn)
        transaction.commit()
    return written


def _size(doc: CheckedDocument) -> int:
    def count(records: list[Any]) -> int:
        return sum(1 + sum(count(c) for c in r.children.values()) for r in records)

    return sum(count(records) for records in doc.sections.values())


@contextmanager
def _locked_transaction(target: Engine | Connection) -> Iterator[tuple[Connection, Transaction]]:
    """One transaction holding the seed lock (``guestlist.models.db.locks``), so concurrent runs serialise.

    Behind another holder the run says so (naming it where the database can
    tell) and gives up after the run's wait (``guestlist.models.db.waits``), having
    written nothing. On SQLite the transaction is BEGIN IMMEDIATE: the
    file's write lock up front.

    A connection the caller has a transaction on gets a savepoint instead,
    under the lock taken for that transaction; a connection without one gets
    its own transaction, and stays open afterwards as the caller's.
    """
    if isinstance(target, Connection) and target.in_transaction():
        with hold(target, Lock.SEED), _undone_unless_committed(target.begin_nested()) as savepoint:
            yield target, savepoint
        return
    conn = target if isinstance(target, Connection) else target.connect()
    begin = conn.get_execution_options().get("sqlite_begin")
    try:
        if conn.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with hold(conn, Lock.SEED), _undone_unless_committed(conn.begin()) as transaction:
            yield conn, transaction
    finally:
        if conn is not target:
            conn.close()
        elif conn.dialect.name == "sqlite":
            conn.execution_options(sqlite_begin=begin or "")


@contextmanager
def _undone_unless_committed(unit: Any) -> Iterator[Any]:
    """A transaction or savepoint that is rolled back unless the block committed it."""
    try:
        yield unit
    finally:
        if unit.is_active:
            unit.rollback()
