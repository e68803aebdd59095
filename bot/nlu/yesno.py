"""Yes / no answers: "ouais", "grave", "👍", "nan", "pas du tout"."""

from __future__ import annotations

import re

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, squeeze
from bot.nlu.welcome import default_welcome
from bot.nlu.wordlists import alternation, phrases, symbols

_YES_EMOJI = symbols("yesno", "emoji.yes")
_NO_EMOJI = symbols("yesno", "emoji.no")


def _group(name: str, key: str) -> str:
    return "(?P<" + name + ">" + alternation(phrases("yesno", key)) + ")"


def _words_re(*keys: str) -> re.Pattern[str]:
    words = [w for key in keys for w in phrases("yesno", key)]
    return re.compile(r"(?<![^ ])(?:" + alternation(words) + r")(?![^ ])")


_YN_YES_CONFLICT_RE = _words_re("yes.conflicts", "neutral.hedges")
_THANKS_BUT_RE = re.compile(
    r"(?<![^ ])(?:"
    + alternation(phrases("yesno", "offer.thanks"))
    + r")(?: [^ ]+){0,4}? (?:"
    + alternation(phrases("yesno", "offer.buts"))
    + r")(?![^ ])"
)
_BREAKS_RE = _words_re("clauses.breaks")
_FINE = frozenset(phrases("yesno", "offer.fine"))
_OFFER_YES = frozenset(phrases("yesno", "offer.yes"))
# Next to an offer's own yes word these turn it round: "pas prête", "on y va pas", "lance pas".
_NEGATORS = frozenset({"pas", "pa", "ne", "n", "jamais", "point"})
_YN_NO_CONFLICT_RE = _words_re("no.conflicts", "neutral.hedges")
_REASON_RE = _words_re("reasons.words")

# Weak phrases only count when alone or followed exclusively by other phrases
# or neutral words.
_GROUPS = (
    ("no", "no.strong"),
    ("yes", "yes.strong"),
    ("neutral", "neutral.words"),
    ("yesweak", "yes.weak"),
    ("noweak", "no.weak"),
)
_YN_GROUP_RES = tuple(re.compile(_group(name, key) + r"(?: |$)") for name, key in _GROUPS)
# At an offer its own words come first: on a tie in length they win ("on y va" is a yes there).
_OFFER_GROUP_RES = tuple(
    re.compile(_group(name, key) + r"(?: |$)")
    for name, key in (("yes", "offer.yes"), ("no", "offer.no"), *_GROUPS)
)


def _longest_match(text: str, pos: int, offer: bool) -> re.Match[str] | None:
    """Longest phrase match at ``pos`` (alternation is not longest-first across groups)."""
    best: re.Match[str] | None = None
    for pattern in _OFFER_GROUP_RES if offer else _YN_GROUP_RES:
        m = pattern.match(text, pos)
        if m and (best is None or m.end() > best.end()):
            best = m
    return best


# The steps whose yes / no takes up an offer rather than confirming answers.
OFFER_STEPS = frozenset({"welcome", "outside", "offer_human"})

_CLAUSE_END_RE = re.compile(r"[,;.!\n]+")


def parse_yes_no(text: str, *, offer: bool = False) -> bool | None:
    """True for yes ("ouais", "grave", "👍"...), False for no ("nan", "pas du tout"), else None.

    Chatter before the answer is skipped: "mort de rire, ouais c bien ça" ends on its answer.
    At an `offer` (the welcome, a counsellor proposed) "on y va" takes it up and "ça ira",
    "merci mais ..." decline it.
    """
    if offer and isinstance(text, str):
        declined = _thanks_but(text)
        if declined is not None:
            return declined
    value = _parse_whole(text, offer)
    if value is not None or not isinstance(text, str):
        return value
    if "?" in text:
        # "c quoi le piège ? bon allez vas-y": the answer after the last question, if any.
        _, mark, after = text[:SHORT_ANSWER_MAX_CHARS].rpartition("?")
        return _parse_whole(after, offer) if mark and after.strip(" ?!.") else None
    clauses = [c for c in _CLAUSE_END_RE.split(text[:SHORT_ANSWER_MAX_CHARS]) if c.strip()]
    last = clauses[-1] if clauses else ""
    parts = _BREAKS_RE.split(squeeze(normalize(last)))  # "... donc allons-y"
    if len(parts) > 1 and parts[-1].strip():
        return _parse_whole(parts[-1], offer)
    return _parse_whole(last, offer) if len(clauses) > 1 else None


def _thanks_but(text: str) -> bool | None:
    """At an offer, "merci mais ..." declines unless a yes follows; None when not said so."""
    norm = squeeze(normalize(text[:SHORT_ANSWER_MAX_CHARS]))
    m = _THANKS_BUT_RE.search(norm)
    if m is None or "?" in text:
        return None  # "merci mais c'est quoi ?" asks before answering
    if _parse_whole(norm[: m.start()], offer=True) is True:
        return None  # "oui merci, mais vite svp": the yes came first, the rest is a detail
    after = norm[m.end() :]
    value = _parse_whole(after, offer=True)
    if value is None and default_welcome().asks_what(after):
        return None  # "merci mais c'est quoi": asks before answering
    return value is True


def _negated(norm: str, m: re.Match[str]) -> bool:
    """Whether a negator stands right before or right after the match ``m`` in ``norm``."""
    before = norm[: m.start()].split()
    after = norm[m.end() :].split()
    return bool(before and before[-1] in _NEGATORS) or bool(after and after[0] in _NEGATORS)


def _parse_whole(text: str, offer: bool = False) -> bool | None:
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
        m = _longest_match(norm, pos, offer)
        if m is None:
            break
        kind = m.lastgroup
        if offer and kind == "yes" and m["yes"] in _FINE:
            kind = "yesweak"  # "non c bon merci" declines; "c bon" alone still says yes
        if offer and kind == "yes" and m["yes"] in _OFFER_YES and _negated(norm, m):
            strong.add(False)  # "pas prête", "jy vais pas": a refusal, not a yes
        elif kind == "yes":
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
        if conflict.search(_REASON_RE.split(rest, maxsplit=1)[0]):
            return None
        return value
    # At an offer a strong no outweighs a weak yes ("c bon merci ça ira" declines); a weak
    # no ("pas") is never outweighed by a yes.
    polarities = (strong | (weak - {True}) if strong else weak) if offer else strong | weak
    if len(polarities) != 1:
        return None
    return next(iter(polarities))
