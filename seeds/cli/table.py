"""The table format: rows as aligned text that fits the terminal.

Only the table is shaped for a reader; CSV, JSON, JSON Lines and XLSX keep
every column of every row as it is. Three things happen to a table:

- a column whose value is the same on every row (the event of a guest
  list) leaves the table for a heading line above it, ``name: value``;
- text is kept on one line (line breaks become spaces), so a row stays a
  line that ``grep`` finds;
- given a width, the widest free-text columns (names, titles, quotes,
  descriptions) are narrowed first, then any column, to no less than
  ``FLOOR`` characters, and a cell longer than its column is cut with
  "…" (when even that is too wide, columns go down to one character
  each: choose fewer with ``--columns``). Widths are counted as a terminal shows them (``wcwidth``: 김정은
  takes six columns).
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
FREE_TEXT = ("name", "title", "quote", "description", "text", "marked", "offices", "matched", "publisher", "author", "url")


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


def fitted_widths(names: Sequence[str], rows: list[list[str]], width: int) -> list[int]:
    """Column widths whose table fits ``width``: free text narrowed first, widest first, to ``FLOOR``, then any column."""
    widths = [max([shown_width(n)] + [shown_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    budget = width - GAP * (len(names) - 1)
    every = list(range(len(names)))
    for candidates, floor in (([i for i, n in enumerate(names) if is_free_text(n)], FLOOR), (every, FLOOR), (every, 1)):
        while sum(widths) > budget:
            narrowable = [i for i in candidates if widths[i] > floor]
            if not narrowable:
                break
            widest = max(narrowable, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def render(names: list[str], rows: list[list[str]], width: int | None) -> str:
    """The table as text, its constant columns in a heading line, fitted to ``width`` (None: as wide as it needs)."""
    rows = [[" ".join(cell.split()) if "\n" in cell or "\r" in cell else cell for cell in row] for row in rows]
    heading, names, rows = lift_constants(names, rows)
    if width is not None:
        widths = fitted_widths(names, rows, width)
        names = [cut(n, w) for n, w in zip(names, widths)]
        rows = [[cut(cell, w) for cell, w in zip(row, widths)] for row in rows]
        heading = [cut(part, width) for part in heading]
    widths = [max([shown_width(n)] + [shown_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = [*heading, line(names, widths), line(["-" * w for w in widths], widths)]
    lines += [line(row, widths) for row in rows]
    return "".join(f"{text}\n" for text in lines)


def line(cells: Sequence[str], widths: Sequence[int]) -> str:
    """One row: each cell padded to its column's width (as a terminal counts it), ``GAP`` spaces apart."""
    padded = [cell + " " * (width - shown_width(cell)) for cell, width in zip(cells, widths)]
    return (" " * GAP).join(padded).rstrip()
