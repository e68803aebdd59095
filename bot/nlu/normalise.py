"""Text normalisation shared by the parsers: case, accents, punctuation, repeats.

Young people write on phones: typos, SMS-speak, slang, emoji, no accents,
extra spaces. Every public parser of ``bot.nlu`` is pure, synchronous and
total: it accepts any ``str`` (arbitrary unicode, huge strings) and never
raises. Work is capped by looking only at a bounded prefix of the input.
"""

from __future__ import annotations

import re
import unicodedata

SHORT_ANSWER_MAX_CHARS = 500  # age, contact, need, availability, yes/no

APOSTROPHES = "'\u2019\u2018\u201b\u02bc\u02b9\u0060\u00b4\u2032\uff07"
LATIN_VOWELS = frozenset("aeiouy")

_EXTRA_FOLD = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)
_NON_WORD_RE = re.compile(r"[\W_]+")
_SQUEEZE_RE = re.compile(r"([^\W\d_])\1{2,}")


class _Marks(dict[int, int | None]):
    """A `str.translate` table dropping combining marks, filled as characters are first met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if code < 0x3400:  # bounded: rarer characters are looked up each time
            self[code] = kept
        return kept


_MARKS = _Marks()


def strip_marks(text: str) -> str:
    """NFKD-decompose, casefold and drop combining marks (accents)."""
    decomposed = unicodedata.normalize("NFKD", text).casefold().translate(_EXTRA_FOLD)
    # The same result as testing each character, in C: this runs on every word of every message.
    return decomposed if decomposed.isascii() else decomposed.translate(_MARKS)


def normalize(text: str) -> str:
    """Lowercase, strip accents, turn emoji/punctuation/apostrophes into spaces.

    "J'ai 18 ANS 😊 !!" -> "j ai 18 ans". Whitespace is collapsed and trimmed.
    """
    if not isinstance(text, str) or not text:
        return ""
    return _NON_WORD_RE.sub(" ", strip_marks(text)).strip()


def squeeze(text: str) -> str:
    """Collapse letters repeated 3+ times ("ouiiii" -> "oui"); digits untouched."""
    return _SQUEEZE_RE.sub(r"\1", text)


def norm(text: str, limit: int = SHORT_ANSWER_MAX_CHARS) -> str:
    """Normalised and squeezed prefix of ``text``."""
    if not isinstance(text, str):
        return ""
    return squeeze(normalize(text[:limit]))
