"""The loader's ledger of bulk files it has applied in full.

Re-seeding unchanged documents must write nothing and should cost little.
Reading and checking a million rows again to find that nothing differs
costs most of a first load, so the loader remembers each bulk file it
applied by a digest of its bytes: a file whose digest, document source and
schema revision match a ledger row is skipped. The ledger is a cache, not
a fact: rows whose table a later write changed are dropped (see
``guestlist.seeds.loader.ledger``), a downgrade may drop it, and ``guestlist seed
--recheck`` ignores it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from . import vocab
from .base import Base, one_of, table_args


class BulkLoad(Base):
    """One bulk file, as the loader last applied or verified it in full."""

    __tablename__ = "bulk_loads"
    __table_args__ = table_args(
        UniqueConstraint("bulk_table", "source_id", "digest"),
        one_of("bulk_table", vocab.BULK_TABLE),
        comment="Loader's ledger (a cache): bulk files applied in full, so an unchanged re-seed skips them.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bulk_table: Mapped[str] = mapped_column(
        String(20), comment=f"What the file fills: {vocab.listed(vocab.BULK_TABLE)}."
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), comment="The document's source, every row's default source."
    )
    digest: Mapped[str] = mapped_column(
        String(64), comment="SHA-256 of the loader's ledger version, the file's format and its bytes."
    )
    file_name: Mapped[str] = mapped_column(String(500), comment="The file as the document named it when last applied.")
    row_count: Mapped[int] = mapped_column(
        Integer, comment="Rows the file stands for (participations and claims for attendance)."
    )
    schema_revision: Mapped[str] = mapped_column(
        String(32), comment="Alembic revision the file was applied at; another one re-reads it."
    )
    loaded_at: Mapped[dt.datetime] = mapped_column(
        DateTime, comment="When (UTC) the file was last applied or verified in full."
    )
