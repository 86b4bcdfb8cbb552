"""Where every fact comes from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from . import vocab
from .base import Base, one_of, table_args


class Source(Base):
    """A document that states facts: an article, a briefing, a reference dataset."""

    __tablename__ = "sources"
    __table_args__ = table_args(
        one_of("kind", vocab.SOURCE_KIND),
        comment="Documents that facts are taken from; every claim names one.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, comment="Natural key, e.g. 'article-2025-parade'.")
    title: Mapped[str] = mapped_column(String(400), comment="Headline or title of the document.")
    kind: Mapped[str] = mapped_column(String(40), comment="news_article, official_briefing, reference_dataset, ...")
    author: Mapped[str | None] = mapped_column(String(200), comment="Author or authors, as printed.")
    publisher: Mapped[str | None] = mapped_column(String(200), comment="Outlet, ministry or maintainer.")
    published_on: Mapped[dt.date | None] = mapped_column(Date, comment="Date of publication.")
    url: Mapped[str | None] = mapped_column(String(1000), comment="Where the document can be read.")
    retrieved_on: Mapped[dt.date | None] = mapped_column(Date, comment="When it was read for this database.")
    note: Mapped[str | None] = mapped_column(Text, comment="Free text about the source's reliability or scope.")
    # The language of the document's own text (its title, its quotes), so a citation can name it
    # (CSL ``language``, BibTeX ``langid``). Filled only where the record shows it: a guess is worse than NULL.
    language: Mapped[str | None] = mapped_column(
        String(35),
        comment="BCP 47 tag of the language the document is written in, e.g. 'en', 'zh', 'bs'; NULL when not shown.",
    )
