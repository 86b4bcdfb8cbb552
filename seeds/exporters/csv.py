"""One CSV file per reporting view, described by a Frictionless Data Package.

Each file is named after its view (``attendance_report.csv``), except
``sources.csv``, the ``source_citations`` view: the view cannot take the
name of the table it reads, the file can (``file_stem``).

``datapackage.json`` (https://specs.frictionlessdata.io/data-package/) names
each file, its columns, their types and their descriptions, taken from the
column comments of ``guestlist.models.views``, so spreadsheets, pandas and the
``frictionless`` tool can read and validate the folder without guessing.
Rows are streamed from the database, so a large view never sits in memory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from guestlist.models.db import Database, bind, connect
from guestlist.models.views import ALL_VIEWS

from .csv_rows import CsvWriter
from .metadata import DESCRIPTION, LICENSES, TITLE
from .output import Staging, output_error
from .spreadsheet import NOTE, RAW_NOTE

# Rows in an order a reader expects; a view not listed is ordered by its first column.
ORDER_BY = {
    "attendance_report": ("event_date", "event_slug", "attendance_id"),
    "attendance_history": ("reported_on", "claim_id"),
    "participation_counts": ("event_slug", "count_id"),
    "event_summary": ("event_date", "event_slug"),
    "state_memberships": ("state_code", "organization_slug", "joined_on"),
    "event_relations": ("event_slug", "relation", "related_event_slug"),
    "source_citations": ("slug",),
}
# Views whose file (and datapackage resource) has another name than the view.
FILE_STEMS = {"source_citations": "sources"}
STREAM_ROWS = 5_000


def file_stem(view: sa.Table) -> str:
    """The name of a view's CSV file without ``.csv``, which is also its resource's name in datapackage.json."""
    return FILE_STEMS.get(view.name, view.name)


def field_type(column: sa.Column) -> str:  # type: ignore[type-arg]
    """The Table Schema type of a column."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.Integer):
        return "integer"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.Numeric):
        return "number"
    return "string"


def descriptor(title: str, description: str, licenses: list[dict[str, str]], *, raw: bool = False) -> dict[str, Any]:
    """The datapackage.json content: one tabular resource per view; the description says how text cells are written."""
    resources = []
    for view in ALL_VIEWS:
        resources.append(
            {
                "name": file_stem(view),
                "path": f"{file_stem(view)}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": view.comment or "",
                "schema": {
                    "fields": [
                        {"name": c.name, "type": field_type(c), "description": c.comment or ""} for c in view.columns
                    ],
                    "missingValues": [""],
                },
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "guestlist",
        "title": title,
        "description": f"{description} {RAW_NOTE if raw else NOTE}",
        "licenses": licenses,
        "resources": resources,
    }


def write_view(db: Engine | Connection, view: sa.Table, handle: IO[str], *, raw: bool = False) -> int:
    """Stream one view as CSV with a header row into ``handle`` (opened with newline=''); the number of rows.

    Text a spreadsheet would run as a formula gets a leading apostrophe unless ``raw`` (``guestlist.seeds.exporters.spreadsheet``).
    """
    order = [view.c[name] for name in ORDER_BY.get(view.name, ()) if name in view.c] or [list(view.c)[0]]
    query = sa.select(*view.c).order_by(*order)
    with connect(db) as conn:
        writer = CsvWriter(handle, inert=not raw)
        writer.header(c.name for c in view.c)
        result = conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(query)
        return writer.rows(result)


def export(db: Database, directory: Path | str, *, raw: bool = False) -> dict[str, int]:
    """Write every view of ``db`` (a URL, an engine or a connection) to ``directory``; rows per file.

    Formula-like text is made inert for spreadsheets unless ``raw``.
    """
    directory = Path(directory)
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(directory, exc) from None
    # Every file under a temporary name until all are complete: a failed export replaces nothing.
    with bind(db) as engine, Staging(directory, created=created) as staging:
        counts = {
            f"{file_stem(view)}.csv": write_view(
                engine, view, staging.open(directory / f"{file_stem(view)}.csv", newline=""), raw=raw
            )
            for view in ALL_VIEWS
        }
        package = descriptor(TITLE, DESCRIPTION, LICENSES, raw=raw)
        staging.write(directory / "datapackage.json", json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    return counts
