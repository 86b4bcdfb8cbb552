"""The generated parts of the docs: blocks between markers that code writes.

Three pages hold text made from code rather than typed: the schema diagram in
``docs/schema.md`` (from the models, ``guestlist.seeds.erd``), the example queries
in ``docs/sql.md`` (from ``models/data/queries``, ``guestlist.models.queries``) and
the table of settings in ``docs/cli.md`` (``guestlist.models.settings``). Each
sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``; the tests
fail when a block differs from what the code makes now, and
``python -m guestlist.seeds.docs_blocks`` rewrites every block.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from guestlist.models import queries, settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _erd() -> str:
    from . import erd  # paracelsus is a development tool (the test extra): imported only when drawn

    return erd.block()


def _queries() -> str:
    return queries.block()


def _settings() -> str:
    """The settings as a Markdown table: variable, option, default, meaning."""
    rows = ["| variable | option | default | meaning |", "|---|---|---|---|"]
    for setting in settings.SETTINGS:
        rows.append(f"| `{setting.name}` | `{setting.option}` | `{setting.shown_default()}` | {setting.help} |")
    return "\n".join(rows) + "\n"


# block name -> (the page holding it, what makes its text)
BLOCKS: dict[str, tuple[Path, Callable[[], str]]] = {
    "erd": (DOCS / "schema.md", _erd),
    "queries": (DOCS / "sql.md", _queries),
    "settings": (DOCS / "cli.md", _settings),
}


def _markers(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(f"<!-- {name}:start -->") + r"\n(.*?)" + re.escape(f"<!-- {name}:end -->"), re.S)


def shown(name: str, path: Path | None = None) -> str | None:
    """What the page holds between the block's markers, or None without them."""
    page = path or BLOCKS[name][0]
    found = _markers(name).search(page.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def made(name: str) -> str:
    """The block's text as the code makes it today."""
    return BLOCKS[name][1]()


def update(name: str, path: Path | None = None) -> bool:
    """Rewrite one block between its markers; True when the file changed."""
    page = path or BLOCKS[name][0]
    text = page.read_text(encoding="utf-8")
    found = _markers(name).search(text)
    if not found:
        raise SystemExit(f"{page}: no <!-- {name}:start --> ... <!-- {name}:end --> markers")
    new = text[: found.start(1)] + made(name) + text[found.end(1) :]
    if new == text:
        return False
    page.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":  # pragma: no cover - developer convenience
    for block_name, (page_path, _) in BLOCKS.items():
        print(f"{page_path}: {block_name} {'updated' if update(block_name) else 'already current'}")
