"""Strange but valid text, and a seed document that puts it in every free-text field.

Used by the hostile-input tests (stored verbatim, harmless) and by the backup
round trip (exported and restored exactly).
"""

from __future__ import annotations

from typing import Any

# Text a careless loader would execute, mangle, normalise or misparse.
SQL_TEXT = [
    "Robert'); DROP TABLE persons;--",
    "x' OR '1'='1",
    '"; DELETE FROM attendance; --',
    "1; UPDATE sources SET title='pwned' WHERE 1=1",
    "%s %(name)s :name ? $1 {0}",
    "\\'; SELECT pg_sleep(10); --",
    "' UNION SELECT password FROM mysql.user --",
    "/* comment */ SELECT 1",
]
UNICODE_TEXT = [
    "كيم جونغ أون",  # Arabic, right to left
    "\u202eevil\u202c and \u200fRLM\u200e marks",  # bidi overrides
    "e\u0301 n\u0303 a\u0308\u0304 Z\u0351\u0311\u0300\u0301\u0302",  # combining characters
    "Ǆ ß ﬁ Å Å",  # ligatures and NFC/NFD twins: never normalised
    "zero\u200bwidth\ufeffjoiner\u200d",
    "🇰🇵🇨🇳 👨‍👩‍👧 🎖️",
    "金正恩 · 김정은 · Ким Чен Ын",
    "tab\there, line\nbreak, crlf\r\nand trailing space ",
]
YAML_TEXT = [
    "null", "~", "yes", "NO", "true", "0x1F", "1e3", "007", "2025-02-30", "12:30:00",
    "- not a list", "key: value", "# not a comment", "&anchor", "*alias", "!!python/object:os.system",
    "{a: 1}", "[1, 2]", "| block", "> folded", "@at", "`back`", "'single'", '"double"', "\\backslash\\",
]
ALL_TEXT = SQL_TEXT + UNICODE_TEXT + YAML_TEXT
# Slugs are one word: the same spirit without spaces.
SQL_SLUGS = ["x';DROP--TABLE--persons;--", "a\"b'c`d", "%s?:1", "ñ-ü-ő-ж", "rtl-كيم", "e\u0301-combined"]


# How the strange document's holdings are held: every tenure and both kinds of evidence appear.
HOLDINGS: list[dict[str, str]] = [
    {},
    {"tenure": "acting"},
    {"tenure": "disputed"},
    {"tenure": "in_exile", "evidence": "tenure"},
    {"evidence": "attested", "end_on": "2020-01-01"},
]


def strange_document(tag: str = "strange") -> dict[str, Any]:
    """A complete, valid document whose every free-text field holds strange text."""
    texts = iter(ALL_TEXT * 4)

    def text() -> str:
        return next(texts)

    def req() -> str:  # required text may not start or end with spaces
        return next(texts).strip()

    slug = lambda base: f"{tag}-{base}"  # noqa: E731
    persons = [
        {
            "slug": f"{slug('p')}-{i}-{s}",
            "name": req(),
            "sort_name": text(),
            "other_names": [{"name": req(), "kind": "alternate", "lang": text()[:16], "note": text()}],
            "identifiers": {f"scheme-{tag}-{i}": s},
        }
        for i, s in enumerate(SQL_SLUGS)
    ]
    offices = [  # one per person: the holdings below all start on one day
        {"slug": f"{slug('office')}-{i}-{s}", "title": req()[:200], "state": "CHN", "note": text()}
        for i, s in enumerate(SQL_SLUGS)
    ]
    events = [
        {
            "slug": f"{slug('e')}-{i}-{s}",
            "name": req(),
            "kind": "summit",
            "starts_on": "2025-09-03",
            "city": text(),
            "venue": text(),
            "host": "CHN",
            "troops_description": text(),
            "description": text() + "\n" + "long description " * 500,  # ~9 kB
            "quote": text(),
            "notes": [{"topic": req()[:80], "text": req(), "quote": text()}],
        }
        for i, s in enumerate(SQL_SLUGS)
    ]
    events[1]["relations"] = [{"relation": "follows", "event": events[0]["slug"], "quote": text()}]
    return {
        "format": "guestlist/1",
        "source": {
            "slug": slug("source") + "-" + SQL_SLUGS[0],
            "title": SQL_TEXT[0],
            "kind": "news_article",
            "author": UNICODE_TEXT[0],
            "publisher": UNICODE_TEXT[1],
            "published_on": "2025-08-28",
            "url": "https://example.org/?q=' OR 1=1 --&x=<script>",
            "note": "empty strings follow",
        },
        "states": [
            {"code": "XSQ", "alpha2": "XQ", "numeric": "999", "name": req(), "official_name": text(),
             "valid_from": "1990-01-01", "valid_until": "1991-12-26", "successor": "RUS"}
        ],
        "organizations": [
            {"slug": slug("org") + "-" + SQL_SLUGS[1], "name": req(), "abbreviation": "", "kind": "ministry", "state": "CHN"}
        ],
        "offices": offices,
        "persons": persons,
        "positions": [
            {"person": p["slug"], "office": o["slug"], "title": req()[:200], "capacity": "minister", "state": "CHN",
             "start_on": "2020-01-01", "note": text(), **HOLDINGS[i % len(HOLDINGS)]}
            for i, (p, o) in enumerate(zip(persons, offices))
        ],
        "events": events,
        "attendance": [
            {
                "event": events[i]["slug"],
                "person": p["slug"],
                "state": "XSQ" if i == 2 else "PRK",
                "role": "guest",
                "capacity": "minister",
                "description": "" if i == 0 else text(),
                "claims": [{"status": "expected", "reported_on": "2025-08-28", "quote": req(), "note": text()}],
            }
            for i, p in enumerate(persons)
        ],
        "counts": [
            {"event": events[0]["slug"], "status": "expected", "count": 3, "quantifier": text()[:40], "description": req(), "reported_on": "2025-08-28", "quote": req()}
        ],
    }
