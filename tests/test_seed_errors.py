"""Every kind of bad input: one clear error naming file, record, field and line; the database unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from guestlist.models.errors import SeedError
from guestlist.seeds.cli import cli
from guestlist.seeds.loader import load

from .support.documents import EXAMPLE, write
from .support.snapshots import snapshot

pytestmark = pytest.mark.dialects

TEXT = EXAMPLE.read_text(encoding="utf-8")

@pytest.fixture(scope="module")
def loaded(db: str) -> str:
    load(db, [EXAMPLE])
    return db


def edit(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, old
    return TEXT.replace(old, new)


XI = "  - {slug: xi-jinping, name: Xi Jinping}\n"
SERIES = "  - {slug: victory-day-parades, name: Victory Day parades in Beijing, kind: series, date_precision: year}\n"

# id -> (document text, field, line, words the message must contain)
CASES: dict[str, tuple[str | bytes, str | None, int | None, str]] = {
    "malformed": (edit(XI, XI.rstrip("}\n") + "\n"), None, 35, "not valid YAML"),
    "tab-indent": (edit("    city: Beijing", "\tcity: Beijing"), None, 48, "not valid YAML"),
    "truncated-mid-quote": (TEXT[: TEXT.index("Kim will attend")], None, None, "not valid YAML"),
    "truncated-mid-record": (TEXT[: TEXT.index("    role: guest")], "role", None, "is required"),
    "empty": ("", None, None, "file is empty"),
    "only-comments": ("# nothing here\n", None, None, "holds no data"),
    "not-a-mapping": ("- format: guestlist/1\n", None, 1, "mapping of sections"),
    "no-format": (edit("format: guestlist/1\n", ""), "format", None, "is required"),
    "wrong-format": (edit("format: guestlist/1", "format: guestlist/2"), "format", 2, "must be 'guestlist/1'"),
    "no-source": (TEXT[: TEXT.index("source:")] + TEXT[TEXT.index("sources:"):], "source", None, "is required"),
    "unknown-state": (edit("    host: CHN", "    host: XXX"), "host", 50, "unknown state code 'XXX'"),
    "state-code-shape": (edit("    host: CHN", "    host: chn"), "host", 50, "three capital letters"),
    "unknown-person": (edit("    person: xi-jinping", "    person: xi-jinpin"), "person", 62, "did you mean 'xi-jinping'"),
    "unknown-event": (edit("event: japan-surrender-1945,", "event: japan-surrender-1946,"), "event", 57, "unknown event 'japan-surrender-1946'"),
    "unknown-organization": (edit("{state: SVK, organization: eu,", "{state: SVK, organization: eu-typo,"), "organization", 25, "unknown organization 'eu-typo'"),
    "unknown-source": (edit("name: Robert Fico, source: example-reference}", "name: Robert Fico, source: nowhere}"), "source", 35, "unknown source 'nowhere'"),
    "impossible-date": (edit("starts_on: 2025-09-03", "starts_on: 2025-02-30"), "starts_on", 47, "2025-02-30 is not a real date"),
    "impossible-quoted-date": (edit("starts_on: 2025-09-03", 'starts_on: "2025-13-01"'), "starts_on", 47, "not a real date"),
    "date-and-time": (edit("starts_on: 2025-09-03", "starts_on: 2025-09-03T10:00:00"), "starts_on", 47, "must be a date"),
    "date-order": (edit("valid_until: 1991-12-26", "valid_until: 1901-12-26"), "valid_until", 20, "before valid_from"),
    "bad-word": (edit("kind: military_parade", "kind: parade"), "kind", 46, "'parade' is not a known word"),
    "bad-status": (edit("status: confirmed, reported_on: 2025-08-28, quote: \"Kim", "status: maybe, reported_on: 2025-08-28, quote: \"Kim"), "status", None, "use one of: expected"),
    "duplicate-person": (edit(XI, XI + XI), None, 35, "duplicate person (xi-jinping): already given at line 34"),
    "duplicate-claim": (edit("      - {status: confirmed, reported_on: 2025-08-28, quote: \"Kim will attend\"}\n",
                             "      - {status: confirmed, reported_on: 2025-08-28, quote: \"Kim will attend\"}\n"
                             "      - {status: attended, reported_on: 2025-08-28, quote: \"Kim attended\"}\n"), None, None, "duplicate claim"),
    "duplicate-yaml-key": (edit("    city: Beijing\n", "    city: Beijing\n    city: Shanghai\n"), None, 49, "field 'city' is given twice"),
    "missing-required": (edit("    name: Victory Day parade 2025\n", ""), "name", None, "is required"),
    "null-required": (edit("    name: Victory Day parade 2025\n", "    name: null\n"), "name", 45, "cannot be null"),
    "wrong-type-int": (edit("duration_minutes: 70", "duration_minutes: seventy"), "duration_minutes", 52, "must be a whole number"),
    "wrong-type-text": (edit("name: Xi Jinping}", "name: 42}"), "name", 34, "must be text, not a number"),
    "wrong-type-bool": (edit("prospective: false", "prospective: maybe"), "prospective", 54, "must be true or false"),
    "wrong-type-section": (edit("persons:\n", "persons: all of them\n") .split("  - slug: kim-jong-un")[0] + "positions: []\n", None, 26, "persons: must be a list of records"),
    "wrong-type-record": (edit(XI, "  - xi-jinping\n"), None, None, "must be a record"),
    "out-of-range": (edit("duration_minutes: 70", "duration_minutes: 99999999999"), "duration_minutes", 52, "out of range"),
    "below-minimum": (edit("duration_minutes: 70", "duration_minutes: 0"), "duration_minutes", 52, "at least 1"),
    "parent-cycle": (edit(SERIES, SERIES.rstrip("}\n") + ", parent: beijing-parade-2025}\n"), "parent", None, "parent cycle: victory-day-parades -> beijing-parade-2025 -> victory-day-parades"),
    "own-parent": (edit(SERIES, SERIES.rstrip("}\n") + ", parent: victory-day-parades}\n"), "parent", 42, "its own parent"),
    "self-relation": (edit("event: japan-surrender-1945,", "event: beijing-parade-2025,"), "event", 57, "related to itself"),
    "unknown-section": (edit("persons:\n", "persns:\n"), None, 26, "unknown section 'persns' (did you mean 'persons'?)"),
    "unknown-field": (edit("    venue: Tiananmen", "    venu: Tiananmen"), "venu", 49, "did you mean 'venue'"),
    "unknown-nested-field": (edit("anniversary: 80,", "aniversary: 80,"), "aniversary", 57, "unknown field"),
    "no-state-or-organization": (edit("state: SVK, start_on: 2023-10-25", "start_on: 2023-10-25"), "state", 39, "needs a state or an organization"),
    "no-participant": (edit("    state: SVK\n    role: guest", "    role: guest"), "person", None, "needs a person"),
    "identifier-twice": (edit(XI, "  - {slug: xi-jinping, name: Xi Jinping, identifiers: {wikidata: Q56226}}\n"), "identifier", None, "already belongs to person 'kim-jong-un'"),
    "anchor-and-alias": (edit(XI, "  - &xi {slug: xi-jinping, name: Xi Jinping}\n  - *xi\n"), None, 34, "anchors and aliases"),
    "yaml-bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n", None, 1, "anchors and aliases"),
    "deep-nesting": ("format: guestlist/1\nsource: " + "[" * 200 + "]" * 200 + "\n", None, 2, "nesting deeper than"),
    "nul-byte": (edit("city: Beijing", "city: Bei\x00jing"), None, 48, "NUL byte"),
    "nul-escape": (edit("city: Beijing", 'city: "Bei\\0jing"'), "city", 48, "NUL character"),
    "lone-surrogate": (edit("city: Beijing", 'city: "Bei\\ud800jing"'), None, 48, "invalid Unicode character"),
    "invalid-utf8": (edit("city: Beijing", "city: Bei\udcffjing").encode("utf-8", "surrogateescape"), None, 48, "not valid UTF-8"),
    "control-character": (edit("city: Beijing", "city: Bei\x07jing"), None, 48, "character U+0007 is not allowed"),
    "huge-number": (edit("duration_minutes: 70", "duration_minutes: " + "7" * 5000), None, 52, "number is too long"),
    "python-tag": (edit("city: Beijing", "city: !!python/object/apply:os.system [ls]"), None, 48, "could not determine a constructor"),
    "long-name": (edit("name: Xi Jinping}", f"name: {'X' * 10_000}}}"), "name", 34, "10000 characters long; at most 300 fit"),
    "long-text": (edit("text: New missiles were shown.", f"text: {'m' * 20_000}"), "text", 59, "at most 16000 fit"),
    "key-with-spaces": (edit("title: Prime Minister of Slovakia,", "title: 'Prime Minister of Slovakia ',"), "title", 39, "start or end with spaces"),
    "slug-with-spaces": (edit("slug: xi-jinping,", "slug: 'xi jinping',"), "slug", 34, "one word without spaces"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_document_is_one_clear_error(loaded: str, tmp_path: Path, case: str) -> None:
    text, field, line, words = CASES[case]
    path = tmp_path / "bad.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = snapshot(loaded)
    with pytest.raises(SeedError) as caught:
        load(loaded, [path])
    error = caught.value
    assert words in str(error)
    assert error.file == str(path)
    assert error.field == field
    if line is not None:
        assert error.line == line
    assert "\n" not in str(error)
    assert len(str(error)) < 400
    assert snapshot(loaded) == before


def test_cycle_closed_through_stored_rows(loaded: str, tmp_path: Path) -> None:
    """The stored parade points at the stored series; making the series a child of the parade is a cycle."""
    doc = {"format": "guestlist/1", "source": {"slug": "cycle-src", "title": "Cycle", "kind": "other"},
           "events": [{"slug": "victory-day-parades", "name": "Victory Day parades in Beijing", "kind": "series",
                       "parent": "beijing-parade-2025"}]}
    before = snapshot(loaded)
    with pytest.raises(SeedError, match="parent cycle: victory-day-parades -> beijing-parade-2025 -> victory-day-parades"):
        load(loaded, [write(tmp_path, "cycle.yaml", doc)])
    assert snapshot(loaded) == before


def test_an_error_in_a_later_file_leaves_earlier_files_unwritten(loaded: str, tmp_path: Path) -> None:
    good = {"format": "guestlist/1", "source": {"slug": "good-src", "title": "Good", "kind": "other"},
            "persons": [{"slug": "good-person", "name": "Good Person"}]}
    bad = {"format": "guestlist/1", "source": {"slug": "bad-src", "title": "Bad", "kind": "other"},
           "offices": [{"slug": "good-envoy", "title": "Envoy", "state": "CHN"}],
           "positions": [{"person": "good-person", "office": "good-envoy", "title": "Envoy", "capacity": "envoy",
                          "state": "ZZZ", "start_on": "2020-01-01"}]}
    before = snapshot(loaded)
    with pytest.raises(SeedError, match="unknown state code 'ZZZ'") as caught:
        load(loaded, [write(tmp_path, "1-good.yaml", good), write(tmp_path, "2-bad.yaml", bad)])
    assert caught.value.file.endswith("2-bad.yaml")
    assert snapshot(loaded) == before


def test_conflicting_values_across_files_of_one_run(loaded: str, tmp_path: Path) -> None:
    base = {"format": "guestlist/1", "source": {"slug": "conflict-src", "title": "C", "kind": "other"}}
    first = write(tmp_path, "a.yaml", {**base, "persons": [{"slug": "conflicted", "name": "One Name"}]})
    second = write(tmp_path, "b.yaml", {**base, "persons": [{"slug": "conflicted", "name": "Another Name"}]})
    with pytest.raises(SeedError, match="conflicts with 'One Name'") as caught:
        load(loaded, [first, second])
    assert caught.value.file == str(second) and caught.value.field == "name"


def test_in_memory_lone_surrogate(loaded: str) -> None:
    doc = {"format": "guestlist/1", "source": {"slug": "s", "title": "Bad \ud800 title", "kind": "other"}}
    with pytest.raises(SeedError, match="field 'title': is not valid Unicode"):
        load(loaded, [("surrogate", doc)])


def test_file_over_the_size_limit_is_refused_unread(loaded: str, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(17 * 2**20)
    with pytest.raises(SeedError, match="limited to 16 MiB"):
        load(loaded, [path])


def test_missing_path(loaded: str, tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="no such file or folder"):
        load(loaded, [tmp_path / "nowhere.yaml"])


def test_cli_prints_one_line_and_exits_1(loaded: str, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", CASES["unknown-state"][0])  # type: ignore[arg-type]
    before = snapshot(loaded)
    result = CliRunner().invoke(cli, ["--database-url", loaded, "seed", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {path}:50: events #3 'beijing-parade-2025': field 'host': unknown state code 'XXX': "
        "not in the database or in any document of this run"
    ]
    assert snapshot(loaded) == before


def test_real_process_shows_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", CASES["impossible-date"][0])  # type: ignore[arg-type]
    url = f"sqlite:///{tmp_path / 'g.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "guestlist", "--database-url", url, "seed", str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: {path}:47: events #3 'beijing-parade-2025': field 'starts_on': "
        "2025-02-30 is not a real date (day is out of range for month)"
    ]
