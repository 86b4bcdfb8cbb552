"""Web links stored with facts (a source's ``url``): absolute http(s) URLs with a host, nothing else.

A link is shown to readers (Popolo ``sources``, seed files, Datasette pages),
so ``javascript:``, ``data:`` or ``file:`` URLs, relative paths and
scheme-relative ``//host`` links are refused where facts come in, by the one
check here, and never written out by an exporter.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SCHEMES = ("http", "https")


def link_problem(value: str) -> str | None:
    """Why ``value`` is not a link guestlist stores, or None when it is one."""
    shown = value if len(value) <= 40 else value[:37] + "..."
    if not value.isprintable() or value != value.strip():
        return f"must be an http:// or https:// URL without control characters or surrounding spaces, not {shown!r}"
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        return f"is not a valid URL: {shown!r}"
    if parts.scheme.lower() not in SCHEMES:
        return f"must be an absolute http:// or https:// URL, not {shown!r}"
    if not host or any(c.isspace() for c in parts.netloc):
        return f"must name a host (http://host/...), not {shown!r}"
    return None


def safe_link(value: object) -> str | None:
    """``value`` if it is a link guestlist stores, else None: what exporters write."""
    return value if isinstance(value, str) and link_problem(value) is None else None
