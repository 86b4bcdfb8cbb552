"""Hostile input: every strange file, value and argument gives a correct load or one clean line.

Never a traceback, never a partial write, never exhausted memory:

- hand-written files: huge, deeply nested, YAML bombs and tags, invalid
  UTF-8, NUL bytes, numbers too long, 10 kB names and keys, bulk files gone wrong;
- SQL text, right-to-left and combining characters in every free-text field,
  stored verbatim and harmless;
- hypothesis: random text in fields, random bytes and random YAML
  structures as documents;
- every argument and option of every command (walked from the click tree),
  fed hostile values, and undecodable bytes on a real command line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guestlist.models.errors import SeedError
from guestlist.seeds.cli import cli
from guestlist.seeds.exporters.seeds import dump
from guestlist.seeds.loader import check

from .support.cli import CLI, assert_clean_failure, cli_env
from .support.cli_walk import arguments, leaf_commands, text_options, typical_args
from .support.databases import DIALECT_PARAMS, new_database
from .support.hostile import ALL_TEXT, strange_document
from .support.snapshots import data_snapshot, snapshot

HEADER = "format: guestlist/1\nsource: {slug: hostile-src, title: Hostile, kind: other}\n"
TEN_KB = "Ж" * 10_240
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module", params=DIALECT_PARAMS)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with the bundled seeds, shared by a module's tests on one dialect."""
    with new_database(request.param, tmp_path_factory.mktemp(request.param), "seeded") as url:
        yield url


def seed(url: str, *paths: Path | str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--database-url", url, "seed", *map(str, paths)])


def refused_cleanly(url: str, path: Path, expected: str) -> str:
    """Seeding ``path`` fails with one short line naming the file; nothing is written."""
    before = snapshot(url)
    result = seed(url, path)
    assert result.exit_code == 1, result.output[-2000:]
    assert_clean_failure(result.output)
    assert path.name in result.output, result.output
    assert expected in result.output, result.output[:500]
    assert len(result.output) < 600, f"the message echoes the input: {len(result.output)} characters"
    assert snapshot(url) == before
    return result.output


# --- hand-written hostile files ----------------------------------------------


def _sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(17 * 1024 * 1024)


def _deep_flow(path: Path) -> None:
    path.write_text(HEADER + "events: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")


def _deep_block(path: Path) -> None:
    lines = [HEADER + "events:"]
    lines += [" " * (2 * i + 2) + "a:" for i in range(200)]
    path.write_text("\n".join(lines) + " 1\n", encoding="utf-8")


def _billion_laughs(path: Path) -> None:
    text = HEADER + 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    text += "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    path.write_text(text, encoding="utf-8")


def _many_records(path: Path) -> None:
    path.write_text(HEADER + "events:\n" + "  - {slug: e, name: n, kind: summit}\n" * 60_000, encoding="utf-8")


HOSTILE_FILES: list[tuple[str, Callable[[Path], None], str]] = [
    ("huge-17MiB", _sparse, "limited to 16 MiB"),
    ("deep-flow-lists", _deep_flow, "nesting"),
    ("deep-block-mappings", _deep_block, "nesting"),
    ("billion-laughs", _billion_laughs, "anchors and aliases"),
    ("many-tiny-records", _many_records, "values in one YAML document"),
    ("merge-key", lambda p: p.write_text(HEADER + "base: &b {kind: summit}\nevents:\n  - {<<: *b, slug: e, name: n}\n"), "anchors and aliases"),
    ("python-tag", lambda p: p.write_text(HEADER.replace("title: Hostile", 'title: !!python/object/apply:os.system ["touch /tmp/pwned"]')), "constructor"),
    ("binary-tag", lambda p: p.write_text(HEADER.replace("title: Hostile", "title: !!binary aGVsbG8=")), "must be text"),
    ("invalid-utf8", lambda p: p.write_bytes(HEADER.encode() + b"persons:\n  - {slug: x, name: \xff\xfe}\n"), "not valid UTF-8"),
    ("utf16", lambda p: p.write_bytes(HEADER.encode("utf-16")), "not valid UTF-8"),
    ("overlong-utf8", lambda p: p.write_bytes(HEADER.encode() + b"persons:\n  - {slug: x, name: \xc0\xaf}\n"), "not valid UTF-8"),
    ("encoded-surrogate", lambda p: p.write_bytes(HEADER.encode() + b"persons:\n  - {slug: x, name: \xed\xa0\x80}\n"), "not valid UTF-8"),
    ("raw-nul", lambda p: p.write_bytes(HEADER.encode() + b"persons:\n  - {slug: x, name: a\x00b}\n"), "NUL"),
    ("escaped-nul", lambda p: p.write_text(HEADER + 'persons:\n  - {slug: x, name: "a\\0b"}\n'), "NUL"),
    ("escaped-surrogate", lambda p: p.write_text(HEADER + 'persons:\n  - {slug: x, name: "a\\ud800b"}\n'), "surrogate"),
    ("10kB-name", lambda p: p.write_text(HEADER + f"persons:\n  - {{slug: x, name: {TEN_KB}}}\n", encoding="utf-8"), "at most 300 fit"),
    ("10kB-slug", lambda p: p.write_text(HEADER + f"persons:\n  - {{slug: {TEN_KB}, name: n}}\n", encoding="utf-8"), "at most 120 fit"),
    ("10kB-field-name", lambda p: p.write_text(HEADER + f"persons:\n  - slug: x\n    ? {TEN_KB}\n    : 1\n", encoding="utf-8"), "unknown field"),
    ("10kB-plain-key", lambda p: p.write_text(HEADER + f"{TEN_KB}: []\n", encoding="utf-8"), "not valid YAML"),
    ("5000-digit-number", lambda p: p.write_text(HEADER + "events:\n  - {slug: e, name: n, kind: summit, troops: " + "9" * 5000 + "}\n"), "too long"),
    ("infinite-number", lambda p: p.write_text(HEADER + "events:\n  - {slug: e, name: n, kind: summit, troops: .inf}\n"), "whole number"),
    ("not-a-mapping", lambda p: p.write_text("a" * 1_000_000), "mapping of sections"),
    ("tabs", lambda p: p.write_text(HEADER + "persons:\n\t- {slug: x}\n"), "not valid YAML"),
    ("sql-in-a-reference", lambda p: p.write_text(HEADER + "attendance:\n  - {event: \"x' OR 1=1 --\", state: CHN, role: guest, capacity: other}\n"), "one word without spaces"),
]


@pytest.mark.parametrize("name, make, expected", HOSTILE_FILES, ids=[c[0] for c in HOSTILE_FILES])
def test_hostile_files_are_refused_in_one_line(seeded: str, tmp_path: Path, name: str, make: Any, expected: str) -> None:
    path = tmp_path / f"{name}.yaml"
    make(path)
    refused_cleanly(seeded, path, expected)
    assert not Path("/tmp/pwned").exists()


BULK_HEADER = HEADER + "bulk:\n  - {table: persons, file: %s}\n"
HOSTILE_BULK: list[tuple[str, str, bytes, str]] = [
    ("csv-1MB-cell", "p.csv", b"slug,name\nx," + b"a" * 1_000_000 + b"\n", "field limit|at most 300 fit"),
    ("csv-nul", "p.csv", b"slug,name\nx,a\x00b\n", "NUL"),
    ("csv-invalid-utf8", "p.csv", b"slug,name\nx,\xff\xfe\n", "utf-8"),
    ("csv-invalid-utf8-header", "p.csv", b"slug,n\xffame\nx,y\n", "utf-8"),
    ("csv-10kB-name", "p.csv", b"slug,name\nx," + TEN_KB.encode() + b"\n", "at most 300 fit"),
    ("csv-sql-header", "p.csv", b"slug,\"name; DROP TABLE persons\"\nx,y\n", "unknown column"),
    ("csv-ragged", "p.csv", b"slug,name\nx,y,z,w\n", "cells"),
    ("jsonl-deep", "p.jsonl", b'{"slug": "x", "name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "nested too deeply"),
    ("jsonl-huge-number", "p.jsonl", b'{"slug": "x", "name": 1e400}\n', "must be text"),
    ("jsonl-not-object", "p.jsonl", b"[1, 2]\n", "one JSON object per line"),
    ("bulk-outside-formats", "/dev/zero", b"", "must end in .csv, .jsonl, .ndjson, .rows"),
    ("csv-2MiB-line", "p.csv", b"slug,name\n" + b"x" * (2 << 20), r"p\.csv:2: .*more than 1,048,576 characters"),
    ("jsonl-2MiB-line", "p.jsonl", b'{"slug": "x", "name": "' + b"n" * (2 << 20) + b'"}\n', r"p\.jsonl:1: .*more than 1,048,576"),
]


@pytest.mark.parametrize("name, file, content, expected", HOSTILE_BULK, ids=[c[0] for c in HOSTILE_BULK])
def test_hostile_bulk_files(seeded: str, tmp_path: Path, name: str, file: str, content: bytes, expected: str) -> None:
    if not file.startswith("/"):
        (tmp_path / file).write_bytes(content)
    path = tmp_path / f"{name}.yaml"
    path.write_text(BULK_HEADER % file, encoding="utf-8")
    before = snapshot(seeded)
    result = seed(seeded, path)
    assert result.exit_code == 1, result.output[-2000:]
    assert_clean_failure(result.output)
    assert re.search(expected, result.output), result.output[:500]
    assert len(result.output) < 600
    assert snapshot(seeded) == before


# Runs the CLI and, at exit, reports the process's own peak memory (VmHWM). Not the
# parent's rusage: ru_maxrss carries the forked pytest's size across exec.
PEAK = (
    "import atexit, sys\n"
    "def peak():\n"
    "    hwm = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
    "    sys.stderr.write(f'\\npeak-kib {hwm}\\n')\n"
    "atexit.register(peak)\n"
    "from guestlist.seeds.cli import main\n"
    "main()\n"
)


def _max_rss_kib(args: list[str], env: dict[str, str]) -> tuple[int, int, str]:
    """Run the CLI with ``args``: its exit code, its peak RSS in KiB, and its output."""
    proc = subprocess.run([sys.executable, "-c", PEAK, *args], env=env, capture_output=True, text=True, check=False)
    output, _, peak = proc.stderr.rpartition("\npeak-kib ")
    return proc.returncode, int(peak.split()[0]), proc.stdout + output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_a_big_document_is_refused_in_bounded_memory(migrated_url: str, tmp_path: Path) -> None:
    """15 MiB of tiny records (under the size limit) and a 15 MB value: refused, well under 400 MB."""
    many = tmp_path / "many.yaml"
    many.write_text(HEADER + "events:\n" + "  - {slug: e, name: n, kind: summit}\n" * 400_000, encoding="utf-8")
    giant = tmp_path / "giant.yaml"
    giant.write_text(HEADER + "events:\n  - slug: e\n    name: n\n    kind: summit\n    description: " + "d" * 15_000_000 + "\n")
    for path in (many, giant):
        code, rss_kib, output = _max_rss_kib(["seed", str(path)], cli_env(migrated_url))
        assert code == 1, output[-1000:]
        assert_clean_failure(output)
        assert rss_kib < 400 * 1024, f"{path.name}: peak RSS {rss_kib // 1024} MiB"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_bulk_file_without_line_breaks_is_refused_in_bounded_memory(migrated_url: str, tmp_path: Path, suffix: str) -> None:
    """200 MB with no newline: refused at the first line's limit, never read whole."""
    data = tmp_path / f"p{suffix}"
    with data.open("wb") as handle:
        handle.write(b"slug,name\n" if suffix == ".csv" else b"")
        block = b"x" * (1 << 20)
        for _ in range(200):
            handle.write(block)
    path = tmp_path / "doc.yaml"
    path.write_text(BULK_HEADER % data.name, encoding="utf-8")
    code, rss_kib, output = _max_rss_kib(["seed", str(path)], cli_env(migrated_url))
    assert code == 1, output[-1000:]
    assert_clean_failure(output)
    assert "more than 1,048,576 characters" in output
    assert rss_kib < 150 * 1024, f"peak RSS {rss_kib // 1024} MiB"


# --- strange text stored verbatim --------------------------------------------


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def test_sql_and_unicode_in_every_text_field_are_stored_verbatim_and_harmless(seeded: str, tmp_path: Path) -> None:
    document = strange_document("verbatim")
    path = tmp_path / "strange.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = data_snapshot(seeded)  # the facts: the search index's own pages change with every load
    result = seed(seeded, path)
    assert result.exit_code == 0, result.output
    after = data_snapshot(seeded)
    assert set(after) == set(before)  # no table dropped or added
    for table, rows in before.items():  # nothing existing changed or went away
        assert set(rows) <= set(after[table]), table
    stored = {v for rows in after.values() for row in rows for v in row if isinstance(v, str)}
    expected = {s for s in strings_in(document) if s != "guestlist/1" and not DATE.fullmatch(s)}
    missing = [s for s in expected if s not in stored]
    assert not missing, f"{len(missing)} strings were not stored verbatim, e.g. {missing[:3]!r}"
    assert len(expected) > len(ALL_TEXT)
    again = seed(seeded, path)
    assert again.exit_code == 0 and again.output.strip().splitlines()[-1].startswith("0 added, 0 changed")


# --- hypothesis ----------------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=ANY_TEXT, description=st.text(st.characters(exclude_categories=()), max_size=2000))
def test_any_text_in_fields_loads_verbatim_or_fails_in_one_line(seeded: str, tmp_path: Path, name: str, description: str) -> None:
    document = yaml.safe_load(HEADER)
    document["persons"] = [{"slug": "hyp-person", "name": name}]
    document["events"] = [{"slug": "hyp-event", "name": "Hypothesis", "kind": "summit", "description": description}]
    text = dump(document)  # exact YAML (plain safe_dump folds a raw NEL into a space)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: write the bytes anyway
        data = text.encode("utf-8", "surrogatepass")
    path = tmp_path / "hyp.yaml"
    path.write_bytes(data)
    before = snapshot(seeded, ["persons", "events"])
    result = seed(seeded, path)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        rows = snapshot(seeded, ["persons", "events"])
        assert any(name in row for row in rows["persons"]) and any(description in row for row in rows["events"])
    else:
        assert result.exit_code == 1
        assert_clean_failure(result.output)
        assert snapshot(seeded, ["persons", "events"]) == before


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=3000), prefix=st.sampled_from([b"", HEADER.encode(), HEADER.encode() + b"persons:\n"]))
def test_any_bytes_are_a_document_or_one_seed_error(data: bytes, prefix: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("bytes") / "random.yaml"
    path.write_bytes(prefix + data)
    try:
        check([path])
    except SeedError as exc:
        assert "\n" not in str(exc).strip() or str(exc).count("\n") < 3
        assert str(exc).startswith(str(path))


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.dates().map(str),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30,
)
SECTION_NAMES = st.sampled_from(["sources", "states", "organizations", "memberships", "persons", "positions", "events", "attendance", "counts", "bulk", "other"])


@settings(max_examples=300, deadline=None)
@given(sections=st.dictionaries(SECTION_NAMES, YAML_VALUES, max_size=4))
def test_any_yaml_structure_is_a_document_or_one_seed_error(sections: dict[str, Any]) -> None:
    document = {"format": "guestlist/1", "source": {"slug": "s", "title": "t", "kind": "other"}, **sections}
    try:
        check([("random", document)])
    except SeedError as exc:
        assert str(exc).startswith("random")


# --- every CLI argument --------------------------------------------------------

HOSTILE_ARGS = [
    "x' OR 1=1 --",
    "'; DROP TABLE attendance; --",
    "",
    " ",
    "-",
    "--",
    "-1",
    "../../outside",
    "%s%n%x",
    "{0}{1}",
    "\u202eevil",
    "e\u0301\u0302\u0303",
    "line\nbreak",
    "\x1b[31mred",
    TEN_KB,
]
# On servers the argument handling is the same code; what differs is how a value meets the
# database, which these cover (quotes, comments, size, direction, nothing).
SERVER_ARGS = ["x' OR 1=1 --", "'; DROP TABLE attendance; --", "", "\u202eevil", TEN_KB]


def hostile_invocations(workdir: Path, values: list[str]) -> Iterator[tuple[str, list[str]]]:
    """(label, argv): each argument and free option of each command in turn given each hostile value."""
    for path, command in leaf_commands():
        base = typical_args(path, command, workdir)
        positions = [i for i, _ in enumerate(arguments(command))]
        for index in positions:
            for value in values:
                if path[0] == "db" and value == "-1":
                    continue  # a real relative revision: 'db downgrade -1' is no attack
                args = list(base)
                offset = len(path) + index
                if offset < len(args):
                    args[offset] = value
                else:
                    args.append(value)
                yield f"{' '.join(path)} arg{index}={value[:12]!r}", args
        for option in text_options(command):
            for value in values:
                yield f"{' '.join(path)} {option.opts[0]}={value[:12]!r}", [*base, option.opts[-1], value]


def test_every_argument_and_option_with_hostile_values(seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(seeded)
    runner = CliRunner()
    tried = 0
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)  # files a command writes land here, whatever path it is given
    values = HOSTILE_ARGS if seeded.startswith("sqlite") else SERVER_ARGS
    for label, args in hostile_invocations(workdir, values):
        result = runner.invoke(cli, ["--database-url", seeded, *args], catch_exceptions=True)
        tried += 1
        assert result.exception is None or isinstance(result.exception, SystemExit), (label, repr(result.exception))
        assert "Traceback" not in result.output, label
        assert result.exit_code in (0, 1, 2), (label, result.exit_code, result.output[-500:])
        if result.exit_code == 1:
            assert_clean_failure(result.output)
            assert len(result.output) < 1200 + 2 * len(TEN_KB), label
    assert snapshot(seeded) == before, "a hostile argument changed the database"
    assert tried > (300 if seeded.startswith("sqlite") else 100)
    print(f"\n{tried} hostile command lines tried")


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_undecodable_bytes_on_a_real_command_line(migrated_url: str, tmp_path: Path) -> None:
    """Bytes that are not UTF-8 arrive as lone surrogates; every command answers in one line."""
    bad = os.fsencode("\udcff\udcfe-not-utf8")
    tried = 0
    for path, command in leaf_commands():
        if not arguments(command) or path == ("db", "downgrade"):
            continue
        argv = [os.fsencode(a) for a in typical_args(path, command, tmp_path)]
        if len(argv) > len(path):
            argv[len(path)] = bad
        else:
            argv.append(bad)
        proc = subprocess.run([*map(os.fsencode, CLI), *argv], env=cli_env(migrated_url), cwd=tmp_path, capture_output=True, check=False)
        output = proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")
        assert b"Traceback" not in proc.stderr, (path, output[-1500:])
        if proc.returncode == 1:
            assert_clean_failure(proc.stderr.decode(errors="replace"))
        tried += 1
    assert tried >= 10
