"""The generated parts of the docs: blocks between markers that code writes.

Three pages hold text made from code rather than typed: the schema diagram in
``docs/schema.md`` (from the models, ``guestlist.seeds.erd``), the example queries
in ``docs/sql.md`` (from ``models/data/queries``, ``guestlist.models.reports.queries``) and
the table of settings in ``docs/cli.md`` (``guestlist.models.settings``). Each
sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``; the tests
fail when a block differs from what the code makes now, and
``python -m guestlist.seeds.docs_blocks`` rewrites every block.

The pages are the checkout's, not the installed package's: ``DOCS`` is the
``docs`` folder of the current directory (run it from the repository's
root), and every function takes another folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from guestlist.models import settings
from guestlist.models.reports import queries

DOCS = Path("docs")


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


# block name -> (the page holding it, in the docs folder; what makes its text)
BLOCKS: dict[str, tuple[str, Callable[[], str]]] = {
    "erd": ("schema.md", _erd),
    "queries": ("sql.md", _queries),
    "settings": ("cli.md", _settings),
}


def _markers(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(f"<!-- {name}:start -->") + r"\n(.*?)" + re.escape(f"<!-- {name}:end -->"), re.S)


def page_of(name: str, docs: Path = DOCS) -> Path:
    """The page in ``docs`` that holds the block ``name``."""
    return docs / BLOCKS[name][0]


def shown(name: str, path: Path | None = None, *, docs: Path = DOCS) -> str | None:
    """What the page holds between the block's markers, or None without them."""
    page = path or page_of(name, docs)
    found = _markers(name).search(page.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def made(name: str) -> str:
    """The block's text as the code makes it today."""
    return BLOCKS[name][1]()


def update(name: str, path: Path | None = None, *, docs: Path = DOCS) -> bool:
    """Rewrite one block between its markers; True when the file changed."""
    page = path or page_of(name, docs)
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
    for block_name in BLOCKS:
        print(f"{page_of(block_name)}: {block_name} {'updated' if update(block_name) else 'already current'}")
