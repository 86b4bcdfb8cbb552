"""The installed package's layout, read from ``pyproject.toml``: one source for the tests that need it.

The repository's folders are parts of one package, ``guestlist``
(``[tool.setuptools.package-dir]``); these helpers turn a file of the
checkout into the module name it has once installed, and list the packages
the distribution ships.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
PACKAGE_DIRS: dict[str, Path] = {name: ROOT / folder for name, folder in SETUPTOOLS["package-dir"].items()}
LISTED: list[str] = SETUPTOOLS["packages"]
TOP = "guestlist"


def module_name(path: Path) -> str | None:
    """The installed name of a ``.py`` file of the checkout, or None where the distribution does not ship it.

    The deepest mapped folder wins: ``seeds/package`` is ``guestlist`` though
    it sits inside ``seeds/`` (``guestlist.seeds``).
    """
    path = path.resolve()
    best: tuple[int, str, Path] | None = None
    for name, folder in PACKAGE_DIRS.items():
        if path.is_relative_to(folder) and (best is None or len(folder.parts) > best[0]):
            best = (len(folder.parts), name, folder)
    if best is None:
        return None
    _, name, folder = best
    parts = list(path.relative_to(folder).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([name, *parts])


def source_files() -> Iterator[tuple[str, Path, bool]]:
    """(installed module name, path, is a package) for every shipped ``.py`` file of the checkout."""
    seen: set[Path] = set()
    for folder in PACKAGE_DIRS.values():
        for path in sorted(folder.rglob("*.py")):
            if path in seen:
                continue
            seen.add(path)
            name = module_name(path)
            if name is not None and _shipped(name, path):
                yield name, path, path.name == "__init__.py"


def _shipped(name: str, path: Path) -> bool:
    """A module ships when its package is listed; migration scripts ship as package data."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return package in LISTED or path.parent.name == "versions"


def package_folders() -> dict[str, Path]:
    """Every folder of the checkout that is a package once installed, by its installed name."""
    found = {}
    for folder in PACKAGE_DIRS.values():
        for init in folder.rglob("__init__.py"):
            name = module_name(init)
            if name is not None:
                found[name] = init.parent
    return found
