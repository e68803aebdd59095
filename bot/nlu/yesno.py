"""Yes / no answers: "ouais", "grave", "👍", "nan", "pas du tout"."""

from __future__ import annotations

import re

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, squeeze
from bot.nlu.wordlists import alternation, phrases, symbols

_YES_EMOJI = symbols("yesno", "emoji.yes")
_NO_EMOJI = symbols("yesno", "emoji.no")


def _group(name: str, key: str) -> str:
    return "(?P<" + name + ">" + alternation(phrases("yesno", key)) + ")"


def _words_re(*keys: str) -> re.Pattern[str]:
    words = [w for key in keys for w in phrases("yesno", key)]
    return re.compile(r"(?<![^ ])(?:" + alternation(words) + r")(?![^ ])")


_YN_YES_CONFLICT_RE = _words_re("yes.conflicts", "neutral.hedges")
_YN_NO_CONFLICT_RE = _words_re("no.conflicts", "neutral.hedges")

# Weak phrases only count when alone or followed exclusively by other phrases
# or neutral words.
_YN_GROUP_RES = tuple(
    re.compile(_group(name, key) + r"(?: |$)")
    for name, key in (
        ("no", "no.strong"),
        ("yes", "yes.strong"),
        ("neutral", "neutral.words"),
        ("yesweak", "yes.weak"),
        ("noweak", "no.weak"),
    )
)


def _longest_match(text: str, pos: int) -> re.Match[str] | None:
    """Longest phrase match at ``pos`` (alternation is not longest-first across groups)."""
    best: re.Match[str] | None = None
    for pattern in _YN_GROUP_RES:
        m = pattern.match(text, pos)
        if m and (best is None or m.end() > best.end()):
            best = m
    return best


_CLAUSE_END_RE = re.compile(r"[,;.!\n]+")


def parse_yes_no(text: str) -> bool | None:
    """True for yes ("ouais", "grave", "👍"...), False for no ("nan", "pas du tout"), else None.

    Chatter before the answer is skipped: "mort de rire, ouais c bien ça" ends on its answer.
    """
    value = _parse_whole(text)
    if value is not None or not isinstance(text, str) or "?" in text:
        return value
    clauses = [c for c in _CLAUSE_END_RE.split(text[:SHORT_ANSWER_MAX_CHARS]) if c.strip()]
    return _parse_whole(clauses[-1]) if len(clauses) > 1 else None


def _parse_whole(text: str) -> bool | None:
    """The yes or no of the whole message."""
    if not isinstance(text, str):
        return None
    raw = text[:SHORT_ANSWER_MAX_CHARS]
    emoji_yes = any(e in raw for e in _YES_EMOJI)
    emoji_no = any(e in raw for e in _NO_EMOJI)
    norm = squeeze(normalize(raw))

    strong: set[bool] = set()
    weak: set[bool] = set()
    pos = 0
    while pos < len(norm):
        m = _longest_match(norm, pos)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "yes":
            strong.add(True)
        elif kind == "no":
            strong.add(False)
        elif kind == "yesweak":
            weak.add(True)
        elif kind == "noweak":
            weak.add(False)
        pos = m.end()
    rest = norm[pos:].strip()

    if emoji_yes:
        (strong if not norm else weak).add(True)
    if emoji_no:
        (strong if not norm else weak).add(False)

    if rest:
        # Something else follows: weak words do not count, strong ones must
        # not be contradicted or hedged.
        polarities = strong
        if len(polarities) != 1 or "?" in raw:
            return None  # "ok mais c'est quoi ?" asks before answering
        value = next(iter(polarities))
        conflict = _YN_YES_CONFLICT_RE if value else _YN_NO_CONFLICT_RE
        if conflict.search(rest):
            return None
        return value
    polarities = strong | weak
    if len(polarities) != 1:
        return None
    return next(iter(polarities))
