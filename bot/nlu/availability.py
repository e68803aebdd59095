"""When the youth is free: weekday mornings / afternoons, evenings, Saturdays, any."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, squeeze
from bot.nlu.wordlists import PhraseSet, phrase_set, phrases

SLOTS = ("weekday_morning", "weekday_afternoon", "evening", "saturday", "any")

_MOR, _AFT, _EVE, _DAY = "MORNING", "AFTERNOON", "EVENING", "WHOLEDAY"
_WEEKDAY, _SAT, _SUN = "WEEKDAY", "SATURDAY", "SUNDAY"
_ANY, _NEG, _BUSY, _WORN = "ANYTIME", "NEGATION", "BUSY", "WORNOUT"
_WEEK = "WEEK"  # "semaine": unlike a day's name, denying it denies the weekday slots


def _days(section: str) -> dict[str, str]:
    kinds = {"weekday": _WEEKDAY, "saturday": _SAT, "sunday": _SUN}
    return {
        word: kind
        for key, kind in kinds.items()
        for word in phrases("availability", f"{section}.{key}")
    }


_DAY_NAMES = _days("days")
_DAY_ABBREVIATIONS = _days("abbreviations")


def _evening_after() -> PhraseSet:
    heads = phrases("availability", "evening_after.heads")
    objects = phrases("availability", "evening_after.objects")
    return PhraseSet(f"{head} {obj}" for head in heads for obj in objects)


# Phrase lists turned into markers, in this order, on the normalised text.
_AVAIL_REWRITES: tuple[tuple[PhraseSet, str], ...] = (
    (phrase_set("availability", "phrases.any_except"), f"{_ANY} {_NEG}"),
    (phrase_set("availability", "phrases.any"), _ANY),
    (phrase_set("availability", "phrases.noise"), ""),
    (_evening_after(), _EVE),
    (phrase_set("availability", "phrases.evening"), _EVE),
    (phrase_set("availability", "phrases.afternoon"), _AFT),
    (phrase_set("availability", "phrases.morning"), _MOR),
    (phrase_set("availability", "phrases.whole_day"), _DAY),
    (phrase_set("availability", "phrases.weekend"), _SAT),
    (phrase_set("availability", "phrases.weekday"), _WEEKDAY),
    (phrase_set("availability", "phrases.noon"), _AFT),
    (phrase_set("availability", "phrases.negation"), _NEG),
    (phrase_set("availability", "phrases.busy"), _BUSY),
    (phrase_set("availability", "phrases.worn_out"), _WORN),
)
_UNTIL = phrase_set("availability", "until.phrases")
_HOUR_RE = re.compile(
    r"(?:\b(?P<prep>apres|a partir de|a partir d|des|avant|jusqu a|vers|entre|de|a)\s)?"
    r"\b(?P<h1>[0-9]{1,2})\s?(?:h|heures?|hr)(?:\s?[0-9]{2})?\b"
    r"(?:\s(?:a|et|jusqu a)?\s?(?P<h2>[0-9]{1,2})\s?(?:h|heures?|hr)(?:\s?[0-9]{2})?\b)?"
    r"|\b(?P<prep2>apres|a partir de|avant|vers)\s(?P<h3>[0-9]{1,2})\b(?! ?(?:ans|an|a|mois|jours|min))"
)


def _hour_buckets(start: int, end: int) -> list[str]:
    buckets: list[str] = []
    for hour in range(start, max(end, start + 1)):
        if 6 <= hour < 12:
            bucket = _MOR
        elif 12 <= hour < 17:
            bucket = _AFT
        elif 17 <= hour < 24:
            bucket = _EVE
        else:
            continue
        if bucket not in buckets:
            buckets.append(bucket)
    return buckets


def _hour_tokens(m: re.Match[str]) -> str:
    if m["h3"] is not None:
        prep, h1, h2 = m["prep2"], int(m["h3"]), None
    else:
        prep, h1 = m["prep"], int(m["h1"])
        h2 = int(m["h2"]) if m["h2"] is not None else None
    if h1 > 23 or (h2 is not None and h2 > 24):
        return " "
    if h2 is not None and h2 > h1:
        buckets = _hour_buckets(h1, h2)
    elif prep in {"apres", "a partir de", "a partir d", "des"}:
        buckets = _hour_buckets(h1, 24)
    elif prep in {"avant", "jusqu a"}:
        buckets = _hour_buckets(min(h1, 7), h1)
    else:
        buckets = _hour_buckets(h1, h1 + 1)
    return " " + " ".join(buckets) + " " if buckets else " "


def _day_kind(token: str) -> str | None:
    if token in _DAY_NAMES:
        return _DAY_NAMES[token]
    if token in _DAY_ABBREVIATIONS:
        return _DAY_ABBREVIATIONS[token]
    if token.endswith("s") and token[:-1] in _DAY_NAMES:
        return _DAY_NAMES[token[:-1]]
    if 5 <= len(token) <= 10 and token.isalpha():
        for name, kind in _DAY_NAMES.items():
            cutoff = 2 if len(name) >= 7 else 1
            if Levenshtein.distance(token, name, score_cutoff=cutoff) <= cutoff:
                return kind
    return None


_TIME_TOKENS = frozenset({_MOR, _AFT, _EVE, _DAY})
_CONNECTORS = frozenset(phrases("availability", "reading.connectors"))
_TOD_CONTINUATION = frozenset(phrases("availability", "reading.continuation"))
_FILLERS = frozenset(phrases("availability", "reading.fillers"))
_NARROWING = frozenset(phrases("availability", "reading.narrowing"))
_SUBJECTS = frozenset(phrases("availability", "reading.subjects"))
_FREE = frozenset(phrases("availability", "reading.free"))
_BUSY_GAP = 3  # at most this many filler words between a time and the busy word denying it


def _apply(kind: str, tod: str | None) -> set[str]:
    if kind == _SAT:
        return {"saturday"}
    if kind == _SUN:
        return set()
    if kind == _WEEK and tod is None:
        return {"weekday_morning", "weekday_afternoon"}
    if tod == _MOR:
        return {"weekday_morning"}
    if tod == _AFT:
        return {"weekday_afternoon"}
    if tod == _EVE:
        return {"evening"}
    return {"weekday_morning", "weekday_afternoon"}


def _subject(token: str) -> bool:
    """A first-person subject, alone ("je", "jsuis") or fused with its verb ("jdors", "jgarde")."""
    if token in _SUBJECTS:
        return True
    fused = len(token) >= 4 and token[0] == "j" and token[1] in _CONSONANTS
    return fused and token[1:] not in _FREE


_CONSONANTS = frozenset("bcdfgklmnpqrstvwxz")


def _occupied(said: set[str], pending: list[tuple[str, bool, str | None]]) -> set[str]:
    """The slots of the time just read (a time of day, else a week or a Saturday pending)."""
    if said:
        return set(said)
    if pending and pending[-1][0] in (_SAT, _WEEK) and not pending[-1][1]:
        return _apply(pending[-1][0], pending[-1][2])
    return set()


def parse_availability(text: str) -> tuple[str, ...] | None:
    """Ordered subset of SLOTS, or None when not understood ("dimanche" alone -> None)."""
    if not isinstance(text, str):
        return None
    raw = re.sub(r"([0-9]{1,2})\s*[:hH]\s*([0-9]{2})", r"\1h\2", text[:SHORT_ANSWER_MAX_CHARS])
    norm = squeeze(normalize(raw))
    if not norm:
        return None
    norm = _UNTIL.sub(" apres ", " ".join(norm.split()))
    norm = _HOUR_RE.sub(_hour_tokens, " ".join(norm.split()))
    for pattern, token in _AVAIL_REWRITES:
        # Phrases are matched on single spaces between tokens.
        norm = pattern.sub(f" {token} ", " ".join(norm.split()))

    positives: set[str] = set()
    excluded: set[str] = set()
    any_time = False
    pending: list[tuple[str, bool, str | None]] = []  # (day kind, negated, time of day)
    last_group: list[tuple[str, bool, str | None]] = []
    negate_left = 0  # tokens left in the current negation window
    broken = False  # a connector ("ou", "et"...) since the last day
    previous_was_tod = False
    # A time of day just before a day, with no connector: "le soir en semaine".
    adjacent_tod: str | None = None

    recent: set[str] = set()  # the slots the last time of day gave, until a busy word
    gap = 0  # filler words since then
    said: set[str] = set()  # the slots the last time of day named, new or not
    day_said: set[str] = set()  # what "la journée" gave, until a time narrows it or a connector
    occupied: set[str] = set()  # times followed by what the youth does then

    def emit(kind: str, tod: str | None, negated: bool) -> None:
        if negated and kind not in (_SAT, _WEEK):
            # "pas le lundi": slots are not per day, so nothing to exclude.
            return
        (excluded if negated else positives).update(_apply(kind, tod))

    def flush() -> None:
        for kind, negated, tod in pending:
            emit(kind, tod, negated)
        pending.clear()

    tokens = norm.split()
    for i, token in enumerate(tokens):
        if _subject(token) and gap <= 1 and not _FREE.intersection(tokens[i + 1 : i + 4]):
            occupied |= _occupied(said, pending)
        negated = negate_left > 0
        negate_left = max(negate_left - 1, 0)
        if token in (_BUSY, _WORN) and gap <= _BUSY_GAP and (recent or pending):
            # Said after a time: "le matin je bosse" denies the morning, and nothing after.
            if recent:
                positives.difference_update(recent)
                excluded.update(recent)
            else:
                kind, _, tod = pending[-1]
                pending[-1] = (kind, True, tod)
            recent, gap, negate_left = set(), _BUSY_GAP + 1, 0
            continue
        gap += 1
        if token in (_NEG, _BUSY):
            negate_left = 3
            previous_was_tod = False
            adjacent_tod = None
            continue
        if token == _ANY:
            any_time = True
            previous_was_tod = False
            adjacent_tod = None
            continue
        day = {_WEEKDAY: _WEEK, _SAT: _SAT}.get(token) or _day_kind(token)
        if day is not None:
            recent, said, day_said, gap = set(), set(), set(), 0
            if negated and day in (_SAT, _WEEK):
                negate_left = 0  # "pas le samedi, en semaine oui": one day denied
            pending.append((day, negated, adjacent_tod))
            broken = False
            previous_was_tod = False
            adjacent_tod = None
        elif token in _TIME_TOKENS:
            tod = None if token == _DAY else token
            before = set(positives)
            said = set()
            if pending and not broken:
                for target, target_negated, _ in pending:
                    emit(target, tod, target_negated)
                    said |= set() if target_negated else _apply(target, tod)
                last_group = list(pending)
                pending.clear()
            else:
                flush()
                targets: list[tuple[str, bool, str | None]] = (
                    last_group if previous_was_tod and last_group else [(_WEEKDAY, False, None)]
                )
                for target, _, _ in targets:
                    (excluded if negated else positives).update(_apply(target, tod))
                    said |= set() if negated else _apply(target, tod)
                last_group = targets
            if day_said and tod is not None and not negated:
                positives -= day_said - said  # "en journée, l'après-midi c'est mieux"
            day_said = set(said) if tod is None and not negated else set()
            previous_was_tod = True
            adjacent_tod = tod
            negate_left = 0
            recent, gap = positives - before, 0
        elif token in _CONNECTORS:
            broken = True
            recent, said = set(), set()
            day_said = day_said if token in _NARROWING else set()
            previous_was_tod = previous_was_tod and token in _TOD_CONTINUATION
            adjacent_tod = None
        else:
            if token not in _FILLERS:
                recent, gap = set(), _BUSY_GAP + 1
            previous_was_tod = previous_was_tod and token in _TOD_CONTINUATION
            if token not in _TOD_CONTINUATION:
                adjacent_tod = None
    flush()

    if positives - excluded - occupied:  # "l'aprem, le matin je garde mon neveu"
        positives -= occupied
    result = positives - excluded
    if not result and (excluded or any_time):
        if excluded:
            result = {"weekday_morning", "weekday_afternoon", "evening", "saturday"} - excluded
        else:
            return ("any",)
    if not result:
        return None
    return tuple(slot for slot in SLOTS if slot in result)
