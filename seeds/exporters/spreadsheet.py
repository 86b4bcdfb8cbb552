"""CSV that is safe to open in a spreadsheet: text that looks like a formula is made inert.

A cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or a carriage
return, which some spreadsheets skip before looking) is run as a formula
by Excel, LibreOffice and Google Sheets when the file is opened:
``=HYPERLINK("http://x","y")`` in a person's name would become a link, and
worse formulas can fetch URLs or run commands (OWASP, "CSV Injection").
Names and quotes come from seed documents anyone can write, so
``guestlist export csv`` and ``guestlist report --format csv`` write such a
text cell with one leading apostrophe, which every spreadsheet reads as
"this is text" and does not display.

The rule is exactly reversible: a text cell that already begins with an
apostrophe gets one more, so removing one leading apostrophe from every
text cell that has one gives the stored text back. Only text is touched:
numbers (``-3``) and dates are the database's own typed values, never a
formula, and are written as they are. ``--raw`` writes every cell as
stored, for programs that read CSV as data.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"

NOTE = (
    "Text cells that begin with =, +, -, @, a tab, a carriage return or an apostrophe are written with one "
    "more leading apostrophe (') so that a spreadsheet shows them as text instead of running them as a "
    "formula (OWASP: CSV injection); numbers and dates are written unchanged. Remove one leading "
    "apostrophe from a text cell to get the stored text, or export with --raw."
)
RAW_NOTE = (
    "Cells are written exactly as stored (--raw): a spreadsheet may run text beginning with = + - @ as a formula."
)


def inert(value: Any) -> Any:
    """``value`` as a spreadsheet-safe cell: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, MARK)):
        return MARK + value
    return value


def restored(cell: str) -> str:
    """The stored text of a cell :func:`inert` wrote (for readers that want it back)."""
    return cell[1:] if cell.startswith(MARK) else cell
