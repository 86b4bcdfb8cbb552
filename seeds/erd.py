"""The schema as a Mermaid ``erDiagram``, kept in the README between markers.

The diagram is generated from ``models.Base.metadata`` by paracelsus, so it
cannot drift from the models: ``tests/test_erd.py`` fails when the README's
copy differs, and ``python -m seeds.erd`` rewrites it. Column comments are
left out (they would swamp the picture; the data dictionary and the Datasette
metadata carry them); keys, types, nullability and indexes stay.

paracelsus is a development tool (the ``test`` extra), imported only here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import MetaData

START = "<!-- erd:start -->"
END = "<!-- erd:end -->"
README = Path(__file__).resolve().parent.parent / "README.md"


def mermaid(metadata: MetaData | None = None) -> str:
    """The ``erDiagram`` text for every table of the models, columns in model order."""
    from paracelsus.transformers.mermaid import Mermaid

    from models import Base

    text = str(Mermaid(metadata if metadata is not None else Base.metadata, "preserve-order", omit_comments=True))
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


def block() -> str:
    """The diagram fenced for GitHub, which renders ```mermaid blocks."""
    return f"```mermaid\n{mermaid()}```\n"


def _section(text: str) -> re.Match[str] | None:
    return re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, flags=re.S)


def in_readme(path: Path = README) -> str | None:
    """What the README holds between the erd markers, or None without markers."""
    found = _section(path.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def update_readme(path: Path = README) -> bool:
    """Rewrite the diagram between the markers; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    found = _section(text)
    if not found:
        raise SystemExit(f"{path}: no {START} ... {END} markers")
    new = text[: found.start(1)] + block() + text[found.end(1) :]
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":  # pragma: no cover - developer convenience
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else README
    print(f"{target}: {'updated' if update_readme(target) else 'already current'}")
