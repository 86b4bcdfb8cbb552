"""The README's pictures, drawn from the bundled data: ``python -m guestlist.seeds.charts_docs``.

Loads the bundled seeds into a throw-away SQLite database and writes
``docs/images/map-2025.svg`` (the 2025 parade's guest-list map) and
``docs/images/compare-2015-2025.svg`` (2015 against 2025). Rendering is
deterministic (fixed font, no dates of today, no random ids), so
``tests/test_charts_docs.py`` regenerates them and fails when the committed
files are stale. ``--check`` does the same from the command line: exit 1,
naming the stale files, without writing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from guestlist.models.db.migrate import upgrade
from guestlist.models.reports import charts
from guestlist.seeds.loader import bundled, load

DOCS = Path("docs") / "images"  # the checkout's, from its root (run there), not the installed package's
PARADE_2015 = "beijing-victory-day-parade-2015"
PARADE_2025 = "beijing-victory-day-parade-2025"


def pictures(url: str) -> dict[str, bytes]:
    """File name -> SVG bytes of each README picture, drawn from the database at ``url``."""
    return {
        "map-2025.svg": charts.render(charts.map_chart(PARADE_2025, db=url), "svg"),
        "compare-2015-2025.svg": charts.render(charts.compare_chart(PARADE_2015, PARADE_2025, db=url), "svg"),
    }


def bundled_pictures() -> dict[str, bytes]:
    """The pictures drawn from the bundled seeds alone."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bundled.db'}"
        upgrade(url)
        load(url, bundled())
        return pictures(url)


def stale(folder: Path, drawn: dict[str, bytes]) -> list[str]:
    """The names whose file in ``folder`` is missing or differs from ``drawn``."""
    return [
        name for name, data in drawn.items() if not (folder / name).exists() or (folder / name).read_bytes() != data
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guestlist.seeds.charts_docs", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Exit 1 if a committed picture is stale; write nothing.")
    parser.add_argument("--out", type=Path, default=DOCS, help=f"Folder to write to (default: {DOCS}).")
    args = parser.parse_args(argv)
    drawn = bundled_pictures()
    if args.check:
        old = stale(args.out, drawn)
        for name in old:
            print(f"{args.out / name} is stale: run python -m guestlist.seeds.charts_docs", file=sys.stderr)
        return 1 if old else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in drawn.items():
        (args.out / name).write_bytes(data)
        print(f"wrote {args.out / name} ({len(data):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
