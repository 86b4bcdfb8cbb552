"""The words a Popolo document of guestlist's is written and read with, shared by the exporter and the importer.

``guestlist export popolo`` (``guestlist.seeds.exporters.popolo``) writes
them and ``guestlist import popolo`` (``guestlist.seeds.importers.popolo``)
reads them back, so both sides take them from here rather than one from
the other.
"""

from __future__ import annotations

import re

from .loader.format import SECTIONS

EXT = "guestlist"  # the name of the extension object on every Popolo object, and on the document
SOURCE_URN = "urn:guestlist:source:"  # a source link's url when the source has none: the prefix of its slug
SOURCE_FIELDS = tuple(SECTIONS["sources"].fields)  # a source's record in full, as the seed format has it


def slugify(text: str) -> str:
    """Lowercase words joined by hyphens, for the ids of posts and memberships."""
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")
