"""A Popolo JSON file read in pieces, with the limits a hostile file meets first.

A document of hundreds of thousands of persons is never held whole: one
scanning pass checks the whole file (size, nesting depth, keys given twice,
numbers too long to convert, broken JSON or UTF-8) and keeps only the small
top-level parts (the ``guestlist`` extension, organizations, posts); the big
collections are then streamed one object at a time by ``ijson``'s C parser.
Every problem is one :class:`SeedError` naming the file and the JSON path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson
from ijson.common import ObjectBuilder

from guestlist.models.errors import SeedError

# Streaming bounds memory, not time: a file this large takes minutes, a larger
# one is almost certainly not a Popolo document (or /dev/zero).
MAX_FILE_BYTES = 1024 * 1024 * 1024
MAX_DEPTH = 20  # as the YAML loader; an exported document nests 8 deep
MAX_KEYS = 10_000  # keys of one JSON object (their names are kept while it is open)
# Top-level collections kept in memory by the scan: few objects, referred to by the rest.
SMALL = ("guestlist", "organizations", "posts")
BIG = ("persons", "memberships", "events")
MAX_SMALL_VALUES = 2_000_000  # JSON values of the small collections together (each costs memory)


class _Bounded:
    """A binary file that refuses to give more than ``limit`` bytes (for devices and pipes)."""

    def __init__(self, handle: Any, limit: int, name: str):
        self.handle, self.limit, self.name, self.done = handle, limit, name, 0
        self.error: SeedError | None = None

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing to learn whether the file gives bytes
            return b""
        chunk = self.handle.read(size if size > 0 else 1 << 16)
        self.done += len(chunk)
        if self.done > self.limit:
            self.error = too_large(self.name)
            return b"\x00"  # ends the parse at once; the error is raised by the caller
        return chunk


def too_large(name: str) -> SeedError:
    return SeedError(
        name, None, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB: not a Popolo document guestlist reads"
    )


class PopoloFile:
    """The Popolo document at ``path``: scanned once, then streamed per collection."""

    def __init__(self, path: Path, name: str | None = None):
        self.path, self.name = path, name or str(path)
        self.small: dict[str, Any] = {}
        self.keys: set[str] = set()

    def _open(self) -> _Bounded:
        try:
            if self.path.is_dir():
                raise SeedError(self.name, None, None, "is a folder, not a Popolo JSON file")
            if self.path.stat().st_size > MAX_FILE_BYTES:
                raise too_large(self.name)
            handle = self.path.open("rb")
        except OSError as exc:
            raise SeedError(self.name, None, None, f"cannot read: {exc.strerror or exc}") from None
        if handle.read(3) != b"\xef\xbb\xbf":  # a UTF-8 byte order mark is allowed, as json's utf-8-sig
            handle.seek(0)
        return _Bounded(handle, MAX_FILE_BYTES, self.name)

    def _fail(self, reader: _Bounded, path: list[Any], exc: BaseException) -> SeedError:
        if reader.error is not None:
            return reader.error
        where = json_path(path)
        cause = exc.__cause__ or exc.__context__
        if isinstance(exc, ValueError) or isinstance(cause, ValueError) or "integer overflow" in str(exc):
            return SeedError(self.name, where, None, "a number is too long to be a value of a Popolo document")
        if isinstance(exc, ijson.JSONError):
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "incomplete"
            first = first.strip("b'\"").replace("\\n", "")
            return SeedError(self.name, where, None, f"not valid JSON: {first}")
        raise exc

    def scan(self) -> PopoloFile:
        """Check the whole file once; keep the small collections; raise on the first problem.

        The pass that every file takes tracks only depth and the keys of the
        open objects; a file it finds wrong is read again by :meth:`_explain`,
        which follows the JSON path too, to word the error.
        """
        reader = self._open()
        keys_stack: list[set[str]] = []
        no_keys: set[str] = set()
        depth, pending, builder, capturing, captured = 0, False, None, "", 0
        small = {}
        try:
            events = ijson.basic_parse(reader, use_float=True)
            first = next(events, (None, None))
            if first[0] != "start_map":
                raise _Suspect
            depth = 1
            keys_stack.append(set())
            for event, value in events:
                if builder is not None:
                    builder.event(event, value)
                    captured += 1
                    if captured > MAX_SMALL_VALUES:
                        raise SeedError(
                            self.name,
                            capturing,
                            None,
                            f"more than {MAX_SMALL_VALUES:,} values in "
                            f"{', '.join(SMALL)}: these are held in memory; not a Popolo document guestlist reads",
                        )
                if event == "map_key":
                    keys = keys_stack[-1]
                    if value in keys or len(keys) >= MAX_KEYS:
                        raise _Suspect
                    keys.add(value)
                    if depth == 1:
                        self.keys.add(value)
                        pending = value in BIG
                        if value in SMALL:
                            builder, capturing = ObjectBuilder(), value
                    continue
                if pending:
                    pending = False
                    if event != "start_array" and event != "null":
                        raise _Suspect
                if event == "start_map":
                    depth += 1
                    keys_stack.append(set())
                    if depth > MAX_DEPTH:
                        raise _Suspect
                elif event == "start_array":
                    depth += 1
                    keys_stack.append(no_keys)
                    if depth > MAX_DEPTH:
                        raise _Suspect
                elif event == "end_map" or event == "end_array":
                    depth -= 1
                    keys_stack.pop()
                if builder is not None and depth == 1:
                    small[capturing] = builder.value
                    builder = None
        except (_Suspect, ijson.JSONError, ValueError, SystemError):
            reader.handle.close()
            if reader.error is not None:
                raise reader.error from None
            self.keys.clear()
            return self._explain()
        finally:
            reader.handle.close()
        if reader.error is not None:
            raise reader.error
        self.small = small
        return self

    def _explain(self) -> PopoloFile:
        """The precise pass over a file the quick one found wrong: raises the first problem with its path."""
        reader = self._open()
        stack: list[Any] = []  # per open container: the set of its keys (object) or [index] (array)
        path: list[Any] = []
        builder: ObjectBuilder | None = None
        capturing = ""
        try:
            for event, value in ijson.basic_parse(reader, use_float=True):
                if builder is not None:
                    builder.event(event, value)
                if event == "map_key":
                    keys = stack[-1]
                    if value in keys:
                        raise SeedError(self.name, json_path(path[:-1]), None, f"key '{value}' is given twice")
                    if len(keys) >= MAX_KEYS:
                        raise SeedError(
                            self.name, json_path(path[:-1]), None, f"an object has more than {MAX_KEYS:,} keys"
                        )
                    keys.add(value)
                    path[-1] = value
                    if len(stack) == 1:
                        self.keys.add(value)
                        if value in SMALL:
                            builder, capturing = ObjectBuilder(), value
                    continue
                if event == "end_map" or event == "end_array":
                    stack.pop()
                    path.pop()
                else:
                    if len(stack) == 1 and path[-1] in BIG and event != "start_array" and event != "null":
                        raise SeedError(self.name, path[-1], None, "must be a list")
                    if stack and type(stack[-1]) is list:
                        stack[-1][0] += 1
                        path[-1] = stack[-1][0]
                    if event == "start_map" or event == "start_array":
                        if len(stack) >= MAX_DEPTH:
                            raise SeedError(self.name, json_path(path), None, f"nested deeper than {MAX_DEPTH} levels")
                        stack.append(set() if event == "start_map" else [-1])
                        path.append(None)
                        if len(stack) == 1 and event != "start_map":
                            raise SeedError(
                                self.name,
                                None,
                                None,
                                "a Popolo document is a JSON object with persons, organizations, ...",
                            )
                    elif not stack:
                        raise SeedError(
                            self.name, None, None, "a Popolo document is a JSON object with persons, organizations, ..."
                        )
                if builder is not None and len(stack) == 1:
                    self.small[capturing] = builder.value
                    builder = None
        except SeedError:
            raise
        except (ijson.JSONError, ValueError, SystemError) as exc:
            raise self._fail(reader, path, exc) from None
        finally:
            reader.handle.close()
        if reader.error is not None:
            raise reader.error
        raise SeedError(self.name, None, None, "not valid JSON: the file changed while it was read")

    def items(self, collection: str) -> Iterator[Any]:
        """The objects of one top-level collection, one at a time (the file was scanned)."""
        if collection in SMALL:
            value = self.small.get(collection)
            yield from (value if isinstance(value, list) else [])
            return
        if collection not in self.keys:
            return
        reader = self._open()
        try:
            yield from ijson.items(reader, f"{collection}.item", use_float=True)
        except (ijson.JSONError, ValueError, SystemError) as exc:  # the file changed since the scan
            raise self._fail(reader, [collection], exc) from None
        finally:
            reader.handle.close()

    def get(self, collection: str) -> Any:
        """A top-level value as the scan saw it: the small ones, or a marker for a big one."""
        if collection in SMALL:
            return self.small.get(collection)
        return _Streamed(self, collection) if collection in self.keys else None


class _Suspect(Exception):
    """The quick pass found something wrong; the precise pass says what and where."""


class _Streamed:
    """A big collection: iterable again and again, never held."""

    def __init__(self, source: PopoloFile, collection: str):
        self.source, self.collection = source, collection

    def __iter__(self) -> Iterator[Any]:
        return self.source.items(self.collection)


def json_path(path: list[Any]) -> str | None:
    """['persons', 3, 'guestlist'] -> 'persons[3].guestlist'."""
    out = ""
    for part in path:
        if part is None:
            break
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None
