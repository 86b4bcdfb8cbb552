"""Full-text search on every database: what it finds, what narrows it, what it refuses, and that
the index always equals the rows (after seeds, bulk files, plain SQL plus reindex, a downgrade and upgrade).

Expected hits come from an oracle that knows nothing of the index: a regular
expression over every searchable text read straight from the tables.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from guestlist.models import vocab
from guestlist.models.db import create_engine
from guestlist.models.db.migrate import downgrade, upgrade
from guestlist.models.errors import GuestlistError, NotFoundError
from guestlist.models.search import ORIGINS, search, stale
from guestlist.seeds.cli.search import KINDS as SEARCH_COMMAND_KINDS
from guestlist.seeds.loader import bundled, load

from .support.cli import generate, invoke
from .support.revisions import forget_source_languages
from .support.snapshots import data_snapshot, snapshot

PARADE = "beijing-victory-day-parade-2025"
# A purpose-built document: a made-up person named in Han characters, and a note to edit.
CJK_DOC = {
    "format": "guestlist/1",
    "source": {"slug": "test-search-source", "title": "A test document for search", "kind": "other"},
    "persons": [{"slug": "test-han-person", "name": "Test Han Person", "other_names": [{"name": "测试人物", "lang": "zh"}]}],
    "events": [{"slug": "test-search-event", "name": "A search test event", "kind": "other", "starts_on": "2020-01-01",
                "notes": [{"topic": "remark", "text": "A zanzibarian remark", "quote": "zanzibarian"}]}],
}


def texts(url: str) -> list[tuple[str, str]]:
    """(origin, text) of every searchable text, straight from the tables."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                (o.name, text)
                for o in ORIGINS
                for (text,) in conn.execute(sa.text(f"SELECT {o.column} FROM {o.table} WHERE {o.column} IS NOT NULL"))
            ]
    finally:
        engine.dispose()


def _plain(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).casefold()


def oracle(url: str, *patterns: str) -> set[tuple[str, str]]:
    """Texts in which every pattern (a regular expression over the case- and accent-free text) occurs."""
    return {(o, t) for o, t in texts(url) if all(re.search(p, _plain(t)) for p in patterns)}


def found(url: str, query: str, **options: Any) -> set[tuple[str, str]]:
    return {(h.field, h.text) for h in search(query, limit=1000, db=url, **options)}


@pytest.mark.parametrize(
    ("query", "patterns"),
    [
        ("traditional friend", [r"\btraditional\b", r"\bfriend\b"]),  # words, any order
        ('"traditional friend"', [r"\btraditional\W+friend\b"]),  # a phrase
        ("boycott", [r"\bboycott\b"]),
        ("BOYCOTT", [r"\bboycott\b"]),  # case
        ("김정은", [r"김정은"]),  # Hangul
        ("Лукашенко", [r"\bлукашенко\b"]),  # Cyrillic
        ("лукашенко", [r"\bлукашенко\b"]),
        ("Milos", [r"\bmilos\b"]),  # accents: Miloš
        ("nikolić", [r"\bnikolic\b"]),
        ("Kim Jong-un", [r"\bkim\b", r"\bjong\W+un\b"]),  # a hyphenated word is a phrase of its parts
        ("Prabowo OR Anwar", [r"\bprabowo\b|\banwar\b"]),
        ("parade -Beijing", [r"\bparade\b", r"^(?!.*\bbeijing\b)"]),
    ],
)
def test_search_finds_exactly_the_texts_that_match(seeded_url: str, query: str, patterns: list[str]) -> None:
    expected = oracle(seeded_url, *patterns)
    assert expected, f"the bundled data has no text for {query!r}: the test would prove nothing"
    assert found(seeded_url, query) == expected


def test_hits_carry_their_kind_marks_and_natural_keys(seeded_url: str) -> None:
    hits = search("traditional friend", db=seeded_url)
    quote = next(h for h in hits if h.kind == "quote")
    assert quote.field == "attendance_claims.source_quote" and quote.event == "china-mfa-press-briefing-2025-08-28"
    assert quote.source and quote.state == "CHN"
    assert "[traditional] [friend]" in quote.marked
    (person,) = search("김정은", db=seeded_url)
    assert (person.kind, person.person, person.marked) == ("person", "kim-jong-un", "[김정은]")
    assert [h.kind for h in search("Lukashenko", kind="person", db=seeded_url)] == ["person", "person"]


def test_kind_and_event_narrow_the_hits(seeded_url: str) -> None:
    everything = found(seeded_url, "Putin")
    quotes = search("Putin", kind="quote", limit=1000, db=seeded_url)
    assert quotes and {h.kind for h in quotes} == {"quote"}
    assert {(h.field, h.text) for h in quotes} < everything
    two = search("Putin", kind=["quote", "person"], limit=1000, db=seeded_url)
    assert {h.kind for h in two} == {"quote", "person"}
    at_parade = search("Putin", event=PARADE, limit=1000, db=seeded_url)
    assert at_parade and {h.event for h in at_parade} == {PARADE}
    assert {(h.field, h.text) for h in at_parade} < everything
    assert len(search("Putin", limit=3, db=seeded_url)) == 3


@pytest.mark.parametrize(
    "query",
    ['"traditional friend', "OR", "Putin OR", "OR Putin", "Putin OR OR Kim", "-", "-Putin", "Putin OR -Kim", "!!! ...",
     "x" * 10_000, " "],
)
def test_refused_queries_are_one_line_and_exit_1(seeded_url: str, query: str) -> None:
    with pytest.raises(GuestlistError):
        search(query, db=seeded_url)
    result = invoke(seeded_url, "search", "--", query)  # "--": a query may start with "-"
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: ")


def test_bad_options_are_refused(seeded_url: str) -> None:
    with pytest.raises(NotFoundError, match="no event with slug 'no-such-event'"):
        search("Putin", event="no-such-event", db=seeded_url)
    with pytest.raises(GuestlistError, match="unknown search kind"):
        search("Putin", kind="quotes", db=seeded_url)
    for args in (["--limit", "0"], ["--kind", "quotes"], ["--event", "no-such-event"]):
        result = invoke(seeded_url, "search", "Putin", *args)
        assert result.exit_code != 0 and "Traceback" not in result.output, args


def test_search_text_is_a_bound_parameter(seeded_url: str) -> None:
    before = snapshot(seeded_url)
    for query in ("'; DROP TABLE events; --", "x') OR 1=1 --", "terms : *", '"a" NEAR b', "kim:*", "w6b696d"):
        assert isinstance(search(query, db=seeded_url), list)
    assert snapshot(seeded_url) == before


def test_cli_formats(seeded_url: str) -> None:
    import json

    result = invoke(seeded_url, "search", "김정은", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(h["kind"], h["person"], h["marked"]) for h in json.loads(result.output)] == [("person", "kim-jong-un", "[김정은]")]
    result = invoke(seeded_url, "search", "traditional friend", "--kind", "quote", "--format", "csv")
    assert result.exit_code == 0 and result.output.splitlines()[0].startswith("kind,field,text,marked")
    result = invoke(seeded_url, "search", "traditional friend", "--format", "table")
    assert result.exit_code == 0 and "[traditional] [friend]" in result.output


def _index_in_step(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert stale(conn) == {}
            entries = conn.execute(sa.text("SELECT COUNT(*) FROM search_entries")).scalar()
    finally:
        engine.dispose()
    assert entries == len(texts(url))


def test_the_index_follows_every_change(migrated_url: str, tmp_path: Path) -> None:
    url = migrated_url
    load(url, [*bundled(), ("cjk", CJK_DOC)])
    _index_in_step(url)
    assert {(h.person, h.text) for h in search("测试", db=url)} == {("test-han-person", "测试人物")}
    assert {h.text for h in search("试人", db=url)} == {"测试人物"}  # inside an unspaced run

    # A changed note: the old words are gone from the index, the new ones found.
    edited = {**CJK_DOC, "events": [{**CJK_DOC["events"][0], "notes": [{"topic": "remark", "text": "A quetzalcoatlian remark"}]}]}
    load(url, [("cjk", edited)])
    _index_in_step(url)
    assert found(url, "zanzibarian") == set() and len(found(url, "quetzalcoatlian")) == 1

    # A refused document leaves rows and index exactly as they were.
    before = snapshot(url)
    broken = {**edited, "events": [{**edited["events"][0], "host": "ZZZ", "notes": [{"topic": "remark", "text": "zebra"}]}]}
    with pytest.raises(GuestlistError):
        load(url, [("broken", broken)])
    assert snapshot(url) == before

    # Re-seeding the same documents writes nothing, index included.
    load(url, [*bundled(), ("cjk", edited)])
    assert snapshot(url) == before

    # Rows changed with plain SQL: stale until 'guestlist db reindex-search'.
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE event_notes SET text = 'A xylophonic remark' WHERE topic = 'remark'"))
        with engine.connect() as conn:
            assert stale(conn)
    finally:
        engine.dispose()
    result = invoke(url, "db", "reindex-search")
    assert result.exit_code == 0, result.output
    _index_in_step(url)
    assert len(found(url, "xylophonic")) == 1 and found(url, "quetzalcoatlian") == set()

    # Down below the revision that made the index and up again: dropped, then rebuilt from the rows.
    # First below the offices, whose downgrade cannot keep them: the walk below keeps everything else.
    forget_source_languages(url)
    below_offices = _below("offices: how many hold each at once")
    downgrade(url, below_offices, allow_data_loss=True)
    facts = data_snapshot(url)
    downgrade(url, _before_the_index())
    engine = create_engine(url)
    try:
        assert not sa.inspect(engine).has_table("search_entries")
    finally:
        engine.dispose()
    upgrade(url, below_offices)
    assert data_snapshot(url) == facts
    upgrade(url)
    _index_in_step(url)
    assert len(found(url, "xylophonic")) == 1


def _before_the_index() -> str:
    """The revision below the one that creates search_entries (its docstring says so; later ones only change it)."""
    return _below("search index: full-text search")


def _below(doc: str) -> str:
    """The revision below the one whose docstring starts with ``doc``."""
    from alembic.script import ScriptDirectory

    from guestlist.models.db.migrate import alembic_config

    for script in ScriptDirectory.from_config(alembic_config()).walk_revisions():
        if (script.doc or "").startswith(doc):
            return str(script.down_revision)
    raise AssertionError(f"no revision's docstring starts with {doc!r}")


def test_bulk_files_are_indexed_in_the_same_run(migrated_url: str, tmp_path: Path) -> None:
    data = generate(tmp_path / "synthetic", ["--persons", "60", "--events", "12", "--participations", "300", "--seed", "3"])
    load(migrated_url, [*bundled(), data])
    _index_in_step(migrated_url)
    name = max(t for o, t in texts(migrated_url) if o == "persons.name")
    assert ("persons.name", name) in found(migrated_url, f'"{name}"')


def test_a_later_load_indexes_only_the_rows_without_entries(migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small windows, so the rows of the second run span windows with entries (probed row by row)
    and windows above the last entry (written without the probe): nothing missing, nothing twice."""
    import guestlist.models.search.index

    monkeypatch.setattr(guestlist.models.search.index, "WINDOW", 40)
    load(migrated_url, bundled())
    _index_in_step(migrated_url)
    data = generate(tmp_path / "synthetic", ["--persons", "60", "--events", "12", "--participations", "300", "--seed", "3"])
    load(migrated_url, [*bundled(), data])
    _index_in_step(migrated_url)


@pytest.mark.parametrize("seed", range(3))
def test_ascii_texts_fold_as_every_text_does(seed: int) -> None:
    """terms_of takes a shortcut for ASCII text; it must give the terms the general folding gives."""
    import random
    import string

    from guestlist.models.text import WORD, fold, segments, terms_of

    rng = random.Random(seed)
    samples = ["Kim Jong-un", "KIM  JONG_UN", "a_b c__d", "x1 2y", "it's 3:00 p.m.", "", "___", "Tab\there\nnew"]
    samples += ["".join(rng.choice(string.printable) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    for text in samples:
        general = tuple(term for word in WORD.findall(fold(text)) for _, _, term in segments(word))
        assert terms_of(text) == general, text


def test_the_search_commands_kinds_are_the_vocabularys() -> None:
    """`guestlist search --kind` lists its words without importing the models (for --help's speed)."""
    assert tuple(SEARCH_COMMAND_KINDS) == tuple(vocab.SEARCH_KIND)


@pytest.mark.parametrize("seed", range(3))
def test_fts5_reads_ascii_text_as_it_is_folded(seed: int) -> None:
    """SQLite stores no terms for ASCII text (stored_terms): FTS5's tokenizer, given the text
    itself, must yield exactly terms_of's terms, in order."""
    import random
    import sqlite3
    import string

    from guestlist.models.search import stored_terms
    from guestlist.models.text import terms_of

    rng = random.Random(seed)
    samples = ["Kim Jong-un", "KIM  JONG_UN", "a_b c__d", "x1 2y", "it's 3:00 p.m.", "Tab\there\nnew", "U.S.-China"]
    samples += ["".join(rng.choice(string.printable) for _ in range(rng.randint(1, 40))) for _ in range(500)]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(terms, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)")
    for i, text in enumerate(samples, 1):
        assert stored_terms(text, "sqlite") is None
        db.execute("INSERT INTO f(rowid, terms) VALUES (?, ?)", (i, text))
        tokens = tuple(t for (t,) in db.execute("SELECT term FROM v WHERE doc = ? ORDER BY offset", (i,)))
        assert tokens == terms_of(text), text


def test_a_large_write_builds_the_postgresql_indexes_after_the_rows(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past DEFER_INDEXES new entries into a smaller index, PostgreSQL drops the primary key and
    GIN index and makes them again after the rows, as they were; the index ends equal to the rows."""
    import guestlist.models.search.index

    def definitions() -> list[str]:
        engine = create_engine(migrated_url)
        try:
            with engine.connect() as conn:
                return sorted(conn.exec_driver_sql(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_entries'").scalars())
        finally:
            engine.dispose()

    monkeypatch.setattr(guestlist.models.search.index, "DEFER_INDEXES", 50)
    dialect = sa.make_url(migrated_url).get_backend_name()
    before = definitions() if dialect == "postgresql" else None
    load(migrated_url, bundled())
    data = generate(tmp_path / "synthetic", ["--persons", "60", "--events", "12", "--participations", "300", "--seed", "3"])
    load(migrated_url, [*bundled(), data])
    _index_in_step(migrated_url)
    if before is not None:
        assert definitions() == before and len(before) == 2
