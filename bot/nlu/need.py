"""The youth's main need: job, training, mobility, housing, health, unsure, other."""

from __future__ import annotations

import re

from bot.nlu.normalise import LATIN_VOWELS, SHORT_ANSWER_MAX_CHARS
from bot.nlu.normalise import norm as fold
from bot.nlu.wordlists import alternation, phrase_set, phrases

NEEDS = ("job", "training", "mobility", "housing", "health", "unsure", "other")
_CONCRETE = ("job", "training", "mobility", "housing", "health", "other")

_KEYWORDS = {need: phrase_set("need", f"keywords.{need}") for need in _CONCRETE}
_MASKS = phrase_set("need", "masks.phrases")
_NEGATED_RE = re.compile(
    r"(?<![^ ])(?:"
    + alternation(phrases("need", "negation.heads"))
    + r")(?: (?:"
    + alternation(phrases("need", "negation.determiners"))
    + r"))? $"
)
# "pas une formation, un vrai travail": a need denied as the answer opens, when another follows.
_OPENING_DENIAL_RE = re.compile(
    r"^(?:"
    + alternation(phrases("need", "negation.openers"))
    + r")(?: (?:"
    + alternation(phrases("need", "negation.determiners"))
    + r"))? $"
)
# "l'intérim ça me bouffe la vie, jveux une formation": what is wanted beats what is named.
_WANT_CUES = phrase_set("need", "wanted.cues")
_SECTORS = phrase_set("need", "sectors.phrases")
_UNSURE = phrase_set("need", "unsure.phrases")
_UNSURE_ALONE_RE = re.compile(
    r"^(?:\w+ )?(?:" + alternation(phrases("need", "unsure.alone")) + r")(?: \w+)?$"
)
_FUNCTION_WORDS = frozenset(phrases("need", "other.function_words"))


def _first_mention(text: str, start: int = 0, opening_denied: bool = True) -> str | None:
    """The need named first from ``start`` (the longest phrase at the same place),
    negations skipped."""
    best: tuple[int, int, str] | None = None
    for need, keywords in _KEYWORDS.items():
        for m in keywords.finditer(text, start):
            if _NEGATED_RE.search(text[: m.start()]):
                continue  # "pas besoin de permis"
            if opening_denied and _OPENING_DENIAL_RE.match(text[: m.start()]):
                continue
            key = (m.start(), -(m.end() - m.start()), need)
            if best is None or key < best:
                best = key
            break
    return best[2] if best is not None else None


def parse_need(text: str) -> str | None:
    """Main need in NEEDS; earliest concrete mention wins, then "unsure", then "other"."""
    norm = fold(text, SHORT_ANSWER_MAX_CHARS)
    if not norm:
        return None
    masked = _MASKS.sub("_", norm)
    cue = _WANT_CUES.search(masked)
    need = _first_mention(masked, cue.end()) if cue else None
    need = need or _first_mention(masked) or _first_mention(masked, opening_denied=False)
    if need is not None:
        return need
    if _SECTORS.search(norm):
        return "job"  # "la vente", "mécanique": the field they want to work in
    if _UNSURE.search(norm) or _UNSURE_ALONE_RE.match(norm):
        return "unsure"
    tokens = [t for t in norm.split() if any(c.isalpha() for c in t)]
    if len(tokens) >= 3:
        vowel_tokens = sum(1 for t in tokens if set(t) & LATIN_VOWELS or not t.isascii())
        if vowel_tokens * 2 >= len(tokens) and any(t in _FUNCTION_WORDS for t in tokens):
            return "other"
    return None


def mentions_need(norm: str, start: int = 0) -> str | None:
    """A concrete need named in a normalised text from ``start`` (no "unsure" / "other" guess)."""
    masked = _MASKS.sub(lambda m: "_" * len(m.group(0)), norm)  # same length: offsets hold
    need = _first_mention(masked, start)
    if need is None and _SECTORS.search(norm, start):
        return "job"
    return need
