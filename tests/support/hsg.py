"""Where the Office of the Historian's releases are: ``shared/data/hsg`` beside the repository.

The data is not in the repository; a checkout (a worktree, or CI's fresh clone) finds it in the
``shared`` folder next to the checkout. A test that cannot find it fails: skipping would hide that
the importer was never checked against the real files.
"""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
HSG = REPOSITORY.parent / "shared" / "data" / "hsg"
VISITS_V061 = HSG / "visits-v0.6.1"
VISITS_V064 = HSG / "visits-v0.6.4"


def release_folder(folder: Path) -> Path:
    """``folder``, after checking that it holds a release's ``data/`` (an AssertionError naming it if not)."""
    assert (folder / "data").is_dir(), (
        f"the Office of the Historian's data is not at {folder} (see shared/data/hsg/README.md)"
    )
    return folder
