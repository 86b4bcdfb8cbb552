"""Which release of the Office of the Historian's visits a folder holds.

A fact imported from the office's data must name the release and the data commit it came from, so a
later release can be compared with it. The release's files do not say which release they are: the
repository's tag is not in them, and a copy holds only ``data/`` and ``schema/``. Two things do:

- the bytes of the files. The releases this module knows (:data:`KNOWN_RELEASES`, from the table of
  ``shared/data/hsg/README.md``) are listed with the SHA-256 of each data file, so a copy of one of
  them is recognised whatever its folder is called, and a file that differs is never taken for it;
- the user's word: the folder's name ``visits-v0.6.4`` (or ``v0.6.4``), or a version given to
  :func:`find_release` (the importer's option). That is how a release this module does not know is
  named; its data commit is then unknown unless given too.

When the two disagree, or neither says, :func:`find_release` refuses in one line rather than guess.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from guestlist.models.errors import SeedError


@dataclass(frozen=True)
class KnownRelease:
    """A published release: its tag's version, the day it was tagged, its data commit, its files' SHA-256."""

    version: str
    published: date
    data_commit: str
    files: Mapping[str, str]


# Files no release since 0.6.1 has changed.
UNCHANGED_FILES = {
    "1870.xml": "23f4e1ae38615621de8741a21d881f4d69fb0f74ca0a1c89851aa31b28c0b433",
    "1880.xml": "921be1bc4dc81c371f420d67e9d1785e51d54c20712ba83e9cd37d3691dbbc1f",
    "1890.xml": "b1f53ad2c76e5d32b02447773a200d1c9394aeafcdcefa778960c85a21ac1a0c",
    "1900.xml": "ad267c8119737f04331be2ea7fdc1dd1ba87f972b50c888f68debced81c5e306",
    "1910.xml": "f32a8512d33f9aba2dc254aa8f2586f64e9c509929c3cd2c374ab1e265421410",
    "1920.xml": "18df349a7b82bd1b5881e14d55d7414918ab6c2a014187070f65850d71125837",
    "1930.xml": "305faf50d2a1c63b18f6db492622f3998a6e934d8e2d5e202b2ab50ae552ac49",
    "1940.xml": "aa4b63f7baba3ff921e1731939b1be0b7a5d23d93713fc9d19e61ce88549fd2a",
    "1950.xml": "4f3171e0bb351e99d1463b15f939aa6de363f8a28e4fa70edf38d6eb84f5d4e5",
    "1960.xml": "3dcedd2b3f639769b8e9b463994194931834e0ba413f417dc3da258b1d7a2d3f",
    "1970.xml": "a9ee0a386529cd49a1ccb5fa38054bf6dd791a728f48a424bfeaab5040121e83",
    "1980.xml": "ed759dfa81800f46a7b57468512eb7251f0a6d0e39d506d538ea2c03d64cc849",
    "1990.xml": "6b75bd9f9a6dffd762c19764fc224ecae4aa0895fa48dd561a73b6f802bf6a41",
    "2000.xml": "2d982ba26048987fa6f0b8876dafa9a17760671eeff1658a529eb09d65c34ae7",
}

KNOWN_RELEASES = (
    KnownRelease(
        "0.6.1",
        date(2025, 2, 11),
        "ba6cb39",
        {
            **UNCHANGED_FILES,
            "2010.xml": "3e3152b5b5a8f33d5e511da127cd9d49d6ec0ca6d26cab0f49872854442b9092",
            "2020.xml": "4187bc93e1d1d7f244c0fd8be7960bb1faecb1c71d85b19f2d6b5c2cffb7db90",
        },
    ),
    KnownRelease(
        "0.6.4",
        date(2025, 4, 25),
        "3eaf8e0",
        {
            **UNCHANGED_FILES,
            "2010.xml": "ae9a0e5494fbe9dc80ce90c1f7200a6720ad42d809ef180dc59e490571c6b466",
            "2020.xml": "27c5fd7dfb76da259a695017a2840f0712090a5eb237059a78c29b1807d144a4",
        },
    ),
)

# A release's folder as the README names them: visits-v0.6.4, or the tag alone, v0.6.4.
FOLDER_NAME = re.compile(r"(?:visits-)?v(\d+(?:\.\d+)+)")
VERSION = re.compile(r"v?(\d+(?:\.\d+)+)")


@dataclass(frozen=True)
class Release:
    """The visits files of one release, and which release it is.

    ``published`` is set when the files are byte for byte those of a known release (``known``); a
    release named only by the user has ``data_commit`` None unless the user gave it.
    """

    version: str
    data_commit: str | None
    files: tuple[Path, ...]
    root: Path | None
    schema: Path | None
    known: bool
    published: date | None = None

    @property
    def label(self) -> str:
        """``v0.6.4 (data commit 3eaf8e0)``: how a summary or a source names the release."""
        commit = f"data commit {self.data_commit}" if self.data_commit else "data commit unknown"
        return f"v{self.version} ({commit})"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locate(path: Path) -> tuple[Path | None, tuple[Path, ...]]:
    """The release's root folder (None when not seen) and its data files, from any of the paths a user may give."""
    path = Path(path)
    if path.is_file():
        root = path.parent.parent if path.parent.name == "data" else None
        return root, (path,)
    if not path.is_dir():
        raise SeedError(str(path), None, None, "no such file or folder")
    if (path / "data").is_dir():
        root, data = path, path / "data"
    else:
        root, data = (path.parent if path.name == "data" else None), path
    files = tuple(sorted(data.glob("*.xml")))
    if not files:
        raise SeedError(str(data), None, None, "holds no visits files (data/*.xml of a release)")
    return root, files


def matching(files: tuple[Path, ...]) -> list[KnownRelease]:
    """The known releases that hold every one of these files, byte for byte, under its name."""
    sums = {f.name: sha256(f) for f in files}
    return [r for r in KNOWN_RELEASES if all(r.files.get(name) == digest for name, digest in sums.items())]


def find_release(path: Path, version: str | None = None, data_commit: str | None = None) -> Release:
    """The release at ``path``: its root folder, its ``data/`` folder, or one of its XML files.

    ``version`` (``0.6.4`` or ``v0.6.4``) is the user's statement of the release; without it the
    folder's name is. Refuses (:class:`SeedError`, one line) when the files are a known release
    other than the one stated or named, when a known release is named but the files differ from it,
    and when nothing says which release it is.
    """
    root, files = locate(path)
    where = str(path)
    stated = named = None
    if version is not None:
        m = VERSION.fullmatch(version.strip())
        if not m:
            raise SeedError(where, None, "version", f"{version!r} is not a version such as 0.6.4")
        stated = m.group(1)
    folder = root if root is not None else Path(path) if Path(path).is_dir() else None
    folder_name = folder.name if folder is not None else ""
    if m := FOLDER_NAME.fullmatch(folder_name):
        named = m.group(1)
    if stated and named and stated != named:
        raise SeedError(where, None, "version", f"given as {stated} but the folder is named {folder_name}")
    claim = stated or named
    found = matching(files)
    by_version = {r.version: r for r in KNOWN_RELEASES}
    schema = root / "schema" if root is not None and (root / "schema").is_dir() else None

    def known(release: KnownRelease) -> Release:
        if (
            data_commit
            and not release.data_commit.startswith(data_commit)
            and not data_commit.startswith(release.data_commit)
        ):
            raise SeedError(
                where,
                None,
                "data commit",
                f"given as {data_commit} but release v{release.version} is data commit {release.data_commit}",
            )
        return Release(release.version, release.data_commit, files, root, schema, True, release.published)

    if claim is None:
        if len(found) == 1:
            return known(found[0])
        if found:
            versions = ", ".join(f"v{r.version}" for r in found)
            raise SeedError(
                where,
                None,
                "version",
                f"these files are in releases {versions}: say which (name the folder visits-vX.Y.Z or give the version)",
            )
        raise SeedError(
            where,
            None,
            "version",
            "cannot tell which release this is: name the folder visits-vX.Y.Z or give the version",
        )
    if claim in by_version and by_version[claim] in found:
        return known(by_version[claim])
    if found:
        versions = ", ".join(f"v{r.version}" for r in found)
        told = f"given as {claim}" if stated else f"the folder {folder_name} says {claim}"
        raise SeedError(where, None, "version", f"{told} but these files are release {versions} as published")
    if claim in by_version:
        differing = next(f for f in files if by_version[claim].files.get(f.name) != sha256(f))
        raise SeedError(
            str(differing),
            None,
            None,
            f"is not the file of release v{claim} as published (a different file, or edited); give the version it is",
        )
    return Release(claim, data_commit, files, root, schema, False)
