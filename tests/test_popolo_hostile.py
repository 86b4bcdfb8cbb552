"""Hostile Popolo documents, links that are not http(s), and SQLite paths with '?', on three databases.

Each hostile case asserts one line naming the file (and the JSON path or the
record and field), exit code 1, no traceback, and a database dump unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guestlist.models.db.migrate import upgrade
from guestlist.seeds.importers import popolo_json

from .support.cli import invoke
from .support.queries import rows
from .support.snapshots import snapshot

pytestmark = pytest.mark.dialects


@pytest.fixture(scope="module")
def seeded(ecosystem_url: str) -> str:
    """The bundled seeds and EDGES, one database per dialect for this module."""
    return ecosystem_url


PERSON = {"id": "person/hostile-x", "name": "Hostile X", "sources": [{"url": "https://example.org/x"}]}


def _person(**changes: Any) -> str:
    return json.dumps({"persons": [{**PERSON, **changes}]})


HOSTILE = [
    (_person(id=["person/a"]), "persons[0]: field 'id': must be text, not a list"),
    (_person(id={"a": 1}), "persons[0]: field 'id': must be text, not an object"),
    (_person(guestlist={"slug": ["x"]}), "field 'guestlist.slug': must be text, not a list"),
    (_person(identifiers=[{"scheme": ["wikidata"], "identifier": "Q1"}]), "identifiers[0]: field 'scheme': must be text"),
    (_person(name={"first": "X"}), "field 'name'"),
    (json.dumps({"organizations": [{"id": "organization/o", "name": "O", "parent_id": ["state/CHN"]}]}),
     "organizations[0] (organization/o): field 'parent_id': must be text, not a list"),
    (json.dumps({"organizations": [{"id": "organization/o", "name": "O", "classification": {"x": 1}}]}),
     "field 'classification': must be text, not an object"),
    (json.dumps({"memberships": [{"person_id": ["person/x"], "organization_id": "organization/o"}]}),
     "memberships[0]: field 'person_id': must be text, not a list"),
    (json.dumps({"events": [{"id": "event/e", "name": "E", "attendees": [{"id": {"x": 1}}]}]}),
     "attendees[0]: field 'id': must be text, not an object"),
    ('{"persons": [{"id": "person/x", "name": "X", "name": "Y"}]}', "persons[0]: key 'name' is given twice"),
    ('{"events": [{"id": "event/e", "guestlist": {"slug": "a", "slug": "b"}}]}',
     "events[0].guestlist: key 'slug' is given twice"),
    ('{"persons": [], "persons": []}', "key 'persons' is given twice"),
    ('{"persons": [{"id": "person/x", "name": "X", "birth_date": ' + "9" * 5000 + "}]}",
     "persons[0].birth_date: a number is too long"),
    ('{"persons": [' + "[" * 30 + "]" * 30 + "]}", f"nested deeper than {popolo_json.MAX_DEPTH} levels"),
    ('{"persons": {"id": "x"}}', "persons: must be a list"),
    ("[1, 2]", "a Popolo document is a JSON object"),
    ('{"persons": [{"id": "person/x", "name": "\xff"}]', "not valid JSON"),
    (json.dumps({"persons": [{**PERSON, "sources": [{"url": "javascript:alert(1)"}]}]}),
     "field 'url': must be an absolute http:// or https:// URL, not 'javascript:alert(1)'"),
    (json.dumps({"posts": [{"id": "post/p", "label": "P", "organization_id": "state/CHN",
                            "sources": [{"url": "https://example.org/p"}], "guestlist": {"seats": 0}}]}),
     "posts[0] (post/p): field 'guestlist.seats': must be at least 1"),
    (json.dumps({"posts": [{"id": "post/p", "label": "P", "organization_id": "state/CHN",
                            "sources": [{"url": "https://example.org/p"}], "guestlist": {"slug": ["p"]}}]}),
     "posts[0] (post/p): field 'guestlist.slug': must be text, not a list"),
    (json.dumps({"persons": [PERSON], "memberships": [
        {"person_id": "person/hostile-x", "organization_id": "state/CHN", "label": "Envoy", "role": "envoy",
         "start_date": "2020-01-01", "sources": [{"url": "https://example.org/x"}],
         "guestlist": {"tenure": "usurped"}}]}),
     "memberships[0]: field 'guestlist.tenure': 'usurped' is not a known word"),
]


def _refused(url: str, args: list[str], message: str) -> None:
    before = snapshot(url)
    result = invoke(url, *args)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert message in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert snapshot(url) == before


@pytest.mark.parametrize(("content", "message"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_popolo_is_one_line_and_writes_nothing(seeded: str, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape") if "\xff" not in content else content.encode("latin-1"))
    _refused(seeded, ["import", "popolo", str(path)], message)


def test_dev_zero_and_a_huge_file_are_refused(seeded: str, tmp_path: Path) -> None:
    _refused(seeded, ["import", "popolo", "/dev/zero"], "/dev/zero: not valid JSON")
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: larger than the limit without using the disk
        handle.truncate(popolo_json.MAX_FILE_BYTES + 1)
    _refused(seeded, ["import", "popolo", str(huge)], f"file is larger than {popolo_json.MAX_FILE_BYTES // 2**20} MiB")


BAD_LINKS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
             "relative/page.html", "//example.org/no-scheme", "https://", "http:// spaced.example/"]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_seed_source_urls_must_be_http(seeded: str, tmp_path: Path, link: str) -> None:
    seed = tmp_path / "links.yaml"
    seed.write_text(json.dumps({"format": "guestlist/1", "source": {
        "slug": "link-test", "title": "A link test", "kind": "other", "url": link}}), encoding="utf-8")
    _refused(seeded, ["seed", str(seed)], "source 'link-test': field 'url': must")


@pytest.mark.parametrize("link", BAD_LINKS[:4])
def test_popolo_link_urls_must_be_http(seeded: str, tmp_path: Path, link: str) -> None:
    path = tmp_path / "links.json"
    path.write_text(json.dumps({"guestlist": {"sources": [
        {"slug": "link-test", "title": "A link test", "kind": "other", "url": link}]}, "persons": [PERSON]}))
    _refused(seeded, ["import", "popolo", str(path)], "field 'url': must")


def test_exports_never_write_a_stored_link_of_another_scheme(seeded: str, tmp_path: Path) -> None:
    """A link stored before links were checked (here written by SQL) is left out of every export."""
    from guestlist.models.db import create_engine

    engine = create_engine(seeded)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE sources SET url = 'javascript:alert(1)' WHERE slug = 'ecosystem-test-reference'")
    engine.dispose()
    try:
        out = tmp_path / "out.json"
        assert invoke(seeded, "export", "popolo", str(out)).exit_code == 0
        assert "javascript:" not in out.read_text(encoding="utf-8")
        folder = tmp_path / "seeds"
        assert invoke(seeded, "export", "seeds", str(folder)).exit_code == 0
        assert not any("javascript:" in p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file())
    finally:
        engine = create_engine(seeded)
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE sources SET url = NULL WHERE slug = 'ecosystem-test-reference'")
        engine.dispose()


@pytest.mark.parametrize("module_dialect", ["sqlite"], indirect=True)
def test_an_sqlite_path_with_a_question_mark_is_refused_or_literal(seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("sqlite:///q?x.db", "db", "upgrade")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1, result.output
    assert "write it as %3F" in result.output
    assert list(tmp_path.iterdir()) == []  # neither 'q' nor anything else was created
    assert invoke("sqlite:///q%3Fx.db", "db", "upgrade").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["q?x.db"]
    assert invoke("sqlite:///a#b.db", "db", "upgrade").exit_code == 0  # '#' is taken literally
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a#b.db", "q?x.db"]


@pytest.mark.slow
def test_a_generated_document_of_50000_persons_imports(seeded: str, tmp_path: Path) -> None:
    """The benchmark's document at 50,000 persons: the import gives the seed loader's rows."""
    from tests.benchmarks.bulk_load import TABLES, base_database, counts
    from tests.benchmarks.popolo_import import generate

    from .support.databases import new_database

    data, doc = generate(tmp_path, 50_000)
    dialect = seeded.split(":", 1)[0].split("+")[0]
    with new_database(dialect, tmp_path, "empty") as seed_url, new_database(dialect, tmp_path, "empty") as import_url:
        for url in (seed_url, import_url):
            upgrade(url)
            base_database(url)
        assert invoke(seed_url, "seed", str(data)).exit_code == 0
        result = invoke(import_url, "import", "popolo", str(doc))
        assert result.exit_code == 0, result.output
        assert counts(import_url) == counts(seed_url)
        assert counts(import_url)["persons"] >= 50_000
        assert rows(import_url, "SELECT COUNT(*) FROM persons WHERE slug = 'person-0049999'") == [(1,)]
        assert set(TABLES) <= set(counts(import_url))


FOREIGN_IDS = {
    "events": [
        # A child names its parent, further down, by the other tool's id; the parent's slug is not that id's.
        {"id": "x:child", "name": "Child", "parent_id": "x:parent", "guestlist": {"slug": "the-child"},
         "sources": [{"url": "https://example.org/cal"}]},
        {"id": "x:parent", "name": "Parent", "classification": "summit", "guestlist": {"slug": "the-parent"},
         "sources": [{"url": "https://example.org/cal"}]},
    ],
}


@pytest.mark.parametrize("module_dialect", ["sqlite"], indirect=True)
def test_a_parent_named_by_a_foreign_id_further_down_resolves(seeded: str, tmp_path: Path) -> None:
    from .support.databases import new_database

    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(FOREIGN_IDS), encoding="utf-8")
    with new_database("sqlite", tmp_path) as url:
        result = invoke(url, "import", "popolo", str(path))
        assert result.exit_code == 0, result.output
        assert rows(url, "SELECT c.slug, p.slug FROM events c JOIN events p ON c.parent_id = p.id") == [
            ("the-child", "the-parent")]
        again = invoke(url, "import", "popolo", str(path))
        assert again.exit_code == 0 and again.output.splitlines()[-1].startswith("0 added, 0 changed"), again.output


def test_strange_text_goes_through_the_streamed_path_verbatim(seeded: str, tmp_path: Path) -> None:
    """SQL, bidi marks, line breaks, YAML-looking words: stored exactly as the document gives them."""
    from .support.databases import new_database
    from .support.hostile import ALL_TEXT, SQL_SLUGS

    names = [t.strip() for t in ALL_TEXT if t.strip()]
    persons = [{"id": f"person/odd-{i}", "name": name, "sort_name": ALL_TEXT[i % len(ALL_TEXT)],
                "sources": [{"url": "https://example.org/odd", "note": ALL_TEXT[-1 - i % len(ALL_TEXT)]}]}
               for i, name in enumerate(names)]
    persons += [{"id": f"person/{slug}", "name": "Slug Test", "sources": [{"url": "https://example.org/odd"}]}
                for slug in SQL_SLUGS]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"persons": persons}, ensure_ascii=False), encoding="utf-8")
    dialect = seeded.split(":", 1)[0].split("+")[0]
    with new_database(dialect, tmp_path) as url:
        result = invoke(url, "import", "popolo", str(path))
        assert result.exit_code == 0, result.output
        stored = dict(rows(url, "SELECT slug, name FROM persons"))
        assert [stored[f"odd-{i}"] for i in range(len(names))] == names
        assert all(stored[slug] == "Slug Test" for slug in SQL_SLUGS)
        before = snapshot(url)
        again = invoke(url, "import", "popolo", str(path))
        assert again.exit_code == 0 and again.output.splitlines()[-1].startswith("0 added, 0 changed"), again.output
        assert snapshot(url) == before


@pytest.mark.parametrize("module_dialect", ["sqlite"], indirect=True)
def test_a_membership_naming_a_missing_post_gets_a_made_office_and_says_so(seeded: str, tmp_path: Path) -> None:
    from .support.databases import new_database

    china = {"id": "state/CHN", "name": "China", "classification": "country"}
    membership = {"person_id": "person/hostile-x", "organization_id": "state/CHN", "label": "Envoy", "role": "envoy",
                  "start_date": "2020-01-01", "sources": [{"url": "https://example.org/x"}]}
    path = tmp_path / "made.json"
    path.write_text(json.dumps({"persons": [PERSON], "organizations": [china], "memberships": [
        {**membership, "post_id": "post/nowhere"}, {**membership, "start_date": "2021-01-01"}]}), encoding="utf-8")
    with new_database("sqlite", tmp_path) as url:
        result = invoke(url, "import", "popolo", str(path))
        assert result.exit_code == 0, result.output
        assert "offices made from memberships without a post: 1" in result.output.splitlines()
        assert rows(url, "SELECT o.slug, o.title, o.seats, COUNT(*) FROM offices o "
                         "JOIN positions p ON p.office_id = o.id GROUP BY o.slug, o.title, o.seats") == [
            ("chn-envoy", "Envoy", 2, 2)]
