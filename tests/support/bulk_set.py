"""A small set of bulk files (CSV) beside the YAML document that names them, for the bulk loader tests.

``write_set`` writes it into a folder, with files replaced by ``edit``'s
changes; ``FILES`` holds each bulk file's text as written.
"""

from __future__ import annotations

from pathlib import Path

DOCUMENT = """\
format: guestlist/1
source: {slug: bulk-wire, title: Bulk wire, kind: news_article}
sources:
  - {slug: bulk-other, title: Another wire, kind: news_article}
states:
  - {code: PRK, name: North Korea}
  - {code: FRA, name: France}
  - {code: CHN, name: China}
bulk:
  - {table: persons, file: persons.csv}
  - {table: events, file: events.csv}
  - {table: attendance, file: attendance.csv}
  - {table: counts, file: counts.csv}
"""
FILES = {
    "persons.csv": """\
slug,name,sort_name,birth_date
kim,Kim Jong Un,"Kim, Jong Un",
xi,Xi Jinping,"Xi, Jinping",1953-06-15
""",
    # The parades name their series, which comes further down the file.
    "events.csv": """\
slug,name,kind,starts_on,date_precision,city,host,parent,duration_minutes
parade-2025,Victory Day parade 2025,military_parade,2025-09-03,day,Beijing,CHN,parades,70
parade-2015,Victory Day parade 2015,military_parade,2015-09-03,,Beijing,CHN,parades,
parades,Victory Day parades,series,,year,,CHN,,
""",
    "attendance.csv": """\
event,person,state,role,capacity,status,reported_on,quote,source
parade-2025,kim,PRK,guest,head_of_state,expected,2025-08-20,Kim is expected,
parade-2025,kim,PRK,guest,head_of_state,confirmed,2025-08-28,Kim confirmed,bulk-other
parade-2025,,FRA,guest,envoy,expected,2025-08-28,France sends an envoy,
parade-2025,xi,CHN,host,head_of_state,attended,2025-09-03,Xi hosted,
parade-2015,,PRK,guest,senior_official,attended,2015-09-03,a senior official,
""",
    "counts.csv": """\
event,status,capacity,count,description,reported_on,quote
parade-2025,expected,head_of_state,26,other heads of state,2025-08-28,26 other heads of state
""",
}

# Holdings in a bulk file beside the YAML offices they hold, for a folder already
# loaded with the set above (its persons): one office each, one attested day whose
# end_on the loader fills in, and an acting holding beside the ordinary one.
POSITIONS_DOCUMENT = """\
format: guestlist/1
source: {slug: bulk-registry, title: Bulk registry, kind: reference_dataset}
offices:
  - {slug: supreme-leader-prk, title: Supreme Leader of North Korea, state: PRK}
  - {slug: president-chn, title: President of China, state: CHN}
bulk:
  - {table: positions, file: positions.%(ext)s}
"""
POSITION_COLUMNS = ("person", "office", "title", "capacity", "state", "tenure", "evidence", "start_on", "end_on")
POSITION_ROWS = (
    ("kim", "supreme-leader-prk", "Supreme Leader of North Korea", "head_of_state", "PRK", "", "", "2011-12-17", ""),
    ("xi", "president-chn", "President of China", "head_of_state", "CHN", "", "attested", "2025-09-03", ""),
    (
        "xi",
        "president-chn",
        "Acting President of China",
        "head_of_state",
        "CHN",
        "acting",
        "",
        "2013-01-01",
        "2013-03-14",
    ),
)


def write_positions(folder: Path, rows: tuple[tuple[str, ...], ...] = POSITION_ROWS, *, jsonl: bool = False) -> Path:
    """The positions document and its bulk file (CSV, or JSON Lines with empty cells null) in ``folder``."""
    import csv
    import json

    folder.mkdir(parents=True, exist_ok=True)
    ext = "jsonl" if jsonl else "csv"
    (folder / "doc.yaml").write_text(POSITIONS_DOCUMENT % {"ext": ext}, encoding="utf-8")
    with (folder / f"positions.{ext}").open("w", newline="", encoding="utf-8") as handle:
        if jsonl:
            for row in rows:
                handle.write(json.dumps({k: v or None for k, v in zip(POSITION_COLUMNS, row)}) + "\n")
        else:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerows([POSITION_COLUMNS, *rows])
    return folder


def write_set(folder: Path, changes: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doc.yaml").write_text(DOCUMENT, encoding="utf-8")
    for name, text in {**FILES, **(changes or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def edit(name: str, old: str, new: str) -> dict[str, str]:
    assert FILES[name].count(old) == 1, old
    return {name: FILES[name].replace(old, new)}
