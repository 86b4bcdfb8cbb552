"""Checking documents before anything is written.

Each document is checked on its own (shape, fields, values, duplicate keys
within the file), then the run as a whole (the same entity given different
values by two files, cycles among the parents the run itself declares).
Checks that need the database (do references exist, do parents close a
cycle through stored rows) are in ``resolve``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guestlist.models import vocab
from guestlist.models.errors import SeedError

from .document import Document
from .fields import FieldError, describe, printable, unknown_name
from .format import BULK_TABLES, DOCUMENT_KEYS, FORMAT, PARTICIPANT, RANK_FIELDS, SECTIONS, TOP_LEVEL, coerce_record
from .paths import resolved, unreadable

BULK_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".rows": "rows"}  # .rows: import popolo's spool


@dataclass
class Origin:
    """Where a record is: enough to build the one-line error about it."""

    file: str
    record: str
    line: int | None = None
    lines: Mapping[str, int] = field(default_factory=dict)

    def error(self, field_name: str | None, message: str) -> SeedError:
        line = self.lines.get(field_name, self.line) if field_name else self.line
        shown = printable(str(field_name), 80) if field_name is not None else None
        return SeedError(self.file, self.record, shown, message, line)


@dataclass
class Record:
    """One checked record. ``values`` holds the fields the record gives, by
    seed name, references still as natural keys; ``source`` is the effective
    source slug (explicit, or the file's); ``key`` is the natural key."""

    section: str
    values: dict[str, Any]
    key: tuple[Any, ...]
    source: str
    origin: Origin
    children: dict[str, list[Record]] = field(default_factory=dict)
    title: str = ""  # how a dry run lists it: "persons xi-jinping", "attendance ... / claims ..."

    @property
    def explicit_source(self) -> bool:
        return "source" in self.values


@dataclass
class BulkEntry:
    """A large table of a document kept in a CSV or JSON Lines file: what the
    writer hands to ``guestlist.seeds.loader.bulk``."""

    document: CheckedDocument
    table: str
    path: Path
    format: str  # "csv", "jsonl" or "rows" (BULK_FORMATS)
    origin: Origin
    shown: str  # the file as error messages name it
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """Slug of the document's source, the default of every row."""
        return self.document.source

    @property
    def label(self) -> str:
        return f"{self.table} row"


@dataclass
class CheckedDocument:
    document: Document
    source: str
    sections: dict[str, list[Record]]
    bulk: list[BulkEntry] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.document.name

    def records(self) -> int:
        return sum(len(r) for r in self.sections.values())


def check_document(doc: Document) -> CheckedDocument:
    """Every check that needs nothing but the document itself."""
    data, name = doc.data, doc.name
    top = Origin(name, "", getattr(data, "line", None), getattr(data, "lines", {}))
    for key in data:
        if key not in DOCUMENT_KEYS:
            raise SeedError(name, None, None, unknown_name(key, DOCUMENT_KEYS, "section"), top.lines.get(key))
    if "format" not in data:
        raise SeedError(name, None, "format", f"is required: start the document with 'format: {FORMAT}'", top.line)
    if data["format"] != FORMAT:
        raise SeedError(
            name, None, "format", f"must be '{FORMAT}', not {describe(data['format'])}", top.lines.get("format")
        )
    if "source" not in data:
        raise SeedError(name, None, "source", "is required: the document the facts come from", top.line)
    source_record = data["source"]
    if not isinstance(source_record, dict):
        raise SeedError(
            name,
            "source",
            None,
            f"must be a record of the source's fields, not {describe(source_record)}",
            top.lines.get("source"),
        )
    own = _record(name, "sources", source_record, "source", "", top.lines.get("source"))
    checked = CheckedDocument(doc, own.values["slug"], {s: [] for s in TOP_LEVEL})
    own.source = own.key[0]
    checked.sections["sources"].append(own)
    for section in TOP_LEVEL:
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            raise SeedError(
                name, section, None, f"must be a list of records, not {describe(items)}", top.lines.get(section)
            )
        for index, item in enumerate(items, start=1):
            checked.sections[section].append(
                _record(name, section, item, f"{section} #{index}", checked.source, top.lines.get(section))
            )
    checked.bulk = _bulk(checked, data.get("bulk"), top.lines.get("bulk"))
    check_duplicates(checked)
    return checked


def _record(file: str, section: str, item: Any, label: str, default_source: str, line: int | None) -> Record:
    spec = SECTIONS[section]
    if not isinstance(item, dict):
        raise SeedError(file, label, None, f"must be a record (field: value, ...), not {describe(item)}", line)
    key_name = item.get("slug", item.get("code", item.get("name", item.get("topic"))))
    if isinstance(key_name, str) and key_name:
        label = f"{label} '{printable(key_name)}'"
    origin = Origin(file, label, getattr(item, "line", line), getattr(item, "lines", {}))
    try:
        values = coerce_record(spec, item)
    except FieldError as exc:
        if exc.field in RANK_FIELDS and not spec.ranked:
            raise origin.error(
                exc.field, f"{section} records have no rank: rank a status claim (claims: ...) or a count"
            ) from None
        raise origin.error(exc.field, exc.message) from None
    check_rules(section, values, origin)
    source = values.get("source") or default_source
    record = Record(section, values, record_key(section, values, source), source, origin)
    record.title = f"{section} {describe_key(record)}"
    for child_section in spec.children:
        if values.get(child_section) is None:  # absent or null: no entries, nothing changes
            continue
        record.children[child_section] = _children(record, child_section, values[child_section], default_source)
    return record


def _children(parent: Record, section: str, value: Any, default_source: str) -> list[Record]:
    origin = parent.origin
    line = origin.lines.get(section, origin.line)
    if SECTIONS[parent.section].fields[section].type == "mapping":  # {scheme: identifier, ...}
        out = []
        for scheme, identifier in value.items():
            lines = getattr(value, "lines", {})
            item = {"scheme": scheme, "identifier": identifier}
            child_origin = Origin(
                origin.file, f"{origin.record} identifiers '{printable(str(scheme))}'", lines.get(scheme, line)
            )
            try:
                values = coerce_record(section, item)
            except FieldError as exc:
                raise child_origin.error(exc.field, exc.message) from None
            child = Record(section, values, (scheme,), default_source, child_origin)
            child.title = f"{parent.title} / identifiers {printable(str(scheme))}"
            out.append(child)
        return out
    children = []
    for index, item in enumerate(value, start=1):
        child = _record(origin.file, section, item, f"{origin.record} {section} #{index}", default_source, line)
        if section == "relations" and child.values["event"] == parent.values["slug"]:
            raise child.origin.error("event", "an event cannot be related to itself")
        child.title = f"{parent.title} / {child.title}"
        children.append(child)
    return children


def check_rules(section: str, values: dict[str, Any], origin: Origin) -> None:
    """Rules that involve more than one field of a record (the bulk path raises these too)."""
    spec = SECTIONS[section]
    if spec.dates:
        start, end = spec.dates
        first, last = values.get(start), values.get(end)
        if isinstance(first, dt.date) and isinstance(last, dt.date) and last < first:
            raise origin.error(end, f"{last} is before {start} {first}")
    if spec.one_of:
        (one, other), message = spec.one_of
        if not (values.get(one) or values.get(other)):
            raise origin.error(one, message)
    if spec.ranked:
        _check_rank(values, origin)
    if values.get("evidence") == "attested":
        _check_attested(values, origin)
    if spec.tree:
        parent_field = spec.self_ref
        own = values.get(spec.key[0])
        if values.get(parent_field) is not None and values.get(parent_field) == own:
            raise origin.error(parent_field, f"'{own}' cannot be its own parent")


def _check_attested(values: dict[str, Any], origin: Origin) -> None:
    """An attestation is the one day a report gives the title: end_on is that day, or left out."""
    first, last = values.get("start_on"), values.get("end_on")
    if last is None:
        values["end_on"] = first
    elif last != first:
        raise origin.error(
            "end_on",
            f"must be start_on ({first}) or left out: an attested office is held on one day, not from {first} to {last}",
        )


def _check_rank(values: dict[str, Any], origin: Origin) -> None:
    """A preferred or deprecated claim says why; a claim without a rank is normal.

    Both fields are then always given, so re-seeding a claim without its
    rank ranks it normal again (and clears the reason) rather than keeping
    what an earlier run stored.
    """
    rank = values.get("rank") or "normal"
    if rank in vocab.RANKS_NEEDING_REASON and not (values.get("rank_reason") or "").strip():
        raise origin.error("rank_reason", f"is required for a {rank} claim: say why the editor ranked it {rank}")
    values["rank"] = rank
    values.setdefault("rank_reason", None)


def record_key(section: str, values: dict[str, Any], source: str) -> tuple[Any, ...]:
    """The natural key of a record by seed values; a participant is (field, value) of its person or state."""
    spec = SECTIONS[section]

    def part(name: str) -> Any:
        if name == PARTICIPANT:
            (person, state), _message = spec.one_of  # type: ignore[misc]
            return (person, values[person]) if values.get(person) else (state, values[state])
        return source if name == "source" else values[name]

    return tuple(part(name) for name in spec.key)


def describe_key(record: Record) -> str:
    parts = []
    for part in record.key:
        if isinstance(part, tuple):
            part = part[1]
        parts.append(printable(str(part)))
    return ", ".join(parts)


def check_duplicates(checked: CheckedDocument) -> None:
    """The same natural key twice in one file is a mistake, never a merge."""

    def check(records: Iterable[Record], what: str) -> None:
        seen: dict[tuple[Any, ...], Record] = {}
        for record in records:
            first = seen.setdefault(record.key, record)
            if first is not record:
                where = f"line {first.origin.line}" if first.origin.line else first.origin.record
                raise record.origin.error(
                    None, f"duplicate {what} ({describe_key(record)}): already given at {where} of this file"
                )
            for child_section, children in record.children.items():
                check(children, SECTIONS[child_section].noun)

    for section in TOP_LEVEL:
        check(checked.sections[section], SECTIONS[section].noun)


def _bulk(checked: CheckedDocument, entries: Any, line: int | None) -> list[BulkEntry]:
    if entries is None:
        return []
    name = checked.name
    if not isinstance(entries, list):
        raise SeedError(
            name, "bulk", None, f"must be a list of {{table: ..., file: ...}}, not {describe(entries)}", line
        )
    tables = BULK_TABLES
    out = []
    for index, item in enumerate(entries, start=1):
        origin = Origin(name, f"bulk #{index}", getattr(item, "line", line), getattr(item, "lines", {}))
        if not isinstance(item, dict):
            raise origin.error(None, f"must be a record {{table: ..., file: ...}}, not {describe(item)}")
        for key in ("table", "file"):
            if key not in item:
                raise origin.error(key, "is required")
            if not isinstance(item[key], str) or not item[key]:
                raise origin.error(key, f"must be text, not {describe(item[key])}")
        if item["table"] not in tables:
            raise origin.error(
                "table", unknown_name(item["table"], tables, "bulk table") + f"; use one of: {', '.join(tables)}"
            )
        given = checked.document.base_dir / item["file"]
        path = resolved(given)
        fmt = BULK_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise origin.error("file", f"must end in {', '.join(BULK_FORMATS)}, not '{item['file']}'")
        problem = unreadable(given)
        if problem == "no such file":
            raise origin.error("file", f"no such file: {path}")
        if problem is not None:
            raise origin.error("file", f"{given}: {problem}")
        options = {k: v for k, v in item.items() if k not in ("table", "file")}
        if options:
            raise origin.error(
                next(iter(options)), unknown_name(next(iter(options)), ("table", "file"), "field of bulk")
            )
        shown = str(Path(name).parent / item["file"]) if checked.document.path else str(path)
        out.append(BulkEntry(checked, item["table"], path, fmt, origin, shown))
    return out


def check_run(documents: list[CheckedDocument]) -> None:
    """Checks across the documents of one run, before the database is asked."""
    _no_conflicts(documents)


def _strong_values(record: Record) -> dict[str, Any]:
    spec = SECTIONS[record.section]
    values = {k: v for k, v in record.values.items() if spec.fields[k].type not in ("records", "mapping")}
    values.pop("source", None)
    if spec.source == "strong" or (spec.source == "weak" and record.explicit_source):
        values["source"] = record.source  # `source: null` means the file's own
    return values


def _no_conflicts(documents: list[CheckedDocument]) -> None:
    """Two files of one run may give the same entity, but not different values for a field.

    Otherwise the result would depend on file order and a second run would
    not be a no-op.
    """
    seen: dict[tuple[Any, ...], Record] = {}

    def visit(record: Record, scope: tuple[Any, ...]) -> None:
        full = (*scope, record.section, record.key)
        first = seen.setdefault(full, record)
        if first is not record:
            mine, theirs = _strong_values(record), _strong_values(first)
            for name, value in mine.items():
                if name in theirs and theirs[name] != value:
                    where = first.origin.file + (f":{first.origin.line}" if first.origin.line else "")
                    raise record.origin.error(
                        name,
                        f"{_show(value)} conflicts with {_show(theirs[name])} given for the same {record.section.rstrip('s')} in {where}",
                    )
        for children in record.children.values():
            for child in children:
                visit(child, full)

    for doc in documents:
        for records in doc.sections.values():
            for record in records:
                visit(record, ())


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, dt.date) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
