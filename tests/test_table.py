"""The table format's shape (guestlist.seeds.cli.table): fitted to a width, or a record per row where no table fits."""

from __future__ import annotations

from wcwidth import wcswidth

from guestlist.seeds.cli.table import FLOOR, render

NAMES = ["state_code", "person_name", "capacity", "status", "source_quote"]
ROWS = [
    ["PRK", "김정은", "head_of_state", "attended", "Kim Jong Un, who made a rare foreign trip to attend, flanked Xi"],
    ["RUS", "Vladimir Putin", "head_of_government", "expected", "Russian President Vladimir Putin and North Korean leader"],
]
SAME = [[*row[:2], "head_of_state", "attended", row[4]] for row in ROWS]


def test_free_text_is_narrowed_first_and_cut_with_an_ellipsis() -> None:
    lines = render(NAMES, ROWS, 70).splitlines()
    assert max(wcswidth(line) for line in lines) <= 70
    assert lines[0].split() == NAMES  # codes and vocabulary words stay whole
    assert "head_of_state" in lines[2] and "attended" in lines[2] and lines[2].endswith("…")
    assert "김정은" in lines[2]  # six terminal columns, counted as such


def test_where_no_table_fits_each_row_is_a_record_with_every_value_readable() -> None:
    width = 40
    text = render(NAMES, ROWS, width)
    lines = text.splitlines()
    assert max(wcswidth(line) for line in lines) <= width
    assert lines[0] == "-[ row 1 ]" + "-" * (width - 10)
    assert lines[1:5] == ["state_code    PRK", "person_name   김정은", "capacity      head_of_state", "status        attended"]
    assert lines[5].startswith("source_quote  Kim Jong Un") and lines[5].endswith("…")
    assert lines[6].startswith("-[ row 2 ]") and "Vladimir Putin" in text


def test_a_column_with_one_value_is_a_heading_and_no_width_keeps_everything() -> None:
    lines = render(NAMES, SAME, None).splitlines()
    assert lines[:2] == ["capacity: head_of_state", "status: attended"]
    assert lines[2].split() == ["state_code", "person_name", "source_quote"]
    assert not any("…" in line for line in lines) and FLOOR > 1
