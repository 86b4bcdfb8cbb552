"""The loader's ``.rows`` bulk format, as ``guestlist import popolo`` spools its records: a JSON
array of the column names, then per line a JSON array of rows. It loads what the same rows as
JSON Lines load, and a broken file is one SeedError naming the row, nothing written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from guestlist.models.db import create_engine
from guestlist.models.errors import SeedError
from guestlist.seeds.loader import load

HEADER = "format: guestlist/1\nsource: {slug: rows-src, title: Rows test, kind: other}\nbulk:\n  - {table: persons, file: %s}\n"
COLUMNS = ["slug", "name", "birth_date"]
ROWS = [["rows-a", "Ann Rows", "1950-01-02"], ["rows-b", "Bo Rows", None], ["rows-c", "Cé Rows", "1960-03-04"]]


def _persons(url: str) -> list[tuple[str, str, str | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT slug, name, birth_date FROM persons WHERE slug LIKE 'rows-%' ORDER BY slug"))
            return [(s, n, str(b) if b is not None else None) for s, n, b in rows]
    finally:
        engine.dispose()


def _document(folder: Path, name: str, content: str) -> Path:
    (folder / name).write_text(content, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(HEADER % name, encoding="utf-8")
    return path


def test_rows_load_as_json_lines_do(migrated_url: str, tmp_path: Path) -> None:
    lines = [json.dumps(COLUMNS), json.dumps(ROWS[:2]), json.dumps(ROWS[2:])]
    load(migrated_url, [_document(tmp_path, "p.rows", "\n".join(lines) + "\n")])
    via_rows = _persons(migrated_url)
    assert via_rows == [tuple(r) for r in ROWS]
    jsonl = "".join(json.dumps(dict(zip(COLUMNS, r))) + "\n" for r in ROWS)
    load(migrated_url, [_document(tmp_path, "p.jsonl", jsonl)])  # the same rows as JSON Lines: the same persons
    assert _persons(migrated_url) == via_rows


@pytest.mark.parametrize("content, expected", [
    ('{"slug": 1}\n', r"p\.rows:1: .*JSON array of the column names"),
    ("[]\n", r"p\.rows:1: .*JSON array of the column names"),
    ('["slug", "name"]\n[["rows-a", "A"]]\n{"slug": "x"}\n', r"p\.rows:2: .*not a valid JSON array of rows"),
    ('["slug", "name"]\n[["rows-a", "A"], "rows-b"]\n', r"p\.rows:1: .*not a valid JSON array of rows"),
    ('["slug", "name"]\n[["rows-a", "A"]]\n[["rows-b", \n', r"p\.rows:2: .*not a valid JSON array of rows"),
    ('["slug", "name"]\n[["rows-a", "A", "extra"]]\n', r"p\.rows:1: .*3 cells; the header has 2"),
    ('["slug", "name"]\n[["rows-a", "A"]]\n[["rows-b", "' + "n" * (2 << 20) + '"]]\n', r"p\.rows:2: .*more than 1,048,576"),
])
def test_a_broken_rows_file_is_one_error_naming_the_row(migrated_url: str, tmp_path: Path, content: str, expected: str) -> None:
    with pytest.raises(SeedError) as caught:
        load(migrated_url, [_document(tmp_path, "p.rows", content)])
    assert re.search(expected, str(caught.value)), str(caught.value)
    assert _persons(migrated_url) == []
