"""Symlinks in seed folders: a link that loops or dangles is refused in one line naming it.

Before, ``guestlist seed FOLDER`` skipped a ``*.yaml`` link that led nowhere
and reported success, and a bulk file that was a symlink loop ended in
pathlib's ``RuntimeError`` traceback. Each case runs the real command on
every database, which already holds the bundled seeds, and asserts one
line naming the link, exit status 1 and every table exactly as it was; a
link that does resolve is followed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support.cli import assert_clean_failure, generate, run_cli
from .support.documents import EXAMPLE
from .support.snapshots import snapshot

SIZES = ["--persons", "40", "--events", "10", "--participations", "60", "--seed", "2"]


@pytest.fixture(scope="module")
def seeded(ecosystem_url: str) -> str:
    """The bundled seeds and EDGES, one database per dialect for this module."""
    return ecosystem_url


def folder_with(tmp_path: Path, name: str, target: str) -> Path:
    """A seed folder holding the example document and one symlink ``name`` -> ``target``."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "example.yaml")
    (folder / name).symlink_to(target)
    return folder


def refused(url: str, path: Path, *words: str) -> None:
    before = snapshot(url)
    result = run_cli(url, "seed", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert_clean_failure(result.stderr)
    for word in words:
        assert word in result.stderr, result.stderr
    assert result.stdout == ""
    assert snapshot(url) == before


def test_a_yaml_symlink_loop_in_a_folder_is_refused(seeded: str, tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "zz-loop.yaml", "zz-loop.yaml")
    refused(seeded, folder, "zz-loop.yaml", "symlink loop")


def test_a_two_link_cycle_is_refused(seeded: str, tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "a.yaml", "b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    refused(seeded, folder, "a.yaml", "symlink loop")


def test_a_dangling_yaml_symlink_in_a_folder_is_refused(seeded: str, tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "00-gone.yml", "moved-away.yaml")
    refused(seeded, folder, "00-gone.yml", "'moved-away.yaml', which does not exist")


def test_a_dangling_symlink_given_by_name_is_refused(seeded: str, tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "gone.yaml", "nowhere.yaml")
    refused(seeded, folder / "gone.yaml", "gone.yaml", "does not exist")


def test_a_bulk_file_that_is_a_symlink_loop_is_refused(seeded: str, tmp_path: Path) -> None:
    generated = generate(tmp_path / "generated", SIZES)
    (generated / "counts.csv").unlink()
    (generated / "counts.csv").symlink_to("counts.csv")
    refused(seeded, generated, "counts.csv", "symlink loop", "field 'file'")


def test_a_dangling_bulk_symlink_is_refused(seeded: str, tmp_path: Path) -> None:
    generated = generate(tmp_path / "generated", SIZES)
    (generated / "counts.csv").unlink()
    (generated / "counts.csv").symlink_to("elsewhere/counts.csv")
    refused(seeded, generated, "counts.csv", "does not exist")


def test_links_that_resolve_are_followed(seeded: str, tmp_path: Path) -> None:
    """A yaml link to a document elsewhere and a bulk file that is a link both load."""
    generated = generate(tmp_path / "generated", SIZES)
    (tmp_path / "store").mkdir()
    shutil.move(generated / "counts.csv", tmp_path / "store" / "counts.csv")
    (generated / "counts.csv").symlink_to(tmp_path / "store" / "counts.csv")
    (generated / "zz-example.yaml").symlink_to(EXAMPLE)
    result = run_cli(seeded, "seed", str(generated))
    assert result.returncode == 0, result.stderr
    assert "zz-example.yaml" in result.stdout and "counts.csv" not in result.stderr
