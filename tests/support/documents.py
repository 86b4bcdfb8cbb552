"""Seed documents for the loader tests: the example document, and writing a document to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DOCS = Path(__file__).parent.parent / "seed_docs"
EXAMPLE = DOCS / "example.yaml"


def example() -> dict[str, Any]:
    """The example document as plain Python (dates as text, like the loader reads them)."""
    return yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=_DatesAsText)


class _DatesAsText(yaml.SafeLoader):
    pass


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def write(tmp_path: Path, name: str, document: dict[str, Any] | str) -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path
