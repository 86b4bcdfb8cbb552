"""Rows to CSV text: the one writer behind ``report --format csv``, ``export csv`` and a seed backup's bulk files.

A cell is written as the database holds it: nothing for null, a date as
ISO 8601, a boolean as one of two words, anything else as Python's ``csv``
writes it (QUOTE_MINIMAL: a cell holding a comma, a quote, a carriage
return or a line feed is quoted). With ``inert`` a text cell a spreadsheet
would run as a formula gets a leading apostrophe
(``guestlist.seeds.exporters.spreadsheet``).

Two callers want different bytes, and keep them:

- files (``export csv``, the bulk files of ``export seeds``) end every row
  in CRLF (RFC 4180) and write booleans as ``true``/``false`` (the
  data package's and the seed loader's words);
- ``report --format csv`` on standard output ends every row in a plain LF,
  as other line-oriented tools' output does, and writes booleans as
  Python's ``True``/``False``; with ``--excel`` it ends rows in CRLF and
  begins with a UTF-8 byte-order mark (``bom``), without which Excel reads
  UTF-8 as the machine's legacy code page ("PÃ©ter SzijjÃ¡rtÃ³").

Rows ending in LF are still written with CRLF as the ``csv`` module's line
terminator, the CR then dropped from each row's end: the module quotes only
cells holding a character of its terminator, and a cell holding a bare
carriage return must be quoted, or a reader would end the row there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import IO, Any

from .spreadsheet import inert as inert_cell

CRLF, LF = "\r\n", "\n"
BOM = "\ufeff"  # U+FEFF first: the byte-order mark that tells Excel the file is UTF-8
WORDS = ("true", "false")  # a boolean's cell in files: what the data package and the seed loader read
PYTHON_WORDS = ("True", "False")  # a boolean's cell in a report on standard output


def cell(value: Any, booleans: tuple[str, str] = WORDS) -> Any:
    """``value`` as a CSV cell: '' for null, the given word for a boolean, ISO 8601 for a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return booleans[0] if value else booleans[1]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class CsvWriter:
    """CSV rows written to a text ``handle`` (opened with ``newline=''``) as they come, so a large table streams."""

    def __init__(
        self, handle: IO[str], *, line_end: str = CRLF, booleans: tuple[str, str] = WORDS, inert: bool = False
    ) -> None:
        if line_end not in (CRLF, LF):
            raise ValueError(f"a CSV row ends in CRLF or LF, not {line_end!r}")
        self.handle, self.line_end, self.booleans, self.inert = handle, line_end, booleans, inert
        self.scratch = io.StringIO() if line_end == LF else None
        self.writer = csv.writer(self.scratch if self.scratch is not None else handle, lineterminator=CRLF)

    def header(self, names: Iterable[str]) -> None:
        """The row of column names, written as given."""
        self._write(list(names))

    def row(self, values: Iterable[Any]) -> None:
        cells = [cell(v, self.booleans) for v in values]
        self._write([inert_cell(c) for c in cells] if self.inert else cells)

    def _write(self, cells: list[Any]) -> None:
        self.writer.writerow(cells)
        if self.scratch is not None:
            self.handle.write(self.scratch.getvalue()[: -len(CRLF)] + LF)
            self.scratch.seek(0)
            self.scratch.truncate()

    def rows(self, rows: Iterable[Iterable[Any]]) -> int:
        """Write every row; how many there were."""
        count = 0
        for values in rows:
            self.row(values)
            count += 1
        return count


def csv_text(names: Iterable[str], rows: Iterable[Iterable[Any]], *, bom: bool = False, **options: Any) -> str:
    """A header of ``names`` and ``rows`` as one CSV text, with :class:`CsvWriter`'s ``options``; ``bom``: begin with ``BOM``."""
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write(BOM)
    writer = CsvWriter(buffer, **options)
    writer.header(names)
    writer.rows(rows)
    return buffer.getvalue()
