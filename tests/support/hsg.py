"""Where the Office of the Historian's releases are: ``shared/data/hsg`` beside the repository.

The data is shared by every checkout rather than copied into each, so the
path is computed from the repository root (``parents[2]`` of this file); a
test that cannot find it must fail, not skip.
"""

from __future__ import annotations

from pathlib import Path

HSG = Path(__file__).resolve().parents[3] / "shared" / "data" / "hsg"
