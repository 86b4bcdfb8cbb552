"""Large tables of a seed document, streamed from CSV or JSON Lines files.

A bulk file is read in chunks of rows and never held whole. Each chunk is
turned column-wise: every distinct value of a column is checked once with
the YAML loader's own field specs and messages (``fields.coerce``, a pure
function of the text, so its verdicts are memoised), references are resolved
to ids with one SELECT per batch of new keys, and the rows go to a temporary
staging table by the database's fastest path (``bulk_sql``). Set-based
statements then upsert from there, writing only rows whose values differ.
Everything happens in the caller's transaction, so a bad row anywhere leaves
the database as it was. Memory is bounded by the chunk size and the memo
limit, never by the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import itertools
import json
import operator
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from guestlist.models.errors import SeedError

from .bulk_sql import Counts, writer_for
from .fields import FieldError, NameRef, coerce, unknown_name
from .format import BULK_TABLES, REF_KINDS, SECTIONS, bulk_fields
from .resolve import lookup_ids, unknown_reference
from .validate import BulkEntry, Origin, check_rules

__all__ = ["Counts", "load_file"]

CHUNK_ROWS = 5_000
MEMO_LIMIT = 250_000  # distinct values remembered per column; the memo is cleared beyond
PROGRESS_MIN_BYTES = 1_000_000
# Characters in one line of a bulk file. A longer line (a file with no line
# breaks, say) is refused before it is held whole, so memory stays bounded.
MAX_LINE = 1 << 20


def load_file(conn: Connection, bulk: BulkEntry, *, progress: bool | None = None) -> Counts:
    """Stream one bulk file into the database inside the caller's transaction."""
    if bulk.table not in BULK_TABLES:
        raise SeedError(bulk.shown, None, "table", unknown_name(bulk.table, BULK_TABLES, "bulk table"))
    show = _want_progress(bulk.path) if progress is None else progress
    # Millions of short-lived row lists would trigger the cyclic GC thousands
    # of times (it tripled the time); nothing here makes reference cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(conn, bulk, show)
    finally:
        if collecting:
            gc.enable()


def _load(conn: Connection, bulk: BulkEntry, show: bool) -> Counts:
    with ChunkReader(bulk, progress=show) as reader:
        checker = Checker(conn, bulk, reader.columns)
        writer = writer_for(conn, bulk, checker.stage_columns, checker.stage_types)
        try:
            writer.stage_rows(itertools.chain.from_iterable(itertools.starmap(checker.check, reader)))
            writer.staged = checker.rows
            return writer.apply(checker.source_id)
        finally:
            writer.drop()


def _want_progress(path: Path) -> bool:
    try:
        return sys.stderr.isatty() and path.stat().st_size >= PROGRESS_MIN_BYTES
    except OSError:
        return False


class Raw:
    """A JSON value that is not text: memoised by identity, checked as it is."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


class ChunkReader:
    """Chunks of (line numbers, rows) from a CSV or JSON Lines file.

    The columns are the CSV header, or the keys of the first JSON object; a
    later JSON object may leave keys out (null) but not add new ones.
    """

    def __init__(self, bulk: BulkEntry, *, progress: bool = False):
        self.bulk, self.progress = bulk, progress
        self.columns: list[str] = []
        self._bar: Any = None

    def __enter__(self) -> ChunkReader:
        try:
            self._handle = self.bulk.path.open("r", encoding="utf-8", newline="")
        except OSError as exc:
            raise SeedError(self.bulk.shown, None, None, f"cannot read the file: {exc.strerror}") from None
        lines: Iterator[str] = self._bounded(self._handle)
        if self.progress:
            import click  # only for a terminal and a large file: library use never loads it

            self._bar = click.progressbar(
                length=self.bulk.path.stat().st_size, label=f"{self.bulk.table} {self.bulk.path.name}", file=sys.stderr
            )
            self._bar.__enter__()
            lines = self._counted(lines)
        self._lines = lines
        self._first: tuple[int, list[Any]] | None = None
        header = {"csv": self._csv_header, "rows": self._rows_header}.get(self.bulk.format, self._json_header)
        self.columns = header()
        if len(set(self.columns)) != len(self.columns):
            dup = next(c for c in self.columns if self.columns.count(c) > 1)
            raise self._error(1, f"column '{dup}' appears twice", dup)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
        self._handle.close()

    def __iter__(self) -> Iterator[tuple[list[int], list[list[Any]]]]:
        return {"csv": self._csv_chunks, "rows": self._rows_chunks}.get(self.bulk.format, self._json_chunks)()

    def _bounded(self, handle: Any) -> Iterator[str]:
        readline, number = handle.readline, 0
        while line := readline(MAX_LINE + 1):
            number += 1
            if len(line) > MAX_LINE:
                raise self._error(
                    number, f"has a line of more than {MAX_LINE:,} characters: not one row of a bulk file"
                )
            yield line

    def _counted(self, lines: Iterator[str]) -> Iterator[str]:
        bar, done = self._bar, 0
        for line in lines:
            done += len(line)
            if done >= 1 << 20:
                bar.update(done)
                done = 0
            yield line
        bar.update(done)

    def _error(self, line: int | None, message: str, field: str | None = None) -> SeedError:
        return SeedError(self.bulk.shown, None, field, message, line)

    def _csv_header(self) -> list[str]:
        self._reader = csv.reader(self._lines, strict=True)
        try:
            header = next(self._reader)
        except StopIteration:
            raise self._error(1, "is empty: a CSV bulk file needs a header row") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise self._error(1, f"is not a valid CSV header: {exc}") from None
        if not header or header == [""]:
            raise self._error(1, "has an empty header row")
        return header

    def _csv_chunks(self) -> Iterator[tuple[Any, list[list[Any]]]]:
        """Chunks read by the C parser; line numbers are counted, not tracked row by row.

        When a chunk spans exactly one line per row (the usual case) its line
        numbers are a range; otherwise (quoted line breaks, blank lines) they
        are rebuilt from the newlines inside the cells. A broken row ends the
        rows before it are handed on first, so errors come in file order.
        """
        reader = self._reader
        broken: list[SeedError] = []

        def guarded() -> Iterator[list[str]]:
            try:
                yield from reader
            except csv.Error as exc:
                broken.append(self._error(reader.line_num, f"is not valid CSV: {exc}"))
            except UnicodeDecodeError as exc:
                broken.append(self._error(reader.line_num + 1, f"is not UTF-8 text: {exc.reason}"))

        source = guarded()
        done = reader.line_num
        while rows := list(itertools.islice(source, CHUNK_ROWS)):
            if reader.line_num - done == len(rows) and not broken:
                lines: Any = range(done + 1, done + 1 + len(rows))
            else:
                lines, rows = self._lines_of(done, rows)
            done = reader.line_num
            if rows:
                yield lines, rows
        if broken:
            raise broken[0]

    @staticmethod
    def _lines_of(done: int, rows: list[list[Any]]) -> tuple[list[int], list[list[Any]]]:
        lines, kept, line = [], [], done
        for row in rows:
            line += 1
            if not row:
                continue  # a blank line
            lines.append(line)
            kept.append(row)
            line += sum(cell.count("\n") for cell in row)
        return lines, kept

    def _json_objects(self) -> Iterator[tuple[int, dict[str, Any]]]:
        number = 0
        try:
            for number, text in enumerate(self._lines, start=1):
                if not text.strip():
                    continue
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise self._error(number, f"is not valid JSON: {exc.msg}") from None
                except RecursionError:
                    raise self._error(number, "is nested too deeply to be a row") from None
                if not isinstance(obj, dict):
                    raise self._error(number, "must be one JSON object per line")
                yield number, obj
        except UnicodeDecodeError as exc:
            raise self._error(number + 1, f"is not UTF-8 text: {exc.reason}") from None

    def _json_header(self) -> list[str]:
        self._objects = self._json_objects()
        try:
            number, obj = next(self._objects)
        except StopIteration:
            raise self._error(1, "is empty: a JSON Lines bulk file needs one object per line") from None
        if not obj:
            raise self._error(number, "has no keys: the first object names the columns")
        self._first = (number, obj)  # type: ignore[assignment]
        return list(obj)

    def _json_chunks(self) -> Iterator[tuple[list[int], list[list[Any]]]]:
        columns, known = self.columns, set(self.columns)
        lines: list[int] = []
        rows: list[list[Any]] = []

        def cells(obj: dict[str, Any]) -> list[Any]:
            return [v if v is None or type(v) is str else Raw(v) for v in map(obj.get, columns)]

        objects = self._objects
        if self._first is not None:
            number, obj = self._first  # type: ignore[misc]
            lines.append(number)
            rows.append(cells(obj))  # type: ignore[arg-type]
        for number, obj in self._guarded(objects):
            extra = [k for k in obj if k not in known]
            if extra:
                raise self._error(number, f"key '{extra[0]}' is not among the first line's keys", extra[0])
            lines.append(number)
            rows.append(cells(obj))
            if len(rows) == CHUNK_ROWS:
                yield lines, rows
                lines, rows = [], []
        if rows:
            yield lines, rows
        if self._broken is not None:
            raise self._broken

    # -- rows: a JSON array of the column names, then per line a JSON array of rows ------
    # (how `guestlist import popolo` spools its records: one decode per thousand rows, no
    # per-row keys). Line numbers in messages count rows, as the first row is row 1.
    def _rows_header(self) -> list[str]:
        first = next(self._lines, "")
        try:
            columns = json.loads(first)
        except (json.JSONDecodeError, RecursionError):
            columns = None
        if not columns or type(columns) is not list or not all(type(c) is str for c in columns):
            raise self._error(1, "must start with a line holding a JSON array of the column names")
        return columns

    def _rows_chunks(self) -> Iterator[tuple[range, list[list[Any]]]]:
        done = 0
        try:
            for text in self._lines:
                try:
                    chunk = json.loads(text)
                except (json.JSONDecodeError, RecursionError):
                    raise self._error(done + 1, "is not a valid JSON array of rows") from None
                if type(chunk) is not list or not all(type(row) is list for row in chunk):
                    raise self._error(done + 1, "is not a valid JSON array of rows")
                rows = [[v if v is None or type(v) is str else Raw(v) for v in row] for row in chunk]
                if rows:
                    yield range(done + 1, done + 1 + len(rows)), rows
                done += len(rows)
        except UnicodeDecodeError as exc:
            raise self._error(done + 1, f"is not UTF-8 text: {exc.reason}") from None
        except SeedError as exc:  # a line too long: named by its first row, as every message here
            raise self._error(done + 1, exc.message) from None

    def _guarded(self, objects: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, dict[str, Any]]]:
        """The objects up to a broken line, whose error is kept until the rows before it are checked."""
        self._broken: SeedError | None = None
        try:
            yield from objects
        except SeedError as exc:
            self._broken = exc


class Checker:
    """Checks chunks of rows column-wise and yields staging rows.

    A staging row is (line, one value per column, [participant key, first of
    run] for attendance). References are ids, except the section's
    self-reference (an event's parent), which the staging SQL resolves as it
    may name a row further down the same file; dates are ISO text; a claim's
    or count's empty source is the document's source.
    """

    def __init__(self, conn: Connection, bulk: BulkEntry, columns: list[str]):
        self.conn, self.bulk, self.columns = conn, bulk, columns
        self.section = section = SECTIONS[bulk.table]
        self.fields = fields = bulk_fields(bulk.table)
        for name in columns:
            if name not in fields:
                raise SeedError(bulk.shown, None, name, unknown_name(name, fields, f"column of {bulk.table}"), 1)
        for name, f in fields.items():
            if f.required and name not in columns:
                raise SeedError(bulk.shown, None, name, "is required: add this column", 1)
        self.specs = [fields[name] for name in columns]
        self.refs = [(s.ref if s.type == "ref" and s.name != section.self_ref else None) for s in self.specs]
        self.source_id = self._source_id()
        self.memos: list[dict[Any, Any]] = [{} for _ in columns]
        for name, memo in zip(columns, self.memos):
            if name == "source":
                memo[""] = memo[None] = self.source_id
        self.position = {name: i for i, name in enumerate(columns)}
        self.attendance = bulk.table == "attendance"
        self.stage_columns = ["line", *columns, *(["participant_key", "first_of_run"] if self.attendance else [])]
        self.stage_types = {
            "line": "int",
            **{n: ("int" if r else s.type) for n, s, r in zip(columns, self.specs, self.refs)},
        }
        if self.attendance:
            self.stage_types.update(participant_key="int", first_of_run="int")
        self._run: tuple[Any, Any, set[Any], int] | None = None  # key, participation values, claims, line
        self.rows = 0

    def _source_id(self) -> int:
        table, column = REF_KINDS["source"]
        found = self.conn.execute(sa.select(table.c.id).where(table.c[column] == self.bulk.source)).scalar()
        if found is None:  # the loader writes the document's source before any bulk file
            raise SeedError(self.bulk.shown, None, "source", f"unknown source '{self.bulk.source}'")
        return int(found)

    # -- one chunk -------------------------------------------------------------
    def check(self, lines: list[int], rows: list[list[Any]]) -> Iterator[tuple[Any, ...]]:
        width = len(self.columns)
        if set(map(len, rows)) != {width}:
            i = next(i for i, r in enumerate(rows) if len(r) != width)
            raise SeedError(
                self.bulk.shown, self.bulk.label, None, f"has {len(rows[i])} cells; the header has {width}", lines[i]
            )
        raw_columns = list(zip(*rows))
        staged: list[list[Any]] = []
        failures: list[tuple[int, int, str | None, str]] = []  # (row, column, field, message)
        for c, column in enumerate(raw_columns):
            memo = self.memos[c]
            # One C-level pass maps the values seen before; only a chunk with
            # new values goes through the checks (and, for references, a lookup).
            try:
                values = list(map(memo.__getitem__, column))
            except (KeyError, TypeError):
                bad = self._learn(c, column)
                if bad:
                    row = next(i for i, v in enumerate(column) if v in bad)
                    failures.append((row, c, *bad[column[row]]))
                    continue
                values = list(map(memo.__getitem__, column))
            staged.append(values)
        if failures:
            row, _c, field, message = min(failures)
            raise SeedError(self.bulk.shown, self._record(rows[row]), field, message, lines[row])
        self._row_rules(staged, lines, rows)
        extra = self._attendance(staged, lines, rows) if self.attendance else []
        self.rows += len(lines)
        return zip(lines, *staged, *extra)

    def _learn(self, c: int, column: tuple[Any, ...]) -> dict[Any, tuple[str | None, str]]:
        """Check the values of a column not seen before; (field, message) per bad value."""
        memo = self.memos[c]
        keys = set(column)
        new = keys.difference(memo)
        if not new:
            return {}
        if len(memo) + len(new) > MEMO_LIMIT:
            keep = {k: memo[k] for k in ("", None) if k in memo}
            memo.clear()
            memo.update(keep)
            new = keys.difference(memo)
        spec, text = self.specs[c], self.bulk.format == "csv"
        bad: dict[Any, tuple[str | None, str]] = {}
        checked: dict[Any, Any] = {}
        for k in new:
            value = k.value if isinstance(k, Raw) else k
            try:
                v = coerce(spec, value, text=text and isinstance(value, str))
                if isinstance(v, NameRef):
                    raise FieldError(
                        spec.name,
                        f"must be a {'state code' if spec.ref == 'state' else 'slug'} in a bulk file, not the name {str(v)!r}",
                    )
            except FieldError as exc:
                bad[k] = (exc.field, exc.message)
                continue
            if spec.type == "date" and v is not None:
                v = v.isoformat()
            elif v == "":
                v = None  # an empty text is null in bulk files, as an empty CSV cell is
            checked[k] = v
        kind = self.refs[c]
        if kind is not None:
            wanted = {v for v in checked.values() if v is not None}
            ids = lookup_ids(self.conn, kind, wanted)
            for k, v in list(checked.items()):
                if v is None:
                    continue
                if v in ids:
                    checked[k] = ids[v]
                else:
                    bad[k] = (spec.name, unknown_reference(self.conn, kind, v))
                    del checked[k]
        memo.update(checked)
        return bad

    def _record(self, cells: list[Any]) -> str:
        """How an error names the row: the table and its natural key where readable."""
        shown = []
        for name in self.section.shown_key:
            i = self.position.get(name)
            value = None if i is None else cells[i]
            if isinstance(value, str) and value and len(value) <= 120:
                shown.append(value)
        return f"{self.bulk.label} '{', '.join(shown)}'" if shown else self.bulk.label

    # -- rules over several fields of a row --------------------------------------
    def _row_rules(self, staged: list[list[Any]], lines: list[int], rows: list[list[Any]]) -> None:
        spec, pos = self.section, self.position
        bad_rows: list[int] = []
        start, end = spec.dates or (None, None)
        if start in pos and end in pos:
            pairs = zip(staged[pos[start]], staged[pos[end]])
            bad_rows += [next((i for i, (s, e) in enumerate(pairs) if s is not None and e is not None and e < s), -1)]
        either = spec.one_of[0] if spec.one_of else None
        if either:
            a = staged[pos[either[0]]] if either[0] in pos else [None] * len(rows)
            b = staged[pos[either[1]]] if either[1] in pos else [None] * len(rows)
            bad_rows += [next((i for i, (x, y) in enumerate(zip(a, b)) if x is None and y is None), -1)]
        if spec.tree and spec.self_ref in pos:
            pairs = zip(staged[pos[spec.key[0]]], staged[pos[spec.self_ref]])
            bad_rows += [next((i for i, (s, p) in enumerate(pairs) if p is not None and p == s), -1)]
        if "evidence" in pos and start in pos:
            bad_rows += [self._attested(staged, lines, rows)]
        found = [i for i in bad_rows if i >= 0]
        if found:
            self._fail_row(min(found), staged, lines, rows)

    def _attested(self, staged: list[list[Any]], lines: list[int], rows: list[list[Any]]) -> int:
        """Give an attested row with an empty end_on its one day, as the YAML loader does; -1, or the first bad row.

        An attestation is held on the day a report gives the title, so
        end_on is start_on: an empty cell becomes it, another day is the
        YAML loader's refusal. Without an end_on column there is no cell to
        fill, and the row is refused with a line saying to add one.
        """
        start, end = self.section.dates  # type: ignore[misc]
        evidence, starts = staged[self.position["evidence"]], staged[self.position[start]]
        attested = [i for i, e in enumerate(evidence) if e == "attested"]
        if not attested:
            return -1
        if end not in self.position:
            i = attested[0]
            raise SeedError(
                self.bulk.shown,
                self._record(rows[i]),
                end,
                f"an attested row is held on one day: add an {end} column (an empty cell is taken as {start})",
                lines[i],
            )
        ends = staged[self.position[end]]
        for i in attested:
            if ends[i] is None:
                ends[i] = starts[i]
            elif ends[i] != starts[i]:
                return i
        return -1

    def _fail_row(self, i: int, staged: list[list[Any]], lines: list[int], rows: list[list[Any]]) -> None:
        """Raise the YAML loader's own error for row ``i`` (its rule check on the raw values)."""
        record = {}
        for name, c in self.position.items():
            value = rows[i][c]
            value = value.value if isinstance(value, Raw) else value
            if self.specs[c].type == "date" and staged[c][i] is not None:
                value = dt.date.fromisoformat(staged[c][i])
            record[name] = None if value == "" else value
        check_rules(self.bulk.table, record, Origin(self.bulk.shown, self._record(rows[i]), lines[i]))
        raise AssertionError(f"{self.bulk.shown}:{lines[i]}: a row rule failed without its message")  # pragma: no cover

    def _attendance(self, staged: list[list[Any]], lines: list[int], rows: list[list[Any]]) -> list[list[Any]]:
        """Participant keys and first-of-run marks; checks each run of rows about one participation.

        A run is consecutive rows about one (event, participant): they must
        agree on the participation and not repeat a claim key. A participation
        that comes back later in the file is left to the staging SQL, so
        memory stays flat however long the file is. Column-wise, so the
        common case costs a few C-level passes per chunk.
        """
        pos, n = self.position, len(lines)
        nothing = [None] * n
        persons = staged[pos["person"]] if "person" in pos else nothing
        states = staged[pos["state"]] if "state" in pos else nothing
        keys = persons if None not in persons else [p if p is not None else -s for p, s in zip(persons, states)]
        runs = list(zip(staged[pos["event"]], keys))
        names = [name for name in self.section.values_fields if name in pos]
        same = list(zip(*(staged[pos[name]] for name in names))) if names else [()] * n
        sources = staged[pos["source"]] if "source" in pos else [self.source_id] * n
        claims = list(zip(sources, staged[pos["reported_on"]]))
        last = self._run
        firsts = list(map(int, map(operator.ne, runs, [last[0] if last else None, *runs[:-1]])))
        previous = [last[1] if last else None, *same[:-1]]
        for i in itertools.compress(
            range(n), map(operator.and_, map(operator.not_, firsts), map(operator.ne, same, previous))
        ):
            field = next(name for name, a, b in zip(names, same[i], previous[i]) if a != b)
            start = last[3] if last and not any(firsts[: i + 1]) else lines[max(j for j in range(i + 1) if firsts[j])]
            raise SeedError(
                self.bulk.shown,
                self._record(rows[i]),
                field,
                f"differs from line {start} for the same participation (each row repeats the participation)",
                lines[i],
            )
        run_ids = list(itertools.accumulate(firsts))
        carried = last[2] if last else set()
        if len(set(zip(run_ids, claims))) != n or (
            carried and not carried.isdisjoint(claims[: firsts.index(1) if 1 in firsts else n])
        ):
            self._duplicate_claim(run_ids, claims, carried, lines, rows)
        begin = len(firsts) - 1 - firsts[::-1].index(1) if 1 in firsts else 0
        tail = set(claims[begin:]) | (carried if 1 not in firsts else set())
        self._run = (runs[-1], same[-1], tail, lines[begin] if 1 in firsts else last[3])  # type: ignore[index]
        return [keys, firsts]

    def _duplicate_claim(
        self, run_ids: list[int], claims: list[Any], carried: set[Any], lines: list[int], rows: list[list[Any]]
    ) -> None:
        seen: set[Any] = {(0, c) for c in carried}
        for i, pair in enumerate(zip(run_ids, claims)):
            if pair in seen:
                raise SeedError(
                    self.bulk.shown,
                    self._record(rows[i]),
                    "reported_on",
                    "duplicate claim (same source and reported_on) for this participation in this file",
                    lines[i],
                )
            seen.add(pair)
        raise AssertionError("no duplicate claim found")  # pragma: no cover
