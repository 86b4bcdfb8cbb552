"""The README is the door: short, its set-up and test commands are the real ones.

Its examples run with every docs page's in ``tests/test_docs.py``; this
module checks what is the README's alone.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SH_BLOCKS = re.findall(r"^```sh\n(.*?)^```", README, re.S | re.M)


def test_readme_test_command_is_the_last_command_of_ci() -> None:
    test_blocks = [b for b in SH_BLOCKS if "pytest" in b]
    assert len(test_blocks) == 1, "README should show one test command"
    readme_command = test_blocks[0].strip().split("&&")[-1].strip()
    ci_lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert shlex.split(readme_command) == shlex.split(ci_lines[-1])


def test_readme_sets_up_the_database_with_one_command() -> None:
    """The main job on SQLite: install, then `guestlist setup` (tests/test_docs.py runs it)."""
    assert any(b.strip() == "pip install . && guestlist setup" for b in SH_BLOCKS), SH_BLOCKS


def test_readme_stays_short_and_links_into_the_docs() -> None:
    assert len(README.encode("utf-8")) <= 8 * 1024
    for target in re.findall(r"\]\(((?:docs/)?[\w./-]+?\.(?:md|svg|png))(?:#[\w-]+)?\)", README):
        assert (ROOT / target).exists(), target
    for page in ("cli", "seed-format", "sql", "python", "schema", "scale", "reliability",
                 "ecosystem", "migrations", "glossary", "vocabulary"):
        assert f"](docs/{page}.md" in README, page
