"""When the youth is free: weekday mornings / afternoons, evenings, Saturdays, any."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, squeeze

SLOTS = ("weekday_morning", "weekday_afternoon", "evening", "saturday", "any")

_MOR, _AFT, _EVE, _DAY = "MORNING", "AFTERNOON", "EVENING", "WHOLEDAY"
_WEEKDAY, _SAT, _SUN = "WEEKDAY", "SATURDAY", "SUNDAY"
_ANY, _NEG = "ANYTIME", "NEGATION"

_DAY_NAMES = {
    "lundi": _WEEKDAY,
    "mardi": _WEEKDAY,
    "mercredi": _WEEKDAY,
    "jeudi": _WEEKDAY,
    "vendredi": _WEEKDAY,
    "samedi": _SAT,
    "dimanche": _SUN,
}
_DAY_ABBREVIATIONS = {
    "lun": _WEEKDAY,
    "merc": _WEEKDAY,
    "mercre": _WEEKDAY,
    "ven": _WEEKDAY,
    "vend": _WEEKDAY,
    "vendr": _WEEKDAY,
    "sam": _SAT,
    "dim": _SUN,
    "samdi": _SAT,
}

# Phrase rewrites applied in order on the normalised text.
_AVAIL_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (
            r"\b(?:quand (?:tu veux|vous voulez|tu peux|vous pouvez|ca t arrange|ca vous arrange)"
            r"|tout le temps|n importe quand|nimporte quand|n imp quand|nimp quand|h24|24 ?h ?24"
            r"|24 ?h sur 24|24 ?sur ?24|7 ?j ?7|7 ?j sur 7|peu importe|peut importe|pas d importance"
            r"|comme tu veux|comme vous voulez|ca m est egal|m en fiche|m en fous|tous les jours"
            r"|toute la semaine et le (?:we|week end|weekend)|toujours dispo|toujours libre"
            r"|dispo tout le temps|libre tout le temps|je suis toujours|quand tu le souhaites"
            r"|a tout moment|n importe quel (?:jour|moment)|quand tu (?:le )?veux|whenever|anytime"
            r"|c est comme tu veux|ce que tu veux|tout me va|tout me convient|ca me va tout"
            r"|des que possible|asap|au plus vite|le plus tot possible|tout de suite|maintenant"
            r"|n importe|nimporte|tout(?= sauf))\b",
            _ANY,
        ),
        (r"\b(?:fois|jours?|heures?|demi journees?) par semaine\b", " "),
        (
            r"\b(?:apres (?:le|mon|les|l) ?(?:taf+|boulot|travail|job|cours|lycee|ecole|stage"
            r"|college|fac|formation|taff)|en fin de journee|fin de journee|fin d aprem"
            r"|fin d apres ?midi|en fin d apres ?midi|le soir|en soiree|soirs?|soirees?|la nuit"
            r"|nuits?|tard)\b",
            _EVE,
        ),
        (
            r"\b(?:apres ?midis?|apremidis?|ap ?m|apm|aprem\w*|aprm|aprs midi|aprem s|aprems"
            r"|a pm|apres mid|entre midi et deux)\b",
            _AFT,
        ),
        (r"\b(?:avant midi|dans la matinee|matinees?|matins?|matinal)\b", _MOR),
        (r"\b(?:le|ce|du|les|au) mat\b", _MOR),
        (r"\b(?:toute la journee|la journee|journees?|toute la journee)\b", _DAY),
        (
            r"\b(?:week ?ends?|weekends?|we|wk|wknd|wkend|fin de semaine|fins de semaine|le w e)\b",
            _SAT,
        ),
        (
            r"\b(?:en semaine|la semaine|semaine|jours de semaine|jours ouvres|du lundi au vendredi)\b",
            _WEEKDAY,
        ),
        (r"\b(?:midi)\b", _AFT),
        (
            r"\b(?:pas|sauf|jamais|hors|excepte|bosse|bosses|travaille|taffe|taf|occupe|occupee"
            r"|pris|prise|cours|indispo|indisponible)\b",
            _NEG,
        ),
    )
)
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
_CONNECTORS = frozenset({"et", "ou", "sinon", "mais", "ni", "puis", "voire", "donc", "aussi"})
_TOD_CONTINUATION = frozenset({"et", "ou", "le", "l", "la", "en", "aussi", "voire", "sinon"})


def _apply(kind: str, tod: str | None) -> set[str]:
    if kind == _SAT:
        return {"saturday"}
    if kind == _SUN:
        return set()
    if tod == _MOR:
        return {"weekday_morning"}
    if tod == _AFT:
        return {"weekday_afternoon"}
    if tod == _EVE:
        return {"evening"}
    return {"weekday_morning", "weekday_afternoon"}


def parse_availability(text: str) -> tuple[str, ...] | None:
    """Ordered subset of SLOTS, or None when not understood ("dimanche" alone -> None)."""
    if not isinstance(text, str):
        return None
    raw = re.sub(r"([0-9]{1,2})\s*[:hH]\s*([0-9]{2})", r"\1h\2", text[:SHORT_ANSWER_MAX_CHARS])
    norm = squeeze(normalize(raw))
    if not norm:
        return None
    norm = _HOUR_RE.sub(_hour_tokens, norm)
    for pattern, token in _AVAIL_REWRITES:
        norm = pattern.sub(f" {token} ", norm)

    positives: set[str] = set()
    excluded: set[str] = set()
    any_time = False
    pending: list[tuple[str, bool]] = []  # (day kind, negated)
    last_group: list[tuple[str, bool]] = []
    negate_left = 0  # tokens left in the current negation window
    broken = False  # a connector ("ou", "et"...) since the last day
    previous_was_tod = False

    def emit(kind: str, tod: str | None, negated: bool) -> None:
        if negated and kind != _SAT:
            # "pas le lundi": slots are not per day, so nothing to exclude.
            return
        (excluded if negated else positives).update(_apply(kind, tod))

    def flush() -> None:
        for kind, negated in pending:
            emit(kind, None, negated)
        pending.clear()

    for token in norm.split():
        negated = negate_left > 0
        negate_left = max(negate_left - 1, 0)
        if token == _NEG:
            negate_left = 3
            previous_was_tod = False
            continue
        if token == _ANY:
            any_time = True
            previous_was_tod = False
            continue
        kind = token if token in {_WEEKDAY, _SAT} else _day_kind(token)
        if kind is not None:
            pending.append((kind, negated))
            broken = False
            previous_was_tod = False
        elif token in _TIME_TOKENS:
            tod = None if token == _DAY else token
            if pending and not broken:
                for target, target_negated in pending:
                    emit(target, tod, target_negated)
                last_group = list(pending)
                pending.clear()
            else:
                flush()
                targets = last_group if previous_was_tod and last_group else [(_WEEKDAY, False)]
                for target, _ in targets:
                    (excluded if negated else positives).update(_apply(target, tod))
                last_group = targets
            previous_was_tod = True
            negate_left = 0
        elif token in _CONNECTORS:
            broken = True
            previous_was_tod = previous_was_tod and token in _TOD_CONTINUATION
        else:
            previous_was_tod = previous_was_tod and token in _TOD_CONTINUATION
    flush()

    result = positives - excluded
    if not result and (excluded or any_time):
        if excluded:
            result = {"weekday_morning", "weekday_afternoon", "evening", "saturday"} - excluded
        else:
            return ("any",)
    if not result:
        return None
    return tuple(slot for slot in SLOTS if slot in result)
