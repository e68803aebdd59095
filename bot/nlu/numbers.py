"""French number words to digits: split glued words, then let text2num read them."""

from __future__ import annotations

import functools

from text_to_num import alpha2digit

from bot.nlu.wordlists import phrases, words

_PARTS = frozenset(phrases("numbers", "glued_parts"))
_WEAK_PARTS = frozenset(phrases("numbers", "weak_parts"))
_MISSPELT = words("numbers", "misspellings")
_LONGEST_PART = max(len(p) for p in _PARTS)


@functools.lru_cache(maxsize=4096)
def split_glued(token: str) -> tuple[str, ...] | None:
    """("dix", "neuf") for "dixneuf"; None when the token is not glued number words."""
    if len(token) > 40 or not token.isalpha():
        return None
    # best[i]: fewest parts covering token[:i] (None when it cannot be covered).
    best: list[tuple[str, ...] | None] = [()] + [None] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _LONGEST_PART), end):
            head = best[start]
            part = token[start:end]
            if head is not None and part in _PARTS:
                candidate = (*head, part)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    parts = best[-1]
    if parts is None or len(parts) < 2 or set(parts) <= _WEAK_PARTS:
        return None
    return parts


def words_to_digits(norm_text: str) -> str:
    """ "j ai dixneuf ans" -> "j ai 19 ans" on a normalised text; digits untouched."""
    tokens: list[str] = []
    for token in norm_text.split():
        token = _MISSPELT.get(token, token)  # "vint trois" is "vingt trois"
        parts = split_glued(token)
        tokens.extend(parts if parts is not None else (token,))
    text = " ".join(tokens)
    try:
        return alpha2digit(text, "fr")
    except Exception:  # a third-party parser must never break the flow
        return text
