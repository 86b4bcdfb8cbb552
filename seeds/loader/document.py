"""Reading one seed document: bytes to plain Python, with a line for every record.

The parser is the first thing hostile input meets, so it refuses what the
format never needs (anchors and aliases, deep nesting, huge files, NUL bytes,
broken UTF-8) before any of it can cost memory or time. Mappings come back as
:class:`LineDict`, which remembers where each record and each field starts, so
every later error can name a line. Dates stay text here: ``fields`` parses
them, so an impossible date such as 2025-02-30 is reported like any other bad
value instead of crashing the YAML constructor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.resolver import Resolver

from guestlist.models.errors import SeedError

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 20
# Each composed node costs about a kilobyte, so 16 MiB of tiny records could
# take gigabytes before any check ran; 200,000 values (~40,000 records) is far
# more than a hand-written document needs, and large tables belong in bulk files.
MAX_NODES = 200_000

try:  # libyaml scans and parses in C; composing stays in Python so the guards below apply
    from yaml._yaml import CParser as _Parser

    _C_PARSER = True

    def _parser_init(loader: Any, stream: str) -> None:
        _Parser.__init__(loader, stream)

except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        pass

    _C_PARSER = False

    def _parser_init(loader: Any, stream: str) -> None:
        Reader.__init__(loader, stream)
        Scanner.__init__(loader)
        _PyParser.__init__(loader)


class LineDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows its own line and the line of each key (1-based)."""

    line: int | None = None
    lines: dict[str, int]

    def __init__(self, *args: Any, line: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.lines = {}

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)


class _GuardedComposer(Composer):
    """Composes nodes while refusing anchors, aliases and excessive nesting.

    Refusing at compose time means a YAML bomb is never expanded: the first
    anchor stops the parse.
    """

    depth = 0
    nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (
            isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor is not None
        ):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (&name, *name) are not allowed in seed documents",
                problem_mark=event.start_mark,
            )
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise yaml.MarkedYAMLError(
                problem=f"more than {MAX_NODES:,} values in one YAML document; put large tables in bulk "
                "CSV or JSON Lines files (bulk:)",
                problem_mark=event.start_mark,
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                problem=f"nesting deeper than {MAX_DEPTH} levels is not allowed in seed documents",
                problem_mark=event.start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Constructor(SafeConstructor):
    def construct_line_map(self, node: yaml.MappingNode) -> Any:
        data = LineDict(line=node.start_mark.line + 1)
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise ConstructorError(
                    None, None, f"a field name must be text, not {type(key).__name__} {key!r}", key_node.start_mark
                )
            if key in data:
                raise ConstructorError(None, None, f"field '{key}' is given twice", key_node.start_mark)
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = key_node.start_mark.line + 1

    def construct_timestamp_text(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts
            raise ConstructorError(None, None, "number is too long", node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_line_map)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_timestamp_text)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_bounded_int)


class GuardedLoader(_GuardedComposer, _Parser, _Constructor, Resolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _parser_init(self, stream)
        _GuardedComposer.__init__(self)
        _Constructor.__init__(self)
        Resolver.__init__(self)


@dataclass
class Document:
    """One seed document: its display name, its data, and where relative paths start."""

    name: str
    data: Mapping[str, Any]
    path: Path | None = None
    base_dir: Path = field(default_factory=Path.cwd)


def read_file(path: Path, name: str | None = None) -> Document:
    """Read and parse a seed file, or raise one SeedError naming the file and line."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SeedError(
                name,
                None,
                None,
                f"file is {size / 2**20:.1f} MiB; seed documents are limited to {MAX_FILE_BYTES // 2**20} MiB "
                "(put large tables in bulk CSV or JSON Lines files)",
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SeedError(name, None, None, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:  # grew while we looked
        raise SeedError(name, None, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    return Document(name, parse(raw, name), path=path, base_dir=path.parent)


def parse(raw: bytes | str, name: str) -> Mapping[str, Any]:
    """YAML text to a LineDict, refusing anything but one mapping document."""
    text = _decode(raw, name) if isinstance(raw, bytes) else raw
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SeedError(name, None, None, "contains a NUL byte; seed documents are text", line)
    if not text.strip():
        raise SeedError(name, None, None, "file is empty: a seed document starts with 'format: guestlist/1'")
    loader = GuardedLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise SeedError(name, None, None, _yaml_problem(exc), _yaml_line(exc)) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes, the Python reader in characters.
        before = text.encode("utf-8", "surrogatepass")[: exc.position] if _C_PARSER else text[: exc.position]
        line = before.count(b"\n" if _C_PARSER else "\n") + 1  # type: ignore[arg-type]
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise SeedError(
            name, None, None, f"not valid YAML: character {char} is not allowed ({exc.reason})", line
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SeedError(name, None, None, f"not valid YAML: {first}") from None
    except RecursionError:
        raise SeedError(name, None, None, "document is nested too deeply") from None
    finally:
        loader.dispose()
    if data is None:
        raise SeedError(name, None, None, "file holds no data: a seed document starts with 'format: guestlist/1'")
    if not isinstance(data, dict):
        raise SeedError(name, None, None, f"a seed document is a mapping of sections, not {_kind(data)}", 1)
    return data


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SeedError(name, None, None, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8", line) from None


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "not valid YAML").strip()
    if exc.context and exc.problem and "anchors" not in problem and "nesting" not in problem:
        problem = f"{exc.context}, {problem}"
    if "found unhashable key" in problem:
        problem = "a field name must be text"
    return (
        f"not valid YAML: {problem}"
        if not problem.startswith(("anchors", "nesting", "field", "a field", "more than"))
        else problem
    )


def _yaml_line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
