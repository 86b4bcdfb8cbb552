"""Text folded for comparison: the terms full-text search indexes and queries, and the keys names match by.

Folding takes compatibility forms, case and accents away (``ＫＩＭ`` and
``Kim`` are one word, ``Lukašenka`` is ``lukasenka``). Terms are the folded
words, with runs of Chinese, Japanese or Korean characters cut into
overlapping pairs (``习近平`` -> ``习近 近平``), since those scripts put no
spaces between words: the index and every query fold alike, or a query
finds nothing (:mod:`guestlist.models.search`). A name key goes further,
into Latin letters and digits only (``김정은`` -> ``gimjeongeun``), so that
names written apart, in another case or another script are one name
(:mod:`guestlist.models.names`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from anyascii import anyascii

# Scripts written without spaces between words: Han, kana, Hangul.
CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
# A word: letters and digits, the underscore not among them.
WORD = re.compile(r"[^\W_]+")
# Within a word, a run of CJK characters (group 1) or of any other (group 2).
SCRIPT_RUN = re.compile(f"([{CJK}]+)|([^{CJK}]+)")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Compatibility forms, case and accents away: 'Lukašenka' -> 'lukasenka', 'ＫＩＭ' -> 'kim'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def segments(word: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) within one folded word: pairs inside CJK runs, the rest whole."""
    for match in SCRIPT_RUN.finditer(word):
        start, part = match.start(), match.group()
        if match.group(1) and len(part) > 1:
            for i in range(len(part) - 1):
                yield start + i, start + i + 2, part[i : i + 2]
        else:
            yield start, match.end(), part


@lru_cache(maxsize=65_536)
def terms_of(text: str) -> tuple[str, ...]:
    """The folded terms of ``text``, in order: what is indexed, and what a query phrase is."""
    if text.isascii():  # the same terms, faster: ASCII has no compatibility forms, marks or CJK
        return tuple(WORD.findall(text.lower()))
    return tuple(term for word in WORD.findall(fold(text)) for _, _, term in segments(word))


@lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """The form two names must share to be the same name: 'Kim Jong-un' -> 'kimjongun'."""
    return _NOT_KEY.sub("", anyascii(fold(text)).lower())
