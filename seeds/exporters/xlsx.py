"""Rows as an Excel workbook (XLSX), through XlsxWriter: the ``xlsx`` extra.

One sheet, a header row of the column names, then the rows. Dates are
Excel dates (shown as YYYY-MM-DD), numbers numbers, booleans booleans;
text is always written as text (``write_string``: never read as a
formula, whatever it begins with), so no apostrophe is needed as in CSV.
The header row is frozen, so it stays in view while scrolling.

The workbook is built in memory (XlsxWriter's ``in_memory``: no temporary
file of its own), so the one file written is the target, through
``guestlist.seeds.exporters.output``: complete or not at all.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from guestlist.models.errors import GuestlistError

EXTRA = "pip install 'guestlist[xlsx]'"


def xlsx_bytes(names: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "rows") -> bytes:
    """A workbook holding ``names`` and ``rows``, as the bytes of an .xlsx file."""
    try:
        import xlsxwriter  # type: ignore[import-untyped]
    except ImportError:
        raise GuestlistError(f"--format xlsx needs XlsxWriter: {EXTRA}") from None

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet(sheet)
    ws.freeze_panes(1, 0)
    for c, name in enumerate(names):
        ws.write_string(0, c, name)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, day)
            else:
                ws.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()
