"""The whole database written back out as seed documents: a backup that ``guestlist seed DIR`` restores.

The seed format is the only door into the database, so it is also the
backup format: plain files a person can read and diff, loaded back through
the same validation as any other document.

Layout: one document per source (``0001-<slug>.yaml``), holding the records
whose source it is, so no record needs to repeat its source. Records
without a source of their own go with a related one:

- a person's other names and identifiers, an event's relations and notes
  travel with their parent (naming ``source:`` when it differs);
- a participation goes with its event's document, its claims naming their
  sources.

A section with many records in one document goes to a CSV bulk file next
to it (``0001-<slug>.attendance.csv``), which the loader streams;
records a CSV row cannot carry (nested lists, empty strings, which CSV
reads as null) stay in the YAML. Large YAML parts are split into several
files with the same source, keeping each under the loader's size limit.

The sections, their fields, children and bulk columns come from the seed
format itself (``guestlist.seeds.loader.format``), so a column the loader learns is
exported too. Rows whose source is NULL
(written by hand, outside the loader) cannot say so in the format; they are
given the first document's source and counted in ``ExportSummary.unsourced``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection, Engine

from guestlist.models.db import Database, bind
from guestlist.models.errors import GuestlistError
from guestlist.models.links import safe_link

from ..loader.fields import Field
from ..loader.format import BULK_TABLES, FORMAT, REF_KINDS, SECTIONS, TOP_LEVEL, Section, bulk_fields
from .csv_rows import CsvWriter  # the same cells as the CSV export: '' for null, true/false, ISO dates
from .output import Staging

BULK_MIN_RECORDS = 1_000  # a section this large in one document goes to CSV
# YAML values per file before it is split in parts: half the loader's limit (MAX_NODES).
YAML_MAX_VALUES = 100_000
STREAM_ROWS = 5_000


@dataclass
class ExportSummary:
    documents: int = 0
    files: int = 0
    records: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bulk_rows: int = 0
    unsourced: int = 0

    def line(self, directory: str) -> str:
        total = sum(self.records.values())
        text = f"wrote {directory}: {self.documents} documents in {self.files} files, {total} records"
        if self.bulk_rows:
            text += f" ({self.bulk_rows} CSV rows)"
        if self.unsourced:
            text += f"; {self.unsourced} records had no source and were given the first document's"
        return text


@dataclass
class Doc:
    """One source's document while it is being assembled."""

    number: int
    source: dict[str, Any]
    stem: str
    source_id: int
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    bulk: list[dict[str, str]] = field(default_factory=list)


def export(db: Database, directory: str | Path, *, bulk_min: int = BULK_MIN_RECORDS) -> ExportSummary:
    """Write every row of ``db`` as seed documents into ``directory``.

    ``db`` is a URL (opened read-only), an engine, or a connection; on a
    connection the caller has a transaction on, that transaction's view of
    the rows is what is written.
    """
    out = Path(directory)
    created = _prepare(out)
    with bind(db, readonly=True) as target:
        # Files under temporary names until every one is complete: a failed backup leaves no document to load.
        with Staging(out, created=created) as staging, _snapshot(target) as conn:
            return _Exporter(conn, out, bulk_min, staging).run()


@contextmanager
def _snapshot(target: Engine | Connection) -> Iterator[Connection]:
    """One snapshot for every query, so a seed committing meanwhile cannot
    leave a participation pointing at an event the backup lacks."""
    if isinstance(target, Connection):
        if target.in_transaction():
            yield target
            return
        with target.begin():
            yield target
        return
    options = {} if target.dialect.name == "sqlite" else {"isolation_level": "REPEATABLE READ"}
    with target.connect().execution_options(**options) as conn, conn.begin():
        yield conn


def _prepare(out: Path) -> bool:
    """A new or empty folder only: old documents next to new ones would load too. True when made here."""
    if out.exists() and not out.is_dir():
        raise GuestlistError(f"{out} is a file; give a folder for the seed documents")
    if out.is_dir() and any(out.iterdir()):
        raise GuestlistError(
            f"{out} is not empty; give a new or empty folder, so no old document is loaded with the backup"
        )
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GuestlistError(f"cannot create {out}: {exc.strerror or exc}") from None
    return created


def _file_stem(number: int, slug: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", slug).strip(".-")[:60] or "source"
    return f"{number:04d}-{safe}"


class _Exporter:
    def __init__(self, conn: Connection, out: Path, bulk_min: int, staging: Staging):
        self.conn, self.out, self.bulk_min, self.staging = conn, out, bulk_min, staging
        self.summary = ExportSummary()
        self.keys: dict[str, dict[int, Any]] = {}  # ref kind -> id -> natural key
        self.docs: dict[int, Doc] = {}
        self.csv_files: dict[tuple[int, str], CsvWriter] = {}

    # -- the run -----------------------------------------------------------
    def run(self) -> ExportSummary:
        for kind, (table, column) in REF_KINDS.items():
            self.keys[kind] = dict(self.conn.execute(sa.select(table.c.id, table.c[column])).all())
        self._documents()
        for section in TOP_LEVEL:
            if section == "sources":
                continue
            if section == "attendance":
                self._attendance()
            else:
                self._section(section)
        self._write()
        return self.summary

    def _documents(self) -> None:
        spec = SECTIONS["sources"]
        table = spec.table
        for number, row in enumerate(self.conn.execute(sa.select(table).order_by(table.c.id)).mappings(), start=1):
            record = self._record(spec, row)
            self.docs[row["id"]] = Doc(number, record, _file_stem(number, row["slug"]), row["id"])
        if not self.docs:
            raise GuestlistError("the database holds no sources, so there is nothing to export")
        self.summary.records["sources"] = len(self.docs)
        self.first = next(iter(self.docs.values()))

    def _doc_for(self, source_id: int | None) -> Doc:
        return self.first if source_id is None else self.docs[source_id]

    # -- records -----------------------------------------------------------
    def _record(self, spec: Section, row: Any, *, doc_source: int | None = None) -> dict[str, Any]:
        """A row as a seed record: references as natural keys, the source only when it differs."""
        record: dict[str, Any] = {}
        for name, f in spec.fields.items():
            if f.column is None or f.type in ("records", "mapping"):
                continue
            value = row[f.column]
            if name == "source":
                if value is None:
                    self.summary.unsourced += 1
                if value is None or value == doc_source:
                    continue
                record[name] = self.keys["source"][value]
                continue
            if f.type == "ref" and value is not None:
                value = self.keys[f.ref][value]  # type: ignore[index]
            record[name] = _plain(f, value)
        return record

    def _rows(self, table: sa.Table, *order: Any) -> Iterator[Any]:
        result = self.conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(
            sa.select(table).order_by(*(order or (table.c.id,)))
        )
        yield from result.mappings()

    def _children(self, section: str) -> dict[int, list[Any]]:
        parent_column = SECTIONS[section].parent[1]  # type: ignore[index]
        table = SECTIONS[section].table
        out: dict[int, list[Any]] = defaultdict(list)
        for row in self._rows(table, table.c[parent_column], table.c.id):
            out[row[parent_column]].append(row)
        return out

    def _section(self, section: str) -> None:
        spec = SECTIONS[section]
        nested = list(spec.children)
        children = {name: self._children(name) for name in nested}
        for row in self._rows(spec.table):
            doc = self._doc_for(row.get("source_id"))
            record = self._record(spec, row, doc_source=doc.source_id)
            for name in nested:
                rows = children[name].get(row["id"], [])
                if not rows:
                    continue
                if spec.fields[name].type == "mapping":  # {scheme: identifier}
                    record[name] = {r["scheme"]: r["identifier"] for r in rows}
                else:
                    record[name] = [self._record(SECTIONS[name], r, doc_source=doc.source_id) for r in rows]
            doc.sections[section].append(record)
            self.summary.records[section] += 1 + sum(len(record.get(n, ())) for n in nested)

    def _attendance(self) -> None:
        """Participations with their claims in one ordered stream; each in its event's document."""
        spec, claims_spec = SECTIONS["attendance"], SECTIONS["claims"]
        att, claim, events = spec.table, claims_spec.table, SECTIONS["events"].table
        event_source = dict(self.conn.execute(sa.select(events.c.id, events.c.source_id)).all())
        claim_columns = [c.label(f"claim_{c.name}") for c in claim.c]
        query = (
            sa.select(att, *claim_columns)
            .select_from(att.outerjoin(claim, claim.c.attendance_id == att.c.id))
            .order_by(att.c.id, claim.c.reported_on, claim.c.id)
        )
        rows = self.conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(query).mappings()
        current: tuple[Any, dict[str, Any], Doc] | None = None
        for row in rows:
            if current is None or current[0] != row["id"]:
                if current is not None:
                    self._add_attendance(*current[1:])
                source_id = event_source.get(row["event_id"])
                current = (row["id"], self._record(spec, row), self._doc_for(source_id))
            if row["claim_id"] is not None:
                values = {c.name: row[f"claim_{c.name}"] for c in claim.c}
                current[1].setdefault("claims", []).append(self._record(claims_spec, values))
        if current is not None:
            self._add_attendance(*current[1:])
        for doc in self.docs.values():
            if (doc.number, "attendance") in self.csv_files:
                self._flush_bulk(doc, "attendance")

    def _add_attendance(self, record: dict[str, Any], doc: Doc) -> None:
        self.summary.records["attendance"] += 1
        self.summary.records["claims"] += len(record.get("claims", ()))
        doc.sections["attendance"].append(record)
        if len(doc.sections["attendance"]) >= self.bulk_min:
            self._flush_bulk(doc, "attendance")

    # -- output ------------------------------------------------------------
    def _write(self) -> None:
        for doc in self.docs.values():
            for section in BULK_TABLES:
                if section != "attendance" and len(doc.sections.get(section, ())) >= self.bulk_min:
                    self._flush_bulk(doc, section)
        for doc in self.docs.values():
            self._write_yaml(doc)
        self.summary.documents = len(self.docs)

    def _flush_bulk(self, doc: Doc, section: str) -> None:
        """Move the CSV-able records of a section to its bulk file; the rest stay in YAML."""
        keep, rows = [], []
        for record in doc.sections[section]:
            flat = _bulk_rows(section, record, doc)
            if flat is None:
                keep.append(record)
            else:
                rows.extend(flat)
        doc.sections[section] = keep
        if not rows:
            return
        key = (doc.number, section)
        if key not in self.csv_files:
            path = self.out / f"{doc.stem}.{section}.csv"
            writer = CsvWriter(self.staging.open(path, newline=""))
            writer.header(_bulk_columns(section))
            self.csv_files[key] = writer
            doc.bulk.append({"table": section, "file": path.name})
            self.summary.files += 1
        columns = _bulk_columns(section)
        self.csv_files[key].rows([row.get(c) for c in columns] for row in rows)
        self.summary.bulk_rows += len(rows)

    def _write_yaml(self, doc: Doc) -> None:
        parts: list[list[tuple[str, dict[str, Any]]]] = [[]]
        size = 0
        for section in TOP_LEVEL:
            for record in doc.sections.get(section, ()):
                values = _values(record)
                if size + values > YAML_MAX_VALUES and parts[-1]:
                    parts.append([])
                    size = 0
                parts[-1].append((section, record))
                size += values
        for index, part in enumerate(parts):
            data: dict[str, Any] = {"format": FORMAT, "source": doc.source}
            for section, record in part:
                data.setdefault(section, []).append(record)
            if index == 0 and doc.bulk:
                data["bulk"] = doc.bulk
            name = f"{doc.stem}.yaml" if index == 0 else f"{doc.stem}.part{index + 1}.yaml"
            self.staging.write(self.out / name, dump(data))
            self.summary.files += 1


class _Dumper(yaml.SafeDumper):
    """Readable UTF-8, except where PyYAML would write a value it cannot read back.

    With ``allow_unicode`` PyYAML may emit NEL (U+0085) raw inside a quoted
    scalar, and the reader folds it into a space; double quotes escape it.
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(ch in value for ch in "\x85\u2028\u2029"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any, handle: Any = None) -> Any:
    """YAML text of a seed document that reads back to exactly ``data``."""
    return yaml.dump(data, handle, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


def _values(value: Any) -> int:
    """How many YAML nodes a record makes (keys count too), as the loader counts them."""
    if isinstance(value, dict):
        return 1 + sum(1 + _values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_values(v) for v in value)
    return 1


def _plain(f: Field, value: Any) -> Any:
    if f.type == "url":  # a link stored before links were checked is left out, never written out
        return safe_link(value)
    if f.type == "bool" and value is not None:
        return bool(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _bulk_columns(section: str) -> list[str]:
    return list(bulk_fields(section))


def _bulk_rows(section: str, record: dict[str, Any], doc: Doc) -> list[dict[str, Any]] | None:
    """The CSV rows of a record, or None when CSV cannot carry it exactly."""
    child = SECTIONS[section].bulk_child  # a row of an attendance file is one claim
    flat = {k: v for k, v in record.items() if child is None or k != child[0]}
    if any(isinstance(v, (list, dict)) for v in flat.values()) or _has_empty_text(flat):
        return None
    if child is None:
        return [flat]
    claims = record.get(child[0]) or []
    # An attendance bulk file carries no rank (its bulk_child fields): a ranked claim stays in YAML.
    if not claims or any(_has_empty_text(c) or c.get("rank", "normal") != "normal" for c in claims):
        return None
    return [{**flat, **claim} for claim in claims]


def _has_empty_text(record: dict[str, Any]) -> bool:
    return any(v == "" for v in record.values())
