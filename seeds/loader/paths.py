"""Why a path named as a seed document or bulk file cannot be read, before anything opens it.

A symlink that loops or points nowhere is not "no file here": it is a
mistake someone made, so it is named, never skipped in silence and never
left to surface as ``RuntimeError: Symlink loop`` from pathlib. A symlink
that resolves to a regular file is simply followed.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


def unreadable(path: Path) -> str | None:
    """None when ``path`` is (or links to) a regular file; else the reason, in words."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symlink loop (it resolves to itself); fix or remove the link"
        if os.path.islink(path):
            return f"is a symlink to {os.readlink(path)!r}, which does not exist; fix or remove the link"
        if exc.errno == errno.ENOENT:
            return "no such file"
        return f"cannot read: {exc.strerror or exc}"
    if not path.is_file():
        return "is not a regular file" if not path.is_dir() else "is a folder, not a file"
    return None


def resolved(path: Path) -> Path:
    """``path`` made absolute with its symlinks followed, without raising on a loop (checked by ``unreadable``)."""
    return Path(os.path.realpath(path))
