"""Citations on every database: the source_citations view, sources.csv, and `guestlist cite` in each format.

Against the bundled seeds: the 2015 and 2025 parades, each fact with its
source. The CSL-JSON is checked against the CSL schema citeproc-py ships
(its item types and variables) and read back by citeproc-py; the BibTeX is
parsed back by bibtexparser.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from guestlist.models.db import create_engine
from guestlist.models.db.migrate import downgrade, upgrade
from guestlist.models.errors import GuestlistError, NotFoundError
from guestlist.models.reports import citations
from guestlist.models.reports.display import MONTHS
from guestlist.models.views import source_citations
from guestlist.seeds.cli import cli
from guestlist.seeds.loader import load

from .support.revisions import forget_source_languages

PARADES = ["beijing-victory-day-parade-2015", "beijing-victory-day-parade-2025"]
SOURCE_COLUMNS = [c.name for c in source_citations.columns]
REVISION = "f2b4d6e8a0c1"  # adds sources.language and the view
BELOW = "e1a3c5f7b9d2"


def cite(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--database-url", url, "cite", *args])


def cite_ok(url: str, *args: str) -> str:
    result = cite(url, *args)
    assert result.exit_code == 0, result.output
    return result.output


def table_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def csl_vocabulary() -> tuple[set[str], set[str]]:
    """CSL's item types and variable names, from the CSL schema citeproc-py ships."""
    import citeproc

    schema = Path(citeproc.SCHEMA_PATH).parent
    types_text = (schema / "csl-types.rnc").read_text(encoding="utf-8")
    variables_text = (schema / "csl-variables.rnc").read_text(encoding="utf-8")
    types = set(re.findall(r'"([a-z_-]+)"', types_text))
    variables = set(re.findall(r'"([A-Za-z_-]+)"', variables_text))
    return types, variables


# ------------------------------------------------------------------ the view


def test_the_view_holds_the_sources_table_row_for_row(seeded_url: str) -> None:
    listed = ", ".join(SOURCE_COLUMNS)
    view = table_rows(seeded_url, f"SELECT {listed} FROM source_citations")
    table = table_rows(seeded_url, f"SELECT {listed} FROM sources")
    assert sorted(view, key=repr) == sorted(table, key=repr)
    assert len(view) == table_rows(seeded_url, "SELECT COUNT(*) FROM sources")[0][0] > 100
    languages = dict(table_rows(seeded_url, "SELECT slug, language FROM source_citations"))
    # the language of the source's own text, and NULL where the record does not show it
    assert languages["nepszava-2025-09-04-hol-van-orban-viktor"] == "hu"
    assert languages["kbs-2025-08-20-woo-invited-lee-not-attending"] == "ko"
    assert languages["cns-2015-09-03-duanmen"] == "zh"
    assert languages["wikipedia-kim-jong-un"] is None


def test_sources_csv_is_the_view(seeded_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--database-url", seeded_url, "export", "csv", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == SOURCE_COLUMNS
    expected = table_rows(seeded_url, f"SELECT {', '.join(SOURCE_COLUMNS)} FROM sources ORDER BY slug")
    shown = [tuple("" if v is None else str(v) for v in row) for row in expected]
    assert sorted(tuple(r) for r in rows[1:]) == sorted(shown)
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == "sources"]
    assert resource["path"] == "sources.csv" and resource["description"] == source_citations.comment
    described = {f["name"]: f["description"] for f in resource["schema"]["fields"]}
    assert list(described) == SOURCE_COLUMNS and "BCP 47" in described["language"]


# ------------------------------------------------------------------ guestlist cite


@pytest.mark.parametrize("event", PARADES)
def test_text_gives_every_claim_with_its_source_in_the_style(seeded_url: str, event: str) -> None:
    output = cite_ok(seeded_url, event)
    claims, sources = citations.claims_to_cite(event, db=seeded_url)
    assert claims and any(c.kind == "count" for c in claims)
    lines = output.splitlines()
    assert lines[0].startswith(f"2015 China Victory Day parade ({event})" if "2015" in event else f"2025 China Victory Day parade ({event})")
    at = 0
    for claim in claims:  # in the order printed (two sources may state the same words)
        at = lines.index(claim.claim, at + 1)
        following = lines[at + 1 : at + 3]
        source_line = next(line for line in following if line.startswith("    Source: "))
        cited = sources[claim.source_slug]
        assert cited.title in source_line, (claim.claim, source_line)
        if cited.published_on is not None:  # the style dates a news article to the day, other works to the year
            day = cited.published_on
            assert f"({day.year})" in source_line, source_line
            if cited.kind == "news_article":
                assert f"{day.day} {MONTHS[day.month - 1]}" in source_line, source_line
    assert output.count("    Source: ") == len(claims)


def test_text_words_a_claim_as_a_reader_does(seeded_url: str) -> None:
    output = cite_ok(seeded_url, PARADES[1], "--person", "viktor-orban")
    assert "Viktor Orbán (Hungary), head of government: not attending, reported 2025-09-04" in output.splitlines()
    assert "Source: Népszava (2025) ‘Hol van Orbán Viktor?’, Népszava, 4 September." in output


@pytest.mark.parametrize("event", PARADES)
def test_csl_json_items_are_csl_and_the_claims_name_them(seeded_url: str, event: str) -> None:
    from citeproc.source.json import CiteProcJSON

    document = json.loads(cite_ok(seeded_url, event, "--format", "csl-json"))
    items, claims = document["items"], document["claims"]
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    assert set(ids) == {c["source_slug"] for c in claims}
    types, variables = csl_vocabulary()
    for item in items:
        assert item["type"] in types, item
        assert isinstance(item["title"], str) and item["title"]
        assert set(item) - {"id", "type"} <= variables, set(item) - variables
        for date in ("issued", "accessed"):
            if date in item:
                (parts,) = item[date]["date-parts"]
                assert len(parts) == 3 and all(isinstance(p, int) for p in parts)
        for name in item.get("author", []):
            assert set(name) == {"literal"}
    CiteProcJSON(items)  # citeproc-py reads them as they are
    expected, _ = citations.claims_to_cite(event, db=seeded_url)
    assert [c["claim"] for c in claims] == [c.claim for c in expected]
    orban = [i for i in items if i["id"] == "nepszava-2025-09-04-hol-van-orban-viktor"]
    if orban:
        assert orban[0]["language"] == "hu" and orban[0]["issued"] == {"date-parts": [[2025, 9, 4]]}


@pytest.mark.parametrize("event", PARADES)
def test_bibtex_parses_back_with_one_entry_per_source(seeded_url: str, event: str) -> None:
    import bibtexparser
    from pylatexenc.latex2text import LatexNodes2Text

    text = cite_ok(seeded_url, event, "--format", "bibtex")
    _, sources = citations.claims_to_cite(event, db=seeded_url)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == list(sources)
    to_text = LatexNodes2Text()
    for entry in library.entries:
        cited = sources[entry.key]
        assert entry.entry_type == ("article" if cited.kind == "news_article" else "online")
        assert to_text.latex_to_text(entry["title"]) == cited.title
        if cited.url:
            assert entry["url"].startswith(cited.url.split("%")[0][:30])
        if cited.published_on:
            assert entry["date"] == cited.published_on.isoformat()


def test_bibtex_escapes_what_tex_reads() -> None:
    """Specials escaped, other text kept, keys a key can hold, the URL verbatim: parsed back to the same values."""
    import bibtexparser
    from pylatexenc.latex2text import LatexNodes2Text

    source = citations.Citation(
        slug="odd{slug},1", title="50% of #1 & {all} $_~^ \\ 김정은", publisher="A & B", author="Doe, J.",
        published_on=None, url="https://example.org/a b?c={d}&e=%20", retrieved_on=None, kind="press_release",
        language="ko",
    )
    library = bibtexparser.parse_string(citations.bibtex([source]))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "odd-slug--1" == citations.bibtex_key(source.slug)
    # pylatexenc reads \textasciicircum back as the modifier letter ˆ; every other character comes back as it was
    assert LatexNodes2Text().latex_to_text(entry["title"]) == source.title.replace("^", "ˆ")
    assert r"\%" in entry["title"] and r"\textasciicircum{}" in entry["title"] and "김정은" in entry["title"]
    assert entry["author"] == "{Doe, J.}"  # one name as printed, never split at its comma
    assert entry["url"] == "https://example.org/a%20b?c=%7Bd%7D&e=%20"


def test_person_by_slug_or_name_and_state_narrow_the_claims(seeded_url: str) -> None:
    one = json.loads(cite_ok(seeded_url, PARADES[1], "--person", "viktor-orban", "--format", "csl-json"))
    assert [c["person_slug"] for c in one["claims"]] == ["viktor-orban"]
    assert [i["id"] for i in one["items"]] == ["nepszava-2025-09-04-hol-van-orban-viktor"]
    everywhere = json.loads(cite_ok(seeded_url, "--person", "xi-jinping", "--format", "csl-json"))
    assert {c["event_slug"] for c in everywhere["claims"]} >= set(PARADES)
    korea = json.loads(cite_ok(seeded_url, PARADES[0], "--state", "KOR", "--format", "csl-json"))
    assert korea["claims"] and {c["state_code"] for c in korea["claims"]} == {"KOR"}
    assert {c["kind"] for c in korea["claims"]} == {"attendance"}  # counts name no state


def test_history_cites_every_claim(seeded_url: str) -> None:
    current = json.loads(cite_ok(seeded_url, PARADES[1], "--state", "HUN", "--format", "csl-json"))["claims"]
    history = json.loads(cite_ok(seeded_url, PARADES[1], "--state", "HUN", "--history", "--format", "csl-json"))["claims"]
    assert len(history) > len(current)
    szijjarto = [c["status"] for c in history if c["person_slug"] == "peter-szijjarto"]
    assert szijjarto == ["confirmed", "attended"]


def test_output_file_and_styles(seeded_url: str, tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    assert cite_ok(seeded_url, PARADES[1], "--person", "viktor-orban", "--format", "bibtex", "-o", str(target)) == ""
    assert target.read_text(encoding="utf-8").startswith("@article{nepszava-2025-09-04-hol-van-orban-viktor,")
    apa = cite_ok(seeded_url, PARADES[1], "--person", "viktor-orban", "--style", "apa")
    assert "(2025, September 4)" in apa
    names = cite_ok(seeded_url, "--list-styles").split()
    assert {"apa", "chicago-author-date", "modern-language-association", citations.DEFAULT_STYLE} <= set(names)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["beijing-victory-day-parade-2052"], "event not found: 'beijing-victory-day-parade-2052'; did you mean"),
        ([PARADES[1], "--person", "viktor-orbn"], "person not found: 'viktor-orbn' (no slug or recorded name; try guestlist search viktor-orbn); did you mean viktor-orban"),
        ([PARADES[1], "--state", "Hungery"], "state not found: 'Hungery'; did you mean"),
        ([PARADES[1], "--style", "chicago-autor-date"], "citation style not found: 'chicago-autor-date'; did you mean chicago-author-date"),
        ([PARADES[1], "--style", "apa", "--format", "bibtex"], "--style sets the text format's citations"),
        ([], "name an event, a person (--person) or a state (--state)"),
    ],
)
def test_bad_input_is_one_line_naming_close_matches(seeded_url: str, args: list[str], message: str) -> None:
    result = cite(seeded_url, *args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_the_library_raises_the_project_errors(seeded_url: str) -> None:
    with pytest.raises(NotFoundError, match="did you mean apa"):
        citations.style_path("apaa")
    with pytest.raises(GuestlistError, match="name an event"):
        citations.claims_to_cite(db=seeded_url)


# ------------------------------------------------------------------ the revision


def test_downgrade_refuses_while_languages_are_recorded(migrated_url: str) -> None:
    document = {"format": "guestlist/1", "source": {"slug": "s1", "title": "Ein Titel", "kind": "news_article", "language": "de"}}
    load(migrated_url, [("one", document)])
    downgrade(migrated_url, REVISION, allow_data_loss=True)  # the later revisions first (b3d5f7a9c1e2 drops the offices)
    with pytest.raises(GuestlistError, match="1 sources record their language"):
        downgrade(migrated_url, BELOW)
    assert table_rows(migrated_url, "SELECT slug, language FROM source_citations") == [("s1", "de")]
    forget_source_languages(migrated_url)
    downgrade(migrated_url, BELOW)
    engine = create_engine(migrated_url)
    try:
        assert "language" not in {c["name"] for c in sa.inspect(engine).get_columns("sources")}
        assert "source_citations" not in sa.inspect(engine).get_view_names()
    finally:
        engine.dispose()
    upgrade(migrated_url)
    assert table_rows(migrated_url, "SELECT slug, language FROM source_citations") == [("s1", None)]


def test_the_seed_format_checks_a_language_tag(migrated_url: str) -> None:
    document = {"format": "guestlist/1", "source": {"slug": "s2", "title": "T", "kind": "news_article", "language": "English"}}
    with pytest.raises(GuestlistError, match="language.*BCP 47"):
        load(migrated_url, [("bad", document)])


def test_a_person_is_cited_by_any_recorded_name(seeded_url: str) -> None:
    by_slug = cite_ok(seeded_url, PARADES[1], "--person", "kim-jong-un")
    assert "Kim Jong Un (North Korea), head of state: attended" in by_slug
    assert cite_ok(seeded_url, PARADES[1], "--person", "김정은") == by_slug
    assert cite_ok(seeded_url, PARADES[1], "--person", "Kim Jong Un") == by_slug
