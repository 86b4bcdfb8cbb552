"""The table format: rows as aligned text that fits the terminal.

Only the table is shaped for a reader; CSV, JSON, JSON Lines and XLSX keep
every column of every row as it is. Three things happen to a table:

- a column whose value is the same on every row (the event of a guest
  list) leaves the table for a heading line above it, ``name: value``;
- text is kept on one line (line breaks become spaces), so a row stays a
  line that ``grep`` finds;
- given a width, the widest free-text columns (names, titles, quotes,
  descriptions) are narrowed, to no less than ``FLOOR`` characters, and a
  cell longer than its column is cut with "…". When the other columns do
  not fit even so, each row is printed as a record instead, one
  ``column  value`` line per column under a ``-[ row N ]-`` rule (psql's
  expanded display), its values cut to the width: every column stays
  readable, where a table of one-letter columns would not be. Widths are
  counted as a terminal shows them (``wcwidth``: 김정은 takes six columns).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence

from wcwidth import wcswidth

GAP = 2  # spaces between two columns
FLOOR = 6  # no column is narrowed below this many characters
CUT = "…"
FREE_TEXT = (
    "name",
    "title",
    "quote",
    "description",
    "text",
    "marked",
    "offices",
    "matched",
    "publisher",
    "author",
    "url",
)


def terminal_width() -> int | None:
    """The width to fit: ``COLUMNS`` if set, else the terminal's; None (no fitting) when writing to a pipe or file."""
    if os.environ.get("COLUMNS", "").strip().isdigit() or (sys.stdout is not None and sys.stdout.isatty()):
        return shutil.get_terminal_size().columns
    return None


def shown_width(text: str) -> int:
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` terminal columns, ending in "…" when it had to be cut."""
    if shown_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        size = max(shown_width(char), 0)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + CUT


def is_free_text(name: str) -> bool:
    return name.endswith(FREE_TEXT)


def lift_constants(names: list[str], rows: list[list[str]]) -> tuple[list[str], list[str], list[list[str]]]:
    """Columns with one value on every row (two rows or more) moved out: heading parts, the rest of the names, the rows."""
    if len(rows) < 2:
        return [], names, rows
    same = [i for i in range(len(names)) if all(r[i] == rows[0][i] for r in rows)]
    if len(same) == len(names):
        return [], names, rows
    heading = [f"{names[i]}: {rows[0][i]}" for i in same if rows[0][i]]  # a column empty on every row is left out
    keep = [i for i in range(len(names)) if i not in same]
    return heading, [names[i] for i in keep], [[r[i] for i in keep] for r in rows]


def fitted_widths(names: Sequence[str], rows: list[list[str]], width: int) -> list[int] | None:
    """Column widths whose table fits ``width``, free text narrowed widest first to ``FLOOR``; None where none fits."""
    widths = [max([shown_width(n)] + [shown_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    budget = width - GAP * (len(names) - 1)
    free = [i for i, n in enumerate(names) if is_free_text(n)]
    while sum(widths) > budget:
        narrowable = [i for i in free if widths[i] > FLOOR]
        if not narrowable:
            return None
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def records(names: list[str], rows: list[list[str]], width: int) -> list[str]:
    """Each row as a record: a ``-[ row N ]-`` rule, then one ``column  value`` line per column, cut to ``width``."""
    label = max(shown_width(n) for n in names)
    value_width = max(width - label - GAP, FLOOR)
    lines = []
    for number, row in enumerate(rows, start=1):
        rule = f"-[ row {number} ]"
        lines.append(rule + "-" * max(width - len(rule), 0))
        lines += [line([name, cut(cell, value_width)], [label, value_width]) for name, cell in zip(names, row)]
    return lines


def render(names: list[str], rows: list[list[str]], width: int | None) -> str:
    """The table as text, its constant columns in a heading line, fitted to ``width`` (None: as wide as it needs)."""
    rows = [[" ".join(cell.split()) if "\n" in cell or "\r" in cell else cell for cell in row] for row in rows]
    heading, names, rows = lift_constants(names, rows)
    if width is not None:
        heading = [cut(part, width) for part in heading]
        fitted = fitted_widths(names, rows, width)
        if fitted is None:
            return "".join(f"{text}\n" for text in [*heading, *records(names, rows, width)])
        names = [cut(n, w) for n, w in zip(names, fitted)]
        rows = [[cut(cell, w) for cell, w in zip(row, fitted)] for row in rows]
    widths = [max([shown_width(n)] + [shown_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = [*heading, line(names, widths), line(["-" * w for w in widths], widths)]
    lines += [line(row, widths) for row in rows]
    return "".join(f"{text}\n" for text in lines)


def line(cells: Sequence[str], widths: Sequence[int]) -> str:
    """One row: each cell padded to its column's width (as a terminal counts it), ``GAP`` spaces apart."""
    padded = [cell + " " * (width - shown_width(cell)) for cell, width in zip(cells, widths)]
    return (" " * GAP).join(padded).rstrip()
