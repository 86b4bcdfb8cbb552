"""Database URLs: where they come from, and how to show them without secrets.

A secret can sit in three places of a URL, and drivers echo each in their
errors: the userinfo (``user:secret@host``), a query parameter
(``?password=secret``, ``?passwd=``; libpq-style ``?host=&user=&password=``),
and libpq's own ``key=value`` connection strings that psycopg prints
(``password=secret host=...``). Every message guestlist shows is masked for all three.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..settings import DATABASE_URL

# The password runs to the LAST '@' of the authority: people paste passwords
# with a raw '@', which URL parsers split at the first one.
USERINFO = re.compile(
    r"(?P<scheme>[a-zA-Z][\w+.-]*://)(?P<user>[^:/@\s]*):(?P<password>\S*?)@(?=[^@\s/?#]*(?:[/?#\s]|$))"
)


# Parameter names that carry a password, in URL queries and libpq connection strings.
SECRET_KEYS = ("password", "passwd", "pwd", "sslpassword")
_KEYS = "|".join(SECRET_KEYS)
# ?password=x&... in a URL, or password=x / password='x y' in a libpq string or a message.
_PARAMETER = re.compile(rf"(?i)(?<![\w-])(?P<key>{_KEYS})(?P<eq>\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|[^\s&#]+)")
# 'password': 'x' as a Python dict repr prints keyword arguments.
_MAPPING = re.compile(rf"(?i)(?P<key>['\"](?:{_KEYS})['\"]\s*:\s*)(?P<value>'[^']*'|\"[^\"]*\")")


def _mask_parameters(text: str) -> str:
    text = _PARAMETER.sub(r"\g<key>\g<eq>***", text)
    return _MAPPING.sub(r"\g<key>'***'", text)


def resolve_url(url: str | None = None) -> str:
    """An explicit URL, else ``GUESTLIST_DATABASE_URL``, else the SQLite file here (``settings.DATABASE_URL``)."""
    return url or DATABASE_URL.environ() or DATABASE_URL.default


def mask_url(url: object) -> str:
    """The URL as it may be shown to a person: every password (userinfo or query) replaced by ``***``."""
    return _mask_parameters(USERINFO.sub(r"\g<scheme>\g<user>:***@", str(url)))


def scrub(text: str, *urls: object) -> str:
    """Remove every password of ``urls`` (and any URL's userinfo) from ``text``.

    Driver errors echo connection strings and sometimes the bare password, so
    masking the URL alone is not enough.
    """
    text = mask_url(text)
    for url in urls:
        for password in sorted(_passwords(str(url)), key=len, reverse=True):
            text = text.replace(password, "***")
    return text


def _passwords(url: str) -> set[str]:
    """The URL's passwords (userinfo and query) as written and decoded.

    The userinfo is read by the regular expression, which splits at the last
    '@' as people type passwords; the parser's reading is used only when it
    does not match.
    """
    found: set[str] = set()
    match = USERINFO.match(url)
    if match:
        found |= {match.group("password"), unquote(match.group("password"))}
    else:
        try:
            parsed = make_url(url).password
        except (ArgumentError, ValueError):
            parsed = None
        if parsed:
            found.add(str(parsed))
    query = urlsplit(url).query if "?" in url else ""
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key.lower() in SECRET_KEYS and value:
            found |= {value, unquote(value), unquote_plus(value)}
    # A libpq connection string given as one parameter (?dsn=... or a bare conninfo).
    for key, value in parse_qsl(query, keep_blank_values=True):
        for hit in _PARAMETER.finditer(value if key.lower() not in SECRET_KEYS else ""):
            found.add(hit.group("value").strip("'"))
    return {p for p in found if p}


def dialect_of(url: str) -> str:
    """'sqlite', 'postgresql' or 'mysql' (MariaDB speaks the mysql dialect)."""
    return make_url(url).get_backend_name()
