"""Rows as an Excel workbook (XLSX), through openpyxl: the ``xlsx`` extra.

One sheet, a header row of the column names, then the rows. Dates are
Excel dates and numbers numbers; text is always stored as text (never read
as a formula, whatever it begins with), so no apostrophe is needed as in
CSV; a control character the format cannot hold becomes U+FFFD. The header
row is frozen, so it stays in view while scrolling.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from guestlist.models.errors import GuestlistError

EXTRA = "pip install 'guestlist[xlsx]'"


def xlsx_bytes(names: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "rows") -> bytes:
    """A workbook holding ``names`` and ``rows``, as the bytes of an .xlsx file."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    except ImportError:
        raise GuestlistError(f"--format xlsx needs openpyxl: {EXTRA}") from None

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.freeze_panes = "A2"

    def cell(value: Any) -> Any:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # text stays text: "=1+1" is a name, not a formula
        return c

    ws.append([cell(n) for n in names])
    for row in rows:
        ws.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
