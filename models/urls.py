"""Database URLs: where they come from, and how to show them without secrets."""

from __future__ import annotations

import os
import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_VAR = "GUESTLIST_DATABASE_URL"
DEFAULT_URL = "sqlite:///guestlist.db"

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][\w+.-]*://)(?P<user>[^:/@\s]*):(?P<password>[^@\s]*)@")


def resolve_url(url: str | None = None) -> str:
    """An explicit URL, else ``GUESTLIST_DATABASE_URL``, else the SQLite file here."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def mask_url(url: object) -> str:
    """The URL as it may be shown to a person: the password replaced by ``***``."""
    try:
        return make_url(str(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return _USERINFO.sub(r"\g<scheme>\g<user>:***@", str(url))


def scrub(text: str, *urls: object) -> str:
    """Remove every password of ``urls`` (and any URL's userinfo) from ``text``.

    Driver errors echo connection strings and sometimes the bare password, so
    masking the URL alone is not enough.
    """
    text = _USERINFO.sub(r"\g<scheme>\g<user>:***@", text)
    for url in urls:
        try:
            password = make_url(str(url)).password
        except ArgumentError:
            continue
        if password:
            text = text.replace(str(password), "***")
    return text


def dialect_of(url: str) -> str:
    """'sqlite', 'postgresql' or 'mysql' (MariaDB speaks the mysql dialect)."""
    return make_url(url).get_backend_name()
