"""guestlist: who attended which state event, for which state, in which capacity, and says who.

The one installed package. Its parts are the repository's folders, mapped in
``pyproject.toml``: ``guestlist.models`` (the tables, and the library that
reads them), ``guestlist.seeds`` (documents in and out, and the command line)
and ``guestlist.migrations`` (the schema's history). This folder holds only
the package's own face: ``python -m guestlist`` and the names below.

    from guestlist import reports
    reports.guest_list("sqlite:///guestlist.db", "beijing-victory-day-parade-2025")

The names are looked up on first use, so ``import guestlist`` costs nothing
and ``import guestlist.models`` loads only what the tables need.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> the module that holds it (a module itself where the name is the module's last part)
_FACE = {
    "models": "guestlist.models",
    "reports": "guestlist.models.reports",
    "search": "guestlist.models.search",
    "seeds": "guestlist.seeds",
}

__all__ = sorted(_FACE)


def __getattr__(name: str) -> Any:
    if name not in _FACE:
        raise AttributeError(f"module 'guestlist' has no attribute {name!r}")
    return import_module(_FACE[name])


def __dir__() -> list[str]:
    return sorted([*globals(), *_FACE])
